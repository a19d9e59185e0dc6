// `reel analyze FILE [--issues]`: loudness (BS.1770-4 / EBU R128), true peak and level
// statistics; with --issues also the mix report (clipping, phase, tonal balance, ...), measured
// in the same single pass over the file.
#include <fmt/format.h>

#include "analysis/analysis_report.hpp"
#include "analysis/file_analysis.hpp"
#include "analysis/mix_report.hpp"
#include "analysis/mix_report_format.hpp"
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel analyze FILE [--issues] [--json] [--quiet]\n\n"
    "Measures an audio file (mono, stereo or 5.1, any rate):\n"
    "  integrated loudness, loudness range, momentary and short-term maximum (ITU-R BS.1770-4,\n"
    "  EBU R128, EBU Tech 3341/3342), true peak (4x oversampled), sample peak, RMS, DC offset,\n"
    "  clipped samples, duration, sample rate, channels.\n"
    "Values that are undefined (the loudness of silence, of a file shorter than 400 ms) are\n"
    "printed as \"-\" and as null in JSON.\n\n"
    "--issues  also report problems with the mix, each with a severity (problem, warning,\n"
    "          info), where it happens (m:ss.s), a measured figure and what to do: clipping,\n"
    "          inter-sample overs, DC offset, phase, mono fold-down loss, wide low end,\n"
    "          left/right imbalance, fake stereo, boomy / muddy / harsh bands, sibilance,\n"
    "          over-compression, noisy floor, leading/trailing silence, band-limited source.\n"
    "          Thresholds and their sources: docs/mix-report.md. The exit status stays 0 when\n"
    "          issues are found (the analysis itself succeeded).\n\n"
    "JSON keys: integrated_lufs, loudness_range_lu, momentary_max_lufs, short_term_max_lufs,\n"
    "  true_peak_dbtp, sample_peak_dbfs, rms_dbfs, dc_offset, clipped_samples, duration_s,\n"
    "  sample_rate, channels; with --issues also issues (a list of {kind, severity, ranges,\n"
    "  value, unit, detail, advice}), issue_counts and skipped_checks\n\n"
    "Examples:\n"
    "  reel analyze mix.wav\n"
    "  reel analyze master.flac --json\n"
    "  reel analyze mix.wav --issues\n"
    "  reel analyze mix.wav --issues --json\n";

ExitStatus runAnalyze(const Arguments& args, const OutputMode& mode) {
    if (args.positionals().size() != 1)
        return report("analyze", {ErrorCode::invalidArgument, "expected one audio file"}, mode, ExitStatus::usage);
    const std::string& file = args.positionals()[0];
    ProgressBar progress("analyzing", ProgressBar::displayFor(mode.quiet));
    const auto onProgress = [&](double f) { progress.update(f); };
    if (args.has("issues")) {
        auto mix = analysis::reportMixIssues(file, onProgress);
        progress.update(1.0);
        if (!mix) return report("analyze", mix.error(), mode, ExitStatus::failed);
        if (mode.json) printLine(analysis::toJson(*mix));
        else std::fputs(fmt::format("{}\n{}\n{}", file, analysis::toText(mix->analysis), analysis::toText(*mix)).c_str(), stdout);
        return ExitStatus::ok;
    }
    auto analysis = analysis::analyzeFile(file, onProgress);
    progress.update(1.0);
    if (!analysis) return report("analyze", analysis.error(), mode, ExitStatus::failed);
    if (mode.json) printLine(analysis::toJson(*analysis));
    else std::fputs(fmt::format("{}\n{}", file, analysis::toText(*analysis)).c_str(), stdout);
    return ExitStatus::ok;
}

}  // namespace

Command analyzeCommand() {
    return {"analyze", "measure loudness, true peak and levels of an audio file; --issues: mix problems", kHelp,
            {{"issues", 0, false}}, runAnalyze};
}

}  // namespace reel::cli
