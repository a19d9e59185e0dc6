#include "compose/style.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/unit_text.hpp"

namespace reel::compose {
namespace {

struct Reader {
    std::string file;

    Error at(const YAML::Node& node, ErrorCode code, const std::string& message) const {
        const YAML::Mark mark = node.Mark();
        return {code, fmt::format("{}:{}:{}: {}", file, mark.line + 1, mark.column + 1, message)};
    }

    Result<std::string> text(const YAML::Node& node, const std::string& what) const {
        if (!node.IsScalar()) return std::unexpected(at(node, ErrorCode::parseError, what + " must be a single value"));
        return node.Scalar();
    }

    Result<double> number(const YAML::Node& node, const std::string& what, double lo, double hi) const {
        auto t = text(node, what);
        if (!t) return std::unexpected(t.error());
        auto n = parseNumber(*t);
        if (!n || *n < lo || *n > hi)
            return std::unexpected(at(node, ErrorCode::parseError,
                                      fmt::format("{} \"{}\" must be a number from {} to {}", what, *t, lo, hi)));
        return *n;
    }

    Result<double> decibels(const YAML::Node& node, const std::string& what) const {
        auto t = text(node, what);
        if (!t) return std::unexpected(t.error());
        auto d = parseDecibels(*t);
        if (!d) return std::unexpected(at(node, ErrorCode::parseError, fmt::format("{}: {}", what, d.error().message)));
        return d->value;
    }

    Result<std::string> grid(const YAML::Node& node, const std::string& what, const std::string& allowed) const {
        auto t = text(node, what);
        if (!t) return std::unexpected(t.error());
        if (t->empty()) return std::unexpected(at(node, ErrorCode::parseError, what + " is empty; write one character per step"));
        for (char c : *t)
            if (c != '.' && c != '-' && allowed.find(c) == std::string::npos)
                return std::unexpected(at(node, ErrorCode::parseError,
                                          fmt::format("{} \"{}\": '{}' is not a step; use '.' for a rest or one of \"{}\"",
                                                      what, *t, c, allowed)));
        return *t;
    }

    Result<void> onlyKeys(const YAML::Node& map, std::initializer_list<const char*> keys, const std::string& where) const {
        for (const auto& item : map) {
            const std::string key = item.first.as<std::string>();
            if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
                std::string known;
                for (const char* k : keys) known += (known.empty() ? "" : ", ") + std::string(k);
                return std::unexpected(at(item.first, ErrorCode::parseError,
                                          fmt::format("unknown key \"{}\" in {}; expected one of: {}", key, where, known)));
            }
        }
        return {};
    }

    Result<DrumPattern> drums(const YAML::Node& node, const std::string& what) const {
        if (!node.IsMap()) return std::unexpected(at(node, ErrorCode::parseError, what + " must be a map of drum -> step grid"));
        DrumPattern pattern;
        for (const auto& item : node) {
            const std::string key = item.first.as<std::string>();
            if (key == "min_energy") {
                auto e = number(item.second, "min_energy", 0.0, 1.0);
                if (!e) return std::unexpected(e.error());
                pattern.minEnergy = *e;
                continue;
            }
            if (!drumKey(key))
                return std::unexpected(at(item.first, ErrorCode::parseError,
                                          fmt::format("unknown drum \"{}\"; known: kick, snare, hat, open_hat, ride, crash, "
                                                      "tom_high, tom_mid, tom_low, rim, clap, shaker, tambourine", key)));
            auto g = grid(item.second, key, "xXg");
            if (!g) return std::unexpected(g.error());
            pattern.grids[key] = *g;
        }
        return pattern;
    }

    Result<StyleInstrument> instrument(const YAML::Node& node) const {
        if (!node.IsMap()) return std::unexpected(at(node, ErrorCode::parseError, "an instrument must be a map: {name: Bass, role: bass, program: 33}"));
        if (auto ok = onlyKeys(node, {"name", "role", "program", "kit", "min_energy", "range", "volume", "pan", "reverb", "chain"}, "an instrument"); !ok)
            return std::unexpected(ok.error());
        StyleInstrument inst;
        if (!node["name"] || !node["role"])
            return std::unexpected(at(node, ErrorCode::parseError, "an instrument needs name: and role: (drums, bass, comping, pad, melody)"));
        auto name = text(node["name"], "name");
        if (!name) return std::unexpected(name.error());
        inst.name = *name;
        auto role = text(node["role"], "role");
        if (!role) return std::unexpected(role.error());
        bool found = false;
        for (PartRole r : {PartRole::drums, PartRole::bass, PartRole::comping, PartRole::pad, PartRole::melody})
            if (*role == partRoleName(r)) inst.role = r, found = true;
        if (!found)
            return std::unexpected(at(node["role"], ErrorCode::parseError,
                                      fmt::format("unknown role \"{}\"; expected drums, bass, comping, pad or melody", *role)));
        if (node["program"]) {
            auto p = number(node["program"], "program", 0, 127);
            if (!p) return std::unexpected(p.error());
            inst.program = static_cast<int>(*p);
        }
        if (node["kit"]) {
            if (inst.role != PartRole::drums)
                return std::unexpected(at(node["kit"], ErrorCode::parseError,
                                          "kit: names a drum kit, for an instrument with role: drums"));
            auto kit = text(node["kit"], "kit");
            if (!kit) return std::unexpected(kit.error());
            inst.kit = *kit;
        }
        if (node["min_energy"]) {
            auto e = number(node["min_energy"], "min_energy", 0, 1);
            if (!e) return std::unexpected(e.error());
            inst.minEnergy = *e;
        }
        static const std::map<PartRole, std::vector<int>> defaultRange = {
            {PartRole::drums, {35, 81}}, {PartRole::bass, {28, 52}}, {PartRole::comping, {52, 76}},
            {PartRole::pad, {48, 74}}, {PartRole::melody, {64, 84}}};
        inst.range = defaultRange.at(inst.role);
        if (node["range"]) {
            const auto& r = node["range"];
            if (!r.IsSequence() || r.size() != 2)
                return std::unexpected(at(r, ErrorCode::parseError, "range must be [lowest, highest] MIDI notes, e.g. [52, 76]"));
            auto lo = number(r[0], "range", 0, 127);
            auto hi = number(r[1], "range", 0, 127);
            if (!lo) return std::unexpected(lo.error());
            if (!hi) return std::unexpected(hi.error());
            if (*hi - *lo < 12) return std::unexpected(at(r, ErrorCode::parseError, "range must span at least an octave"));
            inst.range = {static_cast<int>(*lo), static_cast<int>(*hi)};
        }
        if (node["volume"]) {
            auto v = decibels(node["volume"], "volume");
            if (!v) return std::unexpected(v.error());
            inst.volumeDb = *v;
        }
        if (node["pan"]) {
            auto p = number(node["pan"], "pan", -1, 1);
            if (!p) return std::unexpected(p.error());
            inst.pan = *p;
        }
        if (node["reverb"]) {
            auto v = decibels(node["reverb"], "reverb");
            if (!v) return std::unexpected(v.error());
            inst.reverbDb = *v;
        }
        if (node["chain"]) {
            if (!node["chain"].IsSequence())
                return std::unexpected(at(node["chain"], ErrorCode::parseError, "chain must be a list of processors, as in a session"));
            YAML::Emitter out;
            out << YAML::Flow << node["chain"];
            inst.chainYaml = out.c_str();
        }
        return inst;
    }

    Result<Style> style(const YAML::Node& root) const {
        if (!root.IsMap()) return std::unexpected(at(root, ErrorCode::parseError, "a style file must be a map (style:, tempo:, instruments:, …)"));
        if (auto ok = onlyKeys(root, {"style", "tempo", "humanize", "energy", "instruments", "drums", "bass", "comping", "reverb"}, "a style");
            !ok)
            return std::unexpected(ok.error());
        Style s;
        s.file = file;
        if (root["style"]) {
            auto n = text(root["style"], "style");
            if (!n) return std::unexpected(n.error());
            s.name = *n;
        }
        if (const auto& t = root["tempo"]) {
            if (!t.IsMap()) return std::unexpected(at(t, ErrorCode::parseError, "tempo must be {min: 90, max: 128, default: 104}"));
            if (auto ok = onlyKeys(t, {"min", "max", "default"}, "tempo"); !ok) return std::unexpected(ok.error());
            for (auto [key, target] : {std::pair{"min", &s.tempoMin}, std::pair{"max", &s.tempoMax}, std::pair{"default", &s.tempoDefault}})
                if (t[key]) {
                    auto v = number(t[key], std::string("tempo ") + key, 20, 400);
                    if (!v) return std::unexpected(v.error());
                    *target = *v;
                }
            if (s.tempoMin > s.tempoMax || s.tempoDefault < s.tempoMin || s.tempoDefault > s.tempoMax)
                return std::unexpected(at(t, ErrorCode::parseError, "tempo needs min <= default <= max"));
        }
        if (const auto& h = root["humanize"]) {
            if (!h.IsMap()) return std::unexpected(at(h, ErrorCode::parseError, "humanize must be {timing: 8ms, velocity: 8}"));
            if (auto ok = onlyKeys(h, {"timing", "velocity"}, "humanize"); !ok) return std::unexpected(ok.error());
            if (h["timing"]) {
                auto t = text(h["timing"], "timing");
                if (!t) return std::unexpected(t.error());
                auto sec = parseSeconds(*t);
                if (!sec || sec->value < 0 || sec->value > 0.05)
                    return std::unexpected(at(h["timing"], ErrorCode::parseError,
                                              fmt::format("humanize timing \"{}\" must be a time from 0ms to 50ms, e.g. 8ms", *t)));
                s.humanize.timingMs = sec->value * 1000.0;
            }
            if (h["velocity"]) {
                auto v = number(h["velocity"], "humanize velocity", 0, 40);
                if (!v) return std::unexpected(v.error());
                s.humanize.velocity = static_cast<int>(*v);
            }
        }
        if (const auto& e = root["energy"]) {
            if (!e.IsMap()) return std::unexpected(at(e, ErrorCode::parseError, "energy must map section kinds to 0 … 1: {verse: 0.5, chorus: 0.8}"));
            for (const auto& item : e) {
                auto v = number(item.second, "energy", 0, 1);
                if (!v) return std::unexpected(v.error());
                s.energy[item.first.as<std::string>()] = *v;
            }
        }
        const auto& insts = root["instruments"];
        if (!insts || !insts.IsSequence() || insts.size() == 0)
            return std::unexpected(at(insts ? insts : root, ErrorCode::parseError, "a style needs instruments: a list of {name, role, program}"));
        for (const auto& node : insts) {
            auto inst = instrument(node);
            if (!inst) return std::unexpected(inst.error());
            for (const auto& other : s.instruments)
                if (other.name == inst->name)
                    return std::unexpected(at(node, ErrorCode::parseError, fmt::format("two instruments are named \"{}\"", inst->name)));
            s.instruments.push_back(*inst);
        }
        if (const auto& d = root["drums"]) {
            if (!d.IsMap()) return std::unexpected(at(d, ErrorCode::parseError, "drums must be {patterns: [...], fill: {...}}"));
            if (auto ok = onlyKeys(d, {"patterns", "fill"}, "drums"); !ok) return std::unexpected(ok.error());
            if (d["patterns"]) {
                if (!d["patterns"].IsSequence()) return std::unexpected(at(d["patterns"], ErrorCode::parseError, "drums patterns must be a list"));
                for (const auto& p : d["patterns"]) {
                    auto pattern = drums(p, "a drum pattern");
                    if (!pattern) return std::unexpected(pattern.error());
                    s.drumPatterns.push_back(*pattern);
                }
            }
            if (d["fill"]) {
                auto fill = drums(d["fill"], "the drum fill");
                if (!fill) return std::unexpected(fill.error());
                s.fill = *fill;
            }
        }
        std::stable_sort(s.drumPatterns.begin(), s.drumPatterns.end(),
                         [](const DrumPattern& a, const DrumPattern& b) { return a.minEnergy < b.minEnergy; });
        bool hasDrums = std::any_of(s.instruments.begin(), s.instruments.end(), [](const auto& i) { return i.role == PartRole::drums; });
        if (hasDrums && s.drumPatterns.empty())
            return std::unexpected(at(root, ErrorCode::parseError, "a style with a drums instrument needs drums: {patterns: [...]}"));
        for (auto [key, rhythm, gate] : {std::tuple{"bass", &s.bassRhythm, &s.bassGate}, std::tuple{"comping", &s.compRhythm, &s.compGate}}) {
            const auto& b = root[key];
            if (!b) continue;
            if (!b.IsMap()) return std::unexpected(at(b, ErrorCode::parseError, fmt::format("{} must be {{rhythm: \"x.......\", gate: 0.9}}", key)));
            if (auto ok = onlyKeys(b, {"rhythm", "gate"}, key); !ok) return std::unexpected(ok.error());
            if (b["rhythm"]) {
                auto g = grid(b["rhythm"], std::string(key) + " rhythm", std::string(key) == "bass" ? "xofa" : "xX");
                if (!g) return std::unexpected(g.error());
                *rhythm = *g;
            }
            if (b["gate"]) {
                auto g = number(b["gate"], "gate", 0.05, 1.0);
                if (!g) return std::unexpected(g.error());
                *gate = *g;
            }
        }
        if (const auto& r = root["reverb"]) {
            if (!r.IsMap()) return std::unexpected(at(r, ErrorCode::parseError, "reverb must be a processor, e.g. {reverb: {size: 0.6}}"));
            YAML::Emitter out;
            out << YAML::Flow << r;
            s.reverbYaml = out.c_str();
        }
        return s;
    }
};

}  // namespace

const char* partRoleName(PartRole role) noexcept {
    switch (role) {
        case PartRole::drums: return "drums";
        case PartRole::bass: return "bass";
        case PartRole::comping: return "comping";
        case PartRole::pad: return "pad";
        case PartRole::melody: return "melody";
    }
    return "comping";
}

std::optional<int> drumKey(const std::string& name) {
    static const std::map<std::string, int> keys = {
        {"kick", 36}, {"snare", 38}, {"hat", 42}, {"open_hat", 46}, {"ride", 51}, {"crash", 49}, {"tom_high", 50},
        {"tom_mid", 47}, {"tom_low", 43}, {"rim", 37}, {"clap", 39}, {"shaker", 70}, {"tambourine", 54}};
    auto it = keys.find(name);
    if (it == keys.end()) return std::nullopt;
    return it->second;
}

double Style::energyFor(const std::string& kind) const {
    if (auto it = energy.find(kind); it != energy.end()) return it->second;
    static const std::map<std::string, double> defaults = {
        {"intro", 0.35}, {"verse", 0.5}, {"prechorus", 0.6}, {"chorus", 0.8}, {"bridge", 0.55}, {"instrumental", 0.65},
        {"solo", 0.7}, {"interlude", 0.45}, {"outro", 0.45}, {"break", 0.25}, {"build", 0.7}, {"ending", 0.5}};
    if (auto it = defaults.find(kind); it != defaults.end()) return it->second;
    return 0.5;
}

Result<Style> parseStyle(const std::string& text, const std::string& fileName) {
    Reader reader{fileName};
    YAML::Node root;
    try {
        root = YAML::Load(text);
        return reader.style(root);
    } catch (const YAML::Exception& e) {
        return fail(ErrorCode::parseError,
                    fmt::format("{}:{}:{}: YAML syntax error: {}", fileName, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
}

Result<Style> loadStyle(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(ErrorCode::fileNotFound, fmt::format("{}: style file not found", path.string()));
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad()) return fail(ErrorCode::fileUnreadable, fmt::format("{}: cannot read the style file", path.string()));
    auto style = parseStyle(text, path.string());
    if (style && style->name.empty()) style->name = path.stem().string();
    return style;
}

}  // namespace reel::compose
