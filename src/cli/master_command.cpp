// `reel master MIX -o MASTER`: automatic mastering to a delivery target, verified on the file.
#include "cli/master_command.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/progress_bar.hpp"
#include "core/json_writer.hpp"
#include "io/audio_file_writer.hpp"
#include "master/album.hpp"
#include "master/delivery_target.hpp"
#include "master/master_file.hpp"
#include "master/master_report.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel master MIX -o MASTER [options]\n"
    "       reel master --album SONG1 SONG2 ... -o FOLDER [options]\n\n"
    "Masters a finished mix: analyzes it, decides a chain (gentle corrective EQ, stereo care,\n"
    "compression by intensity, a 4x-oversampled true-peak limiter), and loops until the written\n"
    "file measures within 0.1 LU of the target loudness with its true peak under the ceiling.\n"
    "When a target cannot be reached within the intensity's limits, the master is made as close\n"
    "as allowed and a warning says by how much and why (exit status 0).\n\n"
    "Targets (--target; default streaming):\n"
    "  streaming -14 LUFS, -1 dBTP      apple   -16 LUFS, -1 dBTP     youtube  -14 LUFS, -1 dBTP\n"
    "  cd        -10 LUFS, -0.3 dBTP    club     -8 LUFS, -0.5 dBTP   podcast  -16 LUFS, -1 dBTP\n"
    "  ebu-r128  -23 LUFS, -1 dBTP      atsc-a85 -24 LUFS, -2 dBTP    (sources: docs/mastering.md)\n\n"
    "Options:\n"
    "  -o, --output FILE        the master (.wav, .flac or .mp3); with --album, a folder that exists\n"
    "  --format wav|flac|mp3    with --album: the masters' format (default wav)\n"
    "  --target NAME            a delivery target (above)\n"
    "  --lufs X                 integrated loudness to reach, LUFS (overrides the target's)\n"
    "  --ceiling Y              true-peak ceiling, dBTP (overrides the target's)\n"
    "  -o FILE.mp3              MP3 (LAME, 320 kbps CBR): the true peak is measured on the decoded\n"
    "                           file, and the ceiling lowered and the encode redone until it holds\n"
    "  --bits N                 16, 24, or 32 (float WAV). Default 24\n"
    "  --dither D               when reducing to 16/24 bits: shaped (noise-shaped, the default at 16\n"
    "                           bits), tpdf (flat, the default at 24 bits) or none\n"
    "  --rate HZ                output sample rate (default: the mix's own)\n"
    "  --character C            balanced (default), transparent, warm, bright, punchy\n"
    "  --intensity I            low, medium (default), high: EQ bounds, compression (high: three\n"
    "                           bands, Linkwitz-Riley crossovers at 200 Hz and 3 kHz), and how much\n"
    "                           peak limiting is allowed (4, 8, 12 dB)\n"
    "  --amount LIST            how much of each decision to apply, e.g.\n"
    "                           eq=60%,width=0%,dynamics=40%,loudness=100%\n"
    "  --reference FILE[:W]     match a reference's tonal balance (mid and side, smoothed, at most\n"
    "                           6 dB) and, without --target/--lufs, its loudness. Several with\n"
    "                           weights: --reference a.wav:2,b.wav:1\n"
    "  --save-profile FILE      store the analysis decisions as JSON\n"
    "  --profile FILE           apply a saved profile's decisions (the loudness loop still runs)\n"
    "  --album                  master the songs as one album (see docs/mastering.md)\n"
    "  --report FILE[,FILE]     write a report: .json (data) and/or .html (with pictures)\n"
    "  --json                   print a JSON summary on stdout\n"
    "  -q, --quiet              no progress bar and no summary\n\n"
    "Examples:\n"
    "  reel master mix.wav -o master.wav\n"
    "  reel master mix.wav -o master.flac --target apple --bits 16\n"
    "  reel master mix.wav -o master.mp3 --target streaming\n"
    "  reel master mix.wav -o master.wav --lufs -12 --ceiling -0.5 --intensity high\n"
    "  reel master mix.wav -o master.wav --reference pro.wav --report report.html\n"
    "  reel master --album 01.wav 02.wav 03.wav -o album/ --target streaming\n"
    "  reel master --album 01.wav 02.wav -o album/ --format mp3\n";

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) items.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

Result<std::optional<double>> numberOption(const Arguments& args, const std::string& name, double min, double max,
                                           const char* unit) {
    auto text = args.value(name);
    if (!text) return std::optional<double>{};
    std::string s = *text;
    // Accept the unit written out ("-14LUFS", "-1 dBTP"), as people copy numbers from specs.
    for (const char* suffix : {"LUFS", "LKFS", "dBTP", "dB", "Hz"}) {
        const std::string u = suffix;
        if (s.size() > u.size() && s.compare(s.size() - u.size(), u.size(), u) == 0) {
            s.resize(s.size() - u.size());
            break;
        }
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    double value = 0.0;
    const char* begin = s.data() + (s.starts_with('+') ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || !(value >= min && value <= max))
        return fail(ErrorCode::invalidArgument, fmt::format("--{} \"{}\": expected a number from {} to {} {}", name, *text, min, max, unit));
    return std::optional<double>{value};
}

Result<std::string> readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::fileNotFound, fmt::format("{}: cannot open the profile", path.string()));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string level(const std::optional<Decibels>& v, int decimals = 1) {
    if (!v || !std::isfinite(v->value)) return "-";
    return fmt::format("{:.{}f}", v->value, decimals);
}

void printSummary(const master::MasterResult& r, double elapsed) {
    const auto& p = r.plan;
    printLine(fmt::format("mastered {} -> {} (target {}: {:.1f} LUFS, {:.1f} dBTP)", r.input.string(), r.output.string(), p.target.name,
                          p.target.integratedLufs.value, p.target.ceilingDbtp.value));
    printLine(fmt::format("  loudness   {:>7} -> {:>7} LUFS   {}", level(r.before.integratedLufs), level(r.after.integratedLufs, 2),
                          r.loudnessReached ? "ok (within 0.1 LU)" : fmt::format("NOT reached ({:.1f} LU short)", r.shortfallLu)));
    const bool peakOk = r.after.truePeakDbtp && r.after.truePeakDbtp->value <= p.target.ceilingDbtp.value;
    printLine(fmt::format("  true peak  {:>7} -> {:>7} dBTP   {}", level(r.before.truePeakDbtp), level(r.after.truePeakDbtp, 2),
                          peakOk ? "ok (under the ceiling)" : "ABOVE the ceiling"));
    printLine(fmt::format("  range      {:>7} -> {:>7} LU     PLR {} -> {} LU", level(r.before.loudnessRangeLu), level(r.after.loudnessRangeLu),
                          level(r.before.plr()), level(r.after.plr())));
    printLine(fmt::format("  limiter    max {:.1f} dB, mean {:.2f} dB{}", r.limiter.maxDb, r.limiter.meanDb,
                          p.compress || p.multiband ? fmt::format("; {} max {:.1f} dB, mean {:.2f} dB", p.multiband ? "multiband (deepest band)" : "compressor",
                                                                  r.compressor.maxDb, r.compressor.meanDb)
                                     : std::string()));
    for (const auto& note : p.notes) printLine("  " + note);
    if (r.mixIssues)
        printLine(fmt::format("  the mix: {} problem(s), {} warning(s), {} note(s) (listed in the report)",
                              r.mixIssues->count(analysis::Severity::problem), r.mixIssues->count(analysis::Severity::warning),
                              r.mixIssues->count(analysis::Severity::info)));
    const bool mp3 = r.verification == master::Verification::decoded;
    const char* dither = r.dither == master::DitherMode::shaped ? " noise-shaped-dithered"
                         : r.dither == master::DitherMode::tpdf ? " TPDF-dithered"
                                                                : " undithered";
    printLine(fmt::format("  {}{}, {} passes, {:.2f} s ({:.0f}x realtime){}", mp3 ? "MP3 320 kbps" : fmt::format("{}-bit", r.bits),
                          mp3 ? "" : r.bits == 32 ? " float" : dither, r.passes, elapsed,
                          elapsed > 0 ? r.before.duration.value / elapsed : 0.0,
                          mp3 ? fmt::format("; true peak checked on the decoded file, {} encode{}", r.writes, r.writes == 1 ? "" : "s")
                              : ""));
}

void printWarnings(const std::vector<std::string>& warnings, const std::string& prefix = "") {
    for (const auto& w : warnings) std::fputs(fmt::format("reel master: warning: {}{}\n", prefix, w).c_str(), stderr);
}

Result<void> writeReports(const std::vector<std::string>& paths, const std::function<std::string(bool html)>& make) {
    for (const auto& p : paths) {
        const bool html = p.ends_with(".html") || p.ends_with(".htm");
        if (auto ok = master::writeTextFile(p, make(html)); !ok) return ok;
    }
    return {};
}

ExitStatus runMaster(const Arguments& args, const OutputMode& mode) {
    const std::string name = "master";
    auto usage = [&](const std::string& message) { return report(name, {ErrorCode::invalidArgument, message}, mode, ExitStatus::usage); };
    const bool album = args.has("album");
    if (args.positionals().empty()) return usage("expected a mix to master (reel master MIX -o MASTER)");
    if (!album && args.positionals().size() != 1)
        return usage("expected one mix; to master several songs as an album, add --album");
    auto output = args.value("output");
    if (!output) return usage(album ? "missing -o FOLDER (where the album's masters go)" : "missing -o OUTPUT (a .wav or .flac file)");

    // Target.
    master::MasterSettings settings;
    auto target = master::findDeliveryTarget(args.value("target").value_or("streaming"));
    if (!target) return usage(target.error().message);
    settings.target = *target;
    settings.loudnessGiven = args.has("target");
    auto lufs = numberOption(args, "lufs", -40.0, 0.0, "LUFS");
    if (!lufs) return usage(lufs.error().message);
    auto ceiling = numberOption(args, "ceiling", -12.0, 0.0, "dBTP");
    if (!ceiling) return usage(ceiling.error().message);
    if (*lufs) {
        settings.target.integratedLufs = Decibels{**lufs};
        settings.loudnessGiven = true;
    }
    if (*ceiling) {
        settings.target.ceilingDbtp = Decibels{**ceiling};
        settings.ceilingGiven = true;
    }
    if (*lufs || *ceiling) {
        if (!args.has("target")) settings.target.name = "custom";
        settings.target.source = args.has("target") ? settings.target.source + " (adjusted on the command line)" : "given on the command line";
    }
    settings.ceilingGiven = settings.ceilingGiven || args.has("target");

    // Output format.
    auto bits = args.integer("bits", 16, 32);
    if (!bits) return usage(bits.error().message);
    const std::string outputText = *output;
    io::FileType type = io::FileType::wav;
    std::string extension = ".wav";
    if (auto format = args.value("format")) {
        // An album's masters are named after their mixes, so the format cannot come from -o.
        if (!album) return usage("--format is for --album; a single master's format is its file's extension");
        const std::string f = *format;
        if (f == "wav") type = io::FileType::wav;
        else if (f == "flac") type = io::FileType::flac;
        else if (f == "mp3") type = io::FileType::mp3;
        else return usage(fmt::format("--format {}: expected wav, flac or mp3", f));
        extension = "." + f;
    }
    if (!album) {
        std::string ext = std::filesystem::path(outputText).extension().string();
        for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (ext == ".mp3") {
            type = io::FileType::mp3;
        } else if (auto t = io::fileTypeFromPath(outputText); t) {
            type = *t;
        } else {
            return usage(fmt::format("{}: cannot write a file with {}; name it .wav, .flac or .mp3", outputText,
                                     ext.empty() ? "no extension" : "extension \"" + ext + "\""));
        }
    }
    if (type == io::FileType::mp3 && *bits)
        return usage("--bits does not apply to MP3 (the encoder takes the float master); leave it out");
    auto format = type == io::FileType::mp3 ? Result<io::SampleFormat>(io::SampleFormat::float32)
                                            : io::sampleFormatFromBits(bits->value_or(24), type);
    if (!format) return usage(format.error().message);
    master::OutputSpec out{type, *format, std::nullopt};
    if (auto d = args.value("dither")) {
        auto parsed = master::parseDitherMode(*d);
        if (!parsed) return usage(parsed.error().message);
        if (*format == io::SampleFormat::float32)
            return usage(fmt::format("--dither {}: {} output is not reduced to integers, so there is nothing to dither", *d,
                                     type == io::FileType::mp3 ? "MP3" : "32-bit float"));
        out.dither = *parsed;
    }
    if (auto rate = numberOption(args, "rate", 8000.0, 384000.0, "Hz"); !rate) return usage(rate.error().message);
    else if (*rate) out.rate = SampleRate{**rate};

    // Steering.
    if (auto c = args.value("character")) {
        auto parsed = master::parseCharacter(*c);
        if (!parsed) return usage(parsed.error().message);
        settings.character = *parsed;
    }
    if (auto i = args.value("intensity")) {
        auto parsed = master::parseIntensity(*i);
        if (!parsed) return usage(parsed.error().message);
        settings.intensity = *parsed;
    }
    if (auto a = args.value("amount")) {
        auto parsed = master::parseAmounts(*a);
        if (!parsed) return usage(parsed.error().message);
        settings.amounts = *parsed;
    }
    if (auto r = args.value("reference")) {
        for (const auto& item : splitList(*r)) {
            auto parsed = master::parseReference(item);
            if (!parsed) return usage(parsed.error().message);
            settings.references.push_back(*parsed);
        }
    }
    std::optional<master::MasteringPlan> profile;
    if (auto p = args.value("profile")) {
        auto text = readText(*p);
        if (!text) return report(name, text.error(), mode, ExitStatus::failed);
        auto parsed = master::profileFromJson(*text, *p);
        if (!parsed) return report(name, parsed.error(), mode, ExitStatus::failed);
        profile = std::move(*parsed);
        if (!args.has("target") && !*lufs) settings.target = profile->target;
    }
    std::vector<std::string> reports;
    if (auto r = args.value("report")) {
        reports = splitList(*r);
        for (const auto& path : reports)
            if (!(path.ends_with(".json") || path.ends_with(".html") || path.ends_with(".htm")))
                return usage(fmt::format("--report {}: the report is .json or .html", path));
    }
    if (auto ok = master::checkDeliveryTarget(settings.target); !ok) return usage(ok.error().message);

    ProgressBar progress("mastering", ProgressBar::displayFor(mode.quiet || mode.json));
    std::string lastStage;
    auto onProgress = [&](std::string_view stage, double f) {
        (void)stage;
        progress.update(f);
    };
    const auto started = std::chrono::steady_clock::now();
    auto elapsedNow = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    if (album) {
        master::AlbumJob job;
        for (const auto& p : args.positionals()) job.inputs.emplace_back(p);
        job.outputFolder = outputText;
        job.extension = extension;
        job.out = out;
        job.settings = settings;
        job.profile = profile;
        auto result = master::masterAlbum(job, onProgress);
        progress.update(1.0);
        if (!result) return report(name, result.error(), mode, ExitStatus::failed);
        const double elapsed = elapsedNow();
        if (auto ok = writeReports(reports, [&](bool html) {
                return html ? master::albumReportHtml(*result, elapsed) : master::albumReportJson(*result, elapsed, true);
            });
            !ok)
            return report(name, ok.error(), mode, ExitStatus::failed);
        if (auto p = args.value("save-profile"); p && !result->songs.empty())
            if (auto ok = master::writeTextFile(*p, master::profileToJson(result->songs.front().plan)); !ok)
                return report(name, ok.error(), mode, ExitStatus::failed);
        if (mode.json) printLine(master::albumReportJson(*result, elapsed, false));
        else if (!mode.quiet) {
            for (const auto& song : result->songs) printSummary(song, 0.0);
            printLine(fmt::format("album: loudness spread {:.1f} -> {:.1f} LU, tonal spread {:.2f} -> {:.2f} dB, {:.2f} s",
                                  result->loudnessSpreadBefore, result->loudnessSpreadAfter, result->tonalSpreadBefore,
                                  result->tonalSpreadAfter, elapsed));
        }
        for (const auto& song : result->songs) printWarnings(song.warnings, song.input.string() + ": ");
        return ExitStatus::ok;
    }

    master::MasterJob job;
    job.input = args.positionals()[0];
    job.output = outputText;
    job.out = out;
    job.settings = settings;
    job.profile = profile;
    job.afterSpectrum = reports.empty() ? master::MeasureSpectrum::no : master::MeasureSpectrum::yes;
    job.checkMix = !reports.empty();  // the report points out what is wrong with the mix
    auto result = master::masterFile(job, onProgress);
    progress.update(1.0);
    if (!result) return report(name, result.error(), mode, ExitStatus::failed);
    const double elapsed = elapsedNow();
    if (auto ok = writeReports(reports, [&](bool html) {
            return html ? master::masterReportHtml(*result, elapsed) : master::masterReportJson(*result, elapsed);
        });
        !ok)
        return report(name, ok.error(), mode, ExitStatus::failed);
    if (auto p = args.value("save-profile"))
        if (auto ok = master::writeTextFile(*p, master::profileToJson(result->plan)); !ok)
            return report(name, ok.error(), mode, ExitStatus::failed);
    if (mode.json) printLine(master::masterSummaryJson(*result, elapsed));
    else if (!mode.quiet) printSummary(*result, elapsed);
    printWarnings(result->warnings);
    return ExitStatus::ok;
}

}  // namespace

Command masterCommand() {
    return {"master",
            "master a mix to a delivery target (loudness, true peak), verified on the file",
            kHelp,
            {{"output", 'o', true},
             {"target", 0, true},
             {"lufs", 0, true},
             {"ceiling", 0, true},
             {"bits", 0, true},
             {"dither", 0, true},
             {"rate", 0, true},
             {"character", 0, true},
             {"intensity", 0, true},
             {"amount", 0, true},
             {"reference", 0, true},
             {"save-profile", 0, true},
             {"profile", 0, true},
             {"album", 0, false},
             {"report", 0, true},
             {"format", 0, true}},
            runMaster};
}

}  // namespace reel::cli
