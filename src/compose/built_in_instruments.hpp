#pragma once
// The instruments Reel ships, registered in one factory: what `reel render` and `reel demo`
// hand the renderer so MIDI clips play (the engine knows no instrument; see
// engine/instrument.hpp for why they live here, above it).

#include "engine/instrument_factory.hpp"

namespace reel::compose {

/// A factory with every built-in instrument type (soundfont, drumkit) and the MIDI file part reader.
/// Built once, on first use; read-only afterwards, so any thread may create from it.
const engine::InstrumentFactory& builtInInstruments();

}  // namespace reel::compose
