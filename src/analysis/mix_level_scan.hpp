#pragma once
// The sample-level family of mix-report detectors: clipping, inter-sample overs, DC offset,
// leading and trailing silence; and the per-100 ms peaks the dynamics detectors use.
//
// Streaming, one pass, in frame order; memory is fixed (a 2 k-frame scratch per channel, a
// bounded timeline and bounded range lists). Conventions and thresholds (docs/mix-report.md):
//  - clipping: a run of at least 3 consecutive samples of one channel at |x| ≥ 0.9999
//    (-0.0009 dBFS, which catches the top code of 16- and 24-bit files). Three consecutive
//    full-scale samples is the "over" criterion digital peak meters have long used (e.g. the
//    Sony PCM-1630 over indicator, as described in Katz, "Mastering Audio", 2nd ed., 2007,
//    ch. 5); one or two may be a limiter touching full scale. Floating-point samples beyond
//    full scale count too: they clip as soon as the file is converted to fixed point;
//  - inter-sample overs: frames whose 4× interpolated value (the true-peak interpolator of
//    InterpolatedPeaks of true_peak_meter.hpp, the instants TruePeakMeter evaluates) exceeds 1.0 (0 dBTP),
//    away from clipped runs (there the clipping is the issue; the overshoot around a flat top
//    is its consequence);
//  - DC offset: each channel's mean, over the whole file and over 3 s windows;
//  - silence: the first and last frame with any sample at or above -60 dBFS.
// Threads: one at a time per instance; process() does not allocate.

#include <array>
#include <cstdint>
#include <vector>

#include "analysis/mix_issue.hpp"
#include "analysis/mix_timeline.hpp"
#include "analysis/true_peak_meter.hpp"
#include "core/audio_buffer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

class LevelScan {
public:
    /// What one 100 ms tick holds.
    struct Tick {
        float samplePeak = 0.0f;              // max |x| over channels
        float truePeak = 0.0f;                // max 4× interpolated |x| (linear)
        std::array<float, kMaxChannels> sums{};  // per channel Σx, for DC
        float frames = 0.0f;
        static Tick merge(const Tick& a, const Tick& b) noexcept;
    };

    static constexpr float kClipLevel = 0.9999f;
    static constexpr int kClipRunSamples = 3;
    static constexpr float kAudibleLevel = 0.001f;  // -60 dBFS

    /// Prepares for a rate and 1 … kMaxChannels channels; ticks of mixTickFrames(rate).
    LevelScan(SampleRate rate, int channels);

    /// Scans the next frames of the stream.
    void process(AudioView audio) noexcept;
    /// Closes open runs and the last tick; call once after the last process().
    void finish();

    const MixTimeline<Tick>& ticks() const noexcept { return ticks_; }
    std::int64_t tickFrames() const noexcept { return tickFrames_; }
    /// Clipped runs (merged within 10 ms), worst = run length in samples.
    const IssueRanges& clipRanges() const noexcept { return clips_; }
    /// Inter-sample overs (merged within 10 ms), worst = interpolated peak (linear).
    const IssueRanges& overRanges() const noexcept { return overs_; }
    std::int64_t clipRuns() const noexcept { return clipRuns_; }
    std::int64_t longestClipRun() const noexcept { return longestRun_; }
    /// Samples beyond full scale (|x| > 1, floating-point files only).
    std::int64_t samplesBeyondFullScale() const noexcept { return beyond_; }
    std::array<double, kMaxChannels> channelSums() const noexcept { return channelSums_; }
    std::int64_t framesProcessed() const noexcept { return frames_; }
    /// First frame at or above -60 dBFS, and one past the last; equal when none.
    std::int64_t audibleStart() const noexcept { return audibleStart_ < 0 ? 0 : audibleStart_; }
    std::int64_t audibleEnd() const noexcept { return audibleStart_ < 0 ? 0 : audibleEnd_; }
    int channels() const noexcept { return channels_; }

private:
    static constexpr std::int64_t kChunk = InterpolatedPeaks::kChunk;
    void scanChunk(AudioView chunk) noexcept;
    void closeRun(int channel, std::int64_t endFrame) noexcept;

    SampleRate rate_;
    int channels_ = 0;
    std::int64_t tickFrames_ = 0;
    std::int64_t frames_ = 0;

    InterpolatedPeaks interpolated_;
    std::vector<float> channelPeaks_;  // per frame of a chunk: interpolated |x| of one channel
    std::vector<float> framePeaks_;    // per frame of a chunk: max interpolated |x| over channels

    std::array<std::int64_t, kMaxChannels> runLength_{};
    std::array<std::int64_t, kMaxChannels> runStart_{};
    std::int64_t clipRuns_ = 0;
    std::int64_t longestRun_ = 0;
    std::int64_t beyond_ = 0;
    IssueRanges clips_;
    IssueRanges overs_;

    std::int64_t audibleStart_ = -1;
    std::int64_t audibleEnd_ = 0;
    std::array<double, kMaxChannels> channelSums_{};

    Tick tick_{};
    std::int64_t inTick_ = 0;
    std::array<double, kMaxChannels> tickSums_{};
    MixTimeline<Tick> ticks_;
};

/// Clipping, inter-sample overs, DC offset, leading and trailing silence, decided from a
/// finished scan.
std::vector<MixIssue> levelIssues(const LevelScan& scan, const MixProgram& program);

}  // namespace reel::analysis
