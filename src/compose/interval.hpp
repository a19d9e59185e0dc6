#pragma once
// Spelled intervals within an octave: a number of letter steps and a number of semitones.
//
// C→E is a major third (2 steps, 4 semitones), C→Fb a diminished fourth (3 steps, 4 semitones):
// the same sound, different spellings. Moving a note by a spelled interval keeps its spelling
// musical (in the new key the leading tone is still a raised seventh), which is what makes
// transposition round-trip: up by an interval, then up by its inversion, is the note again.

#include <string>
#include <string_view>

#include "compose/note.hpp"
#include "core/error.hpp"

namespace reel::compose {

struct Interval {
    int steps = 0;      // letter steps 0..6: 0 unison, 1 second, … 6 seventh
    int semitones = 0;  // 0..11 (an augmented seventh wraps to 0 and is not representable)

    /// The upward interval from `from` to the next `to` at or above it (C→B is a major seventh).
    static Interval between(const Note& from, const Note& to) noexcept;
    /// "P1", "m2", "M2", "A2", "d3", "m3", "M3", "P4", "A4", "d5", "P5", "A5", "m6", "M6", "d7", "m7", "M7";
    /// beyond doubly augmented or diminished it falls back to "<steps+1>(<semitones>)".
    std::string name() const;
    /// Reads a name written by name() (quality P m M A d, then 1 to 7).
    static Result<Interval> parse(std::string_view text);
    /// What completes it to an octave: M3 → m6, P4 → P5, P1 → P1.
    Interval inverted() const noexcept;

    friend bool operator==(const Interval&, const Interval&) = default;
};

/// The note `interval` above `note`, spelled by the interval's letters. If that spelling needs
/// more than a double sharp or flat (G## up a major third is B###), the pitch is respelled on
/// the nearest letter, keeping the side of the accidental.
Note transposeNote(const Note& note, const Interval& interval);

}  // namespace reel::compose
