#pragma once
// The stereo family of mix-report detectors: phase (negative L/R correlation), mono fold-down
// loss, left/right imbalance and fake stereo; and the K-weighted energy per 100 ms tick that
// the dynamics detectors read as momentary and short-term loudness.
//
// Per 100 ms tick the scan keeps: the BS.1770 channel-weighted K-weighted energy of all
// channels (so 4 ticks are a momentary block, 30 a short-term window); for stereo files the
// K-weighted energies of L and R and their cross term, and the same three unweighted. From
// those, for any window: loudness of L alone, R alone, of the mono fold-down M = (L+R)/2 on
// both loudspeakers, and the Pearson correlation of L and R.
// K-weighting is ITU-R BS.1770-4's (k_weighting.hpp), in double precision, direct form I.
// The scan also hands each chunk's K-weighted mid signal to the sibilance detector
// (kWeightedMid()), so the filters run once.
// Threads: one at a time per instance; process() does not allocate.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis/k_weighting.hpp"
#include "analysis/mix_issue.hpp"
#include "analysis/mix_timeline.hpp"
#include "core/audio_buffer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

class StereoScan {
public:
    struct Tick {
        float weighted = 0.0f;  // Σ over channels of G_c · Σ k_c², BS.1770 weights G_c
        float kLL = 0.0f, kRR = 0.0f, kLR = 0.0f;  // K-weighted Σ L², Σ R², Σ L·R (stereo)
        float LL = 0.0f, RR = 0.0f, LR = 0.0f;     // unweighted
        float frames = 0.0f;
        static Tick merge(const Tick& a, const Tick& b) noexcept;
    };

    static constexpr std::int64_t kChunk = 2048;

    /// Prepares for a rate (8 kHz … 768 kHz) and 1 … kMaxChannels channels.
    StereoScan(SampleRate rate, int channels);

    /// Scans up to kChunk frames (call with chunks of at most that; the driver slices).
    void process(AudioView chunk) noexcept;
    /// Stores the last partial tick; call once after the last process().
    void finish();

    /// The K-weighted mid of the last chunk processed: (L+R)/2 for stereo, the channel for
    /// mono, the mean of all channels otherwise.
    const float* kWeightedMid() const noexcept { return mid_.data(); }

    const MixTimeline<Tick>& ticks() const noexcept { return ticks_; }
    bool stereo() const noexcept { return channels_ == 2; }
    /// True while every frame so far had bit-identical left and right samples.
    bool identicalChannels() const noexcept { return identical_; }

private:
    struct FilterState {
        double in1 = 0.0, in2 = 0.0, mid1 = 0.0, mid2 = 0.0, out1 = 0.0, out2 = 0.0;
    };

    int channels_ = 0;
    KWeighting filter_;
    std::array<double, kMaxChannels> weights_{};
    std::array<FilterState, kMaxChannels> state_{};
    std::vector<float> weighted_;  // per channel, the K-weighted chunk
    std::vector<float> mid_;
    bool identical_ = true;

    std::int64_t tickFrames_ = 0;
    std::int64_t inTick_ = 0;
    std::array<double, 7> sums_{};  // weighted, kLL, kRR, kLR, LL, RR, LR of the open tick
    MixTimeline<Tick> ticks_;
};

/// A mono fold-down finding of the spectral family: the octave that loses most.
struct BandFoldDown {
    double lossDb = 0.0;      // loss of that octave when L and R are summed to mono
    double centreHz = 0.0;
    IssueRanges where;        // 3 s segments where some octave loses ≥ the warning threshold
};

/// Phase, mono fold-down, imbalance and fake stereo from a finished scan (stereo files only;
/// an empty list otherwise). `bands` adds the per-octave fold-down loss of the spectrum.
std::vector<MixIssue> stereoIssues(const StereoScan& scan, const MixProgram& program,
                                   const std::optional<BandFoldDown>& bands);

/// Momentary (400 ms) loudness of the window of `records` ticks ending with tick `last`, from
/// the weighted energies (LUFS; -inf for silence). Shared with the dynamics detectors.
double windowLufs(const MixTimeline<StereoScan::Tick>& ticks, std::size_t last, std::size_t records);

}  // namespace reel::analysis
