#include "compose/arrangement_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>

#include "compose/chordpro_parser.hpp"
#include "core/unit_text.hpp"

namespace reel::compose {

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

namespace {


/// One bar in bar-line notation: as few equal entries as its chord changes allow.
std::string barText(const ArrangedBar& bar, int beatsPerBar) {
    int entries = beatsPerBar;
    for (int n = 1; n <= beatsPerBar; ++n) {
        if (beatsPerBar % n != 0) continue;
        const int share = beatsPerBar / n;
        if (std::all_of(bar.chords.begin(), bar.chords.end(), [&](const BeatChord& c) { return c.startBeat % share == 0; })) {
            entries = n;
            break;
        }
    }
    const int share = beatsPerBar / entries;
    std::string text;
    for (int e = 0; e < entries; ++e) {
        const int beat = e * share;
        const BeatChord& c = bar.at(beat);
        text += (e ? " " : "") + (c.startBeat == beat ? c.chord.toString() : std::string("."));
    }
    return text;
}

std::string barsText(const std::vector<ArrangedBar>& bars, int beatsPerBar) {
    std::string text = "|";
    for (const auto& bar : bars) text += " " + barText(bar, beatsPerBar) + " |";
    return text;
}

std::string number(double value) { return fmt::format("{:.3g}", value); }

Error errorAt(const std::string& file, const YAML::Node& node, const std::string& message) {
    const YAML::Mark mark = node.Mark();
    return {ErrorCode::parseError, fmt::format("{}:{}:{}: {}", file, mark.line + 1, mark.column + 1, message)};
}

}  // namespace

std::string arrangementYaml(const Arrangement& a, const std::string& style) {
    std::string out;
    out += fmt::format("# The arrangement of {}. Edit it and run again:  reel arrange --from arrangement.yaml -o .\n",
                       a.title.empty() ? "the song" : quoted(a.title));
    out += "# bars: ChordPro bar lines (entries share a bar equally, \".\" holds the chord before).\n";
    out += "# energy (0 … 1) at a section's start and energy_to at its end drive velocities, drum patterns and fills.\n";
    out += "arrangement: 1\n";
    out += fmt::format("style: {}\nseed: {}\ntitle: {}\n", quoted(style), a.seed, quoted(a.title));
    if (!a.key.empty()) out += fmt::format("key: {}\n", quoted(a.key));
    out += fmt::format("tempo: {}\nmeter: {}/{}\nsections:\n", number(a.tempo), a.meter.beatsPerBar, a.meter.beatUnit);
    for (const auto& s : a.sections) {
        std::string instruments;
        for (const auto& i : s.instruments) instruments += (instruments.empty() ? "" : ", ") + quoted(i);
        out += fmt::format("  - name: {}\n    kind: {}\n    energy: {}\n    energy_to: {}\n    instruments: [{}]\n    bars: {}\n",
                           quoted(s.name), s.kind, number(s.energy), number(s.energyEnd), instruments,
                           quoted(barsText(s.bars, a.meter.beatsPerBar)));
    }
    return out;
}

Result<ArrangementFile> loadArrangement(const std::filesystem::path& path) {
    const std::string file = path.string();
    auto text = readTextFile(path);
    if (!text) return std::unexpected(text.error());
    try {
        const YAML::Node root = YAML::Load(*text);
        if (!root.IsMap() || !root["arrangement"])
            return std::unexpected(errorAt(file, root, "not an arrangement file; it starts with `arrangement: 1`"));
        ArrangementFile out;
        Arrangement& a = out.arrangement;
        for (const char* key : {"style", "tempo", "meter", "sections"})
            if (!root[key]) return std::unexpected(errorAt(file, root, fmt::format("missing `{}:`", key)));
        out.style = root["style"].as<std::string>();
        if (root["seed"]) a.seed = root["seed"].as<std::uint32_t>();
        if (root["title"]) a.title = root["title"].as<std::string>();
        if (root["key"]) a.key = root["key"].as<std::string>();
        const auto tempo = parseNumber(root["tempo"].as<std::string>());
        if (!tempo || *tempo < 20 || *tempo > 400) return std::unexpected(errorAt(file, root["tempo"], "tempo must be 20 … 400 beats per minute"));
        a.tempo = *tempo;
        const std::string meter = root["meter"].as<std::string>();
        int num = 0, den = 0;
        if (std::sscanf(meter.c_str(), "%d/%d", &num, &den) != 2 || num < 1 || num > 64 || den < 1)
            return std::unexpected(errorAt(file, root["meter"], fmt::format("meter \"{}\" must be like 4/4", meter)));
        a.meter = {num, den};
        if (!root["sections"].IsSequence() || root["sections"].size() == 0)
            return std::unexpected(errorAt(file, root["sections"], "sections must be a list"));
        for (const auto& node : root["sections"]) {
            ArrangedSection s;
            if (!node.IsMap() || !node["name"] || !node["kind"] || !node["bars"])
                return std::unexpected(errorAt(file, node, "a section needs name:, kind: and bars:"));
            s.name = node["name"].as<std::string>();
            s.kind = node["kind"].as<std::string>();
            auto energyOf = [&](const char* key, double fallback) -> Result<double> {
                if (!node[key]) return fallback;
                auto e = parseNumber(node[key].as<std::string>());
                if (!e || *e < 0 || *e > 1) return std::unexpected(errorAt(file, node[key], fmt::format("{} must be a number from 0 to 1", key)));
                return *e;
            };
            auto energy = energyOf("energy", 0.5);
            if (!energy) return std::unexpected(energy.error());
            auto energyTo = energyOf("energy_to", *energy);
            if (!energyTo) return std::unexpected(energyTo.error());
            s.energy = *energy;
            s.energyEnd = *energyTo;
            if (node["instruments"]) {
                if (!node["instruments"].IsSequence())
                    return std::unexpected(errorAt(file, node["instruments"], "instruments must be a list of names"));
                for (const auto& i : node["instruments"]) s.instruments.push_back(i.as<std::string>());
            }
            // The bars read as a one-line chart, errors moved to the line of `bars:`.
            const std::string bars = node["bars"].as<std::string>();
            auto chart = parseChordPro(fmt::format("{{time: {}/{}}}\n{}\n", num, den, bars), "");
            if (!chart) {
                std::string message = chart.error().message;
                if (auto colon = message.find(": "); colon != std::string::npos) message = message.substr(colon + 2);
                return std::unexpected(errorAt(file, node["bars"], "bars: " + message));
            }
            for (const auto& cs : chart->sections)
                for (const auto& bar : cs.bars) {
                    ArrangedBar b;
                    for (const auto& ch : bar.chords) b.chords.push_back({ch.chord, ch.startBeat, ch.beats, ch.held});
                    s.bars.push_back(std::move(b));
                }
            if (s.bars.empty()) return std::unexpected(errorAt(file, node["bars"], "a section needs at least one bar"));
            a.sections.push_back(std::move(s));
        }
        return out;
    } catch (const YAML::Exception& e) {
        return fail(ErrorCode::parseError, fmt::format("{}:{}:{}: {}", file, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
}

}  // namespace reel::compose
