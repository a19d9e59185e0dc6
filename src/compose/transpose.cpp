#include "compose/transpose.hpp"

namespace reel::compose {

Key transposeKey(const Key& key, int semitones) {
    if (wrapPitchClass(semitones) == 0) return key;
    return conventionalKey(key.tonic.pitchClass() + semitones, key.mode);
}

Interval intervalBetween(const Key& from, const Key& to) { return Interval::between(from.tonic, to.tonic); }

Chord transposeChord(const Chord& chord, int semitones, const Key& key) {
    return transposeChord(chord, intervalBetween(key, transposeKey(key, semitones)));
}

Chord transposeChord(const Chord& chord, int semitones) {
    if (chord.noChord) return chord;
    return transposeChord(chord, semitones, Key{chord.root, chord.hasMinorThird() ? Mode::minor : Mode::major});
}

}  // namespace reel::compose
