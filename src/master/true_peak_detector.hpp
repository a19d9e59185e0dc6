#pragma once
// A true-peak detector for dsp::Limiter: reports, for every frame, the highest inter-sample
// peak the 4× oversampled signal reaches anywhere within ±8 frames of it.
//
// Why it exists: dsp::Limiter is a sample-peak limiter with a swappable detector
// (dsp/peak_detector.hpp); with this detector the same limiter keeps the *true* peak
// (ITU-R BS.1770-4 Annex 2) under its ceiling, which is what delivery specifications limit
// (EBU R 128, ATSC A/85, AES TD1008). It lives in master/ because it shares its interpolator
// with analysis::TruePeakMeter (analysis/sinc_interpolator.hpp): the limiter then sees exactly
// the peaks the verification meter will measure.
//
// Method: for each frame j, m[j] = max over channels of |x[j]| and the three interpolated
// values at j + ¼, j + ½, j + ¾ (16-tap Kaiser-windowed sinc phases). The interpolated value
// at an instant t depends on the 16 samples around t; when the limiter turns those samples
// down by different amounts, the peak at t is no longer simply scaled. Reporting for frame n
// the maximum of m over [n − 8, n + 8] makes the limiter turn every sample that shapes a peak
// down by at least what that peak needs, so the limited peak stays under the ceiling up to
// the (small) curvature of the gain across 16 frames. The mastering loop measures the
// written file and lowers the ceiling in the rare case that residue shows.
// Latency: 7 frames (the interpolator centre) + 8 (the look-ahead of the ±8 window) = 15.
// Threads: prepare() off the audio thread; process() and reset() real-time safe.

#include <vector>

#include "dsp/peak_detector.hpp"

namespace reel::master {

class TruePeakDetector final : public dsp::PeakDetector {
public:
    static constexpr int kReach = 8;  // frames either side whose peaks a frame inherits

    [[nodiscard]] Result<void> prepare(const dsp::ProcessSpec& spec) override;
    void process(AudioView in, float* peaks) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override;
    /// The highest inter-sample peak seen since prepare() or reset(), linear.
    float maxPeak() const noexcept { return maxPeak_; }

private:
    float maxPeak_ = 0.0f;
    int channels_ = 0;
    std::int64_t maxBlock_ = 0;
    std::vector<float> scratch_;     // per channel: 15 samples of history, then the block
    std::vector<float> framePeaks_;  // m[j] of the block
    std::vector<float> channelPeaks_;  // one channel's part of m
    std::vector<float> window_;      // 2·kReach values of m from before the block, then the block's
};

}  // namespace reel::master
