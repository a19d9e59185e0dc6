#pragma once
// Creators for the tone family of the session's chains: `eq` and `stereo`.
//
//   - eq: {highpass: 80Hz, highpass_slope: 24dB, lowpass: 18kHz,
//          bands: [{bell: 3kHz, gain: 2dB, q: 1.0}, {low_shelf: 120Hz, gain: -2dB},
//                  {high_pass: 30Hz, slope: 24dB}, {notch: 60Hz, q: 8}]}
//   - stereo: {width: 1.2, mid_side: 0, mono_below: 120Hz, balance: 0}
//
// Errors name the line and, for bands, the band: "song.yaml:7:20: eq band 2: gain \"30dB\"
// is out of range; expected -24dB to 24dB". Unknown names get the closest known one.

#include "engine/processor_factory.hpp"

namespace reel::engine {

/// Adds "eq" (dsp::Equalizer) and "stereo" (dsp::StereoTool) to the factory.
void registerToneProcessors(ProcessorFactory& factory);

}  // namespace reel::engine
