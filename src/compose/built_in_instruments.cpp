#include "compose/built_in_instruments.hpp"

#include "compose/drumkit_instrument.hpp"
#include "compose/midi_part_reader.hpp"
#include "compose/soundfont_instrument.hpp"

namespace reel::compose {

const engine::InstrumentFactory& builtInInstruments() {
    static const engine::InstrumentFactory factory = [] {
        engine::InstrumentFactory f;
        registerSoundFontInstrument(f);
        registerDrumkitInstrument(f);
        registerMidiPartReader(f);
        return f;
    }();
    return factory;
}

}  // namespace reel::compose
