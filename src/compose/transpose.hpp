#pragma once
// Transposition that spells well: by semitones or to a key, with the target key's spelling
// (flats in flat keys), and exact round trips.
//
// How: the target key is the conventional spelling of the new tonic (conventionalKey: fewest
// sharps or flats, flats on a six-six tie), or the key the caller names. Every note then moves by
// the spelled interval between the two tonics, so it keeps its function: in A minor → Bb minor
// the leading tone G# becomes A, not Bb. Moving back by the same number of semitones returns
// every key in conventional spelling, and every note in it, exactly (a key written
// unconventionally, say A# minor, comes back as Bb minor with the same pitches).

#include "compose/chord.hpp"
#include "compose/interval.hpp"
#include "compose/key.hpp"

namespace reel::compose {

/// The key `semitones` higher (negative: lower), conventionally spelled; 0 (mod 12) keeps the key as written.
Key transposeKey(const Key& key, int semitones);

/// The spelled interval that takes `from` to `to` (their tonics; the modes are not compared).
Interval intervalBetween(const Key& from, const Key& to);

/// A chord written in `key` moved by `semitones`, spelled in the moved key.
Chord transposeChord(const Chord& chord, int semitones, const Key& key);

/// A chord moved by `semitones` with no key around it: spelled as in the conventional key on its
/// new root (major, or minor for chords with a minor third), so C +1 is Db and Am +1 is Bbm.
Chord transposeChord(const Chord& chord, int semitones);

}  // namespace reel::compose
