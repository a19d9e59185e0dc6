// `reel analyze FILE`: loudness (BS.1770-4 / EBU R128), true peak and level statistics.
#include <fmt/format.h>

#include "analysis/analysis_report.hpp"
#include "analysis/file_analysis.hpp"
#include "cli/command.hpp"
#include "cli/progress_bar.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel analyze FILE [--json] [--quiet]\n\n"
    "Measures an audio file (mono, stereo or 5.1, any rate):\n"
    "  integrated loudness, loudness range, momentary and short-term maximum (ITU-R BS.1770-4,\n"
    "  EBU R128, EBU Tech 3341/3342), true peak (4x oversampled), sample peak, RMS, DC offset,\n"
    "  clipped samples, duration, sample rate, channels.\n"
    "Values that are undefined (the loudness of silence, of a file shorter than 400 ms) are\n"
    "printed as \"-\" and as null in JSON.\n\n"
    "JSON keys: integrated_lufs, loudness_range_lu, momentary_max_lufs, short_term_max_lufs,\n"
    "  true_peak_dbtp, sample_peak_dbfs, rms_dbfs, dc_offset, clipped_samples, duration_s,\n"
    "  sample_rate, channels\n\n"
    "Examples:\n"
    "  reel analyze mix.wav\n"
    "  reel analyze master.flac --json\n";

ExitStatus runAnalyze(const Arguments& args, const OutputMode& mode) {
    if (args.positionals().size() != 1)
        return report("analyze", {ErrorCode::invalidArgument, "expected one audio file"}, mode, ExitStatus::usage);
    ProgressBar progress("analyzing", ProgressBar::displayFor(mode.quiet));
    auto analysis = analysis::analyzeFile(args.positionals()[0], [&](double f) { progress.update(f); });
    progress.update(1.0);
    if (!analysis) return report("analyze", analysis.error(), mode, ExitStatus::failed);
    if (mode.json) printLine(analysis::toJson(*analysis));
    else std::fputs(fmt::format("{}\n{}", args.positionals()[0], analysis::toText(*analysis)).c_str(), stdout);
    return ExitStatus::ok;
}

}  // namespace

Command analyzeCommand() {
    return {"analyze", "measure loudness, true peak and levels of an audio file", kHelp, {}, runAnalyze};
}

}  // namespace reel::cli
