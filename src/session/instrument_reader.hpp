#pragma once
// Reading a track's instrument: `instrument: {type: soundfont, soundfont: gm, program: 33}`.
//
// Only the shape is checked here (a map of single values, a type); the parameters are the
// instrument type's to check, since the engine's InstrumentFactory knows the types, as
// processors check their own parameters.

#include "core/error.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// Reads an instrument map. Without `type:`, a `soundfont:` key makes it a SoundFont.
Result<InstrumentConfig> readInstrument(const YamlField& field);

}  // namespace reel::session
