#include "analysis/mix_issue.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace reel::analysis {
namespace {

struct KindNames {
    const char* name;
    const char* title;
};

constexpr std::array<KindNames, kNumMixIssueKinds> kKinds{{
    {"clipping", "Clipping"},
    {"inter_sample_overs", "Inter-sample overs"},
    {"dc_offset", "DC offset"},
    {"phase", "Phase (negative L/R correlation)"},
    {"mono_fold_down", "Mono fold-down loss"},
    {"wide_low_end", "Wide low end"},
    {"imbalance", "Left/right imbalance"},
    {"fake_stereo", "Fake stereo"},
    {"boomy", "Boomy low end"},
    {"muddy", "Muddy low mids"},
    {"harsh", "Harsh upper mids"},
    {"sibilance", "Sibilance"},
    {"over_compressed", "Over-compression"},
    {"noisy_floor", "Noisy floor"},
    {"leading_silence", "Leading silence"},
    {"trailing_silence", "Trailing silence"},
    {"band_limited", "Band-limited source"},
}};

}  // namespace

const char* kindName(MixIssueKind kind) noexcept { return kKinds[static_cast<std::size_t>(kind)].name; }
const char* kindTitle(MixIssueKind kind) noexcept { return kKinds[static_cast<std::size_t>(kind)].title; }

const char* severityName(Severity severity) noexcept {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::problem: return "problem";
    }
    return "info";
}

IssueRanges::IssueRanges(std::int64_t mergeGapFrames) : mergeGap_(mergeGapFrames) {
    ranges_.reserve(kMaxRanges + 1);
}

void IssueRanges::add(std::int64_t start, std::int64_t end, double value) {
    if (!ranges_.empty() && start - ranges_.back().end <= mergeGap_) {
        Range& last = ranges_.back();
        last.start = std::min(last.start, start);
        last.end = std::max(last.end, end);
        last.worst = std::max(last.worst, value);
        return;
    }
    ranges_.push_back({start, end, value});
    bound();
}

void IssueRanges::addAll(const IssueRanges& other) {
    for (const Range& r : other.ranges_) add(r.start, r.end, r.worst);
}

void IssueRanges::bound() {
    if (ranges_.size() <= kMaxRanges) return;
    // Merge the closest neighbours: the list stays a faithful cover of where the issue is.
    std::size_t best = 0;
    std::int64_t bestGap = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i + 1 < ranges_.size(); ++i) {
        const std::int64_t gap = ranges_[i + 1].start - ranges_[i].end;
        if (gap < bestGap) {
            bestGap = gap;
            best = i;
        }
    }
    ranges_[best].end = std::max(ranges_[best].end, ranges_[best + 1].end);
    ranges_[best].worst = std::max(ranges_[best].worst, ranges_[best + 1].worst);
    ranges_.erase(ranges_.begin() + static_cast<std::ptrdiff_t>(best) + 1);
}

void IssueRanges::removeOverlapping(const IssueRanges& other, std::int64_t marginFrames) {
    std::erase_if(ranges_, [&](const Range& r) {
        return std::any_of(other.ranges_.begin(), other.ranges_.end(), [&](const Range& o) {
            return r.start < o.end + marginFrames && o.start - marginFrames < r.end;
        });
    });
}

IssueRanges IssueRanges::mergedWithGap(std::int64_t gapFrames) const {
    IssueRanges merged(gapFrames);
    merged.addAll(*this);
    return merged;
}

std::optional<double> IssueRanges::worst() const noexcept {
    if (ranges_.empty()) return std::nullopt;
    double w = ranges_.front().worst;
    for (const Range& r : ranges_) w = std::max(w, r.worst);
    return w;
}

std::int64_t IssueRanges::coveredFrames() const noexcept {
    std::int64_t n = 0;
    for (const Range& r : ranges_) n += r.end - r.start;
    return n;
}

std::vector<TimeRange> IssueRanges::inSeconds(SampleRate rate) const {
    std::vector<TimeRange> out;
    out.reserve(ranges_.size());
    for (const Range& r : ranges_)
        out.push_back({toSeconds(FrameCount{r.start}, rate), toSeconds(FrameCount{r.end}, rate)});
    return out;
}

}  // namespace reel::analysis
