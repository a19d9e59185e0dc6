#include "session/mixer_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "session/automation_reader.hpp"
#include "session/chain_reader.hpp"
#include "session/field_values.hpp"
#include "session/instrument_reader.hpp"
#include "session/map_reader.hpp"
#include "session/midi_clip_reader.hpp"

namespace reel::session {
namespace {

constexpr std::array<std::string_view, 10> kTrackKeys{"name", "clips", "instrument", "chain", "sends",
                                                      "automation", "volume", "pan", "mute", "solo"};
constexpr std::array<std::string_view, 6> kBusKeys{"name", "chain", "sends", "automation", "volume", "pan"};
constexpr std::array<std::string_view, 4> kMasterKeys{"chain", "target", "automation", "volume"};
constexpr std::array<std::string_view, 3> kSendKeys{"to", "level", "tap"};
constexpr std::array<std::string_view, 2> kTapNames{"pre", "post"};

Result<std::string> readName(const MapReader& map) {
    auto field = map.require("name", fmt::format("give the {} a name, like name: Lead Vocal", map.name()));
    if (!field) return std::unexpected(field.error());
    auto name = readText(*field);
    if (!name) return std::unexpected(name.error());
    if (name->empty()) return std::unexpected(errorAt(*field, ErrorCode::invalidSession, "name is empty"));
    return name;
}

Result<Send> readSend(const YamlField& field) {
    auto map = MapReader::open(field, kSendKeys);
    if (!map) return std::unexpected(map.error());
    Send send;
    send.where = map->where();
    auto to = map->require("to", "name the bus it feeds, like to: Plate");
    if (!to) return std::unexpected(to.error());
    auto bus = readText(*to);
    if (!bus) return std::unexpected(bus.error());
    send.to = std::move(*bus);
    if (auto levelField = map->find("level")) {
        auto level = readDecibels(*levelField);
        if (!level) return std::unexpected(level.error());
        send.level = *level;
    }
    if (auto tapField = map->find("tap")) {
        auto tap = readChoice(*tapField, kTapNames);
        if (!tap) return std::unexpected(tap.error());
        send.tap = *tap == "pre" ? SendTap::preFader : SendTap::postFader;
    }
    return send;
}

Result<std::vector<Send>> readSends(const MapReader& map) {
    std::vector<Send> sends;
    auto field = map.find("sends");
    if (!field) return sends;
    auto entries = readList(*field, "send");
    if (!entries) return std::unexpected(entries.error());
    for (const auto& entry : *entries) {
        auto send = readSend(entry);
        if (!send) return std::unexpected(send.error());
        sends.push_back(std::move(*send));
    }
    return sends;
}

Result<std::vector<ProcessorConfig>> readOptionalChain(const MapReader& map) {
    if (auto field = map.find("chain")) return readChain(*field);
    return std::vector<ProcessorConfig>{};
}

Result<std::vector<AutomationLane>> readOptionalAutomation(const MapReader& map, const ClipContext& context) {
    if (auto field = map.find("automation")) return readAutomation(*field, context.tempo, context.meter);
    return std::vector<AutomationLane>{};
}

/// Reads `key` with `read` into `out` if it is written.
template <class T, class Reader>
Result<void> readIfWritten(const MapReader& map, std::string_view key, Reader read, T& out) {
    auto field = map.find(key);
    if (!field) return {};
    auto value = read(*field);
    if (!value) return std::unexpected(value.error());
    out = *value;
    return {};
}

}  // namespace

Result<Track> readTrack(const YamlField& field, const ClipContext& context) {
    auto map = MapReader::open(field, kTrackKeys);
    if (!map) return std::unexpected(map.error());
    Track track;
    track.where = map->where();
    auto name = readName(*map);
    if (!name) return std::unexpected(name.error());
    track.name = std::move(*name);
    if (auto clipsField = map->find("clips")) {
        auto entries = readList(*clipsField, "clip");
        if (!entries) return std::unexpected(entries.error());
        for (const auto& entry : *entries) {
            if (isMidiClip(entry)) {
                auto clip = readMidiClip(entry, context);
                if (!clip) return std::unexpected(clip.error());
                track.midiClips.push_back(std::move(*clip));
                continue;
            }
            auto clip = readClip(entry, context);
            if (!clip) return std::unexpected(clip.error());
            track.clips.push_back(std::move(*clip));
        }
    }
    if (auto instrumentField = map->find("instrument")) {
        auto instrument = readInstrument(*instrumentField);
        if (!instrument) return std::unexpected(instrument.error());
        track.instrument = std::move(*instrument);
    }
    if (!track.midiClips.empty() && !track.instrument)
        return std::unexpected(errorAt(track.midiClips.front().where, ErrorCode::invalidSession,
                                       fmt::format("track \"{}\" has a MIDI clip but no instrument to play it; add "
                                                   "instrument: {{soundfont: gm, program: 0}} to the track",
                                                   track.name)));
    auto chain = readOptionalChain(*map);
    if (!chain) return std::unexpected(chain.error());
    track.chain = std::move(*chain);
    auto sends = readSends(*map);
    if (!sends) return std::unexpected(sends.error());
    track.sends = std::move(*sends);
    auto automation = readOptionalAutomation(*map, context);
    if (!automation) return std::unexpected(automation.error());
    track.automation = std::move(*automation);
    for (auto read : {readIfWritten(*map, "volume", readDecibels, track.volume),
                      readIfWritten(*map, "pan", readPan, track.pan), readIfWritten(*map, "mute", readFlag, track.mute),
                      readIfWritten(*map, "solo", readFlag, track.solo)})
        if (!read) return std::unexpected(read.error());
    return track;
}

Result<Bus> readBus(const YamlField& field, const ClipContext& context) {
    auto map = MapReader::open(field, kBusKeys);
    if (!map) return std::unexpected(map.error());
    Bus bus;
    bus.where = map->where();
    auto name = readName(*map);
    if (!name) return std::unexpected(name.error());
    bus.name = std::move(*name);
    auto chain = readOptionalChain(*map);
    if (!chain) return std::unexpected(chain.error());
    bus.chain = std::move(*chain);
    auto sends = readSends(*map);
    if (!sends) return std::unexpected(sends.error());
    bus.sends = std::move(*sends);
    auto automation = readOptionalAutomation(*map, context);
    if (!automation) return std::unexpected(automation.error());
    bus.automation = std::move(*automation);
    for (auto read : {readIfWritten(*map, "volume", readDecibels, bus.volume), readIfWritten(*map, "pan", readPan, bus.pan)})
        if (!read) return std::unexpected(read.error());
    return bus;
}

Result<Master> readMaster(const YamlField& field, const ClipContext& context) {
    auto map = MapReader::open(field, kMasterKeys);
    if (!map) return std::unexpected(map.error());
    Master master;
    master.where = map->where();
    auto chain = readOptionalChain(*map);
    if (!chain) return std::unexpected(chain.error());
    master.chain = std::move(*chain);
    auto automation = readOptionalAutomation(*map, context);
    if (!automation) return std::unexpected(automation.error());
    master.automation = std::move(*automation);
    for (auto read : {readIfWritten(*map, "target", readText, master.target),
                      readIfWritten(*map, "volume", readDecibels, master.volume)})
        if (!read) return std::unexpected(read.error());
    return master;
}

}  // namespace reel::session
