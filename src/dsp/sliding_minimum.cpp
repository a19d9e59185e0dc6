#include "dsp/sliding_minimum.hpp"

#include <algorithm>

namespace reel::dsp {

void SlidingMinimum::prepare(std::int64_t length) {
    length_ = std::max<std::int64_t>(length, 1);
    ring_.assign(static_cast<std::size_t>(length_) + 1, Entry{0.0, 0});
    reset();
}

void SlidingMinimum::reset() noexcept {
    head_ = 0;
    size_ = 0;
    counter_ = 0;
}

}  // namespace reel::dsp
