// `reel demo [DIR]`: chart -> arrangement -> MIDI -> stems and mix -> master -> report.
#include "cli/demo_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "cli/arrange_command.hpp"
#include "analysis/mix_report.hpp"
#include "analysis/mix_report_format.hpp"
#include "compose/arranger.hpp"
#include "compose/built_in_instruments.hpp"
#include "compose/chordpro_parser.hpp"
#include "compose/song_folder.hpp"
#include "compose/style.hpp"
#include "core/json_writer.hpp"
#include "engine/render_to_file.hpp"
#include "master/delivery_target.hpp"
#include "master/master_file.hpp"
#include "master/master_report.hpp"
#include "session/session_loader.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel demo [DIR] [--style NAME|FILE] [--no-stems] [--json] [--quiet]\n\n"
    "Takes the demo song (examples/songs/gravel-road.cho) through every stage Reel has and\n"
    "leaves a song folder you can open and change (default ./gravel-road):\n"
    "  chart.cho, arrangement.yaml, parts/*.mid, session.yaml   (reel arrange)\n"
    "  stems/<track>.wav                                        (each track alone, through its chain)\n"
    "  mix.wav                                                  (reel render)\n"
    "  master.wav, master-report.json, master-report.html       (reel master, streaming target)\n"
    "  mix-report.txt, mix-report.json                          (reel analyze --issues mix.wav)\n"
    "Each stage is printed with its time, then the master's loudness.\n\n"
    "Options:\n"
    "  --style NAME|FILE   the arranging style (default pop)\n"
    "  --no-stems          skip rendering the stems\n\n"
    "Examples:\n"
    "  reel demo\n"
    "  reel demo /tmp/song --style folk\n"
    "  reel render /tmp/song/session.yaml -o /tmp/song/mix.wav   # after editing the session\n";

using Clock = std::chrono::steady_clock;

struct Stage {
    std::string name;
    double seconds = 0.0;
    std::string detail;
};

std::string fileName(const std::string& track) {
    std::string out;
    for (unsigned char c : track) out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
    return out;
}

Result<engine::RenderSummary> renderWav(const session::Session& song, const std::filesystem::path& output, int threads = 0) {
    engine::RenderFileOptions options;
    options.output = output;
    options.bits = 24;
    options.render.threads = threads;
    options.render.instruments = &compose::builtInInstruments();
    return engine::renderToFile(song, engine::ProcessorFactory::builtIn(), options);
}

/// The session that plays track `t` alone, through its chain and its sends to the buses,
/// without the master chain. The other tracks are left out (their instruments would load
/// and their chains run on silence) except those that key a sidechain, which stay, muted
/// by the solo, so every name the chains use still exists.
session::Session stemSession(const session::Session& song, std::size_t t) {
    session::Session stem = song;
    stem.tracks.clear();
    for (std::size_t k = 0; k < song.tracks.size(); ++k) {
        if (k != t && !session::keysASidechain(song, song.tracks[k].name)) continue;
        stem.tracks.push_back(song.tracks[k]);
        stem.tracks.back().solo = k == t;
    }
    stem.master.chain.clear();
    return stem;
}

/// Renders every track's stem, two at a time (a stem is one track: it keeps one core busy).
Result<void> renderStems(const session::Session& song, const std::filesystem::path& folder) {
    const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 2);
    std::vector<Result<engine::RenderSummary>> results(song.tracks.size(), fail(ErrorCode::internal, "stem not rendered"));
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t t = next++; t < song.tracks.size(); t = next++)
            results[t] = renderWav(stemSession(song, t), folder / (fileName(song.tracks[t].name) + ".wav"), 1);
    };
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
    work();
    for (auto& thread : threads) thread.join();
    for (const auto& result : results)  // the first failure in track order
        if (!result) return std::unexpected(result.error());
    return {};
}

ExitStatus runDemo(const Arguments& args, const OutputMode& mode) {
    const std::string name = "demo";
    if (args.positionals().size() > 1) return report(name, {ErrorCode::invalidArgument, "expected at most one folder"}, mode, ExitStatus::usage);
    const std::filesystem::path folder = args.positionals().empty() ? std::filesystem::path("gravel-road") : std::filesystem::path(args.positionals()[0]);
    std::vector<Stage> stages;
    auto started = Clock::now();
    auto stage = [&](const std::string& stageName, const std::string& detail) {
        const auto now = Clock::now();
        stages.push_back({stageName, std::chrono::duration<double>(now - started).count(), detail});
        started = now;
        if (!mode.json && !mode.quiet) printLine(fmt::format("{:<9} {:6.2f} s  {}", stageName, stages.back().seconds, detail));
    };
    auto failed = [&](const Error& e) { return report(name, e, mode, ExitStatus::failed); };

    // 1. The chart.
    const auto chartPath = reelSourceDir() / "examples" / "songs" / "gravel-road.cho";
    auto chart = compose::loadChordPro(chartPath);
    if (!chart) return failed(chart.error());
    auto chartText = compose::readTextFile(chartPath);
    if (!chartText) return failed(chartText.error());
    stage("chart", fmt::format("{}: {} sections, {} bars, key {}, {} bpm", chart->title, chart->sections.size(), chart->totalBars(),
                               chart->analysisKey() ? chart->analysisKey()->toString() : "none", chart->tempo.value_or(0)));

    // 2. The arrangement.
    const std::string styleName = args.value("style").value_or("pop");
    auto stylePath = findStyle(styleName);
    if (!stylePath) return failed(stylePath.error());
    auto style = compose::loadStyle(*stylePath);
    if (!style) return failed(style.error());
    compose::ArrangeOptions arrangeOptions;
    arrangeOptions.melody = compose::MelodyGuide::yes;  // the demo sings its tune, as a guide instrument
    auto arrangement = compose::arrange(*chart, *style, arrangeOptions);
    if (!arrangement) return failed(arrangement.error());
    stage("arrange", fmt::format("{} style: {} sections, {} bars", style->name, arrangement->sections.size(), arrangement->totalBars()));
    if (!mode.json && !mode.quiet) printArrangement(*arrangement);

    // 3. MIDI parts and the session.
    auto files = compose::songFiles(*arrangement, *style, styleName);
    if (!files) return failed(files.error());
    files->push_back({"chart.cho", *chartText});
    if (auto written = compose::writeSongFolder(folder, *files); !written) return failed(written.error());
    stage("midi", fmt::format("{} parts, session.yaml, arrangement.yaml -> {}", files->size() - 3, folder.string()));

    // 4. Stems and the mix.
    auto song = session::openSession(folder / "session.yaml");
    if (!song) return failed(song.error());
    if (!args.has("no-stems")) {
        std::filesystem::create_directories(folder / "stems");
        if (auto stems = renderStems(*song, folder / "stems"); !stems) return failed(stems.error());
        stage("stems", fmt::format("{} stems -> {}", song->tracks.size(), (folder / "stems").string()));
    }
    auto mix = renderWav(*song, folder / "mix.wav");
    if (!mix) return failed(mix.error());
    const double seconds = toSeconds(mix->frames, mix->sampleRate).value;
    stage("mix", fmt::format("mix.wav: {:.1f} s, peak {:.1f} dBFS", seconds, mix->peakDbfs));

    // 5. The master and its report.
    master::MasterJob job;
    job.input = folder / "mix.wav";
    job.output = folder / "master.wav";
    auto target = master::findDeliveryTarget("streaming");
    if (!target) return failed(target.error());
    job.settings.target = *target;
    job.settings.loudnessGiven = true;
    job.settings.ceilingGiven = true;
    job.checkMix = true;  // the report says what is wrong with the mix
    auto mastered = master::masterFile(job);
    if (!mastered) return failed(mastered.error());
    const double masterSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (auto ok = master::writeTextFile(folder / "master-report.json", master::masterReportJson(*mastered, masterSeconds)); !ok) return failed(ok.error());
    if (auto ok = master::writeTextFile(folder / "master-report.html", master::masterReportHtml(*mastered, masterSeconds)); !ok) return failed(ok.error());
    const auto lufs = mastered->after.integratedLufs;
    const auto peak = mastered->after.truePeakDbtp;
    stage("master", fmt::format("master.wav: {:.1f} LUFS integrated, {:.1f} dBTP true peak (target {:.0f} LUFS, {:.0f} dBTP)",
                                lufs ? lufs->value : -99.0, peak ? peak->value : -99.0, target->integratedLufs.value, target->ceilingDbtp.value));

    // 6. What is wrong with the mix, also in the mastering report with the master's figures.
    const auto& mixIssues = mastered->mixIssues;  // checked by the master (job.checkMix)
    if (!mixIssues) return failed({ErrorCode::internal, "the master did not check the mix"});
    if (auto ok = master::writeTextFile(folder / "mix-report.json", analysis::toJson(*mixIssues)); !ok) return failed(ok.error());
    if (auto ok = master::writeTextFile(folder / "mix-report.txt", analysis::toText(*mixIssues)); !ok) return failed(ok.error());
    stage("report", fmt::format("mix-report.txt: {} problems, {} warnings, {} notes; master-report.html",
                                mixIssues->count(analysis::Severity::problem), mixIssues->count(analysis::Severity::warning),
                                mixIssues->count(analysis::Severity::info)));

    double total = 0.0;
    for (const auto& s : stages) total += s.seconds;
    if (mode.json) {
        JsonWriter json;
        json.beginObject();
        json.key("folder").value(folder.string());
        json.key("stages").beginArray();
        for (const auto& s : stages) {
            json.beginObject();
            json.key("stage").value(s.name);
            json.key("seconds").value(s.seconds, 3);
            json.key("detail").value(s.detail);
            json.endObject();
        }
        json.endArray();
        json.key("duration_s").value(seconds, 3);
        json.key("integrated_lufs").value(lufs ? std::optional<double>(lufs->value) : std::nullopt, 2);
        json.key("true_peak_dbtp").value(peak ? std::optional<double>(peak->value) : std::nullopt, 2);
        json.key("elapsed_s").value(total, 3);
        json.endObject();
        printLine(json.str());
    } else if (!mode.quiet) {
        printLine(fmt::format("done in {:.2f} s: open {} (session.yaml, mix.wav, master.wav, master-report.html, mix-report.txt)", total, folder.string()));
    }
    return ExitStatus::ok;
}

}  // namespace

Command demoCommand() {
    return {"demo", "run the demo song through every stage into a song folder", kHelp, {{"style", 0, true}, {"no-stems", 0, false}}, runDemo};
}

}  // namespace reel::cli
