#pragma once
// FileAnalysis as text: one JSON object for scripts, aligned lines for people.

#include <string>

#include "analysis/file_analysis.hpp"

namespace reel::analysis {

/// One JSON object with exactly the keys integrated_lufs, loudness_range_lu,
/// momentary_max_lufs, short_term_max_lufs, true_peak_dbtp, sample_peak_dbfs, rms_dbfs,
/// dc_offset, clipped_samples, duration_s, sample_rate, channels (in that order).
/// dB/LU values have 2 decimals, dc_offset 6, duration_s 3; undefined values are null.
std::string toJson(const FileAnalysis& analysis);

/// The same figures as aligned "name  value unit" lines, "undefined" where there is none.
std::string toText(const FileAnalysis& analysis);

}  // namespace reel::analysis
