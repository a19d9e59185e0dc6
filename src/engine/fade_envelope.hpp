#pragma once
// The gain envelope of a clip: clip gain times its fade-in and fade-out curves.
//
// Frame k of a clip of L frames (k = 0 is its first frame):
//   fade-in  of F frames, k <  F:      u = k / F
//   fade-out of G frames, k >= L - G:  u = (L - 1 - k) / G
//   linear: g = u;  equal-power: g = sin(u · π/2)
// so a fade-in starts at exactly 0 and a fade-out ends at exactly 0, and a linear fade-out
// mirrors a linear fade-in frame by frame. Equal-power curves keep the summed power of a
// crossfade constant (sin² + cos² = 1).

#include <cstdint>

#include "session/session.hpp"

namespace reel::engine {

class FadeEnvelope {
public:
    FadeEnvelope() = default;
    FadeEnvelope(double clipGain, std::int64_t clipFrames, std::int64_t fadeInFrames, session::FadeCurve fadeInCurve,
                 std::int64_t fadeOutFrames, session::FadeCurve fadeOutCurve);

    /// Multiplies numFrames samples of x, which are clip frames [first, first + numFrames).
    void apply(float* x, std::int64_t first, std::int64_t numFrames) const noexcept;
    /// True if apply() leaves clip frames [first, first + numFrames) as they are: unity clip
    /// gain and no fade over them (so a caller may skip it, or decode straight into place).
    bool leavesUnchanged(std::int64_t first, std::int64_t numFrames) const noexcept {
        return gain_ == 1.0 && first >= fadeInFrames_ && first + numFrames <= clipFrames_ - fadeOutFrames_;
    }
    /// The gain at one clip frame (for tests and previews).
    double gainAt(std::int64_t frame) const noexcept;

private:
    double gain_ = 1.0;
    std::int64_t clipFrames_ = 0;
    std::int64_t fadeInFrames_ = 0;
    std::int64_t fadeOutFrames_ = 0;
    session::FadeCurve fadeInCurve_ = session::FadeCurve::linear;
    session::FadeCurve fadeOutCurve_ = session::FadeCurve::linear;
};

}  // namespace reel::engine
