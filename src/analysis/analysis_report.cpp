#include "analysis/analysis_report.hpp"

#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "core/json_writer.hpp"

namespace reel::analysis {
namespace {

std::optional<double> dB(std::optional<Decibels> value) {
    return value ? std::optional<double>(value->value) : std::nullopt;
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
    JsonWriter json;
    json.beginObject();
    json.key("integrated_lufs").value(dB(a.integratedLufs), 2);
    json.key("loudness_range_lu").value(dB(a.loudnessRangeLu), 2);
    json.key("momentary_max_lufs").value(dB(a.momentaryMaxLufs), 2);
    json.key("short_term_max_lufs").value(dB(a.shortTermMaxLufs), 2);
    json.key("true_peak_dbtp").value(dB(a.truePeakDbtp), 2);
    json.key("sample_peak_dbfs").value(dB(a.samplePeakDbfs), 2);
    json.key("rms_dbfs").value(dB(a.rmsDbfs), 2);
    json.key("dc_offset").value(a.dcOffset, 6);
    json.key("clipped_samples").value(a.clippedSamples);
    json.key("duration_s").value(a.duration.value, 3);
    if (a.sampleRate.value == std::floor(a.sampleRate.value)) json.key("sample_rate").value(static_cast<std::int64_t>(a.sampleRate.value));
    else json.key("sample_rate").value(a.sampleRate.value, 3);
    json.key("channels").value(a.channels);
    json.endObject();
    return json.str();
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
