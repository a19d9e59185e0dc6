#pragma once
// One problem the mix report found: what kind, how bad, where, a measured figure and advice.
// Also IssueRanges, the bounded list of time ranges a detector collects while streaming.
//
// Severities (docs/mix-report.md): `problem` is audible damage or a delivery risk that should
// be fixed before mastering; `warning` is likely audible or worth checking; `info` is a fact
// worth knowing that may be intended (a short leading silence, an upsampled source).

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace reel::analysis {

enum class Severity { info, warning, problem };

/// The kinds of issue, in the order a report lists them within one severity.
enum class MixIssueKind {
    clipping,
    interSampleOvers,
    dcOffset,
    phase,
    monoFoldDown,
    wideLowEnd,
    imbalance,
    fakeStereo,
    boomy,
    muddy,
    harsh,
    sibilance,
    overCompressed,
    noisyFloor,
    leadingSilence,
    trailingSilence,
    bandLimited,
};

inline constexpr int kNumMixIssueKinds = static_cast<int>(MixIssueKind::bandLimited) + 1;

/// The JSON name of a kind: "clipping", "inter_sample_overs", "dc_offset", ...
const char* kindName(MixIssueKind kind) noexcept;
/// What a person reads: "Clipping", "Inter-sample overs", "DC offset", ...
const char* kindTitle(MixIssueKind kind) noexcept;
/// "info", "warning", "problem".
const char* severityName(Severity severity) noexcept;

/// A stretch of the programme, in seconds from its first frame.
struct TimeRange {
    Seconds start;
    Seconds end;
};

struct MixIssue {
    MixIssueKind kind = MixIssueKind::clipping;
    Severity severity = Severity::info;
    std::vector<TimeRange> ranges;  // merged, in time order; at most IssueRanges::kMaxRanges
    std::optional<double> value;    // the measured figure (in `unit`); nullopt when it has none
    std::string unit;               // "dB", "dBTP", "LU", "LUFS", "Hz", "s", "runs", "correlation"
    std::string detail;             // the measurement in one line, for people
    std::string advice;             // what to do about it, one sentence
};

/// Frames per 100 ms "tick", the step of the mix report's timelines (libebur128's rounding,
/// as LoudnessMeter's gating grid).
inline std::int64_t mixTickFrames(SampleRate rate) {
    const std::int64_t n = (static_cast<std::int64_t>(std::llround(rate.value)) + 5) / 10;
    return n > 0 ? n : 1;
}

/// What every detector may know about the whole programme when it decides, after the pass.
struct MixProgram {
    SampleRate rate;
    int channels = 0;
    std::int64_t frames = 0;
    std::optional<double> integratedLufs;   // BS.1770-4, LUFS
    std::optional<double> loudnessRangeLu;  // EBU Tech 3342, LU
    std::optional<double> truePeakDbtp;     // BS.1770-4 Annex 2, dBTP
    // Frames [audibleStart, audibleEnd) hold everything at or above -60 dBFS (sample peak);
    // empty (audibleStart == audibleEnd) when nothing does.
    std::int64_t audibleStart = 0;
    std::int64_t audibleEnd = 0;
    bool audible() const noexcept { return audibleEnd > audibleStart; }
};

/// Time ranges in frames, collected in time order while streaming, merged when closer than a
/// gap, with a "worst" value kept per range (the largest value added to it). Memory is bounded:
/// beyond kMaxRanges ranges, the two neighbours with the smallest gap between them are merged,
/// so an issue that happens everywhere reads as a few long ranges rather than a long list.
class IssueRanges {
public:
    static constexpr std::size_t kMaxRanges = 64;

    struct Range {
        std::int64_t start = 0;  // first frame
        std::int64_t end = 0;    // one past the last frame
        double worst = 0.0;      // the largest value added within the range
    };

    /// Ranges whose gap is at most mergeGapFrames become one.
    explicit IssueRanges(std::int64_t mergeGapFrames = 0);

    /// Adds [start, end) with a value; start must not precede the previous range's start.
    void add(std::int64_t start, std::int64_t end, double value = 0.0);
    /// Adds every range of another list, merging as add() does (both in time order).
    void addAll(const IssueRanges& other);
    /// Removes the ranges that overlap any range of `other` widened by `marginFrames`.
    void removeOverlapping(const IssueRanges& other, std::int64_t marginFrames);
    /// Merges neighbours closer than `gapFrames` (used to coarsen a fine list for a report).
    IssueRanges mergedWithGap(std::int64_t gapFrames) const;

    bool empty() const noexcept { return ranges_.empty(); }
    const std::vector<Range>& ranges() const noexcept { return ranges_; }
    /// The largest worst value of all ranges; nullopt when empty.
    std::optional<double> worst() const noexcept;
    /// Frames covered by all ranges.
    std::int64_t coveredFrames() const noexcept;
    /// The ranges in seconds at a sample rate.
    std::vector<TimeRange> inSeconds(SampleRate rate) const;

private:
    void bound();
    std::int64_t mergeGap_;
    std::vector<Range> ranges_;
};

}  // namespace reel::analysis
