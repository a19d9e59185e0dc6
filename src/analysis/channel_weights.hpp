#pragma once
// BS.1770 channel weights for the channel orders audio files use.
//
// ITU-R BS.1770-4 Annex 1, Table 3: a channel's mean square is weighted by Gᵢ = 1.0 for
// loudspeakers in front (|azimuth| < 60°), 1.41 (≈ +1.5 dB) for those at the sides
// (60°–120°), 1.0 behind (> 120°); the LFE channel is not measured (weight 0).
// Orders are the WAV / libsndfile defaults (Microsoft's channel-mask order):
//   1: M            2: L R          3: L R C           4: L R Ls Rs
//   5: L R C Ls Rs  6: L R C LFE Ls Rs                 7: L R C LFE Cs Ls Rs
//   8: L R C LFE Lb Rb Ls Rs
// For 1–6 channels this is the mapping libebur128 applies by default (4 channels counted as
// quadraphonic surrounds at 1.41), so results compare one to one.

#include <array>

#include "core/audio_buffer.hpp"

namespace reel::analysis {

/// Weight of each channel (unused entries 0) for a file with `channels` channels (1–8).
std::array<double, kMaxChannels> bs1770ChannelWeights(int channels);

}  // namespace reel::analysis
