#include "session/midi_clip_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "core/unit_text.hpp"
#include "session/field_values.hpp"
#include "session/map_reader.hpp"
#include "session/musical_time.hpp"

namespace reel::session {
namespace {

constexpr std::array<std::string_view, 7> kMidiClipKeys{"midi", "at", "track", "channel", "from", "length", "gain"};
constexpr int kMidiChannels = 16;

/// "2bars" -> {2, "bars"}; nullopt if the text does not end in a bar or beat unit.
std::optional<std::pair<std::string_view, std::string_view>> splitMusicalUnit(std::string_view text) {
    for (std::string_view unit : {"bars", "bar", "beats", "beat"}) {
        if (text.size() > unit.size() && text.substr(text.size() - unit.size()) == unit) {
            std::string_view number = text.substr(0, text.size() - unit.size());
            while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
            return std::pair{number, unit};
        }
    }
    return std::nullopt;
}

}  // namespace

bool isMidiClip(const YamlField& entry) { return entry.value.IsMap() && entry.value["midi"].IsDefined(); }

Result<Seconds> readMusicalDuration(const YamlField& field, double tempo, const Meter& meter) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    if (looksLikeBarBeat(*text))
        return std::unexpected(errorAt(field, ErrorCode::parseError,
                                       fmt::format("{} \"{}\" is a duration; write seconds like 2s or bars like 2bars "
                                                   "(bar:beat is for positions)",
                                                   field.name, *text)));
    if (auto split = splitMusicalUnit(*text)) {
        auto count = parseNumber(split->first);
        if (!count)
            return std::unexpected(errorAt(field, ErrorCode::parseError,
                                           fmt::format("{} \"{}\": \"{}\" is not a number of {}", field.name, *text,
                                                       split->first, split->second)));
        // A beat is the meter's note value at the session tempo (Session::tempo).
        const double beats = split->second.starts_with("bar") ? *count * meter.beatsPerBar : *count;
        return Seconds{beats * 60.0 / tempo};
    }
    auto seconds = parseSeconds(*text);
    if (!seconds) {
        if (parseNumber(*text))
            return std::unexpected(
                errorAt(field, ErrorCode::parseError,
                        fmt::format("{} \"{}\" has no unit; write {}s or {}bars", field.name, *text, *text, *text)));
        return std::unexpected(errorAt(field, ErrorCode::parseError,
                                       fmt::format("{} \"{}\" is not a duration; write seconds like 2s or 250ms, or "
                                                   "bars or beats like 2bars or 6beats",
                                                   field.name, *text)));
    }
    return *seconds;
}

Result<MidiClip> readMidiClip(const YamlField& field, const ClipContext& context) {
    auto map = MapReader::open(field, kMidiClipKeys);
    if (!map) return std::unexpected(map.error());
    MidiClip clip;
    clip.where = map->where();

    auto placement = readClipPlacement(*map, context, "midi", "add the MIDI file to play, like midi: parts/bass.mid");
    if (!placement) return std::unexpected(placement.error());
    clip.file = placement->file;
    clip.fileAsWritten = placement->fileAsWritten;
    clip.fileWhere = placement->fileWhere;
    clip.at = placement->at;

    if (auto trackField = map->find("track")) {
        auto track = readPositiveCount(*trackField);
        if (!track) return std::unexpected(track.error());
        clip.track = *track;
    }
    if (auto channelField = map->find("channel")) {
        auto channel = readPositiveCount(*channelField);
        if (!channel) return std::unexpected(channel.error());
        if (*channel > kMidiChannels)
            return std::unexpected(
                errorAt(*channelField, ErrorCode::invalidSession,
                        fmt::format("channel {}: MIDI channels are 1 … {}", *channel, kMidiChannels)));
        clip.channel = *channel;
    }
    if (auto fromField = map->find("from")) {
        auto from = readMusicalDuration(*fromField, context.tempo, context.meter);
        if (!from) return std::unexpected(from.error());
        if (from->value < 0.0)
            return std::unexpected(errorAt(*fromField, ErrorCode::invalidSession,
                                           fmt::format("from \"{}\" is negative; it is the offset into the part, 0s or "
                                                       "more",
                                                       fromField->value.Scalar())));
        clip.from = *from;
    }
    if (auto lengthField = map->find("length")) {
        auto length = readMusicalDuration(*lengthField, context.tempo, context.meter);
        if (!length) return std::unexpected(length.error());
        if (length->value <= 0.0)
            return std::unexpected(
                errorAt(*lengthField, ErrorCode::invalidSession,
                        fmt::format("length \"{}\" should be more than 0s", lengthField->value.Scalar())));
        clip.length = *length;
    }
    if (auto gainField = map->find("gain")) {
        auto gain = readDecibels(*gainField);
        if (!gain) return std::unexpected(gain.error());
        clip.gain = *gain;
    }
    return clip;
}

}  // namespace reel::session
