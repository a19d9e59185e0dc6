#pragma once
// Creators for the effects family: delay, chorus, flanger, phaser and saturation.
//
// Session syntax (ratios may be written as percentages, "35%", or plain, 0.35):
//   - delay:      {time: 1/8. | 375ms, feedback: 35%, lowcut: 200Hz, highcut: 6kHz,
//                  ping_pong: true, mix: 25%}
//   - chorus:     {rate: 0.8Hz, depth: 3ms, delay: 12ms, mix: 50%, spread: 90}
//   - flanger:    {rate: 0.25Hz, depth: 2ms, delay: 1ms, feedback: 50%, mix: 50%, spread: 90}
//   - phaser:     {rate: 0.3Hz, frequency: 800Hz, depth: 50%, stages: 6, feedback: 40%,
//                  mix: 50%, spread: 90}
//   - saturation: {curve: tape | tube | hard, drive: 6dB, output: -3dB, mix: 100%,
//                  oversampling: off | 2x | 4x | 8x | 16x}
// A delay time may be a note value synced to the session's tempo and meter (core/
// note_value.hpp: "1/4", "1/8." dotted, "1/8t" triplet); without `time` the delay is a
// quarter note. Ranges and defaults are the processors' parameters() tables.

#include "engine/processor_factory.hpp"

namespace reel::engine {

/// Adds "delay", "chorus", "flanger", "phaser" and "saturation" to the factory.
void registerEffectsProcessors(ProcessorFactory& factory);

}  // namespace reel::engine
