#include "session/session_loader.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>
#include <system_error>

#include "core/unit_text.hpp"
#include "session/field_values.hpp"
#include "session/map_reader.hpp"
#include "session/mixer_checks.hpp"
#include "session/mixer_reader.hpp"
#include "session/musical_time.hpp"
#include "session/yaml_file.hpp"

namespace reel::session {
namespace {

constexpr std::array<std::string_view, 10> kSessionKeys{"reel",  "title",    "sample_rate", "tempo",  "meter",
                                                        "key",   "sections", "tracks",      "buses",  "master"};
constexpr std::array<std::string_view, 2> kSectionKeys{"name", "bars"};
constexpr double kMinSampleRate = 8000.0;
constexpr double kMaxSampleRate = 384000.0;

/// `reel: 1` first: a YAML file that is not a session should say so, not list unknown keys.
Result<int> readVersion(const YamlField& root) {
    std::optional<YamlField> field;
    for (const auto& entry : root.value)
        if (entry.first.IsScalar() && entry.first.Scalar() == "reel")
            field = YamlField{"reel", entry.second,
                              locationOf(entry.second.IsNull() ? entry.first : entry.second, root.where.file)};
    if (!field)
        return std::unexpected(errorAt(root, ErrorCode::invalidSession,
                                       fmt::format("no \"reel: {0}\" line: a session file starts with reel: {0} "
                                                   "(the format version)",
                                                   kSessionFormatVersion)));
    auto version = readNumber(*field);
    if (!version || *version != kSessionFormatVersion)
        return std::unexpected(errorAt(*field, ErrorCode::invalidSession,
                                       fmt::format("reel: {} is not a session format version this Reel reads; "
                                                   "supported: {}",
                                                   field->value.IsScalar() ? field->value.Scalar() : kindOf(field->value),
                                                   kSessionFormatVersion)));
    return kSessionFormatVersion;
}

/// 48000, or with a unit: "48kHz", "44100Hz".
Result<SampleRate> readSampleRate(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    double hz = 0.0;
    if (auto number = parseNumber(*text)) hz = *number;
    else if (auto hertz = parseHertz(*text)) hz = hertz->value;
    else
        return std::unexpected(errorAt(field, ErrorCode::parseError,
                                       fmt::format("sample_rate \"{}\" is not a rate; write Hz like 48000 or 48kHz", *text)));
    if (hz != std::floor(hz) || hz < kMinSampleRate || hz > kMaxSampleRate)
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       fmt::format("sample_rate \"{}\" should be a whole number of Hz from {} to {}", *text,
                                                   kMinSampleRate, kMaxSampleRate)));
    return SampleRate{hz};
}

Result<double> readTempo(const YamlField& field) {
    auto tempo = readNumber(field);
    if (!tempo) return std::unexpected(tempo.error());
    if (*tempo <= 0.0 || *tempo > 1000.0)
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       fmt::format("tempo {} is out of range; write beats per minute, more than 0 and "
                                                   "at most 1000",
                                                   field.value.Scalar())));
    return *tempo;
}

Result<std::vector<Section>> readSections(const YamlField& field) {
    auto entries = readList(field, "section");
    if (!entries) return std::unexpected(entries.error());
    std::vector<Section> sections;
    for (const auto& entry : *entries) {
        auto map = MapReader::open(entry, kSectionKeys);
        if (!map) return std::unexpected(map.error());
        Section section;
        section.where = map->where();
        auto nameField = map->require("name", "name it, like name: verse");
        if (!nameField) return std::unexpected(nameField.error());
        auto name = readText(*nameField);
        if (!name) return std::unexpected(name.error());
        section.name = std::move(*name);
        auto barsField = map->require("bars", "say how long it is, like bars: 8");
        if (!barsField) return std::unexpected(barsField.error());
        auto bars = readPositiveCount(*barsField);
        if (!bars) return std::unexpected(bars.error());
        section.bars = *bars;
        sections.push_back(std::move(section));
    }
    return sections;
}

/// The top-level scalars: title, rate, tempo, meter and key.
Result<void> readHeader(const MapReader& map, Session& session) {
    if (auto field = map.find("title")) {
        auto title = readText(*field);
        if (!title) return std::unexpected(title.error());
        session.title = std::move(*title);
    }
    if (auto field = map.find("sample_rate")) {
        auto rate = readSampleRate(*field);
        if (!rate) return std::unexpected(rate.error());
        session.sampleRate = *rate;
    }
    if (auto field = map.find("tempo")) {
        auto tempo = readTempo(*field);
        if (!tempo) return std::unexpected(tempo.error());
        session.tempo = *tempo;
    }
    if (auto field = map.find("meter")) {
        auto meter = readMeter(*field);
        if (!meter) return std::unexpected(meter.error());
        session.meter = *meter;
    }
    if (auto field = map.find("key")) {
        auto key = readText(*field);
        if (!key) return std::unexpected(key.error());
        session.key = std::move(*key);
    }
    return {};
}

/// Sections, buses, tracks and master, in that order.
Result<void> readBody(const MapReader& map, Session& session) {
    if (auto field = map.find("sections")) {
        auto sections = readSections(*field);
        if (!sections) return std::unexpected(sections.error());
        session.sections = std::move(*sections);
    }
    const ClipContext context{session.folder(), session.tempo, session.meter};
    if (auto field = map.find("tracks")) {
        auto entries = readList(*field, "track");
        if (!entries) return std::unexpected(entries.error());
        for (const auto& entry : *entries) {
            auto track = readTrack(entry, context);
            if (!track) return std::unexpected(track.error());
            session.tracks.push_back(std::move(*track));
        }
    }
    if (auto field = map.find("buses")) {
        auto entries = readList(*field, "bus");
        if (!entries) return std::unexpected(entries.error());
        for (const auto& entry : *entries) {
            auto bus = readBus(entry, context);
            if (!bus) return std::unexpected(bus.error());
            session.buses.push_back(std::move(*bus));
        }
    }
    session.master.where = SourceLocation{map.where().file, 0, 0};
    if (auto field = map.find("master")) {
        auto master = readMaster(*field, context);
        if (!master) return std::unexpected(master.error());
        session.master = std::move(*master);
    }
    return {};
}

Result<Session> readSession(const std::filesystem::path& path, const YAML::Node& root) {
    if (root.IsNull())
        return fail(ErrorCode::invalidSession,
                    fmt::format("{}: the session file is empty; start it with reel: {}", path.string(), kSessionFormatVersion));
    const YamlField rootField{"session", root, locationOf(root, path)};
    if (!root.IsMap())
        return std::unexpected(errorAt(rootField, ErrorCode::invalidSession,
                                       fmt::format("a session file is a map of keys (reel: {}, title: ..., tracks: ...), "
                                                   "not {}",
                                                   kSessionFormatVersion, kindOf(root))));
    Session session;
    auto version = readVersion(rootField);
    if (!version) return std::unexpected(version.error());
    session.version = *version;
    std::error_code ec;
    session.file = std::filesystem::absolute(path, ec).lexically_normal();
    if (ec) return fail(ErrorCode::fileUnreadable, fmt::format("{}: {}", path.string(), ec.message()));

    auto map = MapReader::open(rootField, kSessionKeys);
    if (!map) return std::unexpected(map.error());
    if (auto header = readHeader(*map, session); !header) return std::unexpected(header.error());
    if (auto body = readBody(*map, session); !body) return std::unexpected(body.error());
    if (auto names = checkUniqueNames(session); !names) return std::unexpected(names.error());
    if (auto sends = checkSendTargets(session); !sends) return std::unexpected(sends.error());
    return session;
}

}  // namespace

Result<Session> loadSession(const std::filesystem::path& path) {
    auto root = readYamlFile(path);
    if (!root) return std::unexpected(root.error());
    try {
        return readSession(path, *root);
    } catch (const YAML::Exception& e) {
        // The readers only ask nodes for their type and text, which do not throw; this is
        // the edge's guarantee that nothing from yaml-cpp escapes if that ever changes.
        return fail(ErrorCode::internal, fmt::format("{}: unexpected YAML error: {}", path.string(), e.what()));
    }
}

Result<Session> openSession(const std::filesystem::path& path) {
    auto session = loadSession(path);
    if (!session) return session;
    if (auto sources = validateSources(*session); !sources) return std::unexpected(sources.error());
    return session;
}

}  // namespace reel::session
