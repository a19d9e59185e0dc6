#include "analysis/analysis_report.hpp"

#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace reel::analysis {
namespace {

std::string jsonNumber(std::optional<double> value, int decimals) {
    if (!value || !std::isfinite(*value)) return "null";
    return fmt::format("{:.{}f}", *value, decimals);
}

std::string jsonNumber(std::optional<Decibels> value) {
    return jsonNumber(value ? std::optional<double>(value->value) : std::nullopt, 2);
}

std::string sampleRateText(SampleRate rate) {
    if (rate.value == std::floor(rate.value)) return fmt::format("{:.0f}", rate.value);
    return fmt::format("{}", rate.value);
}

std::string textLevel(std::optional<Decibels> value, const char* unit) {
    if (!value || !std::isfinite(value->value)) return "undefined";
    return fmt::format("{:.2f} {}", value->value, unit);
}

}  // namespace

std::string toJson(const FileAnalysis& a) {
    return fmt::format(
        "{{\"integrated_lufs\": {}, \"loudness_range_lu\": {}, \"momentary_max_lufs\": {}, "
        "\"short_term_max_lufs\": {}, \"true_peak_dbtp\": {}, \"sample_peak_dbfs\": {}, \"rms_dbfs\": {}, "
        "\"dc_offset\": {}, \"clipped_samples\": {}, \"duration_s\": {}, \"sample_rate\": {}, \"channels\": {}}}",
        jsonNumber(a.integratedLufs), jsonNumber(a.loudnessRangeLu), jsonNumber(a.momentaryMaxLufs),
        jsonNumber(a.shortTermMaxLufs), jsonNumber(a.truePeakDbtp), jsonNumber(a.samplePeakDbfs),
        jsonNumber(a.rmsDbfs), jsonNumber(a.dcOffset, 6), a.clippedSamples,
        jsonNumber(std::optional<double>(a.duration.value), 3), sampleRateText(a.sampleRate), a.channels);
}

std::string toText(const FileAnalysis& a) {
    const double seconds = a.duration.value;
    const auto minutes = static_cast<long long>(seconds / 60.0);
    std::string out;
    auto line = [&](const char* name, const std::string& value) { out += fmt::format("{:<22}{}\n", name, value); };
    line("Integrated loudness", textLevel(a.integratedLufs, "LUFS"));
    line("Loudness range", textLevel(a.loudnessRangeLu, "LU"));
    line("Momentary max", textLevel(a.momentaryMaxLufs, "LUFS"));
    line("Short-term max", textLevel(a.shortTermMaxLufs, "LUFS"));
    line("True peak", textLevel(a.truePeakDbtp, "dBTP"));
    line("Sample peak", textLevel(a.samplePeakDbfs, "dBFS"));
    line("RMS", textLevel(a.rmsDbfs, "dBFS"));
    line("DC offset", a.dcOffset ? fmt::format("{:.6f}", *a.dcOffset) : std::string("undefined"));
    line("Clipped samples", fmt::format("{}", a.clippedSamples));
    line("Duration", fmt::format("{}:{:06.3f} ({:.3f} s)", minutes, seconds - 60.0 * static_cast<double>(minutes),
                                 seconds));
    line("Format", fmt::format("{} Hz, {} channel{}", sampleRateText(a.sampleRate), a.channels,
                               a.channels == 1 ? "" : "s"));
    return out;
}

}  // namespace reel::analysis
