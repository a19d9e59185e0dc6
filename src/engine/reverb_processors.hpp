#pragma once
// Creators for the reverb family: the algorithmic reverb and the convolution reverb.
//
// Session syntax (mix may be a percentage, "30%", or a plain ratio, 0.3):
//   - reverb:      {size: 0.7, decay: 2.2s, damping: 0.5, predelay: 20ms, width: 1.0, mix: 30%}
//   - convolution: {ir: irs/hall.wav, mix: 30%, predelay: 0ms, gain: 0dB}
// reverb: size 0..1 (default 0.5); decay 0.1s..20s (T60; default from the size,
// 0.5 s + 3.5 s·size²); damping 0..1 (0.5); predelay 0..500ms (0); width 0..1 (1); mix 0..100 %.
// convolution: ir is required, a mono or stereo audio file, relative to the session file's
// folder (or absolute), resampled to the session's rate on loading, at most 60 s long;
// mix 0..100 %; predelay 0..500ms (0); gain -60dB..+24dB (0dB).
// Mix defaults to 100 % for a reverb in a bus's chain (the send-bus convention: the bus
// returns only the reverb) and to 30 % anywhere else (an insert on a track or the master).

#include "engine/processor_factory.hpp"

namespace reel::engine {

/// Adds "reverb" and "convolution" to the factory.
void registerReverbProcessors(ProcessorFactory& factory);

}  // namespace reel::engine
