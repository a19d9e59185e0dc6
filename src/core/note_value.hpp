#pragma once
// Note values for tempo-synced times: "1/4", "1/8." (dotted), "1/8t" (triplet), "3/16".
//
// A note value is a fraction of a whole note. Its duration follows the session's tempo
// convention (session.hpp, barBeatToSeconds): the tempo counts beats of the meter's beat
// unit, so in 6/8 at 120 an eighth lasts 0.5 s, and a whole note lasts beatUnit beats:
//   seconds = wholeNotes · beatUnit · 60 / tempo.
// In 4/4 at 120 bpm a quarter is 0.5 s and a dotted eighth 0.375 s. Compound meters are not
// regrouped into dotted beats: write the tempo in the beat unit the meter names.

#include <string_view>

#include "core/error.hpp"
#include "core/units.hpp"

namespace reel {

/// A duration as a fraction of a whole note (1/4 = 0.25; a dotted eighth = 0.1875).
struct NoteValue {
    double wholeNotes = 0.25;
};

/// Parses "n/d" with an optional suffix: "." dotted (×3/2), ".." double-dotted (×7/4),
/// "t" triplet (×2/3). n ≥ 1; d a power of two from 1 to 128. Errors say what to write.
Result<NoteValue> parseNoteValue(std::string_view text);
/// True if the text is meant as a note value (it has a '/'), not a time with a unit.
bool looksLikeNoteValue(std::string_view text);
/// The note value's duration at `tempo` beats per minute, a beat being the 1/beatUnit note.
Seconds noteValueSeconds(NoteValue value, double tempo, int beatUnit);

}  // namespace reel
