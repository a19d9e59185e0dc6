#include "dsp/moving_average.hpp"

#include <algorithm>

namespace reel::dsp {

void MovingAverage::prepare(std::int64_t length) {
    ring_.assign(static_cast<std::size_t>(std::max<std::int64_t>(length, 1)), 0.0);
    length_ = static_cast<double>(ring_.size());
    reset();
}

void MovingAverage::reset(double value) noexcept {
    std::fill(ring_.begin(), ring_.end(), value);
    index_ = 0;
    recompute();
}

void MovingAverage::recompute() noexcept {
    double sum = 0.0;
    for (double x : ring_) sum += x;
    sum_ = sum;
}

}  // namespace reel::dsp
