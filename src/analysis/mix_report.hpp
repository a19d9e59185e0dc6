#pragma once
// The mix report: what is wrong with a mix, where, how badly, and what to do about it.
//
// `reportMixIssues` streams a file once (streamBlocks of file_analysis.hpp, as analyzeFile does)
// through four detector families and then decides, knowing the whole programme:
//   mix_level_scan   clipping, inter-sample overs, DC offset, leading/trailing silence
//   mix_stereo_scan  phase, mono fold-down loss, left/right imbalance, fake stereo
//   mix_spectrum     boomy / muddy / harsh bands against a reference curve, wide low end,
//                    band-limited (upsampled or lossy) sources
//   mix_sibilance    sibilance
//   mix_dynamics     over-compression, noisy floor
// Every threshold, its source and how honest it is: docs/mix-report.md.
// Memory is bounded: fixed-size meters and scratch, timelines that halve their resolution
// beyond 1.8 hours (mix_timeline.hpp), at most 64 ranges per issue. The same pass measures
// what `reel analyze` reports (FileAnalysis, identical figures), so a caller needs one pass.
// Results do not depend on timing: every detector sees the same frames in the same order.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "analysis/file_analysis.hpp"
#include "analysis/mix_issue.hpp"
#include "core/error.hpp"

namespace reel::analysis {

/// A check that could not run on this file, and why ("mono file", "sample rate below 22 kHz").
struct SkippedCheck {
    MixIssueKind kind;
    std::string reason;
};

struct MixReport {
    FileAnalysis analysis;              // the figures of `reel analyze`, from the same pass
    std::vector<MixIssue> issues;       // problems first, then warnings, then info; by kind within
    std::vector<SkippedCheck> skipped;  // checks that do not apply to this file

    /// How many issues have a severity.
    int count(Severity severity) const noexcept;
};

/// Analyzes a file for mix problems, reporting progress (0 … 1) after each block.
/// Errors are those of analyzeFile (the file is named in each).
Result<MixReport> reportMixIssues(const std::filesystem::path& path,
                                  const std::function<void(double fraction)>& progress = {});

}  // namespace reel::analysis
