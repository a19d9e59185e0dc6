#include "engine/midi_clip_player.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace reel::engine {
namespace {

constexpr std::uint8_t kNoteOff = 0x80;
constexpr std::uint8_t kNoteOn = 0x90;
constexpr std::uint8_t kKeyPressure = 0xA0;
constexpr std::uint8_t kControlChange = 0xB0;

// Order of events at one frame: settings first (a program change before the notes it is
// for), then note-offs, then note-ons (a note ending where the next of its key starts
// stays two notes), then the offs of notes too short to last a frame.
enum Order { kMessage, kOff, kOn, kZeroLengthOff };

struct Timed {
    InstrumentEvent event;
    int order;
};

/// The settings a message changes, so a later one of the same key replaces it when chasing:
/// a controller's number or a key's pressure is its own setting; program, channel pressure
/// and pitch bend are one per channel.
std::pair<int, int> settingOf(const MidiPartMessage& m) {
    const int type = m.status & 0xF0;
    return {m.status, (type == kControlChange || type == kKeyPressure) ? m.data1 : -1};
}

}  // namespace

Result<InstrumentPart> timePart(const MidiPart& part, const session::MidiClip& clip, const session::Session& session) {
    const double rate = session.sampleRate.value;
    // The session's tempo counts beats of the meter's note value; a quarter note is beatUnit/4 of them.
    const double secondsPerQuarter = 60.0 / session.tempo * session.meter.beatUnit / 4.0;
    const double framesPerTick = secondsPerQuarter * rate / part.ticksPerQuarter;
    auto frameOf = [&](std::int64_t tick) {
        return static_cast<std::int64_t>(std::llround(static_cast<double>(tick) * framesPerTick));
    };
    const std::int64_t from = toFrames(clip.from, session.sampleRate).value;
    const std::int64_t partEnd = frameOf(part.endTick) - from;
    const std::int64_t length = clip.length ? toFrames(*clip.length, session.sampleRate).value : partEnd;
    if (length <= 0)
        return fail(
            ErrorCode::invalidSession,
            clip.where.prefix() + fmt::format("from {:.3f}s is at or past the end of the MIDI part, which lasts "
                                              "{:.3f}s at the session's tempo",
                                              clip.from.value, static_cast<double>(frameOf(part.endTick)) / rate));

    std::vector<Timed> timed;
    // Settings made before the window are sent at its start, latest value of each, in the
    // order they were last made (a bank select stays before its program change).
    std::map<std::pair<int, int>, std::size_t> chased;
    for (std::size_t i = 0; i < part.messages.size(); ++i)
        if (frameOf(part.messages[i].tick) < from) chased[settingOf(part.messages[i])] = i;
    std::vector<std::size_t> chasedOrder;
    for (const auto& [setting, index] : chased) chasedOrder.push_back(index);
    std::sort(chasedOrder.begin(), chasedOrder.end());
    for (std::size_t index : chasedOrder) {
        const MidiPartMessage& m = part.messages[index];
        timed.push_back({{0, m.status, m.data1, m.data2}, kMessage});
    }
    for (const MidiPartMessage& m : part.messages) {
        const std::int64_t frame = frameOf(m.tick) - from;
        if (frame >= 0 && frame < length) timed.push_back({{frame, m.status, m.data1, m.data2}, kMessage});
    }
    for (const MidiPartNote& note : part.notes) {
        const std::int64_t start = frameOf(note.startTick) - from;
        if (start < 0 || start >= length) continue;
        const std::int64_t end = std::min(frameOf(note.startTick + note.lengthTicks) - from, length);
        const auto channel = static_cast<std::uint8_t>(note.channel & 0x0F);
        const auto key = static_cast<std::uint8_t>(note.key);
        timed.push_back(
            {{start, static_cast<std::uint8_t>(kNoteOn | channel), key, static_cast<std::uint8_t>(note.velocity)},
             kOn});
        timed.push_back(
            {{end, static_cast<std::uint8_t>(kNoteOff | channel), key, 0}, end == start ? kZeroLengthOff : kOff});
    }
    std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) {
        return a.event.frame != b.event.frame ? a.event.frame < b.event.frame : a.order < b.order;
    });
    InstrumentPart result;
    result.length = FrameCount{length};
    result.events.reserve(timed.size());
    for (const Timed& t : timed) result.events.push_back(t.event);
    return result;
}

Result<MidiClipPlayer> MidiClipPlayer::create(const session::MidiClip& clip, std::shared_ptr<Instrument> instrument,
                                              InstrumentPart part, SampleRate rate) {
    MidiClipPlayer player;
    player.clip_ = &clip;
    player.instrument_ = std::move(instrument);
    player.part_ = std::move(part);
    player.start_ = FramePosition{toFrames(clip.at, rate).value};
    player.gain_ = static_cast<float>(toGain(clip.gain).value);
    if (auto started = player.restart(); !started) return std::unexpected(started.error());
    player.length_ = player.player_->length();
    return player;
}

Result<void> MidiClipPlayer::restart() {
    auto player = instrument_->play(part_);
    if (!player) return withContext(player.error(), clip_->where.prefix());
    player_ = std::move(*player);
    next_ = FrameCount{0};
    return {};
}

Result<void> MidiClipPlayer::skipTo(FrameCount offset, AudioBuffer& scratch) {
    if (offset < next_ || !player_)
        if (auto restarted = restart(); !restarted) return restarted;
    while (next_ < offset) {
        const std::int64_t count = std::min((offset - next_).value, scratch.numFrames());
        auto rendered = player_->render(scratch.view(count));
        if (!rendered) return withContext(rendered.error(), clip_->where.prefix());
        next_ = next_ + FrameCount{count};
    }
    return {};
}

Result<void> MidiClipPlayer::addTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch) {
    const FramePosition blockEnd = blockStart + FrameCount{track.numFrames()};
    const FramePosition from = std::max(blockStart, start_);
    const FramePosition to = std::min(blockEnd, end());
    if (from >= to) {
        if (blockStart >= end()) player_.reset();  // done: release the instrument's voices
        return {};
    }
    const FrameCount offset = from - start_;
    if (offset != next_ || !player_)
        if (auto skipped = skipTo(offset, scratch); !skipped) return skipped;

    const std::int64_t count = (to - from).value;
    AudioView audio = scratch.view(count);
    auto rendered = player_->render(audio);
    if (!rendered) return withContext(rendered.error(), clip_->where.prefix());
    // A player ending early (it should not: its length was promised) leaves silence.
    for (int c = 0; c < 2; ++c) std::fill(audio.channel(c) + *rendered, audio.channel(c) + count, 0.0f);
    next_ = offset + FrameCount{count};

    const std::int64_t at = (from - blockStart).value;
    if (track.numChannels() == 1) {
        const float half = 0.5f * gain_;
        float* out = track.channel(0) + at;
        for (std::int64_t i = 0; i < count; ++i) out[i] += (audio.channel(0)[i] + audio.channel(1)[i]) * half;
    } else {
        for (int c = 0; c < 2; ++c) {
            const float* in = audio.channel(c);
            float* out = track.channel(c) + at;
            for (std::int64_t i = 0; i < count; ++i) out[i] += in[i] * gain_;
        }
    }
    if (to == end()) player_.reset();
    return {};
}

Result<std::vector<MidiClipPlayer>> createMidiClipPlayers(const session::Track& track, const session::Session& session,
                                                          const InstrumentFactory& factory, int maxBlock) {
    std::vector<MidiClipPlayer> players;
    if (track.midiClips.empty()) return players;
    if (!track.instrument)
        return fail(ErrorCode::invalidSession,
                    track.midiClips.front().where.prefix() +
                        fmt::format("track \"{}\" has a MIDI clip but no instrument to play it", track.name));
    auto created = factory.create(*track.instrument, session);
    if (!created) return std::unexpected(created.error());
    std::shared_ptr<Instrument> instrument = std::move(*created);
    if (auto prepared = instrument->prepare(session.sampleRate, maxBlock); !prepared)
        return withContext(prepared.error(), track.instrument->where.prefix());
    for (const auto& clip : track.midiClips) {
        auto part = factory.readPart(clip, session);
        if (!part) return std::unexpected(part.error());
        auto timed = timePart(*part, clip, session);
        if (!timed) return std::unexpected(timed.error());
        auto player = MidiClipPlayer::create(clip, instrument, std::move(*timed), session.sampleRate);
        if (!player) return std::unexpected(player.error());
        players.push_back(std::move(*player));
    }
    return players;
}

}  // namespace reel::engine
