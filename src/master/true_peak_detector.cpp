#include "master/true_peak_detector.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/sinc_interpolator.hpp"

namespace reel::master {
namespace {

using analysis::sinc_interpolator::kTaps;
constexpr int kHistory = kTaps - 1;
using analysis::sinc_interpolator::interpolate;
using analysis::sinc_interpolator::kHalves;
using analysis::sinc_interpolator::kQuarters;
using analysis::sinc_interpolator::larger;
using analysis::sinc_interpolator::largestValue;
using analysis::sinc_interpolator::peaksOfFrames;
constexpr std::int64_t kDetectorRun = 64;
constexpr std::int64_t kScanRun = 256;

/// The largest Σ|h| over the phases: no interpolated value exceeds max|x| times this.
constexpr float largestGain() {
    double most = 1.0;
    for (const auto& phase : kQuarters) {
        double sum = 0.0;
        for (float h : phase) sum += h < 0.0f ? -h : h;
        most = sum > most ? sum : most;
    }
    for (const auto& phase : kHalves) {
        double sum = 0.0;
        for (float h : phase) sum += h < 0.0f ? -h : h;
        most = sum > most ? sum : most;
    }
    // +0.01 %: the float sums of 16 products are within ~1e-6 of the exact value.
    return static_cast<float>(most * 1.0001);
}
constexpr float kLargestGain = largestGain();

void framePeaks(const float* __restrict withHistory, float* __restrict out, std::int64_t numFrames) {
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const float* x = withHistory + i;
        float v = std::fabs(x[kTaps / 2]);  // sample i − 7 (kTaps − 1 − 7 = 8)
        v = larger(v, std::fabs(interpolate(x, kQuarters[0])));
        v = larger(v, std::fabs(interpolate(x, kQuarters[1])));
        v = larger(v, std::fabs(interpolate(x, kQuarters[2])));
        out[i] = v;
    }
}

float largestMagnitude(const float* x, std::int64_t n) {
    constexpr int kLanes = 8;
    std::array<float, kLanes> lanes{};
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (int l = 0; l < kLanes; ++l)
            lanes[static_cast<std::size_t>(l)] = larger(lanes[static_cast<std::size_t>(l)], std::fabs(x[i + l]));
    float m = 0.0f;
    for (float lane : lanes) m = larger(m, lane);
    for (; i < n; ++i) m = larger(m, std::fabs(x[i]));
    return m;
}

}  // namespace

Result<void> TruePeakDetector::prepare(const dsp::ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > kMaxChannels || spec.maxBlock < 1)
        return fail(ErrorCode::invalidArgument, "true-peak detector: needs 1 to 8 channels and a positive block size");
    channels_ = spec.channels;
    maxBlock_ = spec.maxBlock;
    scratch_.assign(static_cast<std::size_t>(channels_) * static_cast<std::size_t>(kHistory + maxBlock_), 0.0f);
    framePeaks_.assign(static_cast<std::size_t>(maxBlock_), 0.0f);
    channelPeaks_.assign(static_cast<std::size_t>(maxBlock_), 0.0f);
    window_.assign(static_cast<std::size_t>(2 * kReach + maxBlock_), 0.0f);
    reset();
    return {};
}

void TruePeakDetector::reset() noexcept {
    std::fill(scratch_.begin(), scratch_.end(), 0.0f);
    std::fill(window_.begin(), window_.end(), 0.0f);
    maxPeak_ = 0.0f;
}

int TruePeakDetector::latency() const noexcept { return kTaps / 2 - 1 + kReach; }

void TruePeakDetector::process(AudioView in, float* peaks) noexcept {
    const std::int64_t numFrames = in.numFrames();
    float* m = framePeaks_.data();
    const auto stride = static_cast<std::size_t>(kHistory + maxBlock_);
    for (int c = 0; c < channels_; ++c) {
        float* buffer = scratch_.data() + static_cast<std::size_t>(c) * stride;
        std::copy(in.channel(c), in.channel(c) + numFrames, buffer + kHistory);
        // Output i covers the instants from sample i − 7 to just before i − 6 (the centre of
        // the 16 taps ending at sample i): the sample itself and its three quarter phases.
        // The loop has no dependency between iterations, so GCC vectorizes it.
        if (skipFraction_ <= 0.0f) {
            framePeaks(buffer, channelPeaks_.data(), numFrames);
        } else {
            for (std::int64_t at = 0; at < numFrames; at += kDetectorRun) {
                const std::int64_t n = std::min(kDetectorRun, numFrames - at);
                float* out = channelPeaks_.data() + at;
                const float reach = largestMagnitude(buffer + at, n + kHistory);
                if (reach * kLargestGain > skipFraction_ * maxPeak_) {
                    framePeaks(buffer + at, out, n);
                    maxPeak_ = larger(maxPeak_, largestValue(out, n));
                } else {
                    for (std::int64_t i = 0; i < n; ++i) out[i] = std::fabs(buffer[at + i + kTaps / 2]);
                }
            }
        }
        const float* v = channelPeaks_.data();
        if (c == 0) std::copy(v, v + numFrames, m);
        else
            for (std::int64_t i = 0; i < numFrames; ++i) m[i] = larger(m[i], v[i]);  // NaN never wins
        std::copy(buffer + numFrames, buffer + numFrames + kHistory, buffer);
    }
    // The maximum over the last 2·kReach + 1 values of m, history included: a fixed-width
    // window this short is cheapest as plain comparisons, which vectorize.
    constexpr int kWidth = 2 * kReach + 1;
    float* h = window_.data();
    std::copy(m, m + numFrames, h + kWidth - 1);
    for (std::int64_t i = 0; i < numFrames; ++i) {
        float v = h[i];
        for (int k = 1; k < kWidth; ++k) v = larger(v, h[i + k]);
        peaks[i] = v;
    }
    std::copy(h + numFrames, h + numFrames + kWidth - 1, h);
    float highest = maxPeak_;
    for (std::int64_t i = 0; i < numFrames; ++i) highest = larger(highest, m[i]);
    maxPeak_ = highest;
}

void CachedPeakDetector::process(AudioView in, float* peaks) noexcept {
    const std::int64_t numFrames = in.numFrames();
    float highest = maxPeak_;
    for (std::int64_t i = 0; i < numFrames; ++i) {
        peaks[i] = source_[i] * gain_;
        highest = larger(highest, peaks[i]);
    }
    maxPeak_ = highest;
    source_ += numFrames;
}

int CachedPeakDetector::latency() const noexcept { return kTaps / 2 - 1 + TruePeakDetector::kReach; }

TruePeakScan::TruePeakScan(SampleRate rate, int channels)
    : channels_(channels),
      oversampling_(rate.value < 96000.0 ? 4 : rate.value < 192000.0 ? 2 : 1),
      scratch_(static_cast<std::size_t>(channels) * static_cast<std::size_t>(kHistory + kChunk), 0.0f),
      runPeaks_(static_cast<std::size_t>(kScanRun), 0.0f) {}

void TruePeakScan::process(AudioView audio) noexcept {
    for (std::int64_t start = 0; start < audio.numFrames(); start += kChunk) {
        const std::int64_t n = std::min(kChunk, audio.numFrames() - start);
        for (int c = 0; c < channels_; ++c) {
            float* buffer = scratch_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(kHistory + kChunk);
            std::copy(audio.channel(c) + start, audio.channel(c) + start + n, buffer + kHistory);
            float& peak = peaks_[static_cast<std::size_t>(c)];
            for (std::int64_t at = 0; at < n; at += kScanRun) {
                const std::int64_t len = std::min(kScanRun, n - at);
                // Every value a run's frames evaluate is a sample or an interpolation of the
                // 16 samples ending at that frame: all within [at, at + len + 15) of buffer.
                if (largestMagnitude(buffer + at, len + kHistory) * kLargestGain <= peak) continue;
                switch (oversampling_) {
                    case 4: peaksOfFrames<4>(buffer + at, runPeaks_.data(), len); break;
                    case 2: peaksOfFrames<2>(buffer + at, runPeaks_.data(), len); break;
                    default: peaksOfFrames<1>(buffer + at, runPeaks_.data(), len); break;
                }
                peak = larger(peak, largestValue(runPeaks_.data(), len));
            }
            std::copy(buffer + n, buffer + n + kHistory, buffer);
        }
    }
}

std::optional<Decibels> TruePeakScan::truePeakDbtp() const noexcept {
    float peak = 0.0f;
    for (int c = 0; c < channels_; ++c) peak = larger(peak, peaks_[static_cast<std::size_t>(c)]);
    if (!(peak > 0.0f)) return std::nullopt;
    return Decibels{20.0 * std::log10(static_cast<double>(peak))};
}

}  // namespace reel::master
