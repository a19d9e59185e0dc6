#pragma once
// Pan laws: how a pan position in [-1, +1] becomes left and right gains.
//
// Mono sources use the constant-power (sine/cosine) law, -3 dB at centre: the two gains'
// squares always sum to 1, so a source keeps its loudness as it moves across the image.
// Stereo sources use a balance control built on the same curve but normalised to unity at
// centre: centre leaves both sides untouched, moving right fades the left side out with the
// cosine curve (and vice versa), and the near side never goes above unity.

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::dsp {

struct PanGains {
    double left = 1.0;
    double right = 1.0;
};

/// Constant-power mono pan: pan -1 = (1, 0), 0 = (0.7071, 0.7071), +1 = (0, 1).
inline PanGains monoPanGains(double pan) {
    // cos θ written as sin(π/2 − θ), so a hard pan gives an exact 0 on the far side.
    const double p = std::clamp(pan, -1.0, 1.0);
    return {std::sin((1.0 - p) * std::numbers::pi / 4.0), std::sin((1.0 + p) * std::numbers::pi / 4.0)};
}

/// Stereo balance: pan 0 = (1, 1); +1 = (0, 1); -1 = (1, 0); +0.5 = (0.7654, 1).
inline PanGains stereoBalanceGains(double pan) {
    PanGains mono = monoPanGains(pan);
    return {std::min(1.0, std::numbers::sqrt2 * mono.left), std::min(1.0, std::numbers::sqrt2 * mono.right)};
}

}  // namespace reel::dsp
