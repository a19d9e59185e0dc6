#pragma once
// Reading a processor chain: `- eq: {highpass: 80Hz, bands: [...]}` entries.
//
// Only the structure is checked here; parameter names and values are the engine's to
// check, since it knows the processors. Each parameter keeps its text and place.

#include <vector>

#include "core/error.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// Reads one parameter's value as written: a single value, a map (one item of named values,
/// like an eq band or an instrument's `map: {36: Kick}`) or a list of maps (one item each).
Result<ParamValue> readParam(const YamlField& field);

/// Reads a chain: a list whose entries are `- type: {params}`, `- type:` or `- type`.
Result<std::vector<ProcessorConfig>> readChain(const YamlField& field);

}  // namespace reel::session
