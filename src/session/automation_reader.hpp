#pragma once
// Reads `automation:` lanes of a track, bus or master:
//
//   automation:
//     - param: volume
//       points: [[0s, -6dB], ["9:1", 0dB, exponential], ["17:1", -3dB, hold]]
//     - param: compressor.threshold
//       curve: linear                       # the default curve of this lane's points
//       points:
//         - {at: 0s, value: -18dB}
//         - {at: 30s, value: -24dB, curve: hold}
//
// Points are a list [at, value] / [at, value, curve] or a map {at, value, curve}; `at` is
// seconds or bar:beat. Points must be in time order. Values stay text: the engine knows
// each parameter's unit and parses them.

#include <vector>

#include "core/error.hpp"
#include "session/musical_time.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

Result<std::vector<AutomationLane>> readAutomation(const YamlField& field, double tempo, const Meter& meter);

}  // namespace reel::session
