#pragma once
// The mastering report: what was measured before and after, what was decided and why, and
// pictures — as JSON for scripts and as one self-contained HTML page (inline SVG, no
// scripts, no network) for people.
//
// Before/after: integrated loudness (LUFS), loudness range (LU), short-term maximum (LUFS),
// PLR (true peak − integrated, LU), true peak (dBTP), sample peak. Decisions: the target,
// the EQ applied (its response per 1/3-octave band), stereo, compression, limiter and the
// gains the loop found. Gain reduction: max, mean of the 100 ms maxima, share of time above
// 1 dB. Pictures: spectrum before / after / reference, the EQ curve, short-term loudness over
// time, gain reduction over time.

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "master/album.hpp"
#include "master/master_file.hpp"

namespace reel::master {

/// The short summary `reel master --json` prints (no per-band or time series data).
std::string masterSummaryJson(const MasterResult& result, double elapsedSeconds);
/// The full report as JSON (the summary plus spectra, EQ curves, time series, notes).
std::string masterReportJson(const MasterResult& result, double elapsedSeconds);
/// The report as a self-contained HTML page.
std::string masterReportHtml(const MasterResult& result, double elapsedSeconds);

/// Album versions: every song's report, plus the spread before and after.
std::string albumReportJson(const AlbumResult& album, double elapsedSeconds, bool details);
std::string albumReportHtml(const AlbumResult& album, double elapsedSeconds);

/// Writes text to a file through a temporary file renamed into place (nothing half-written).
Result<void> writeTextFile(const std::filesystem::path& path, const std::string& text);

}  // namespace reel::master
