#pragma once
// The minimum of the last N values pushed, in O(1) amortised time a value.
//
// A monotonic queue (the "ascending minima" algorithm; e.g. Lemire, "Streaming maximum-
// minimum filter using no more than three comparisons per element", Nordic J. Computing
// 13(4), 2006): the queue holds only values that can still become the window's minimum, in
// increasing order, so the front is the minimum and each value is added and removed once.
// Storage is a ring of N + 1 entries allocated in prepare(); push() and reset() are
// real-time safe. The limiter uses it as the peak hold of its gain.

#include <cstdint>
#include <vector>

namespace reel::dsp {

class SlidingMinimum {
public:
    /// Allocates a window of `length` ≥ 1 values and clears it.
    void prepare(std::int64_t length);
    /// Forgets every value: the window is empty (the next push is its own minimum).
    void reset() noexcept;
    std::int64_t length() const noexcept { return length_; }

    /// Pushes one value; returns the minimum of it and the length() − 1 values before it.
    double push(double x) noexcept {
        // Values not smaller than x can never be the minimum again while x is in the window.
        while (size_ > 0 && ring_[at(size_ - 1)].value >= x) --size_;
        ring_[at(size_)] = {x, counter_};
        ++size_;
        if (ring_[head_].index <= counter_ - length_) {  // the front has left the window
            head_ = head_ + 1 == ring_.size() ? 0 : head_ + 1;
            --size_;
        }
        ++counter_;
        return ring_[head_].value;
    }

private:
    struct Entry {
        double value;
        std::int64_t index;
    };
    std::size_t at(std::size_t offset) const noexcept {
        const std::size_t i = head_ + offset;
        return i >= ring_.size() ? i - ring_.size() : i;
    }

    std::vector<Entry> ring_ = std::vector<Entry>(2, Entry{0.0, 0});
    std::size_t head_ = 0;
    std::size_t size_ = 0;
    std::int64_t counter_ = 0;
    std::int64_t length_ = 1;
};

}  // namespace reel::dsp
