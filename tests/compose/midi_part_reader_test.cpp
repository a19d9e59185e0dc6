// MIDI clips of a session, from the file to the track: reading the part (track and channel
// selection, errors at the clip's line) and playing it through a SoundFont in the engine's
// MIDI clip player, timed by the session's tempo.
#include "compose/midi_part_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "compose/midi_file.hpp"
#include "compose/soundfont_instrument.hpp"
#include "engine/midi_clip_player.hpp"
#include "session/session_loader.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

/// Format 1: a tempo track (60 bpm: the session's tempo must win), a lead on channel 1 and
/// drums on channel 10.
MidiSong twoParts() {
    MidiSong song;
    song.ticksPerQuarter = 96;
    EXPECT_TRUE(song.tempo.setBpm(0, 60.0));
    MidiTrack tempo;
    tempo.name = "tempo";
    MidiTrack lead;
    lead.name = "lead";
    lead.notes = {{0, 69, 100, 96, 96, 64}};  // A4 on beat 2, one beat long
    lead.events = {{0, MidiEventKind::controlChange, 0, 7, 127, {}}};
    lead.endTick = 384;
    MidiTrack drums;
    drums.notes = {{9, 36, 100, 0, 24, 64}, {9, 38, 100, 192, 24, 64}};
    drums.endTick = 384;
    song.tracks = {tempo, lead, drums};
    return song;
}

session::MidiClip clipOf(const std::filesystem::path& file) {
    session::MidiClip clip;
    clip.file = file;
    clip.fileAsWritten = file.filename().string();
    clip.where = {"song.yaml", 9, 9};
    clip.fileWhere = {"song.yaml", 9, 16};
    return clip;
}

std::filesystem::path writeParts(const std::string& folder) {
    auto path = test::scratchDir(folder) / "parts.mid";
    EXPECT_TRUE(writeMidiFile(path, twoParts()));
    return path;
}

}  // namespace

TEST(MidiPartReader, ReadsTheChosenTrackAndChannel) {
    auto file = writeParts("part-select");
    auto clip = clipOf(file);
    clip.track = 2;
    auto lead = readMidiPart(clip);
    ASSERT_TRUE(lead) << lead.error().message;
    EXPECT_EQ(lead->ticksPerQuarter, 96);
    ASSERT_EQ(lead->notes.size(), 1u);
    EXPECT_EQ(lead->notes[0].key, 69);
    EXPECT_EQ(lead->notes[0].startTick, 96);
    ASSERT_EQ(lead->messages.size(), 1u);
    EXPECT_EQ(lead->messages[0].status, 0xB0);
    EXPECT_EQ(lead->endTick, 384);

    clip.track.reset();
    clip.channel = 10;
    auto drums = readMidiPart(clip);
    ASSERT_TRUE(drums);
    ASSERT_EQ(drums->notes.size(), 2u);
    EXPECT_EQ(drums->notes[1].key, 38);
    EXPECT_TRUE(drums->messages.empty());

    clip.channel.reset();
    auto all = readMidiPart(clip);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->notes.size(), 3u);
    EXPECT_EQ(all->notes[0].startTick, 0);  // merged by start
    EXPECT_EQ(all->notes[1].startTick, 96);
}

TEST(MidiPartReader, ErrorsNameTheClipsLine) {
    auto file = writeParts("part-errors");
    auto clip = clipOf(file);
    clip.track = 4;
    EXPECT_EQ(readMidiPart(clip).error().message,
              "song.yaml:9:9: track 4: parts.mid has 3 tracks (tracks count from 1)");
    clip.track = 1;
    EXPECT_EQ(readMidiPart(clip).error().message,
              "song.yaml:9:9: track 1 of parts.mid has no notes (in a format 1 file the first track often holds only "
              "the tempo; try another track)");
    clip.track = 2;
    clip.channel = 3;
    EXPECT_EQ(readMidiPart(clip).error().message,
              "song.yaml:9:9: track 2 of parts.mid has no notes on channel 3; it has notes on channel 1");

    auto missing = clipOf(file.parent_path() / "none.mid");
    auto error = readMidiPart(missing).error();
    EXPECT_EQ(error.code, ErrorCode::fileNotFound);
    EXPECT_EQ(error.message, "song.yaml:9:16: MIDI file \"none.mid\" not found (looked in " +
                                 (file.parent_path() / "none.mid").string() + ")");

    auto corrupt = file.parent_path() / "corrupt.mid";
    test::writeText(corrupt, "MThd\0\0");
    auto bad = readMidiPart(clipOf(corrupt)).error();
    EXPECT_EQ(bad.code, ErrorCode::corruptData);
    EXPECT_EQ(bad.message.rfind("song.yaml:9:16: " + corrupt.string() + ": byte ", 0), 0u) << bad.message;
}

TEST(MidiClipThroughSoundFont, SessionFileToAudioAtTheSessionTempo) {
    auto dir = test::scratchDir("midi-session");
    std::filesystem::create_directories(dir / "parts");
    ASSERT_TRUE(writeMidiFile(dir / "parts" / "lead.mid", twoParts()));
    test::writeText(dir / "song.yaml", R"(reel: 1
sample_rate: 48000
tempo: 120
tracks:
  - name: Lead
    instrument: {soundfont: gm, program: 80}
    clips:
      - {midi: parts/lead.mid, at: 1s, track: 2}
      - {midi: parts/lead.mid, at: 3s, track: 2, gain: -6dB}
)");
    auto song = session::loadSession(dir / "song.yaml");
    ASSERT_TRUE(song) << song.error().message;
    engine::InstrumentFactory factory;
    registerSoundFontInstrument(factory);
    registerMidiPartReader(factory);
    constexpr int kBlock = 1000;
    auto players = engine::createMidiClipPlayers(song->tracks[0], *song, factory, kBlock);
    ASSERT_TRUE(players) << players.error().message;
    ASSERT_EQ(players->size(), 2u);

    const std::int64_t total = (*players)[1].end().value;
    AudioBuffer track(2, total), block(2, kBlock), scratch(2, kBlock);
    for (std::int64_t at = 0; at < total; at += kBlock) {
        const std::int64_t n = std::min<std::int64_t>(kBlock, total - at);
        block.view(n).clear();
        for (auto& player : *players) ASSERT_TRUE(player.addTo(block.view(n), FramePosition{at}, scratch));
        for (int c = 0; c < 2; ++c) std::copy_n(block.channel(c), n, track.channel(c) + at);
    }
    // The note is on beat 2: 0.5 s after the clip at 120 bpm (the file's 60 bpm would say 1 s).
    std::int64_t onset = -1;
    for (std::int64_t i = 0; i < total && onset < 0; ++i)
        if (track.channel(0)[i] != 0.0f) onset = i;
    EXPECT_NEAR(static_cast<double>(onset), 1.5 * 48000, 48.0);
    // The second clip is the first at -6 dB, sample for sample.
    const float gain = static_cast<float>(toGain(Decibels{-6.0}).value);
    const std::int64_t offset = 2 * 48000;
    for (std::int64_t i = 48000; i < 48000 + 48000; ++i)
        ASSERT_EQ(track.channel(0)[i + offset], track.channel(0)[i] * gain) << i;
    double energy = 0.0;
    for (std::int64_t i = 72000; i < 96000; ++i) energy += track.channel(0)[i] * track.channel(0)[i];
    EXPECT_GT(energy, 1.0);
}
