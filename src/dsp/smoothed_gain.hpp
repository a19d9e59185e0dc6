#pragma once
// A gain that glides to its target instead of jumping, so changes make no zipper noise.
//
// The ramp is linear in amplitude over a fixed time (SmoothedValue), the same on every
// channel of a block; once the target is reached, applying it is a plain multiply.
// Real-time safe.

#include <cstdint>

#include "core/audio_buffer.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class SmoothedGain {
public:
    /// rampFrames: how many frames a change takes (e.g. 20 ms at the session rate).
    void prepare(std::int64_t rampFrames) noexcept { value_.prepare(rampFrames, value_.target()); }
    /// Jumps to a value with no ramp (at prepare/reset time).
    void setImmediate(double gain) noexcept { value_.setImmediate(gain); }
    /// Starts a ramp from the current value to `gain`.
    void setTarget(double gain) noexcept { value_.setTarget(gain); }
    double target() const noexcept { return value_.target(); }
    bool isSmoothing() const noexcept { return value_.isSmoothing(); }

    /// Multiplies every channel of a block by the gain, ramping where a change is under way.
    void apply(AudioView io) noexcept {
        if (!value_.isSmoothing()) {
            const float g = static_cast<float>(value_.current());
            if (g == 1.0f) return;
            for (int c = 0; c < io.numChannels(); ++c) {
                float* x = io.channel(c);
                for (std::int64_t i = 0; i < io.numFrames(); ++i) x[i] *= g;
            }
            return;
        }
        for (int c = 0; c < io.numChannels(); ++c) {
            SmoothedValue ramp = value_;  // every channel walks the same ramp
            float* x = io.channel(c);
            for (std::int64_t i = 0; i < io.numFrames(); ++i) x[i] = static_cast<float>(x[i] * ramp.next());
        }
        value_.skip(io.numFrames());
    }

private:
    SmoothedValue value_{};
};

}  // namespace reel::dsp
