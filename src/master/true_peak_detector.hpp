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

#include <array>
#include <optional>
#include <vector>

#include "core/units.hpp"

#include "dsp/peak_detector.hpp"

namespace reel::master {

class TruePeakDetector final : public dsp::PeakDetector {
public:
    static constexpr int kReach = 8;  // frames either side whose peaks a frame inherits

    [[nodiscard]] Result<void> prepare(const dsp::ProcessSpec& spec) override;
    /// Skips the oversampling where it cannot matter (0, the default: never): a run of 64
    /// frames is interpolated only if max|x| over its 16-tap reach, times the interpolator's
    /// largest gain Σ|h|, could exceed `fraction` × the highest peak seen so far. Skipped
    /// frames report their own |x| (never more than the truth). The mastering loop sets
    /// fraction = the intensity's limiting allowance + 1 dB below the highest peak: no frame
    /// that quiet can need limiting at any drive the loop accepts (master_file.cpp), and
    /// maxPeak() stays exact, since a skipped run cannot raise it.
    void setSkipFraction(float fraction) noexcept { skipFraction_ = fraction; }
    void process(AudioView in, float* peaks) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override;
    /// The highest inter-sample peak seen since prepare() or reset(), linear.
    float maxPeak() const noexcept { return maxPeak_; }

private:
    float maxPeak_ = 0.0f;
    float skipFraction_ = 0.0f;
    int channels_ = 0;
    std::int64_t maxBlock_ = 0;
    std::vector<float> scratch_;     // per channel: 15 samples of history, then the block
    std::vector<float> framePeaks_;  // m[j] of the block
    std::vector<float> channelPeaks_;  // one channel's part of m
    std::vector<float> window_;      // 2·kReach values of m from before the block, then the block's
};

/// A detector that replays peaks computed earlier by a TruePeakDetector (same latency),
/// scaled by a gain: the mastering loop detects the pre-limiter signal's peaks once, caches
/// them beside the audio, and every later limiter pass (drive × signal) reuses them, since
/// the peak of g·x is g times the peak of x. setSource() before each process() call.
class CachedPeakDetector final : public dsp::PeakDetector {
public:
    [[nodiscard]] Result<void> prepare(const dsp::ProcessSpec&) override { return {}; }
    /// The next process() call reads numFrames peaks from `peaks`, times `gain`.
    void setSource(const float* peaks, float gain) noexcept {
        source_ = peaks;
        gain_ = gain;
    }
    void process(AudioView in, float* peaks) noexcept override;
    void reset() noexcept override { maxPeak_ = 0.0f; }
    int latency() const noexcept override;
    /// The highest peak passed on since reset(), linear (after the gain).
    float maxPeak() const noexcept { return maxPeak_; }

private:
    const float* source_ = nullptr;
    float gain_ = 1.0f;
    float maxPeak_ = 0.0f;
};

/// The true peak of a stream, exactly as analysis::TruePeakMeter measures it (same
/// interpolator, same instants, same float arithmetic), but cheaper: a run of 256 frames is
/// interpolated only if its largest sample (over the run and the 15 before it) times the
/// interpolator's largest gain Σ|h| (+0.01 % for float rounding) could beat the channel's
/// peak so far; a run that cannot raise a maximum does not change it. On music the peak is
/// found early and most runs are skipped. Tested equal to TruePeakMeter.
class TruePeakScan {
public:
    TruePeakScan(SampleRate rate, int channels);
    void process(AudioView audio) noexcept;
    /// Highest true peak over all channels (dBTP); nullopt while all was digital silence.
    std::optional<Decibels> truePeakDbtp() const noexcept;
    float truePeak(int channel) const noexcept { return peaks_[static_cast<std::size_t>(channel)]; }

private:
    static constexpr std::int64_t kChunk = 2048;
    int channels_ = 0;
    int oversampling_ = 4;
    std::array<float, kMaxChannels> peaks_{};
    std::vector<float> scratch_;
    std::vector<float> runPeaks_;
};

}  // namespace reel::master
