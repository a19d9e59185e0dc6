#include "analysis/channel_weights.hpp"

#include <cassert>

namespace reel::analysis {

std::array<double, kMaxChannels> bs1770ChannelWeights(int channels) {
    assert(channels >= 1 && channels <= kMaxChannels);
    constexpr double front = 1.0;
    constexpr double side = 1.41;  // BS.1770-4 Table 3, 60° ≤ |θ| ≤ 120°
    constexpr double back = 1.0;   // |θ| > 120°
    constexpr double lfe = 0.0;
    switch (channels) {
        case 1: return {front};
        case 2: return {front, front};
        case 3: return {front, front, front};
        case 4: return {front, front, side, side};
        case 5: return {front, front, front, side, side};
        case 6: return {front, front, front, lfe, side, side};
        case 7: return {front, front, front, lfe, back, side, side};
        default: return {front, front, front, lfe, back, back, side, side};
    }
}

}  // namespace reel::analysis
