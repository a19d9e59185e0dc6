#pragma once
// A gain that glides to its target instead of jumping, so changes make no zipper noise.
//
// The ramp is linear in amplitude over a fixed time (default 20 ms), recomputed per block;
// once the target is reached, applying it is a plain multiply. Real-time safe.

#include <cmath>
#include <cstdint>

#include "core/audio_buffer.hpp"

namespace reel::dsp {

class SmoothedGain {
public:
    /// rampFrames: how many frames a change takes (e.g. 20 ms at the session rate).
    void prepare(std::int64_t rampFrames) noexcept { rampFrames_ = rampFrames > 0 ? rampFrames : 1; }
    /// Jumps to a value with no ramp (at prepare/reset time).
    void setImmediate(double gain) noexcept {
        current_ = target_ = gain;
        step_ = 0.0;
        remaining_ = 0;
    }
    /// Starts a ramp from the current value to `gain`.
    void setTarget(double gain) noexcept {
        if (gain == target_) return;
        target_ = gain;
        remaining_ = rampFrames_;
        step_ = (target_ - current_) / static_cast<double>(rampFrames_);
    }
    double target() const noexcept { return target_; }
    bool isSmoothing() const noexcept { return remaining_ > 0; }

    /// Multiplies every channel of a block by the gain, ramping where a change is under way.
    void apply(AudioView io) noexcept {
        const std::int64_t numFrames = io.numFrames();
        const std::int64_t ramp = remaining_ < numFrames ? remaining_ : numFrames;
        const float steady = static_cast<float>(ramp == remaining_ ? target_ : current_ + step_ * static_cast<double>(ramp));
        for (int c = 0; c < io.numChannels(); ++c) {
            float* x = io.channel(c);
            double g = current_;
            for (std::int64_t i = 0; i < ramp; ++i) {
                g += step_;
                x[i] = static_cast<float>(x[i] * g);
            }
            if (steady != 1.0f)
                for (std::int64_t i = ramp; i < numFrames; ++i) x[i] *= steady;
        }
        remaining_ -= ramp;
        current_ = remaining_ == 0 ? target_ : current_ + step_ * static_cast<double>(ramp);
    }

private:
    double current_ = 1.0;
    double target_ = 1.0;
    double step_ = 0.0;
    std::int64_t remaining_ = 0;
    std::int64_t rampFrames_ = 960;
};

}  // namespace reel::dsp
