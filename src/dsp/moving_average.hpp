#pragma once
// The mean of the last N values pushed (a boxcar FIR of length N, gain 1), in O(1) a value.
//
// A running sum adds the newest value and subtracts the oldest. Rounding makes a running sum
// drift (and lets a sum of squares go slightly negative or stay non-zero after the input has
// been silent for a whole window), so every N pushes, when the ring wraps, the sum is
// recomputed exactly from the ring: O(1) amortised, no drift, and silence gives exactly 0.
// The recomputation happens at a fixed phase of the stream, so the output does not depend
// on how the caller splits it into blocks.
//
// Used by the RMS level detector (mean of squares) and the limiter's gain smoothing.
// prepare() allocates; push() and reset() are real-time safe.

#include <cstdint>
#include <vector>

namespace reel::dsp {

class MovingAverage {
public:
    /// Allocates a window of `length` ≥ 1 values (clamped to 1) and clears it.
    void prepare(std::int64_t length);
    /// Fills the window with `value` (zeros by default), as if it had been pushed forever.
    void reset(double value = 0.0) noexcept;
    std::int64_t length() const noexcept { return static_cast<std::int64_t>(ring_.size()); }

    /// Pushes one value and returns the mean of the last length() values (zeros before the
    /// window has filled).
    double push(double x) noexcept {
        double& slot = ring_[index_];
        sum_ += x - slot;
        slot = x;
        if (++index_ == ring_.size()) {
            index_ = 0;
            recompute();
        }
        return sum_ / length_;  // a division, so a window of equal values gives that value exactly
    }

private:
    void recompute() noexcept;

    std::vector<double> ring_ = std::vector<double>(1, 0.0);
    std::size_t index_ = 0;
    double sum_ = 0.0;
    double length_ = 1.0;
};

}  // namespace reel::dsp
