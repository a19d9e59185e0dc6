#include "master/master_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/mix_report_format.hpp"
#include "core/json_writer.hpp"

namespace reel::master {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<double> valueOf(const std::optional<Decibels>& db) {
    if (!db || !std::isfinite(db->value)) return std::nullopt;
    return db->value;
}

const char* verificationName(Verification v) {
    switch (v) {
        case Verification::hash: return "hash";
        case Verification::reread: return "reread";
        case Verification::decoded: return "decoded";
    }
    return "reread";
}

void writeLevels(JsonWriter& json, const ProgramAnalysis& a) {
    json.beginObject();
    json.key("integrated_lufs").value(valueOf(a.integratedLufs), 2);
    json.key("loudness_range_lu").value(valueOf(a.loudnessRangeLu), 2);
    json.key("short_term_max_lufs").value(valueOf(a.shortTermMaxLufs), 2);
    json.key("momentary_max_lufs").value(valueOf(a.momentaryMaxLufs), 2);
    json.key("plr_lu").value(valueOf(a.plr()), 2);
    json.key("true_peak_dbtp").value(valueOf(a.truePeakDbtp), 2);
    json.key("sample_peak_dbfs").value(valueOf(a.samplePeakDbfs), 2);
    json.key("clipped_samples").value(a.clippedSamples);
    json.key("duration_s").value(a.duration.value, 3);
    json.key("sample_rate").value(static_cast<std::int64_t>(std::llround(a.sampleRate.value)));
    json.key("channels").value(a.channels);
    json.endObject();
}

void writeBands(JsonWriter& json, const dsp::Equalizer::Params& eq) {
    json.beginArray();
    if (eq.highPass.type == dsp::BandType::highPass) {
        json.beginObject().key("type").value("high_pass").key("frequency_hz").value(eq.highPass.frequency.value, 1).endObject();
    }
    for (const auto& band : eq.bands) {
        if (band.type == dsp::BandType::off || band.gain.value == 0.0) continue;
        json.beginObject();
        json.key("type").value(band.type == dsp::BandType::bell ? "bell" : band.type == dsp::BandType::lowShelf ? "low_shelf" : "high_shelf");
        json.key("frequency_hz").value(band.frequency.value, 1);
        json.key("gain_db").value(band.gain.value, 2);
        json.key("q").value(band.q, 2);
        json.endObject();
    }
    json.endArray();
}

void writeStats(JsonWriter& json, const GainReductionStats& s) {
    json.beginObject();
    json.key("max_db").value(s.maxDb, 2);
    json.key("mean_db").value(s.meanDb, 2);
    json.key("percent_above_1db").value(s.percentAbove1Db, 1);
    json.endObject();
}

void writeArray(JsonWriter& json, const BandLevels& levels, int decimals = 2) {
    json.beginArray();
    for (double v : levels) json.value(std::isfinite(v) ? std::optional<double>(v) : std::nullopt, decimals);
    json.endArray();
}

void writeArray(JsonWriter& json, const std::vector<double>& values, int decimals = 2) {
    json.beginArray();
    for (double v : values) json.value(std::isfinite(v) ? std::optional<double>(v) : std::nullopt, decimals);
    json.endArray();
}

void writeSummaryMembers(JsonWriter& json, const MasterResult& r, double elapsed) {
    const MasteringPlan& p = r.plan;
    json.key("input").value(r.input.string());
    json.key("output").value(r.output.string());
    json.key("target").beginObject();
    json.key("name").value(p.target.name);
    json.key("integrated_lufs").value(p.target.integratedLufs.value, 2);
    json.key("ceiling_dbtp").value(p.target.ceilingDbtp.value, 2);
    json.key("source").value(p.target.source);
    json.endObject();
    json.key("loudness_reached").value(r.loudnessReached);
    json.key("shortfall_lu").value(r.loudnessReached ? 0.0 : r.shortfallLu, 2);
    json.key("true_peak_ok").value(r.after.truePeakDbtp && r.after.truePeakDbtp->value <= p.target.ceilingDbtp.value);
    json.key("before");
    writeLevels(json, r.before);
    json.key("after");
    writeLevels(json, r.after);
    json.key("decisions").beginObject();
    json.key("character").value(toString(p.settings.character));
    json.key("intensity").value(toString(p.settings.intensity));
    json.key("amounts").beginObject();
    json.key("eq").value(p.settings.amounts.eq, 3).key("width").value(p.settings.amounts.width, 3);
    json.key("dynamics").value(p.settings.amounts.dynamics, 3).key("loudness").value(p.settings.amounts.loudness, 3);
    json.endObject();
    json.key("eq").beginObject();
    json.key("mid_side").value(p.midSide);
    json.key(p.midSide ? "mid" : "stereo");
    writeBands(json, p.midEq);
    if (p.midSide) {
        json.key("side");
        writeBands(json, p.sideEq);
    }
    json.endObject();
    json.key("width").value(p.width, 3);
    json.key("mono_below_hz").value(p.monoBelow.value, 1);
    json.key("compressor");
    if (p.compress) {
        json.beginObject();
        json.key("threshold_dbfs").value(p.compressor.threshold.value, 2);
        json.key("ratio").value(p.compressor.ratio, 2);
        json.key("knee_db").value(p.compressor.knee.value, 1);
        json.key("attack_ms").value(p.compressor.attack.value * 1000.0, 1);
        json.key("release_ms").value(p.compressor.release.value * 1000.0, 1);
        json.endObject();
    } else {
        json.null();
    }
    json.key("multiband");
    if (p.multiband) {
        json.beginObject();
        json.key("low_crossover_hz").value(p.multibandParams.lowCrossover.value, 1);
        json.key("high_crossover_hz").value(p.multibandParams.highCrossover.value, 1);
        json.key("bands").beginArray();
        for (const auto& c : p.multibandParams.bands) {
            json.beginObject();
            json.key("threshold_dbfs").value(c.threshold.value, 2);
            json.key("ratio").value(c.ratio, 2);
            json.key("attack_ms").value(c.attack.value * 1000.0, 1);
            json.key("release_ms").value(c.release.value * 1000.0, 1);
            json.endObject();
        }
        json.endArray();
        json.endObject();
    } else {
        json.null();
    }
    json.key("limiter").beginObject();
    json.key("lookahead_ms").value(p.limiterLookahead.value * 1000.0, 1);
    json.key("release_ms").value(p.limiterRelease.value * 1000.0, 1);
    json.key("working_ceiling_dbtp").value(p.limiterCeiling.value, 3);
    json.key("max_limiting_db").value(p.maxLimiting.value, 1);
    json.endObject();
    json.key("drive_db").value(p.drive.value, 3);
    json.key("trim_db").value(p.trim.value, 3);
    json.endObject();
    json.key("gain_reduction").beginObject();
    json.key("limiter");
    writeStats(json, r.limiter);
    json.key("compressor");
    writeStats(json, r.compressor);
    json.endObject();
    json.key("bits").value(r.bits);
    json.key("format").value(r.output.extension() == ".mp3" ? "mp3" : r.output.extension() == ".flac" ? "flac" : "wav");
    json.key("dither").value(std::string(toString(r.dither)));
    json.key("passes").value(r.passes);
    // How the "after" is tied to the file: "hash" (the measured samples, proven identical on
    // read-back), "reread" (measured again from the file), "decoded" (a lossy file, decoded).
    json.key("verification").value(verificationName(r.verification));
    json.key("writes").value(r.writes);
    json.key("ceiling_lowered_db").value(r.ceilingLoweredDb, 3);
    json.key("elapsed_s").value(elapsed, 3);
    json.key("realtime_factor").value(elapsed > 0 ? r.before.duration.value / elapsed : 0.0, 1);
    json.key("warnings").beginArray();
    for (const auto& w : r.warnings) json.value(w);
    json.endArray();
}

void writeDetailMembers(JsonWriter& json, const MasterResult& r) {
    if (r.mixIssues) {
        json.key("mix_issues").beginObject();
        analysis::writeIssueMembers(json, *r.mixIssues);
        json.endObject();
    }
    json.key("notes").beginArray();
    for (const auto& n : r.plan.notes) json.value(n);
    json.endArray();
    json.key("bands_hz").beginArray();
    for (int b = 0; b < kNumBands; ++b) json.value(bandCentreHz(b), 1);
    json.endArray();
    json.key("spectrum_db").beginObject();
    json.key("before_mid");
    writeArray(json, r.before.spectrum.mid);
    json.key("after_mid");
    writeArray(json, r.after.spectrum.mid);
    json.key("before_side");
    writeArray(json, r.before.spectrum.side);
    json.key("after_side");
    writeArray(json, r.after.spectrum.side);
    json.key("reference_mid_relative");
    writeArray(json, r.plan.referenceMid);
    json.endObject();
    json.key("eq_curve_db").beginObject();
    json.key("mid");
    writeArray(json, r.midEqResponse);
    json.key("side");
    writeArray(json, r.sideEqResponse);
    json.endObject();
    json.key("short_term_lufs").beginObject();
    json.key("step_before_s").value(r.before.shortTermLufs.stepSeconds(), 3);
    json.key("before");
    writeArray(json, r.before.shortTermLufs.values());
    json.key("step_after_s").value(r.after.shortTermLufs.stepSeconds(), 3);
    json.key("after");
    writeArray(json, r.after.shortTermLufs.values());
    json.endObject();
    json.key("gain_reduction_db").beginObject();
    json.key("step_s").value(r.limiter.series.stepSeconds(), 3);
    json.key("limiter");
    writeArray(json, r.limiter.series.values());
    json.key("compressor");
    writeArray(json, r.compressor.series.values());
    json.endObject();
}

// ---- SVG charts ----------------------------------------------------------------------------

std::string escapeHtml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

struct Line {
    std::string name;
    std::string color;
    std::vector<std::pair<double, double>> points;  // NaN y breaks the line
    bool dashed = false;
    bool filled = false;  // fill down to y = 0 (gain reduction)
};

struct Axes {
    double xMin, xMax, yMin, yMax;
    bool logX = false;
    std::vector<std::pair<double, std::string>> xTicks;
    std::vector<double> yTicks;
    std::string xLabel, yLabel;
    std::optional<std::pair<double, std::string>> marker;  // a labelled horizontal line
};

std::string chart(const std::string& title, const Axes& axes, const std::vector<Line>& lines) {
    constexpr double W = 1080, H = 300, left = 60, right = 20, top = 34, bottom = 44;
    const double plotW = W - left - right, plotH = H - top - bottom;
    auto xOf = [&](double x) {
        const double t = axes.logX ? (std::log10(x) - std::log10(axes.xMin)) / (std::log10(axes.xMax) - std::log10(axes.xMin))
                                   : (x - axes.xMin) / (axes.xMax - axes.xMin);
        return left + std::clamp(t, 0.0, 1.0) * plotW;
    };
    auto yOf = [&](double y) { return top + (1.0 - std::clamp((y - axes.yMin) / (axes.yMax - axes.yMin), 0.0, 1.0)) * plotH; };
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"100%\" role=\"img\" aria-label=\"{2}\">\n"
        "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n"
        "<text x=\"{3}\" y=\"20\" class=\"title\">{2}</text>\n",
        W, H, escapeHtml(title), left);
    for (double y : axes.yTicks) {
        svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>", left, yOf(y), W - right, yOf(y));
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\">{:g}</text>\n", left - 6, yOf(y) + 4, y);
    }
    for (const auto& [x, label] : axes.xTicks) {
        svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>", xOf(x), top, xOf(x), top + plotH);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"middle\">{}</text>\n", xOf(x), top + plotH + 16,
                           escapeHtml(label));
    }
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>\n", left, top, plotW, plotH);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\" text-anchor=\"middle\">{}</text>\n", left + plotW / 2, H - 6,
                       escapeHtml(axes.xLabel));
    svg += fmt::format("<text x=\"14\" y=\"{:.1f}\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 {:.1f})\">{}</text>\n",
                       top + plotH / 2, top + plotH / 2, escapeHtml(axes.yLabel));
    if (axes.marker) {
        const double y = yOf(axes.marker->first);
        svg += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#c0392b\" stroke-width=\"1\" "
                           "stroke-dasharray=\"6 4\"/>",
                           left, y, W - right, y);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"tick\" fill=\"#c0392b\" text-anchor=\"end\">{}</text>\n", W - right - 4,
                           y - 4, escapeHtml(axes.marker->second));
    }
    for (const auto& line : lines) {
        std::string path;
        bool pen = false;
        double firstX = 0, lastX = 0;
        for (const auto& [x, y] : line.points) {
            if (!std::isfinite(y) || !std::isfinite(x)) {
                pen = false;
                continue;
            }
            if (!pen) firstX = x;
            path += fmt::format("{}{:.1f},{:.1f} ", pen ? "L" : "M", xOf(x), yOf(y));
            pen = true;
            lastX = x;
        }
        if (path.empty()) continue;
        if (line.filled) {
            path += fmt::format("L{:.1f},{:.1f} L{:.1f},{:.1f} Z", xOf(lastX), yOf(0.0), xOf(firstX), yOf(0.0));
            svg += fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.35\" stroke=\"{}\" stroke-width=\"1\"/>\n", path, line.color,
                               line.color);
        } else {
            svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", path, line.color,
                               line.dashed ? " stroke-dasharray=\"6 4\"" : "");
        }
    }
    // Legend, top right.
    double lx = W - right - 10;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
        const double width = 30.0 + 7.0 * static_cast<double>(it->name.size());
        lx -= width;
        svg += fmt::format("<line x1=\"{:.1f}\" y1=\"16\" x2=\"{:.1f}\" y2=\"16\" stroke=\"{}\" stroke-width=\"3\"{}/>", lx, lx + 18,
                           it->color, it->dashed ? " stroke-dasharray=\"5 3\"" : "");
        svg += fmt::format("<text x=\"{:.1f}\" y=\"20\" class=\"tick\">{}</text>\n", lx + 22, escapeHtml(it->name));
    }
    svg += "</svg>\n";
    return svg;
}

std::vector<std::pair<double, std::string>> frequencyTicks() {
    return {{20, "20"}, {50, "50"}, {100, "100"}, {200, "200"}, {500, "500"}, {1000, "1k"},
            {2000, "2k"}, {5000, "5k"}, {10000, "10k"}, {20000, "20k"}};
}

std::vector<double> ticksBetween(double low, double high, double step) {
    std::vector<double> ticks;
    for (double v = std::ceil(low / step) * step; v <= high + 1e-9; v += step) ticks.push_back(v);
    return ticks;
}

Line bandLine(const std::string& name, const std::string& color, const BandLevels& levels, bool dashed = false) {
    Line line{name, color, {}, dashed, false};
    for (int b = 0; b < kNumBands; ++b) line.points.emplace_back(bandCentreHz(b), levels[static_cast<std::size_t>(b)]);
    return line;
}

Line timeLine(const std::string& name, const std::string& color, const TimeSeries& series, bool filled = false) {
    Line line{name, color, {}, false, filled};
    const double step = series.stepSeconds();
    // A stored value summarises the step that ends at its time.
    for (std::size_t i = 0; i < series.values().size(); ++i)
        line.points.emplace_back(static_cast<double>(i + 1) * step, series.values()[i]);
    return line;
}

std::vector<std::pair<double, std::string>> timeTicks(double duration) {
    const double candidates[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    double step = candidates[0];
    for (double c : candidates)
        if (duration / c <= 12) {
            step = c;
            break;
        }
    std::vector<std::pair<double, std::string>> ticks;
    for (double t = 0; t <= duration + 1e-9; t += step)
        ticks.emplace_back(t, fmt::format("{}:{:02}", static_cast<int>(t) / 60, static_cast<int>(t) % 60));
    return ticks;
}

std::string spectrumChart(const MasterResult& r) {
    const BandLevels before = relativeLevels(r.before.spectrum.mid);
    const BandLevels after = relativeLevels(r.after.spectrum.mid);
    std::vector<Line> lines{bandLine("before", "#7f8c8d", before), bandLine("after", "#2471a3", after)};
    BandLevels reference = r.plan.referenceMid;
    bool hasReference = false;
    // The reference curve is drawn level-matched to the result (their means over 63 Hz–10 kHz).
    double offset = 0.0, count = 0.0;
    for (int b = 5; b <= 27; ++b) {
        const auto i = static_cast<std::size_t>(b);
        if (std::isfinite(reference[i]) && std::isfinite(after[i])) {
            offset += after[i] - reference[i];
            count += 1.0;
        }
    }
    if (count > 0) {
        for (double& v : reference) v += offset / count;
        lines.push_back(bandLine(r.plan.hasReference ? "reference" : "neutral curve", "#d35400", reference, true));
        hasReference = true;
    }
    double low = 0.0, high = -1e9;
    for (const auto& line : lines)
        for (const auto& [x, y] : line.points)
            if (std::isfinite(y)) {
                low = std::min(low, y);
                high = std::max(high, y);
            }
    low = std::max(low, high - 60.0);
    Axes axes{20, 20000, std::floor(low / 6) * 6, std::ceil((high + 1) / 6) * 6, true, frequencyTicks(), {}, "frequency (Hz)",
              "band level re total (dB)", std::nullopt};
    axes.yTicks = ticksBetween(axes.yMin, axes.yMax, 6);
    (void)hasReference;
    return chart("Spectrum (mid, 1/3-octave bands)", axes, lines);
}

std::string eqChart(const MasterResult& r) {
    std::vector<Line> lines{bandLine(r.plan.midSide ? "mid EQ" : "EQ", "#2471a3", r.midEqResponse)};
    if (r.plan.midSide) lines.push_back(bandLine("side EQ", "#8e44ad", r.sideEqResponse));
    BandLevels aim = r.plan.eqTargetMid;
    bool anyAim = false;
    for (double v : aim) anyAim = anyAim || (std::isfinite(v) && v != 0.0);
    if (anyAim) lines.push_back(bandLine("aimed (mid)", "#7f8c8d", aim, true));
    double extent = 3.0;
    for (const auto& line : lines)
        for (const auto& [x, y] : line.points)
            if (std::isfinite(y)) extent = std::max(extent, std::fabs(y));
    extent = std::ceil(extent);
    Axes axes{20, 20000, -extent, extent, true, frequencyTicks(), ticksBetween(-extent, extent, extent > 6 ? 3 : 1), "frequency (Hz)",
              "gain (dB)", std::nullopt};
    return chart("EQ applied", axes, lines);
}

std::string loudnessChart(const MasterResult& r) {
    std::vector<Line> lines{timeLine("before", "#7f8c8d", r.before.shortTermLufs), timeLine("after", "#2471a3", r.after.shortTermLufs)};
    double low = r.plan.target.integratedLufs.value, high = low;
    for (const auto& line : lines)
        for (const auto& [x, y] : line.points)
            if (std::isfinite(y)) {
                low = std::min(low, y);
                high = std::max(high, y);
            }
    low = std::max(low, high - 40.0);
    const double duration = r.before.duration.value;
    Axes axes{0, duration, std::floor(low / 3) * 3 - 3, std::ceil(high / 3) * 3 + 3, false, timeTicks(duration), {}, "time (min:s)",
              "short-term loudness (LUFS)",
              std::make_pair(r.plan.target.integratedLufs.value, fmt::format("target {:.1f} LUFS", r.plan.target.integratedLufs.value))};
    axes.yTicks = ticksBetween(axes.yMin, axes.yMax, axes.yMax - axes.yMin > 24 ? 6 : 3);
    return chart("Short-term loudness (3 s) over time", axes, lines);
}

std::string reductionChart(const MasterResult& r) {
    std::vector<Line> lines;
    Line limiter = timeLine("limiter", "#c0392b", r.limiter.series, true);
    for (auto& [x, y] : limiter.points) y = -y;
    lines.push_back(limiter);
    if (r.plan.compress || r.plan.multiband) {
        Line compressor = timeLine("compressor", "#27ae60", r.compressor.series, false);
        for (auto& [x, y] : compressor.points) y = -y;
        lines.push_back(compressor);
    }
    double deepest = std::max({1.0, r.limiter.maxDb, r.compressor.maxDb});
    deepest = std::ceil(deepest);
    const double duration = r.before.duration.value;
    Axes axes{0, duration, -deepest, 0.0, false, timeTicks(duration),
              ticksBetween(-deepest, 0.0, deepest > 8 ? 2 : deepest > 4 ? 1 : 0.5), "time (min:s)", "gain (dB)", std::nullopt};
    return chart("Gain reduction over time (largest in each step)", axes, lines);
}

std::string cell(const std::optional<Decibels>& v, const char* unit) {
    if (!v || !std::isfinite(v->value)) return "–";
    return fmt::format("{:.1f} {}", v->value, unit);
}

/// What is wrong with the mix, worst first: what mastering cannot fix is said before the master.
std::string mixIssuesSection(const analysis::MixReport& report) {
    std::string html = "<h3>What is wrong with the mix</h3>\n";
    if (report.issues.empty()) return html + "<p>Nothing found (<code>reel analyze --issues</code>, docs/mix-report.md).</p>\n";
    html += "<ul class=\"notes\">\n";
    for (const auto& issue : report.issues) {
        std::string where;
        for (std::size_t i = 0; i < issue.ranges.size() && i < 4; ++i)
            where += (i ? ", " : "") + analysis::formatTime(issue.ranges[i].start) + "&ndash;" + analysis::formatTime(issue.ranges[i].end);
        if (issue.ranges.size() > 4) where += fmt::format(" (+{} more)", issue.ranges.size() - 4);
        html += fmt::format("<li><b class=\"{}\">{}</b> {}: {}{}<br><i>{}</i></li>\n",
                            issue.severity == analysis::Severity::problem ? "miss" : "", analysis::severityName(issue.severity),
                            escapeHtml(analysis::kindTitle(issue.kind)), escapeHtml(issue.detail), where.empty() ? "" : " (" + where + ")",
                            escapeHtml(issue.advice));
    }
    return html + "</ul>\n";
}

std::string songSection(const MasterResult& r, double elapsed) {
    const MasteringPlan& p = r.plan;
    const bool peakOk = r.after.truePeakDbtp && r.after.truePeakDbtp->value <= p.target.ceilingDbtp.value;
    std::string html;
    html += fmt::format("<h2>{} &rarr; {}</h2>\n", escapeHtml(r.input.filename().string()), escapeHtml(r.output.filename().string()));
    html += fmt::format("<p class=\"target\">Target <b>{}</b>: {:.1f} LUFS integrated, true peak &le; {:.1f} dBTP <span class=\"src\">({})</span></p>\n",
                        escapeHtml(p.target.name), p.target.integratedLufs.value, p.target.ceilingDbtp.value, escapeHtml(p.target.source));
    html += "<table class=\"levels\"><tr><th></th><th>before</th><th>after</th><th>target</th><th></th></tr>\n";
    auto row = [&](const char* name, const std::optional<Decibels>& b, const std::optional<Decibels>& a, const char* unit,
                   const std::string& target, const std::string& verdict) {
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", name, cell(b, unit), cell(a, unit), target,
                            verdict);
    };
    const std::string ok = "<span class=\"ok\">&#10003; met</span>";
    const std::string miss = "<span class=\"miss\">&#9888; not met</span>";
    row("Integrated loudness", r.before.integratedLufs, r.after.integratedLufs, "LUFS",
        fmt::format("{:.1f} &plusmn; 0.1", p.target.integratedLufs.value), r.loudnessReached ? ok : miss);
    row("True peak", r.before.truePeakDbtp, r.after.truePeakDbtp, "dBTP", fmt::format("&le; {:.1f}", p.target.ceilingDbtp.value),
        peakOk ? ok : miss);
    row("Loudness range", r.before.loudnessRangeLu, r.after.loudnessRangeLu, "LU", "", "");
    row("Short-term max", r.before.shortTermMaxLufs, r.after.shortTermMaxLufs, "LUFS", "", "");
    row("PLR (peak to loudness)", r.before.plr(), r.after.plr(), "LU", "", "");
    row("Sample peak", r.before.samplePeakDbfs, r.after.samplePeakDbfs, "dBFS", "", "");
    html += "</table>\n";
    if (!r.warnings.empty()) {
        html += "<div class=\"warnings\"><b>Warnings</b><ul>\n";
        for (const auto& w : r.warnings) html += "<li>" + escapeHtml(w) + "</li>\n";
        html += "</ul></div>\n";
    }
    html += "<h3>What was done</h3><ul class=\"notes\">\n";
    for (const auto& n : p.notes) html += "<li>" + escapeHtml(n) + "</li>\n";
    html += fmt::format("<li>limiter: true-peak (4&times; oversampled), lookahead {:.0f} ms, release {:.0f} ms, working ceiling {:.2f} dBTP; "
                        "drive {:+.2f} dB, trim {:+.2f} dB</li>\n",
                        p.limiterLookahead.value * 1000.0, p.limiterRelease.value * 1000.0, p.limiterCeiling.value, p.drive.value,
                        p.trim.value);
    html += fmt::format("<li>gain reduction: limiter max {:.1f} dB, mean {:.2f} dB, above 1 dB {:.1f}% of the time",
                        r.limiter.maxDb, r.limiter.meanDb, r.limiter.percentAbove1Db);
    if (p.compress || p.multiband)
        html += fmt::format("; {} max {:.1f} dB, mean {:.2f} dB, above 1 dB {:.1f}% of the time",
                            p.multiband ? "multiband compressor (deepest band)" : "compressor", r.compressor.maxDb,
                            r.compressor.meanDb, r.compressor.percentAbove1Db);
    html += "</li>\n";
    const bool mp3 = r.verification == Verification::decoded;
    html += fmt::format("<li>output: {}{}, {:.0f} Hz, {} passes, {:.2f} s ({:.0f}&times; realtime); {}</li>\n",
                        mp3 ? "MP3 320 kbps" : fmt::format("{}-bit", r.bits),
                        mp3 || r.bits == 32 ? (mp3 ? "" : " float")
                        : r.dither == DitherMode::shaped ? " with noise-shaped dither"
                        : r.dither == DitherMode::tpdf  ? " with TPDF dither"
                                                        : " undithered",
                        r.after.sampleRate.value, r.passes, elapsed, elapsed > 0 ? r.before.duration.value / elapsed : 0.0,
                        mp3 ? fmt::format("true peak measured on the decoded MP3; encoded {} time{}{}", r.writes, r.writes == 1 ? "" : "s",
                                          r.ceilingLoweredDb > 0 ? fmt::format(", ceiling lowered by {:.2f} dB", r.ceilingLoweredDb) : "")
                            : r.verification == Verification::hash ? "the file read back holds exactly the measured samples"
                                                                   : "measured again from the file");
    html += "</ul>\n";
    if (r.mixIssues) html += mixIssuesSection(*r.mixIssues);
    html += "<div class=\"chart\">" + spectrumChart(r) + "</div>\n";
    html += "<div class=\"chart\">" + eqChart(r) + "</div>\n";
    html += "<div class=\"chart\">" + loudnessChart(r) + "</div>\n";
    html += "<div class=\"chart\">" + reductionChart(r) + "</div>\n";
    return html;
}

const char* kStyle =
    "<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:1120px;color:#222;background:#f6f7f9}\n"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 4px;border-top:1px solid #ccd;padding-top:16px}h3{font-size:16px;margin:16px 0 4px}\n"
    ".target{margin:4px 0 12px}.src{color:#777;font-size:12px}\n"
    "table{border-collapse:collapse;background:#fff;margin:8px 0}td,th{padding:5px 14px;border-bottom:1px solid #e3e5ea;text-align:right}\n"
    "td:first-child,th:first-child{text-align:left}th{background:#eef0f4;font-weight:600}\n"
    ".ok{color:#1e8449;font-weight:600}.miss{color:#b9770e;font-weight:600}\n"
    ".warnings{background:#fff4e0;border:1px solid #f0c27b;padding:8px 14px;margin:10px 0}.warnings ul{margin:4px 0}\n"
    ".notes li{margin:2px 0}.chart{background:#fff;border:1px solid #e3e5ea;margin:12px 0;padding:4px}\n"
    "svg .title{font-size:15px;font-weight:600;fill:#222}svg .tick{font-size:11px;fill:#555}svg .label{font-size:12px;fill:#333}\n"
    "svg .grid{stroke:#e6e8ec;stroke-width:1}svg .frame{fill:none;stroke:#aab}\n"
    "footer{color:#777;font-size:12px;margin-top:24px}\n"
    "</style>\n";

std::string page(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(title) + "</title>\n" + kStyle +
           "</head><body>\n<h1>" + escapeHtml(title) + "</h1>\n" + body +
           "<footer>Loudness: ITU-R BS.1770-4 / EBU R 128 (integrated, EBU Tech 3342 LRA); true peak: BS.1770-4 Annex 2, "
           "4&times; oversampled; measured on the written file. Spectra: 1/3-octave bands, Welch average.</footer>\n"
           "</body></html>\n";
}

}  // namespace

std::string masterSummaryJson(const MasterResult& result, double elapsedSeconds) {
    JsonWriter json;
    json.beginObject();
    writeSummaryMembers(json, result, elapsedSeconds);
    json.endObject();
    return json.str();
}

std::string masterReportJson(const MasterResult& result, double elapsedSeconds) {
    JsonWriter json;
    json.beginObject();
    json.key("reel_master_report").value(1);
    writeSummaryMembers(json, result, elapsedSeconds);
    writeDetailMembers(json, result);
    json.endObject();
    return json.str() + "\n";
}

std::string masterReportHtml(const MasterResult& result, double elapsedSeconds) {
    return page("Reel mastering report", songSection(result, elapsedSeconds));
}

std::string albumReportJson(const AlbumResult& album, double elapsedSeconds, bool details) {
    JsonWriter json;
    json.beginObject();
    if (details) json.key("reel_master_report").value(1);
    json.key("album").beginObject();
    json.key("songs").value(static_cast<std::int64_t>(album.songs.size()));
    json.key("loudness_spread_before_lu").value(album.loudnessSpreadBefore, 2);
    json.key("loudness_spread_after_lu").value(album.loudnessSpreadAfter, 2);
    json.key("tonal_spread_before_db").value(album.tonalSpreadBefore, 2);
    json.key("tonal_spread_after_db").value(album.tonalSpreadAfter, 2);
    json.key("song_targets_lufs").beginArray();
    for (double t : album.songTargets) json.value(t, 2);
    json.endArray();
    json.key("elapsed_s").value(elapsedSeconds, 3);
    json.endObject();
    json.key("songs").beginArray();
    for (const auto& song : album.songs) {
        json.beginObject();
        writeSummaryMembers(json, song, 0.0);
        if (details) writeDetailMembers(json, song);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    return json.str() + (details ? "\n" : "");
}

std::string albumReportHtml(const AlbumResult& album, double elapsedSeconds) {
    std::string body = "<table><tr><th>song</th><th>before LUFS</th><th>target LUFS</th><th>after LUFS</th><th>after dBTP</th><th>LRA before</th><th>LRA after</th></tr>\n";
    for (std::size_t i = 0; i < album.songs.size(); ++i) {
        const auto& s = album.songs[i];
        body += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.1f}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            escapeHtml(s.input.filename().string()), cell(s.before.integratedLufs, ""), album.songTargets[i],
                            cell(s.after.integratedLufs, ""), cell(s.after.truePeakDbtp, ""), cell(s.before.loudnessRangeLu, ""),
                            cell(s.after.loudnessRangeLu, ""));
    }
    body += "</table>\n";
    body += fmt::format("<p>Loudness spread: {:.1f} LU before, {:.1f} LU after. Tonal spread (mean over bands of the songs' "
                        "standard deviation): {:.2f} dB before, {:.2f} dB after. {:.1f} s in all.</p>\n",
                        album.loudnessSpreadBefore, album.loudnessSpreadAfter, album.tonalSpreadBefore, album.tonalSpreadAfter,
                        elapsedSeconds);
    for (const auto& song : album.songs) body += songSection(song, 0.0);
    return page("Reel album mastering report", body);
}

Result<void> writeTextFile(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string pattern = (folder / ("." + path.filename().string() + ".reel-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) return fail(ErrorCode::ioError, fmt::format("{}: cannot create a temporary file in {}", path.string(), folder.string()));
    const char* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n <= 0) {
            ::close(fd);
            ::unlink(pattern.c_str());
            return fail(ErrorCode::ioError, fmt::format("{}: write failed (disk full?)", path.string()));
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
    ::fchmod(fd, 0644);
    ::fsync(fd);
    ::close(fd);
    if (std::rename(pattern.c_str(), path.c_str()) != 0) {
        ::unlink(pattern.c_str());
        return fail(ErrorCode::ioError, fmt::format("{}: cannot rename the temporary file into place", path.string()));
    }
    return {};
}

}  // namespace reel::master
