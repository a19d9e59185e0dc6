// `reel arrange`: a chord chart and a style into a song folder (arrangement, MIDI parts, session).
#include "cli/arrange_command.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "compose/chordpro_parser.hpp"
#include "compose/arranger.hpp"
#include "compose/arrangement_file.hpp"
#include "compose/song_folder.hpp"
#include "compose/style.hpp"
#include "core/json_writer.hpp"

#ifndef REEL_SOURCE_DIR
#define REEL_SOURCE_DIR "."
#endif

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel arrange CHART.cho [--style NAME|FILE] -o FOLDER [--seed N] [--melody-guide] [--json] [--quiet]\n"
    "       reel arrange --from FOLDER/arrangement.yaml [-o FOLDER]\n\n"
    "Arranges a ChordPro chart in a style and writes a song folder:\n"
    "  chart.cho           the chart, as given\n"
    "  arrangement.yaml    sections in playing order (the chart's, plus an intro if it has none, a\n"
    "                      break, a build into the last chorus, the decrescendo after it and an\n"
    "                      ending) with their bars, energy (0 … 1) and instruments\n"
    "  parts/*.mid         one MIDI part per instrument (drums on channel 10)\n"
    "  session.yaml        tracks playing the parts through the General MIDI SoundFont, with a mix\n"
    "                      (EQ, compression, sends to a reverb bus); ready for `reel render`\n"
    "Edit arrangement.yaml (bars, energy, who plays) and run `reel arrange --from` to remake the\n"
    "parts and the session. A new folder appears whole; in an existing one each file is replaced\n"
    "only when complete. A chart with errors writes nothing.\n\n"
    "Options:\n"
    "  --style NAME|FILE   pop (default), rock, ballad, funk, folk, or a style .yaml file\n"
    "  -o, --output DIR    the song folder (with --from: default the arrangement's folder)\n"
    "  --from FILE         arrange again from an edited arrangement.yaml\n"
    "  --seed N            humanize seed (default 1): the same seed gives the same notes\n"
    "  --melody-guide      add a melody guide instrument in the sections with lyrics\n"
    "  --json              print a JSON summary on stdout\n"
    "  -q, --quiet         print nothing on success\n\n"
    "Examples:\n"
    "  reel arrange examples/songs/gravel-road.cho --style pop -o gravel-road/\n"
    "  reel render gravel-road/session.yaml -o gravel-road/mix.wav\n"
    "  reel arrange --from gravel-road/arrangement.yaml\n";

constexpr const char* kStyles[] = {"pop", "rock", "ballad", "funk", "folk"};

void printJson(const compose::Arrangement& a, const std::filesystem::path& folder, const std::vector<compose::SongFile>& files) {
    JsonWriter json;
    json.beginObject();
    json.key("folder").value(folder.string());
    json.key("tempo").value(a.tempo, 2);
    json.key("bars").value(static_cast<std::int64_t>(a.totalBars()));
    json.key("sections").beginArray();
    for (const auto& s : a.sections) {
        json.beginObject();
        json.key("name").value(s.name);
        json.key("kind").value(s.kind);
        json.key("bars").value(static_cast<std::int64_t>(s.bars.size()));
        json.key("energy").value(s.energy, 2);
        json.key("energy_to").value(s.energyEnd, 2);
        json.key("instruments").beginArray();
        for (const auto& i : s.instruments) json.value(i);
        json.endArray();
        json.endObject();
    }
    json.endArray();
    json.key("files").beginArray();
    for (const auto& f : files) json.value(f.path);
    json.endArray();
    json.endObject();
    printLine(json.str());
}

ExitStatus runArrange(const Arguments& args, const OutputMode& mode) {
    const std::string name = "arrange";
    auto usage = [&](const std::string& message) { return report(name, {ErrorCode::invalidArgument, message}, mode, ExitStatus::usage); };
    auto seed = args.integer("seed", 0, 1 << 30);
    if (!seed) return report(name, seed.error(), mode, ExitStatus::usage);

    compose::Arrangement arrangement;
    compose::Style style;
    std::string styleName;
    std::filesystem::path folder;
    std::vector<compose::SongFile> extra;
    if (auto from = args.value("from")) {
        if (!args.positionals().empty()) return usage("give either a chart or --from, not both");
        auto file = compose::loadArrangement(*from);
        if (!file) return report(name, file.error(), mode, ExitStatus::failed);
        const std::filesystem::path base = std::filesystem::path(*from).parent_path();
        styleName = args.value("style").value_or(file->style);
        auto stylePath = findStyle(styleName, base);
        if (!stylePath) return report(name, stylePath.error(), mode, ExitStatus::failed);
        auto loaded = compose::loadStyle(*stylePath);
        if (!loaded) return report(name, loaded.error(), mode, ExitStatus::failed);
        style = *loaded;
        arrangement = file->arrangement;
        if (*seed) arrangement.seed = static_cast<std::uint32_t>(**seed);
        for (const auto& s : arrangement.sections)
            for (const auto& i : s.instruments)
                if (i != "Melody" && std::none_of(style.instruments.begin(), style.instruments.end(), [&](const auto& x) { return x.name == i; }))
                    return report(name, {ErrorCode::invalidSession, fmt::format("{}: section \"{}\" names instrument \"{}\", which the {} style does not have",
                                                                                 *from, s.name, i, style.name)},
                                  mode, ExitStatus::failed);
        folder = args.value("output").value_or(base.empty() ? std::string(".") : base.string());
    } else {
        if (args.positionals().size() != 1) return usage("expected one chart (CHART.cho), or --from ARRANGEMENT.yaml");
        auto output = args.value("output");
        if (!output) return usage("missing -o FOLDER (where the song folder goes)");
        folder = *output;
        auto chart = compose::loadChordPro(args.positionals()[0]);
        if (!chart) return report(name, chart.error(), mode, ExitStatus::failed);
        styleName = args.value("style").value_or("pop");
        auto stylePath = findStyle(styleName);
        if (!stylePath) return report(name, stylePath.error(), mode, ExitStatus::failed);
        auto loaded = compose::loadStyle(*stylePath);
        if (!loaded) return report(name, loaded.error(), mode, ExitStatus::failed);
        style = *loaded;
        compose::ArrangeOptions options;
        options.seed = static_cast<std::uint32_t>(seed->value_or(1));
        options.melody = args.has("melody-guide") ? compose::MelodyGuide::yes : compose::MelodyGuide::no;
        auto arranged = compose::arrange(*chart, style, options);
        if (!arranged) return report(name, arranged.error(), mode, ExitStatus::failed);
        arrangement = *arranged;
        auto text = compose::readTextFile(args.positionals()[0]);
        if (!text) return report(name, text.error(), mode, ExitStatus::failed);
        extra.push_back({"chart.cho", *text});
        // A style given as a file is recorded as an absolute path, so --from finds it from the folder.
        if (styleName.ends_with(".yaml")) styleName = std::filesystem::absolute(*stylePath).string();
    }
    auto files = compose::songFiles(arrangement, style, styleName);
    if (!files) return report(name, files.error(), mode, ExitStatus::failed);
    files->insert(files->end(), extra.begin(), extra.end());
    if (auto written = compose::writeSongFolder(folder, *files); !written) return report(name, written.error(), mode, ExitStatus::failed);

    if (mode.json) printJson(arrangement, folder, *files);
    else if (!mode.quiet) {
        printLine(fmt::format("arranged \"{}\" in the {} style: {} bars at {} bpm -> {}", arrangement.title, style.name,
                              arrangement.totalBars(), arrangement.tempo, folder.string()));
        printArrangement(arrangement);
        printLine(fmt::format("render it with:  reel render {} -o {}", (folder / "session.yaml").string(), (folder / "mix.wav").string()));
    }
    return ExitStatus::ok;
}

}  // namespace

std::filesystem::path reelSourceDir() { return REEL_SOURCE_DIR; }

Result<std::filesystem::path> findStyle(const std::string& nameOrPath, const std::filesystem::path& base) {
    std::error_code ec;
    if (nameOrPath.ends_with(".yaml") || nameOrPath.find('/') != std::string::npos) {
        std::filesystem::path path = nameOrPath;
        if (path.is_relative() && !base.empty()) path = base / path;
        if (std::filesystem::is_regular_file(path, ec)) return path;
        return fail(ErrorCode::fileNotFound, fmt::format("{}: style file not found", path.string()));
    }
    const auto path = reelSourceDir() / "examples" / "styles" / (nameOrPath + ".yaml");
    if (std::filesystem::is_regular_file(path, ec)) return path;
    std::string known;
    for (const char* s : kStyles) known += (known.empty() ? "" : ", ") + std::string(s);
    return fail(ErrorCode::fileNotFound, fmt::format("unknown style \"{}\"; the styles are {} (or give a style .yaml file)", nameOrPath, known));
}

void printArrangement(const compose::Arrangement& arrangement) {
    for (const auto& s : arrangement.sections) {
        std::string who;
        for (const auto& i : s.instruments) who += (who.empty() ? "" : ", ") + i;
        const std::string energy = s.energy == s.energyEnd ? fmt::format("{:.2f}", s.energy) : fmt::format("{:.2f}->{:.2f}", s.energy, s.energyEnd);
        printLine(fmt::format("  {:<14} {:<10} {:>3} bars  energy {:<10} {}", s.name, s.kind, s.bars.size(), energy, who));
    }
}

Command arrangeCommand() {
    return {"arrange", "arrange a chord chart in a style: MIDI parts and a session", kHelp,
            {{"style", 0, true}, {"output", 'o', true}, {"from", 0, true}, {"seed", 0, true}, {"melody-guide", 0, false}},
            runArrange};
}

}  // namespace reel::cli
