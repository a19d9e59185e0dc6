#pragma once
// A parameter value that glides linearly to its target over a fixed time, so automation
// and parameter changes make no zipper noise. Real-time safe.

#include <cstdint>

namespace reel::dsp {

class SmoothedValue {
public:
    /// rampFrames: frames a change takes (e.g. 20 ms at the sample rate).
    void prepare(std::int64_t rampFrames, double value) noexcept {
        rampFrames_ = rampFrames > 0 ? rampFrames : 1;
        setImmediate(value);
    }
    void setImmediate(double value) noexcept {
        current_ = target_ = value;
        remaining_ = 0;
    }
    void setTarget(double value) noexcept { setTarget(value, rampFrames_); }
    /// Glides to `value` over `rampFrames` (≥ 1) frames instead of the prepared time.
    void setTarget(double value, std::int64_t rampFrames) noexcept {
        if (value == target_) return;
        target_ = value;
        remaining_ = rampFrames > 0 ? rampFrames : 1;
        step_ = (target_ - current_) / static_cast<double>(remaining_);
    }
    /// The next frame's value.
    double next() noexcept {
        if (remaining_ == 0) return current_;
        current_ = --remaining_ == 0 ? target_ : current_ + step_;
        return current_;
    }
    /// Advances by n frames at once and returns the value reached (for per-block updates).
    double skip(std::int64_t n) noexcept {
        if (n >= remaining_) {
            remaining_ = 0;
            current_ = target_;
        } else {
            remaining_ -= n;
            current_ += step_ * static_cast<double>(n);
        }
        return current_;
    }
    double current() const noexcept { return current_; }
    double target() const noexcept { return target_; }
    bool isSmoothing() const noexcept { return remaining_ > 0; }

private:
    double current_ = 1.0;
    double target_ = 1.0;
    double step_ = 0.0;
    std::int64_t remaining_ = 0;
    std::int64_t rampFrames_ = 1;
};

}  // namespace reel::dsp
