#include "compose/midi_part_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <system_error>

#include "compose/midi_file.hpp"

namespace reel::compose {
namespace {

/// The MIDI 1.0 status byte of a channel event, or 0 for sysex and meta events.
std::uint8_t statusOf(const MidiEvent& e) {
    const auto channel = static_cast<std::uint8_t>(e.channel & 0x0F);
    switch (e.kind) {
        case MidiEventKind::keyPressure:
            return static_cast<std::uint8_t>(0xA0 | channel);
        case MidiEventKind::controlChange:
            return static_cast<std::uint8_t>(0xB0 | channel);
        case MidiEventKind::programChange:
            return static_cast<std::uint8_t>(0xC0 | channel);
        case MidiEventKind::channelPressure:
            return static_cast<std::uint8_t>(0xD0 | channel);
        case MidiEventKind::pitchBend:
            return static_cast<std::uint8_t>(0xE0 | channel);
        default:
            return 0;
    }
}

engine::MidiPartMessage messageOf(const MidiEvent& e, std::uint8_t status) {
    engine::MidiPartMessage m{e.tick, status, 0, 0};
    switch (e.kind) {
        case MidiEventKind::pitchBend: {
            const int raw = e.value + 8192;  // back to the 14-bit wire value
            m.data1 = static_cast<std::uint8_t>(raw & 0x7F);
            m.data2 = static_cast<std::uint8_t>(raw >> 7);
            break;
        }
        case MidiEventKind::channelPressure:
            m.data1 = static_cast<std::uint8_t>(e.value);
            break;
        case MidiEventKind::programChange:
            m.data1 = static_cast<std::uint8_t>(e.number);
            break;
        default:
            m.data1 = static_cast<std::uint8_t>(e.number);
            m.data2 = static_cast<std::uint8_t>(e.value);
            break;
    }
    return m;
}

std::string channelList(const std::set<int>& channels) {
    std::vector<int> shown;
    for (int c : channels) shown.push_back(c + 1);
    return fmt::format("{}", fmt::join(shown, ", "));
}

}  // namespace

Result<engine::MidiPart> readMidiPart(const session::MidiClip& clip) {
    std::error_code ec;
    if (!std::filesystem::exists(clip.file, ec))
        return fail(ErrorCode::fileNotFound,
                    clip.fileWhere.prefix() + fmt::format("MIDI file \"{}\" not found (looked in {})",
                                                          clip.fileAsWritten, clip.file.string()));
    auto song = readMidiFile(clip.file, MidiReadOptions{SysexHandling::skip});
    if (!song) return withContext(song.error(), clip.fileWhere.prefix());
    const std::string name = clip.file.filename().string();
    if (clip.track && *clip.track > static_cast<int>(song->tracks.size()))
        return fail(ErrorCode::invalidSession,
                    clip.where.prefix() + fmt::format("track {}: {} has {} track{} (tracks count from 1)", *clip.track,
                                                      name, song->tracks.size(), song->tracks.size() == 1 ? "" : "s"));

    engine::MidiPart part;
    part.ticksPerQuarter = song->ticksPerQuarter;
    std::set<int> channelsWithNotes;
    const int wantChannel = clip.channel ? *clip.channel - 1 : -1;
    for (std::size_t t = 0; t < song->tracks.size(); ++t) {
        if (clip.track && static_cast<int>(t) + 1 != *clip.track) continue;
        const MidiTrack& track = song->tracks[t];
        part.endTick = std::max(part.endTick, track.endTick);
        for (const auto& note : track.notes) {
            channelsWithNotes.insert(note.channel);
            if (wantChannel >= 0 && note.channel != wantChannel) continue;
            part.notes.push_back({note.channel, note.key, note.velocity, note.startTick, note.lengthTicks});
            part.endTick = std::max(part.endTick, note.startTick + note.lengthTicks);
        }
        for (const auto& event : track.events) {
            const std::uint8_t status = statusOf(event);
            if (status == 0 || (wantChannel >= 0 && event.channel != wantChannel)) continue;
            part.messages.push_back(messageOf(event, status));
        }
    }
    if (part.notes.empty()) {
        const std::string where = clip.track ? fmt::format("track {} of {}", *clip.track, name) : name;
        if (channelsWithNotes.empty())
            return fail(ErrorCode::invalidSession,
                        clip.where.prefix() + fmt::format("{} has no notes{}", where,
                                                          clip.track && song->tracks.size() > 1
                                                              ? " (in a format 1 file the first track often holds only "
                                                                "the tempo; try another track)"
                                                              : ""));
        return fail(ErrorCode::invalidSession,
                    clip.where.prefix() + fmt::format("{} has no notes on channel {}; it has notes on channel{} {}",
                                                      where, *clip.channel, channelsWithNotes.size() == 1 ? "" : "s",
                                                      channelList(channelsWithNotes)));
    }
    // Several tracks merged: notes by start and messages by tick, each stable.
    std::stable_sort(part.notes.begin(), part.notes.end(), [](auto& a, auto& b) { return a.startTick < b.startTick; });
    std::stable_sort(part.messages.begin(), part.messages.end(), [](auto& a, auto& b) { return a.tick < b.tick; });
    return part;
}

void registerMidiPartReader(engine::InstrumentFactory& factory) {
    factory.setPartReader([](const session::MidiClip& clip, const session::Session&) { return readMidiPart(clip); });
}

}  // namespace reel::compose
