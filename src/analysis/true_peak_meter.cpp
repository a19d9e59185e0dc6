#include "analysis/true_peak_meter.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "analysis/sinc_interpolator.hpp"

namespace reel::analysis {
namespace {

using sinc_interpolator::kTaps;
static_assert(kTaps - 1 == 15, "InterpolatedPeaks::kHistory must be kTaps - 1");
static_assert(kTaps / 2 - 1 == InterpolatedPeaks::kDelayFrames, "InterpolatedPeaks::kDelayFrames must be kTaps / 2 - 1");

constexpr auto kQuarters = sinc_interpolator::design<4>();  // phases at 1/4, 1/2, 3/4
constexpr auto kHalves = sinc_interpolator::design<2>();    // the phase at 1/2

// One interpolated value: x[kTaps − 1] is sample i, x[kTaps − 1 − k] sample i − k, and the
// value estimates the signal kTaps/2 − 1 samples back plus the phase's fraction.
inline float interpolate(const float* x, const std::array<float, kTaps>& h) {
    float y = 0.0f;
    for (int k = 0; k < kTaps; ++k) y += h[static_cast<std::size_t>(k)] * x[kTaps - 1 - k];
    return y;
}

inline float larger(float a, float b) { return b > a ? b : a; }

// Writes, per input frame, the largest magnitude among the sample and the selected phases.
// Kept free of cross-iteration dependencies so GCC vectorizes the loop over frames.
template <int Factor>
void peaksOfFrames(const float* __restrict withHistory, float* __restrict out, std::int64_t numFrames) {
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const float* x = withHistory + i;
        float m = std::fabs(x[kTaps - 1]);
        if constexpr (Factor == 4) {
            m = larger(m, std::fabs(interpolate(x, kQuarters[0])));
            m = larger(m, std::fabs(interpolate(x, kQuarters[1])));
            m = larger(m, std::fabs(interpolate(x, kQuarters[2])));
        } else if constexpr (Factor == 2) {
            m = larger(m, std::fabs(interpolate(x, kHalves[0])));
        }
        out[i] = m;
    }
}

// The maximum of an array, in 8 independent lanes so the comparison vectorizes.
float maximum(const float* values, std::int64_t n) {
    constexpr int kLanes = 8;
    std::array<float, kLanes> lanes{};
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l)
            lanes[static_cast<std::size_t>(l)] = larger(lanes[static_cast<std::size_t>(l)], values[i + l]);
    float m = 0.0f;
    for (float lane : lanes) m = larger(m, lane);
    for (; i < n; ++i) m = larger(m, values[i]);
    return m;
}

}  // namespace

InterpolatedPeaks::InterpolatedPeaks(SampleRate rate, int channels)
    : oversampling_(rate.value < 96000.0 ? 4 : rate.value < 192000.0 ? 2 : 1),
      scratch_(static_cast<std::size_t>(channels) * static_cast<std::size_t>(kHistory + kChunk), 0.0f) {
    assert(channels >= 1 && channels <= kMaxChannels);
}

void InterpolatedPeaks::reset() noexcept { std::fill(scratch_.begin(), scratch_.end(), 0.0f); }

void InterpolatedPeaks::framePeaks(int channel, const float* in, std::int64_t n, float* out) noexcept {
    assert(n <= kChunk);
    float* buffer = scratch_.data() + static_cast<std::size_t>(channel) * static_cast<std::size_t>(kHistory + kChunk);
    std::copy(in, in + n, buffer + kHistory);
    switch (oversampling_) {
        case 4: peaksOfFrames<4>(buffer, out, n); break;
        case 2: peaksOfFrames<2>(buffer, out, n); break;
        default: peaksOfFrames<1>(buffer, out, n); break;
    }
    // The last kHistory samples become the next chunk's history (moving left, so std::copy is
    // safe even when the ranges overlap).
    std::copy(buffer + n, buffer + n + kHistory, buffer);
}

TruePeakMeter::TruePeakMeter(SampleRate rate, int channels)
    : channels_(channels), interpolated_(rate, channels), chunkPeaks_(static_cast<std::size_t>(InterpolatedPeaks::kChunk), 0.0f) {}

void TruePeakMeter::reset() noexcept {
    peaks_ = {};
    interpolated_.reset();
}

void TruePeakMeter::process(AudioView audio) noexcept {
    assert(audio.numChannels() == channels_);
    for (std::int64_t start = 0; start < audio.numFrames(); start += InterpolatedPeaks::kChunk) {
        const std::int64_t n = std::min(InterpolatedPeaks::kChunk, audio.numFrames() - start);
        for (int c = 0; c < channels_; ++c) {
            interpolated_.framePeaks(c, audio.channel(c) + start, n, chunkPeaks_.data());
            float& peak = peaks_[static_cast<std::size_t>(c)];
            peak = larger(peak, maximum(chunkPeaks_.data(), n));
        }
    }
}

std::optional<Decibels> TruePeakMeter::truePeakDbtp() const noexcept {
    float peak = 0.0f;
    for (int c = 0; c < channels_; ++c) peak = larger(peak, peaks_[static_cast<std::size_t>(c)]);
    if (!(peak > 0.0f)) return std::nullopt;
    return Decibels{20.0 * std::log10(static_cast<double>(peak))};
}

}  // namespace reel::analysis
