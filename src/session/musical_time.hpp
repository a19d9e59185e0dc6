#pragma once
// Musical time in the session file: the meter ("6/8") and timeline positions written in
// seconds ("12.5s") or bar:beat ("9:2.5", converted with the session's tempo and meter).

#include "core/error.hpp"
#include "core/units.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// "4/4", "6/8", "7/8": 1 to 64 beats per bar over a note value of 1, 2, 4, 8, 16, 32 or 64.
Result<Meter> readMeter(const YamlField& field);

/// A position on the timeline, 0 or later: "12.5s", "250ms", or bar:beat ("9:1", "9:2.5"),
/// whose beat must exist in the meter (beat 1 up to, not including, beatsPerBar + 1).
Result<Seconds> readPosition(const YamlField& field, double tempo, const Meter& meter);

}  // namespace reel::session
