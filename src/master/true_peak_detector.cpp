#include "master/true_peak_detector.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/sinc_interpolator.hpp"

namespace reel::master {
namespace {

using analysis::sinc_interpolator::kTaps;
constexpr int kHistory = kTaps - 1;
constexpr auto kQuarters = analysis::sinc_interpolator::design<4>();

inline float interpolate(const float* x, const std::array<float, kTaps>& h) {
    float y = 0.0f;
    for (int k = 0; k < kTaps; ++k) y += h[static_cast<std::size_t>(k)] * x[kTaps - 1 - k];
    return y;
}

inline float larger(float a, float b) { return b > a ? b : a; }

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
        framePeaks(buffer, channelPeaks_.data(), numFrames);
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

}  // namespace reel::master
