// MIDI clips in the engine, with a stand-in instrument whose output shows exactly when
// notes start and end: timing by the session's tempo, the from/length window, chasing
// controllers, placement and gain on the track, and the factory's errors.
#include "engine/midi_clip_player.hpp"

#include <gtest/gtest.h>

#include "engine/instrument_factory.hpp"

using namespace reel;
using namespace reel::engine;

namespace {

constexpr double kRate = 48000.0;

/// Left: an impulse of velocity/127 at each note-on. Right: how many notes are held.
/// It rings for `tail` frames after the part, writing 0.25 there so the tail is visible.
class GateInstrument final : public Instrument {
public:
    explicit GateInstrument(std::int64_t tail, int* prepares = nullptr) : tail_(tail), prepares_(prepares) {}
    Result<void> prepare(SampleRate rate, int maxBlock) override {
        rate_ = rate;
        maxBlock_ = maxBlock;
        if (prepares_) ++*prepares_;
        return {};
    }
    Result<std::unique_ptr<PartPlayer>> play(const InstrumentPart& part) override {
        lastPart_ = part;
        return std::make_unique<Player>(part, tail_, maxBlock_);
    }
    InstrumentPart lastPart_;
    SampleRate rate_;
    int maxBlock_ = 0;

private:
    class Player final : public PartPlayer {
    public:
        Player(InstrumentPart part, std::int64_t tail, int maxBlock)
            : part_(std::move(part)), tail_(tail), maxBlock_(maxBlock) {}
        FrameCount length() const noexcept override { return FrameCount{part_.length.value + tail_}; }
        Result<std::int64_t> render(AudioView out) override {
            if (out.numFrames() > maxBlock_) return fail(ErrorCode::internal, "block larger than maxBlock");
            const std::int64_t n = std::clamp<std::int64_t>(length().value - position_, 0, out.numFrames());
            out.clear();
            for (std::int64_t i = 0; i < n; ++i) {
                const std::int64_t frame = position_ + i;
                for (; next_ < part_.events.size() && part_.events[next_].frame == frame; ++next_) {
                    const auto& e = part_.events[next_];
                    if ((e.status & 0xF0) == 0x90 && e.data2 > 0) {
                        out.channel(0)[i] += static_cast<float>(e.data2) / 127.0f;
                        ++held_;
                    } else if ((e.status & 0xF0) == 0x80) {
                        --held_;
                    }
                }
                out.channel(1)[i] = frame >= part_.length.value ? 0.25f : static_cast<float>(held_);
            }
            position_ += n;
            return n;
        }

    private:
        InstrumentPart part_;
        std::int64_t tail_;
        int maxBlock_;
        std::size_t next_ = 0;
        int held_ = 0;
        std::int64_t position_ = 0;
    };
    std::int64_t tail_;
    int* prepares_;
};

session::Session songAt(double tempo, session::Meter meter = {}) {
    session::Session song;
    song.file = "/song/song.yaml";
    song.sampleRate = SampleRate{kRate};
    song.tempo = tempo;
    song.meter = meter;
    return song;
}

session::MidiClip clipAt(double atSeconds) {
    session::MidiClip clip;
    clip.file = "/song/bass.mid";
    clip.fileAsWritten = "bass.mid";
    clip.at = Seconds{atSeconds};
    clip.where = {"song.yaml", 7, 9};
    clip.fileWhere = {"song.yaml", 7, 16};
    return clip;
}

MidiPart partOf(std::vector<MidiPartNote> notes, std::int64_t endTick, std::vector<MidiPartMessage> messages = {}) {
    return MidiPart{480, std::move(notes), std::move(messages), endTick};
}

InstrumentEvent event(std::int64_t frame, int status, int d1, int d2) {
    return {frame, static_cast<std::uint8_t>(status), static_cast<std::uint8_t>(d1), static_cast<std::uint8_t>(d2)};
}

/// Renders a player's clip onto a stereo track from frame 0 to its end (plus a margin).
AudioBuffer renderOnTrack(MidiClipPlayer& player, int blockSize, int channels = 2) {
    const std::int64_t total = player.end().value + 1000;
    AudioBuffer track(channels, total);
    AudioBuffer block(channels, blockSize);
    AudioBuffer scratch(2, blockSize);
    for (std::int64_t at = 0; at < total; at += blockSize) {
        const std::int64_t n = std::min<std::int64_t>(blockSize, total - at);
        AudioView view = block.view(n);
        view.clear();
        auto added = player.addTo(view, FramePosition{at}, scratch);
        EXPECT_TRUE(added) << added.error().message;
        for (int c = 0; c < channels; ++c) std::copy_n(block.channel(c), n, track.channel(c) + at);
    }
    return track;
}

}  // namespace

TEST(MidiClipTiming, TicksFollowTheSessionTempo) {
    // 120 bpm in 4/4: a quarter note (480 ticks) is 0.5 s = 24000 frames.
    auto timed = timePart(partOf({{0, 60, 100, 480, 240}}, 960), clipAt(0.0), songAt(120.0));
    ASSERT_TRUE(timed) << timed.error().message;
    EXPECT_EQ(timed->length.value, 48000);
    EXPECT_EQ(timed->events, (std::vector<InstrumentEvent>{event(24000, 0x90, 60, 100), event(36000, 0x80, 60, 0)}));

    // 90 bpm in 6/8: the beat is an eighth (60/90 s), so a quarter note is 4/3 s = 64000 frames.
    auto eighths = timePart(partOf({{2, 40, 90, 480, 480}}, 960), clipAt(0.0), songAt(90.0, {6, 8}));
    ASSERT_TRUE(eighths);
    EXPECT_EQ(eighths->events, (std::vector<InstrumentEvent>{event(64000, 0x92, 40, 90), event(128000, 0x82, 40, 0)}));
    EXPECT_EQ(eighths->length.value, 128000);
}

TEST(MidiClipTiming, FromAndLengthCutTheWindowAndControllersAreChased) {
    // Notes at beats 0, 1, 2, 3 (120 bpm); from beat 1 for 2 beats; controllers along the way.
    const auto part =
        partOf({{0, 60, 100, 0, 480}, {0, 62, 100, 480, 480}, {0, 64, 100, 960, 720}, {0, 65, 100, 1440, 480}}, 1920,
               {{0, 0xB0, 0, 1},     // bank select
                {0, 0xC0, 5, 0},     // program
                {100, 0xB0, 7, 50},  // volume, replaced below before `from`
                {200, 0xB0, 7, 90},
                {300, 0xE0, 0, 0x50},   // pitch bend before `from`
                {960, 0xB0, 10, 20},    // pan inside the window
                {1500, 0xB0, 7, 10}});  // after the window: dropped
    auto clip = clipAt(0.0);
    clip.from = Seconds{0.5};
    clip.length = Seconds{1.0};
    auto timed = timePart(part, clip, songAt(120.0));
    ASSERT_TRUE(timed) << timed.error().message;
    EXPECT_EQ(timed->length.value, 48000);
    EXPECT_EQ(timed->events, (std::vector<InstrumentEvent>{
                                 event(0, 0xB0, 0, 1), event(0, 0xC0, 5, 0), event(0, 0xB0, 7, 90),
                                 event(0, 0xE0, 0, 0x50), event(0, 0x90, 62, 100),  // the note at `from` plays
                                 event(24000, 0xB0, 10, 20), event(24000, 0x80, 62, 0), event(24000, 0x90, 64, 100),
                                 event(48000, 0x80, 64, 0)}))  // cut at the clip's end
        << "the note before `from` and the one after the end are not played";
}

TEST(MidiClipTiming, AWindowPastThePartsEndIsAnError) {
    auto clip = clipAt(0.0);
    clip.from = Seconds{3.0};
    auto timed = timePart(partOf({{0, 60, 100, 0, 480}}, 960), clip, songAt(120.0));
    ASSERT_FALSE(timed);
    EXPECT_EQ(timed.error().message,
              "song.yaml:7:9: from 3.000s is at or past the end of the MIDI part, which lasts 1.000s at the session's "
              "tempo");
}

TEST(MidiClipPlayer, PlacesTheInstrumentsAudioAtTheClipWithItsGain) {
    auto song = songAt(120.0);
    auto clip = clipAt(1000.0 / kRate);
    clip.gain = Decibels{-6.0};
    auto instrument = std::make_shared<GateInstrument>(300);
    ASSERT_TRUE(instrument->prepare(song.sampleRate, 256));
    auto timed = timePart(partOf({{0, 60, 127, 0, 480}, {0, 67, 127, 240, 240}}, 960), clip, song);
    ASSERT_TRUE(timed);
    auto player = MidiClipPlayer::create(clip, instrument, *timed, song.sampleRate);
    ASSERT_TRUE(player) << player.error().message;
    EXPECT_EQ(player->start().value, 1000);
    EXPECT_EQ(player->end().value, 1000 + 48000 + 300);

    const auto track = renderOnTrack(*player, 256);
    const float gain = static_cast<float>(toGain(Decibels{-6.0}).value);
    for (std::int64_t i = 0; i < 1000; ++i) ASSERT_EQ(track.channel(1)[i], 0.0f) << i;
    EXPECT_EQ(track.channel(0)[1000], gain);          // the first note, at the clip's first frame
    EXPECT_EQ(track.channel(0)[1000 + 12000], gain);  // the second, an eighth note later
    EXPECT_EQ(track.channel(1)[1000 + 12000], 2.0f * gain);
    EXPECT_EQ(track.channel(1)[1000 + 24000], 0.0f);          // both ended at the quarter note
    EXPECT_EQ(track.channel(1)[1000 + 48000], 0.25f * gain);  // the instrument's tail
    EXPECT_EQ(track.channel(1)[1000 + 48000 + 299], 0.25f * gain);
    EXPECT_EQ(track.channel(1)[1000 + 48000 + 300], 0.0f);  // and nothing after the clip's end
}

TEST(MidiClipPlayer, SameOutputForAnyBlockSizeAndMonoTracksGetTheMean) {
    auto song = songAt(100.0);
    auto clip = clipAt(0.0123);
    auto instrument = std::make_shared<GateInstrument>(100);
    ASSERT_TRUE(instrument->prepare(song.sampleRate, 4096));
    auto timed = timePart(partOf({{0, 60, 100, 17, 400}, {1, 61, 50, 333, 1000}}, 1500), clip, song);
    ASSERT_TRUE(timed);
    auto make = [&] { return MidiClipPlayer::create(clip, instrument, *timed, song.sampleRate).value(); };
    auto first = make();
    const auto reference = renderOnTrack(first, 4096);
    for (int blockSize : {1, 7, 64, 4095}) {
        auto player = make();
        const auto again = renderOnTrack(player, blockSize);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < reference.numFrames(); ++i)
                ASSERT_EQ(again.channel(c)[i], reference.channel(c)[i]) << "block " << blockSize << " frame " << i;
    }
    auto monoPlayer = make();
    const auto mono = renderOnTrack(monoPlayer, 512, 1);
    for (std::int64_t i = 0; i < reference.numFrames(); ++i)
        ASSERT_EQ(mono.channel(0)[i], (reference.channel(0)[i] + reference.channel(1)[i]) * 0.5f) << i;
}

TEST(MidiClipPlayer, AJumpBackRestartsThePart) {
    auto song = songAt(120.0);
    auto clip = clipAt(0.0);
    auto instrument = std::make_shared<GateInstrument>(0);
    ASSERT_TRUE(instrument->prepare(song.sampleRate, 1024));
    auto player =
        MidiClipPlayer::create(clip, instrument, timePart(partOf({{0, 60, 127, 0, 480}}, 480), clip, song).value(),
                               song.sampleRate)
            .value();
    AudioBuffer block(2, 1024), scratch(2, 1024);
    for (std::int64_t at : {0, 1024, 0}) {
        block.view().clear();
        ASSERT_TRUE(player.addTo(block.view(), FramePosition{at}, scratch));
    }
    EXPECT_EQ(block.channel(0)[0], 1.0f);  // the note again, from the start
}

TEST(MidiClipPlayers, OneInstrumentPerTrackPreparedForTheSession) {
    int creates = 0, prepares = 0;
    InstrumentFactory factory;
    factory.add("gate", [&](const InstrumentContext&) -> Result<std::unique_ptr<Instrument>> {
        ++creates;
        return std::make_unique<GateInstrument>(10, &prepares);
    });
    factory.setPartReader([](const session::MidiClip& clip, const session::Session&) -> Result<MidiPart> {
        return partOf({{0, 60, 100, 0, 480}}, clip.fileAsWritten == "long.mid" ? 1920 : 480);
    });
    auto song = songAt(120.0);
    session::Track track;
    track.name = "Keys";
    track.instrument = session::InstrumentConfig{"gate", {}, {"song.yaml", 5, 5}};
    track.midiClips = {clipAt(0.0), clipAt(2.0)};
    track.midiClips[1].fileAsWritten = "long.mid";
    auto players = createMidiClipPlayers(track, song, factory, 512);
    ASSERT_TRUE(players) << players.error().message;
    ASSERT_EQ(players->size(), 2u);
    EXPECT_EQ(creates, 1);
    EXPECT_EQ(prepares, 1);
    EXPECT_EQ((*players)[0].end().value, 24000 + 10);
    EXPECT_EQ((*players)[1].start().value, 96000);
    EXPECT_EQ((*players)[1].end().value, 96000 + 96000 + 10);

    session::Track audioOnly;
    EXPECT_TRUE(createMidiClipPlayers(audioOnly, song, factory, 512).value().empty());
}

TEST(MidiClipPlayers, ErrorsNameTheSessionLine) {
    auto song = songAt(120.0);
    session::Track track;
    track.name = "Keys";
    track.midiClips = {clipAt(0.0)};
    InstrumentFactory empty;
    EXPECT_EQ(createMidiClipPlayers(track, song, empty, 512).error().message,
              "song.yaml:7:9: track \"Keys\" has a MIDI clip but no instrument to play it");

    track.instrument = session::InstrumentConfig{"soundfnt", {}, {"song.yaml", 5, 17}};
    InstrumentFactory factory;
    factory.add("soundfont", [](const InstrumentContext&) -> Result<std::unique_ptr<Instrument>> {
        return std::make_unique<GateInstrument>(0);
    });
    EXPECT_EQ(createMidiClipPlayers(track, song, factory, 512).error().message,
              "song.yaml:5:17: unknown instrument type \"soundfnt\"; did you mean \"soundfont\"? (this version of Reel "
              "has: soundfont)");
    EXPECT_EQ(createMidiClipPlayers(track, song, empty, 512).error().message,
              "song.yaml:5:17: unknown instrument type \"soundfnt\" (no instrument types are registered in this "
              "program)");

    factory.add("picky", [](const InstrumentContext&) -> Result<std::unique_ptr<Instrument>> {
        class Picky final : public Instrument {
            Result<void> prepare(SampleRate, int) override {
                return fail(ErrorCode::invalidArgument, "no 48 kHz here");
            }
            Result<std::unique_ptr<PartPlayer>> play(const InstrumentPart&) override { return nullptr; }
        };
        return std::make_unique<Picky>();
    });
    track.instrument->type = "picky";
    EXPECT_EQ(createMidiClipPlayers(track, song, factory, 512).error().message, "song.yaml:5:17: no 48 kHz here");

    track.instrument->type = "soundfont";
    auto noReader = createMidiClipPlayers(track, song, factory, 512);
    ASSERT_FALSE(noReader);
    EXPECT_EQ(noReader.error().message,
              "song.yaml:7:9: this program cannot read MIDI clips (no MIDI part reader is registered)");
}
