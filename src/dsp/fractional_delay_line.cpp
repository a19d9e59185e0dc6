#include "dsp/fractional_delay_line.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

namespace reel::dsp {

void FractionalDelayLine::prepare(std::int64_t maxDelayFrames) {
    maxDelay_ = std::max<double>(kMinDelay, static_cast<double>(maxDelayFrames));
    // Room for the farthest tap (delay + 2) and a power-of-two size so wrapping is a mask.
    const auto size = std::bit_ceil(static_cast<std::size_t>(maxDelay_) + 4);
    buffer_.assign(size, 0.0f);
    mask_ = size - 1;
    writeIndex_ = 0;
}

void FractionalDelayLine::reset() noexcept {
    std::fill(buffer_.begin(), buffer_.end(), 0.0f);
    writeIndex_ = 0;
}

std::complex<double> FractionalDelayLine::response(double delayFrames, double frequencyHz, double sampleRate) noexcept {
    const double d = std::max(kMinDelay, delayFrames);
    const double whole = std::floor(d);
    const auto w = lagrangeWeights(d - whole);
    const double omega = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
    std::complex<double> sum = 0.0;
    for (int i = 0; i < 4; ++i) sum += w[static_cast<std::size_t>(i)] * std::polar(1.0, -omega * (whole - 1.0 + i));
    return sum;
}

}  // namespace reel::dsp
