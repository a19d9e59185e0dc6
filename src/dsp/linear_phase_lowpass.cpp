#include "dsp/linear_phase_lowpass.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::dsp {

void LinearPhaseLowpass::prepare(int channels, int halfLength) {
    halfLength_ = std::max(halfLength, 1);
    channels_ = std::max(channels, 1);
    const std::size_t length = static_cast<std::size_t>(2 * halfLength_ + 1);
    padded_ = (length + 7) / 8 * 8;
    taps_.assign(padded_, 0.0f);
    window_.assign(padded_, 0.0f);
    // Taps sit at the end of the padded kernel so the newest input meets the last tap.
    const std::size_t first = padded_ - length;
    for (std::size_t k = 0; k < length; ++k) {
        const double phase = 2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(length - 1);
        window_[first + k] = static_cast<float>(0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2.0 * phase));
    }
    histories_.assign(static_cast<std::size_t>(channels_) * 2 * padded_, 0.0f);
    write_.assign(static_cast<std::size_t>(channels_), 0);
    // A usable kernel before setCutoff(): a pure delay (everything is "low").
    taps_[padded_ - 1 - static_cast<std::size_t>(halfLength_)] = 1.0f;
}

void LinearPhaseLowpass::setCutoff(double hz, double sampleRate) noexcept {
    const double fc = std::clamp(hz, 1e-6 * sampleRate, 0.49 * sampleRate) / sampleRate;  // cycles per sample
    const std::size_t length = static_cast<std::size_t>(2 * halfLength_ + 1);
    const std::size_t first = padded_ - length;
    double sum = 0.0;
    for (std::size_t k = 0; k < length; ++k) {
        const double n = static_cast<double>(k) - static_cast<double>(halfLength_);
        const double sinc = n == 0.0 ? 2.0 * fc : std::sin(2.0 * std::numbers::pi * fc * n) / (std::numbers::pi * n);
        const double tap = sinc * window_[first + k];
        taps_[first + k] = static_cast<float>(tap);
        sum += static_cast<double>(static_cast<float>(tap));
    }
    // Unity gain at DC, so a steady low tone passes the low band whole.
    for (std::size_t k = first; k < padded_; ++k) taps_[k] = static_cast<float>(taps_[k] / sum);
}

void LinearPhaseLowpass::reset() noexcept {
    std::fill(histories_.begin(), histories_.end(), 0.0f);
    std::fill(write_.begin(), write_.end(), std::size_t{0});
}

}  // namespace reel::dsp
