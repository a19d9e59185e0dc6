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

using sinc_interpolator::larger;
using sinc_interpolator::largestValue;
using sinc_interpolator::peaksOfFrames;

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
            peak = larger(peak, largestValue(chunkPeaks_.data(), n));
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
