#include "compose/midi_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <system_error>
#include <utility>

#include "compose/midi_vlq.hpp"

namespace reel::compose {
namespace {

// Status bytes and meta types of SMF 1.0 and MIDI 1.0.
constexpr std::uint8_t kNoteOff = 0x80;
constexpr std::uint8_t kNoteOn = 0x90;
constexpr std::uint8_t kKeyPressure = 0xA0;
constexpr std::uint8_t kControlChange = 0xB0;
constexpr std::uint8_t kProgramChange = 0xC0;
constexpr std::uint8_t kChannelPressure = 0xD0;
constexpr std::uint8_t kPitchBend = 0xE0;
constexpr std::uint8_t kSysex = 0xF0;
constexpr std::uint8_t kSysexEscape = 0xF7;
constexpr std::uint8_t kMeta = 0xFF;
constexpr int kMetaTrackName = 0x03;
constexpr int kMetaEndOfTrack = 0x2F;
constexpr int kMetaTempo = 0x51;
constexpr int kMetaTimeSignature = 0x58;
constexpr int kMetaKeySignature = 0x59;
constexpr int kPitchBendCentre = 8192;    // 14-bit bend: 0x2000 is no bend
constexpr std::size_t kHeaderBytes = 14;  // "MThd", length 6, format, tracks, division
constexpr std::size_t kChunkHeaderBytes = 8;

std::string chunkIdText(std::span<const std::uint8_t> id) {
    std::string text;
    for (std::uint8_t b : id) text += (b >= 0x20 && b < 0x7F) ? static_cast<char>(b) : '?';
    return text;
}

std::uint32_t bigEndian(std::span<const std::uint8_t> bytes) {
    std::uint32_t value = 0;
    for (std::uint8_t b : bytes) value = (value << 8) | b;
    return value;
}

/// Reads one MTrk chunk's events into a track and the song's maps.
class TrackParser {
public:
    TrackParser(std::span<const std::uint8_t> file, std::size_t begin, std::size_t end, int number,
                std::string_view name, const MidiReadOptions& options, MidiSong& song)
        : file_(file), pos_(begin), end_(end), number_(number), name_(name), options_(options), song_(song) {}

    Result<MidiTrack> parse() {
        std::int64_t tick = 0;
        bool ended = false;
        while (pos_ < end_ && !ended) {
            const std::size_t eventStart = pos_;
            auto delta = decodeVlq(file_.subspan(pos_, end_ - pos_));
            if (!delta)
                return delta.error() == VlqProblem::tooLong
                           ? corrupt(eventStart,
                                     "delta time is longer than 4 bytes (a variable-length quantity has "
                                     "at most 4)")
                           : corrupt(eventStart, "the track ends inside a delta time");
            pos_ += delta->numBytes;
            tick += delta->value;
            if (pos_ >= end_) return corrupt(eventStart, "the track ends after a delta time, before its event");
            auto event = parseEvent(tick);
            if (!event) return std::unexpected(event.error());
            ended = *event;
        }
        track_.endTick = tick;
        // Notes still held at the end of the track end there.
        for (auto& [key, open] : open_)
            for (std::size_t index : open) track_.notes[index].lengthTicks = tick - track_.notes[index].startTick;
        return std::move(track_);
    }

private:
    std::unexpected<Error> corrupt(std::size_t offset, const std::string& what) const {
        return fail(ErrorCode::corruptData, fmt::format("{}: track {} at byte {}: {}", name_, number_, offset, what));
    }

    /// Reads one event at pos_; true when it was the end of the track.
    Result<bool> parseEvent(std::int64_t tick) {
        const std::size_t at = pos_;
        const std::uint8_t first = file_[pos_];
        if (first == kMeta) return parseMeta(tick);
        if (first == kSysex || first == kSysexEscape) return parseSysex(tick);
        if (first > kSysex)
            return corrupt(at, fmt::format("status 0x{:02X} is a system common or real-time message, which a MIDI "
                                           "file cannot hold",
                                           first));
        std::uint8_t status = running_;
        if (first & 0x80) {
            status = first;
            ++pos_;
        } else if (running_ == 0) {
            return corrupt(at, fmt::format("data byte 0x{:02X} where a status byte is needed, and no running status is "
                                           "in effect",
                                           first));
        }
        running_ = status;
        const std::uint8_t type = status & 0xF0;
        const int needed = (type == kProgramChange || type == kChannelPressure) ? 1 : 2;
        std::uint8_t data[2] = {0, 0};
        for (int i = 0; i < needed; ++i) {
            if (pos_ >= end_)
                return corrupt(at, fmt::format("the track ends inside a 0x{:02X} message, which needs {} data byte{}",
                                               status, needed, needed == 1 ? "" : "s"));
            if (file_[pos_] & 0x80)
                return corrupt(pos_, fmt::format("status byte 0x{:02X} where the 0x{:02X} message at byte {} needs a "
                                                 "data byte (0x00 … 0x7F)",
                                                 file_[pos_], status, at));
            data[i] = file_[pos_++];
        }
        channelMessage(tick, status, data[0], data[1]);
        return false;
    }

    void channelMessage(std::int64_t tick, std::uint8_t status, std::uint8_t d1, std::uint8_t d2) {
        const int channel = status & 0x0F;
        const std::uint8_t type = status & 0xF0;
        // MIDI 1.0: a note-on of velocity 0 is a note-off.
        if (type == kNoteOff || (type == kNoteOn && d2 == 0)) {
            auto& open = open_[{channel, d1}];
            if (open.empty()) return;  // an off with no note on: nothing to end
            MidiNote& note = track_.notes[open.front()];
            open.pop_front();
            note.lengthTicks = tick - note.startTick;
            note.releaseVelocity = type == kNoteOff ? d2 : 0;
            return;
        }
        if (type == kNoteOn) {
            open_[{channel, d1}].push_back(track_.notes.size());
            track_.notes.push_back(MidiNote{channel, d1, d2, tick, 0, 64});
            return;
        }
        MidiEvent event;
        event.tick = tick;
        event.channel = channel;
        if (type == kKeyPressure || type == kControlChange) {
            event.kind = type == kKeyPressure ? MidiEventKind::keyPressure : MidiEventKind::controlChange;
            event.number = d1;
            event.value = d2;
        } else if (type == kProgramChange) {
            event.kind = MidiEventKind::programChange;
            event.number = d1;
        } else if (type == kChannelPressure) {
            event.kind = MidiEventKind::channelPressure;
            event.value = d1;
        } else {  // pitch bend: 14 bits, least significant 7 first
            event.kind = MidiEventKind::pitchBend;
            event.value = ((d2 << 7) | d1) - kPitchBendCentre;
        }
        track_.events.push_back(std::move(event));
    }

    /// The length and payload after a sysex or meta event's type; pos_ ends after the payload.
    Result<std::span<const std::uint8_t>> payload(std::size_t eventStart, const char* what) {
        const std::size_t lengthAt = pos_;
        auto length = decodeVlq(file_.subspan(pos_, end_ - pos_));
        if (!length)
            return length.error() == VlqProblem::tooLong
                       ? corrupt(lengthAt, fmt::format("the length of the {} at byte {} is longer than 4 bytes", what,
                                                       eventStart))
                       : corrupt(eventStart, fmt::format("the track ends inside the {}'s length", what));
        pos_ += length->numBytes;
        if (length->value > end_ - pos_)
            return corrupt(eventStart, fmt::format("the {} says {} data bytes, but the track has {} left", what,
                                                   length->value, end_ - pos_));
        auto data = file_.subspan(pos_, length->value);
        pos_ += length->value;
        return data;
    }

    Result<bool> parseSysex(std::int64_t tick) {
        const std::size_t at = pos_;
        const std::uint8_t status = file_[pos_++];
        running_ = 0;  // SMF 1.0: sysex and meta events cancel running status
        auto data = payload(at, "sysex event");
        if (!data) return std::unexpected(data.error());
        if (options_.sysex == SysexHandling::keep)
            track_.events.push_back(MidiEvent{tick, MidiEventKind::sysex, 0, status, 0, {data->begin(), data->end()}});
        return false;
    }

    Result<bool> parseMeta(std::int64_t tick) {
        const std::size_t at = pos_;
        pos_ += 1;
        running_ = 0;
        if (pos_ >= end_) return corrupt(at, "the track ends inside a meta event, before its type");
        const int type = file_[pos_++];
        if (type & 0x80) return corrupt(pos_ - 1, fmt::format("meta event type 0x{:02X}; types are 0x00 … 0x7F", type));
        auto data = payload(at, fmt::format("meta event 0x{:02X}", type).c_str());
        if (!data) return std::unexpected(data.error());
        auto sizeIs = [&](std::size_t expected, const char* what) -> Result<void> {
            if (data->size() == expected) return {};
            return corrupt(at, fmt::format("{} (FF {:02X}) has {} data bytes; the spec's has {}", what, type,
                                           data->size(), expected));
        };
        switch (type) {
            case kMetaEndOfTrack:
                return true;
            case kMetaTrackName:
                if (!named_) {
                    track_.name.assign(data->begin(), data->end());
                    named_ = true;
                    return false;
                }
                break;
            case kMetaTempo: {
                if (auto ok = sizeIs(3, "set tempo"); !ok) return std::unexpected(ok.error());
                const auto micros = static_cast<int>(bigEndian(*data));
                if (micros == 0) return corrupt(at, "set tempo of 0 µs per quarter note");
                if (auto set = song_.tempo.set(tick, micros); !set) return corrupt(at, set.error().message);
                return false;
            }
            case kMetaTimeSignature: {
                if (auto ok = sizeIs(4, "time signature"); !ok) return std::unexpected(ok.error());
                const auto& d = *data;
                if (d[1] > 7)
                    return corrupt(at, fmt::format("time signature denominator 2^{}; at most 2^7 (128)", d[1]));
                MeterChange change{tick, d[0], 1 << d[1], d[2], d[3]};
                if (auto set = song_.meter.set(change); !set) return corrupt(at, set.error().message);
                return false;
            }
            case kMetaKeySignature: {
                if (auto ok = sizeIs(2, "key signature"); !ok) return std::unexpected(ok.error());
                const int sharps = static_cast<std::int8_t>((*data)[0]);
                const int mode = (*data)[1];
                if (sharps < -7 || sharps > 7 || mode > 1)
                    return corrupt(at, fmt::format("key signature {} sharps, mode {}: expected -7 … 7 and 0 (major) or "
                                                   "1 (minor)",
                                                   sharps, mode));
                song_.keys.push_back(KeySignature{tick, sharps, mode == 1 ? KeyMode::minor : KeyMode::major});
                return false;
            }
            default:
                break;
        }
        track_.events.push_back(MidiEvent{tick, MidiEventKind::meta, 0, type, 0, {data->begin(), data->end()}});
        return false;
    }

    std::span<const std::uint8_t> file_;
    std::size_t pos_;
    std::size_t end_;
    int number_;
    std::string_view name_;
    const MidiReadOptions& options_;
    MidiSong& song_;
    MidiTrack track_;
    std::uint8_t running_ = 0;
    bool named_ = false;
    std::map<std::pair<int, int>, std::deque<std::size_t>> open_;  // (channel, key) -> notes awaiting their off
};

// ---------------------------------------------------------------------------------------
// Writing

/// One event to write: its tick, its place among events at that tick, and its bytes.
struct Item {
    std::int64_t tick;
    int order;
    std::vector<std::uint8_t> bytes;  // status (or FF/F0/F7) first
};

// Order at one tick (see the header): name, conductor, events, note-offs, note-ons, and the
// offs of zero-length notes after their ons.
enum Order { kName, kConductor, kEvent, kOff, kOn, kZeroLengthOff };

std::unexpected<Error> invalid(std::size_t track, const std::string& what) {
    return fail(ErrorCode::invalidArgument, fmt::format("MIDI track {}: {}", track + 1, what));
}

bool in7Bits(int v) { return v >= 0 && v <= 127; }

std::uint8_t byte(int v) { return static_cast<std::uint8_t>(v); }

Item metaItem(std::int64_t tick, int order, int type, std::span<const std::uint8_t> data) {
    Item item{tick, order, {kMeta, byte(type)}};
    appendVlq(item.bytes, static_cast<std::uint32_t>(data.size()));
    item.bytes.insert(item.bytes.end(), data.begin(), data.end());
    return item;
}

Result<Item> eventItem(const MidiEvent& e, std::size_t track) {
    if (e.tick < 0) return invalid(track, fmt::format("event at tick {}; ticks start at 0", e.tick));
    const bool channelEvent = e.kind != MidiEventKind::sysex && e.kind != MidiEventKind::meta;
    if (channelEvent && (e.channel < 0 || e.channel > 15))
        return invalid(track,
                       fmt::format("event at tick {} on channel index {}; channels are 0 … 15", e.tick, e.channel));
    const std::uint8_t channel = byte(e.channel);
    auto outOfRange = [&](const char* what, int v, const char* range) {
        return invalid(track, fmt::format("{} {} at tick {}; {}", what, v, e.tick, range));
    };
    switch (e.kind) {
        case MidiEventKind::controlChange:
            if (!in7Bits(e.number)) return outOfRange("controller", e.number, "controllers are 0 … 127");
            if (!in7Bits(e.value)) return outOfRange("controller value", e.value, "values are 0 … 127");
            return Item{e.tick, kEvent, {byte(kControlChange | channel), byte(e.number), byte(e.value)}};
        case MidiEventKind::programChange:
            if (!in7Bits(e.number)) return outOfRange("program", e.number, "programs are 0 … 127");
            return Item{e.tick, kEvent, {byte(kProgramChange | channel), byte(e.number)}};
        case MidiEventKind::channelPressure:
            if (!in7Bits(e.value)) return outOfRange("channel pressure", e.value, "pressures are 0 … 127");
            return Item{e.tick, kEvent, {byte(kChannelPressure | channel), byte(e.value)}};
        case MidiEventKind::keyPressure:
            if (!in7Bits(e.number)) return outOfRange("key", e.number, "keys are 0 … 127");
            if (!in7Bits(e.value)) return outOfRange("key pressure", e.value, "pressures are 0 … 127");
            return Item{e.tick, kEvent, {byte(kKeyPressure | channel), byte(e.number), byte(e.value)}};
        case MidiEventKind::pitchBend: {
            if (e.value < -kPitchBendCentre || e.value >= kPitchBendCentre)
                return outOfRange("pitch bend", e.value, "bends are -8192 … 8191");
            const int raw = e.value + kPitchBendCentre;
            return Item{e.tick, kEvent, {byte(kPitchBend | channel), byte(raw & 0x7F), byte(raw >> 7)}};
        }
        case MidiEventKind::sysex: {
            if (e.number != kSysex && e.number != kSysexEscape)
                return outOfRange("sysex status", e.number, "0xF0 (sysex) or 0xF7 (escape)");
            if (e.data.size() > kMaxVlq)
                return invalid(track, fmt::format("sysex of {} bytes at tick {}: a MIDI file holds at most {}",
                                                  e.data.size(), e.tick, kMaxVlq));
            Item item{e.tick, kEvent, {byte(e.number)}};
            appendVlq(item.bytes, static_cast<std::uint32_t>(e.data.size()));
            item.bytes.insert(item.bytes.end(), e.data.begin(), e.data.end());
            return item;
        }
        case MidiEventKind::meta:
            if (!in7Bits(e.number)) return outOfRange("meta type", e.number, "meta types are 0x00 … 0x7F");
            if (e.number == kMetaTempo || e.number == kMetaTimeSignature || e.number == kMetaKeySignature ||
                e.number == kMetaEndOfTrack)
                return invalid(track, fmt::format("meta event 0x{:02X} at tick {}: tempo, time and key signatures live "
                                                  "in the song's tempo, meter and keys, the end of track in endTick",
                                                  e.number, e.tick));
            if (e.data.size() > kMaxVlq)
                return invalid(track, fmt::format("meta event of {} bytes at tick {}: a MIDI file holds at most {}",
                                                  e.data.size(), e.tick, kMaxVlq));
            return metaItem(e.tick, kEvent, e.number, e.data);
    }
    return invalid(track, "unknown event kind");
}

Result<void> addNotes(const MidiTrack& track, std::size_t number, std::vector<Item>& items) {
    // Notes in start order (stable), so offs of one key at one tick pair first-on first-off.
    std::vector<const MidiNote*> notes;
    for (const auto& note : track.notes) notes.push_back(&note);
    std::stable_sort(notes.begin(), notes.end(), [](auto* a, auto* b) { return a->startTick < b->startTick; });
    for (const MidiNote* n : notes) {
        if (n->channel < 0 || n->channel > 15)
            return invalid(number, fmt::format("note at tick {} on channel index {}; channels are 0 … 15", n->startTick,
                                               n->channel));
        if (!in7Bits(n->key))
            return invalid(number, fmt::format("note key {} at tick {}; keys are 0 … 127", n->key, n->startTick));
        if (n->velocity < 1 || n->velocity > 127)
            return invalid(number, fmt::format("note velocity {} at tick {}; velocities are 1 … 127 (0 is a note-off)",
                                               n->velocity, n->startTick));
        if (!in7Bits(n->releaseVelocity))
            return invalid(number,
                           fmt::format("release velocity {} at tick {}; 0 … 127", n->releaseVelocity, n->startTick));
        if (n->startTick < 0 || n->lengthTicks < 0)
            return invalid(number, fmt::format("note at tick {} lasting {} ticks; both must be 0 or more", n->startTick,
                                               n->lengthTicks));
        const std::uint8_t channel = byte(n->channel);
        items.push_back({n->startTick, kOn, {byte(kNoteOn | channel), byte(n->key), byte(n->velocity)}});
        // A release velocity of 0 is written as a note-on of velocity 0 (MIDI 1.0), which
        // reads back the same and lets running status cover whole phrases.
        const int order = n->lengthTicks == 0 ? kZeroLengthOff : kOff;
        if (n->releaseVelocity == 0)
            items.push_back({n->startTick + n->lengthTicks, order, {byte(kNoteOn | channel), byte(n->key), 0}});
        else
            items.push_back({n->startTick + n->lengthTicks,
                             order,
                             {byte(kNoteOff | channel), byte(n->key), byte(n->releaseVelocity)}});
    }
    return {};
}

Result<void> addConductor(const MidiSong& song, std::vector<Item>& items) {
    for (const auto& change : song.meter.changes()) {
        int power = 0;
        while ((1 << power) < change.denominator) ++power;
        const std::uint8_t data[4] = {byte(change.numerator), byte(power), byte(change.clocksPerClick),
                                      byte(change.thirtySecondsPerQuarter)};
        items.push_back(metaItem(change.tick, kConductor, kMetaTimeSignature, data));
    }
    for (const auto& key : song.keys) {
        if (key.sharps < -7 || key.sharps > 7 || key.tick < 0)
            return invalid(0, fmt::format("key signature of {} sharps at tick {}; -7 … 7 at tick 0 or later",
                                          key.sharps, key.tick));
        const std::uint8_t data[2] = {static_cast<std::uint8_t>(static_cast<std::int8_t>(key.sharps)),
                                      byte(key.mode == KeyMode::minor ? 1 : 0)};
        items.push_back(metaItem(key.tick, kConductor, kMetaKeySignature, data));
    }
    for (const auto& change : song.tempo.changes()) {
        const auto micros = static_cast<std::uint32_t>(change.microsecondsPerQuarter);
        const std::uint8_t data[3] = {byte(static_cast<int>(micros >> 16)),
                                      byte(static_cast<int>((micros >> 8) & 0xFF)),
                                      byte(static_cast<int>(micros & 0xFF))};
        items.push_back(metaItem(change.tick, kConductor, kMetaTempo, data));
    }
    return {};
}

Result<std::vector<std::uint8_t>> encodeTrack(const MidiSong& song, std::size_t number) {
    const MidiTrack& track = song.tracks[number];
    std::vector<Item> items;
    if (!track.name.empty())
        items.push_back(
            metaItem(0, kName, kMetaTrackName,
                     std::span(reinterpret_cast<const std::uint8_t*>(track.name.data()), track.name.size())));
    if (number == 0)
        if (auto ok = addConductor(song, items); !ok) return std::unexpected(ok.error());
    for (const auto& event : track.events) {
        auto item = eventItem(event, number);
        if (!item) return std::unexpected(item.error());
        items.push_back(std::move(*item));
    }
    if (auto ok = addNotes(track, number, items); !ok) return std::unexpected(ok.error());
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return a.tick != b.tick ? a.tick < b.tick : a.order < b.order;
    });

    std::vector<std::uint8_t> out;
    std::int64_t tick = 0;
    std::uint8_t running = 0;
    auto appendDelta = [&](std::int64_t at) -> Result<void> {
        if (at - tick > static_cast<std::int64_t>(kMaxVlq))
            return invalid(number, fmt::format("{} ticks between events at {} and {}; a delta time holds at most {}",
                                               at - tick, tick, at, kMaxVlq));
        appendVlq(out, static_cast<std::uint32_t>(at - tick));
        tick = at;
        return {};
    };
    for (const Item& item : items) {
        if (auto ok = appendDelta(item.tick); !ok) return std::unexpected(ok.error());
        const std::uint8_t status = item.bytes.front();
        const bool channelMessage = status < kSysex;
        // Running status (SMF 1.0): a channel message repeating the last status omits it;
        // sysex and meta events cancel it.
        const std::size_t skip = channelMessage && status == running ? 1 : 0;
        out.insert(out.end(), item.bytes.begin() + static_cast<std::ptrdiff_t>(skip), item.bytes.end());
        running = channelMessage ? status : 0;
    }
    if (auto ok = appendDelta(std::max(tick, track.endTick)); !ok) return std::unexpected(ok.error());
    out.insert(out.end(), {kMeta, byte(kMetaEndOfTrack), 0});
    return out;
}

void appendBigEndian(std::vector<std::uint8_t>& out, std::uint32_t value, int numBytes) {
    for (int i = numBytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>((value >> (8 * i)) & 0xFF));
}

/// Closes a FILE* when it goes out of scope.
struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

Result<MidiSong> parseMidi(std::span<const std::uint8_t> bytes, std::string_view name, const MidiReadOptions& options) {
    auto corrupt = [&](std::size_t offset, const std::string& what) {
        return fail(ErrorCode::corruptData, fmt::format("{}: byte {}: {}", name, offset, what));
    };
    if (bytes.size() < 4 || chunkIdText(bytes.first(4)) != "MThd")
        return corrupt(0,
                       fmt::format("expected the header chunk \"MThd\", found \"{}\"; this is not a Standard MIDI File",
                                   chunkIdText(bytes.first(std::min<std::size_t>(4, bytes.size())))));
    if (bytes.size() < kHeaderBytes)
        return corrupt(bytes.size(), fmt::format("the file ends inside its header ({} bytes; a header has {})",
                                                 bytes.size(), kHeaderBytes));
    const std::uint32_t headerLength = bigEndian(bytes.subspan(4, 4));
    if (headerLength < 6) return corrupt(4, fmt::format("header chunk length {}; the spec's is 6", headerLength));
    if (headerLength > bytes.size() - kChunkHeaderBytes)
        return corrupt(4, fmt::format("header chunk length {} runs past the end of the file", headerLength));
    const std::uint32_t format = bigEndian(bytes.subspan(8, 2));
    const std::uint32_t numTracks = bigEndian(bytes.subspan(10, 2));
    const std::uint32_t division = bigEndian(bytes.subspan(12, 2));
    if (format == 2)
        return fail(
            ErrorCode::formatUnsupported,
            fmt::format("{}: format 2 (independent sequences) is not supported; Reel reads formats 0 and 1", name));
    if (format > 2) return corrupt(8, fmt::format("format {}; Standard MIDI Files are format 0, 1 or 2", format));
    if (division & 0x8000)
        return fail(ErrorCode::formatUnsupported,
                    fmt::format("{}: SMPTE time division (frames per second) is not supported; Reel reads files timed "
                                "in ticks per quarter note",
                                name));
    if (division == 0) return corrupt(12, "division of 0 ticks per quarter note");
    if (format == 0 && numTracks != 1)
        return corrupt(10, fmt::format("format 0 holds exactly one track; the header says {}", numTracks));

    MidiSong song;
    song.format = format == 0 ? MidiFormat::singleTrack : MidiFormat::multiTrack;
    song.ticksPerQuarter = static_cast<int>(division);
    std::size_t pos = kChunkHeaderBytes + headerLength;  // a longer header's extra bytes are skipped, as the spec asks
    while (song.tracks.size() < numTracks) {
        const int number = static_cast<int>(song.tracks.size()) + 1;
        if (bytes.size() - pos < kChunkHeaderBytes)
            return corrupt(pos, fmt::format("the file ends where track {} of {} should start (the header promises {} "
                                            "track{})",
                                            number, numTracks, numTracks, numTracks == 1 ? "" : "s"));
        const auto id = bytes.subspan(pos, 4);
        const std::uint32_t length = bigEndian(bytes.subspan(pos + 4, 4));
        const std::size_t begin = pos + kChunkHeaderBytes;
        if (length > bytes.size() - begin)
            return corrupt(pos, fmt::format("{} chunk of {} bytes runs past the end of the file ({} bytes left); the "
                                            "file is truncated",
                                            chunkIdText(id) == "MTrk" ? fmt::format("track {}'s", number)
                                                                      : fmt::format("\"{}\"", chunkIdText(id)),
                                            length, bytes.size() - begin));
        pos = begin + length;
        if (chunkIdText(id) != "MTrk") continue;  // an alien chunk: skipped, as SMF 1.0 asks
        TrackParser parser(bytes, begin, begin + length, number, name, options, song);
        auto track = parser.parse();
        if (!track) return std::unexpected(track.error());
        song.tracks.push_back(std::move(*track));
    }
    std::stable_sort(song.keys.begin(), song.keys.end(), [](const auto& a, const auto& b) { return a.tick < b.tick; });
    return song;
}

Result<MidiSong> readMidiFile(const std::filesystem::path& path, const MidiReadOptions& options) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(ErrorCode::fileNotFound, fmt::format("{}: MIDI file not found", path.string()));
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) return fail(ErrorCode::fileUnreadable, fmt::format("{}: cannot open the MIDI file", path.string()));
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[65536];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
    if (std::ferror(file.get())) return fail(ErrorCode::fileUnreadable, fmt::format("{}: read error", path.string()));
    return parseMidi(bytes, path.string(), options);
}

Result<std::vector<std::uint8_t>> encodeMidi(const MidiSong& song) {
    if (song.ticksPerQuarter < 1 || song.ticksPerQuarter > 0x7FFF)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{} ticks per quarter note; a MIDI file holds 1 … 32767", song.ticksPerQuarter));
    if (song.format == MidiFormat::singleTrack && song.tracks.size() != 1)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("a format 0 MIDI file holds exactly one track; this song has {}", song.tracks.size()));
    if (song.tracks.empty()) return fail(ErrorCode::invalidArgument, "a MIDI file needs at least one track");
    if (song.tracks.size() > 0xFFFF)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{} tracks; a MIDI file holds at most 65535", song.tracks.size()));
    std::vector<std::uint8_t> out{'M', 'T', 'h', 'd'};
    appendBigEndian(out, 6, 4);
    appendBigEndian(out, song.format == MidiFormat::singleTrack ? 0 : 1, 2);
    appendBigEndian(out, static_cast<std::uint32_t>(song.tracks.size()), 2);
    appendBigEndian(out, static_cast<std::uint32_t>(song.ticksPerQuarter), 2);
    for (std::size_t t = 0; t < song.tracks.size(); ++t) {
        auto track = encodeTrack(song, t);
        if (!track) return std::unexpected(track.error());
        if (track->size() > 0xFFFFFFFFu)
            return fail(ErrorCode::invalidArgument, fmt::format("MIDI track {} needs more than 4 GiB", t + 1));
        out.insert(out.end(), {'M', 'T', 'r', 'k'});
        appendBigEndian(out, static_cast<std::uint32_t>(track->size()), 4);
        out.insert(out.end(), track->begin(), track->end());
    }
    return out;
}

Result<void> writeMidiFile(const std::filesystem::path& path, const MidiSong& song) {
    auto bytes = encodeMidi(song);
    if (!bytes) return withContext(bytes.error(), path.string() + ": ");
    // Written beside the target and renamed over it, so a failure leaves no half-written file.
    auto temporary = path;
    temporary += ".reel-partial";
    {
        std::unique_ptr<std::FILE, FileCloser> file(std::fopen(temporary.c_str(), "wb"));
        if (!file)
            return fail(ErrorCode::ioError, fmt::format("{}: cannot create {}", path.string(), temporary.string()));
        const bool written = std::fwrite(bytes->data(), 1, bytes->size(), file.get()) == bytes->size();
        const bool closed = std::fclose(file.release()) == 0;
        if (!written || !closed) {
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            return fail(ErrorCode::ioError, fmt::format("{}: writing failed (disk full?)", path.string()));
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        return fail(ErrorCode::ioError, fmt::format("{}: {}", path.string(), ec.message()));
    }
    return {};
}

}  // namespace reel::compose
