#include "compose/built_in_instruments.hpp"

#include "compose/midi_part_reader.hpp"
#include "compose/soundfont_instrument.hpp"

namespace reel::compose {

const engine::InstrumentFactory& builtInInstruments() {
    static const engine::InstrumentFactory factory = [] {
        engine::InstrumentFactory f;
        registerSoundFontInstrument(f);
        registerMidiPartReader(f);
        return f;
    }();
    return factory;
}

}  // namespace reel::compose
