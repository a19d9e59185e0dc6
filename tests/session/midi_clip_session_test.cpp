// The session keys for virtual instruments: a track's `instrument:` and MIDI clips in its
// `clips:` list, with their errors at the line and column.
#include <gtest/gtest.h>

#include "session_files.hpp"

using namespace reel;
using namespace reel::session;
using reel::test::failsAt;
using reel::test::writeSession;

namespace {

Session loadOrFail(const std::filesystem::path& path) {
    auto loaded = loadSession(path);
    EXPECT_TRUE(loaded) << loaded.error().message;
    return loaded ? *loaded : Session{};
}

}  // namespace

TEST(MidiClipSession, ReadsAnInstrumentAndMidiClipsBesideAudioClips) {
    auto path = writeSession("midi-full", R"(reel: 1
tempo: 90
meter: 6/8
tracks:
  - name: Bass
    instrument: {type: soundfont, soundfont: fonts/bass.sf2, program: 33, bank: 0}
    clips:
      - {midi: parts/bass.mid, at: "2:1", track: 2, channel: 10, from: 1bar, length: 6beats, gain: -3dB}
      - {file: audio/di.wav, at: 0s}
      - {midi: /abs/riff.mid, at: 12s}
)");
    const Session s = loadOrFail(path);
    ASSERT_EQ(s.tracks.size(), 1u);
    const Track& bass = s.tracks[0];
    ASSERT_TRUE(bass.instrument);
    EXPECT_EQ(bass.instrument->type, "soundfont");
    EXPECT_EQ(bass.instrument->where.line, 6);
    EXPECT_EQ(bass.instrument->where.column, 17);
    ASSERT_EQ(bass.instrument->params.size(), 3u);
    EXPECT_EQ(bass.instrument->params.at("soundfont").text, "fonts/bass.sf2");  // resolved by the instrument type
    EXPECT_EQ(bass.instrument->params.at("program").text, "33");
    EXPECT_EQ(bass.instrument->params.at("program").where.column, 71);
    EXPECT_EQ(bass.instrument->params.at("bank").text, "0");

    ASSERT_EQ(bass.clips.size(), 1u);
    ASSERT_EQ(bass.midiClips.size(), 2u);
    const MidiClip& clip = bass.midiClips[0];
    EXPECT_EQ(clip.file, path.parent_path() / "parts" / "bass.mid");
    EXPECT_EQ(clip.fileAsWritten, "parts/bass.mid");
    EXPECT_EQ(clip.fileWhere.line, 8);
    EXPECT_EQ(clip.fileWhere.column, 16);
    EXPECT_EQ(clip.where.line, 8);
    // Bar 2 of 6/8 at 90 eighths per minute: 6 beats of 2/3 s.
    EXPECT_DOUBLE_EQ(clip.at.value, 4.0);
    EXPECT_EQ(clip.track, 2);
    EXPECT_EQ(clip.channel, 10);
    EXPECT_DOUBLE_EQ(clip.from.value, 4.0);  // 1 bar
    ASSERT_TRUE(clip.length);
    EXPECT_DOUBLE_EQ(clip.length->value, 4.0);  // 6 beats
    EXPECT_DOUBLE_EQ(clip.gain.value, -3.0);
    const MidiClip& riff = bass.midiClips[1];
    EXPECT_EQ(riff.file, "/abs/riff.mid");
    EXPECT_FALSE(riff.track);
    EXPECT_FALSE(riff.channel);
    EXPECT_FALSE(riff.length);
    EXPECT_DOUBLE_EQ(riff.from.value, 0.0);
}

TEST(MidiClipSession, TheShortFormNeedsNoType) {
    const Session s = loadOrFail(writeSession("midi-short", R"(reel: 1
tracks:
  - name: Keys
    instrument: {soundfont: gm, program: 0}
    clips: [{midi: keys.mid, at: 0s, from: 500ms, length: 2.5bars}]
)"));
    ASSERT_TRUE(s.tracks.at(0).instrument);
    EXPECT_EQ(s.tracks[0].instrument->type, "soundfont");
    EXPECT_EQ(s.tracks[0].instrument->params.at("soundfont").text, "gm");
    EXPECT_DOUBLE_EQ(s.tracks[0].midiClips.at(0).from.value, 0.5);
    EXPECT_DOUBLE_EQ(s.tracks[0].midiClips.at(0).length->value, 5.0);  // 2.5 bars of 4/4 at 120
}

TEST(MidiClipSession, ErrorsAreNamedAtTheirPlace) {
    const std::string head = "reel: 1\ntracks:\n  - name: Bass\n    instrument: {soundfont: gm}\n    clips:\n";
    EXPECT_TRUE(failsAt("midi-no-instrument", "reel: 1\ntracks:\n  - name: Bass\n    clips: [{midi: b.mid, at: 0s}]\n",
                        4, 13,
                        "track \"Bass\" has a MIDI clip but no instrument to play it; add instrument: "
                        "{soundfont: gm, program: 0}"));
    EXPECT_TRUE(failsAt("midi-no-at", head + "      - {midi: b.mid}\n", 6, 9, "clip has no \"at\""));
    EXPECT_TRUE(failsAt("midi-channel", head + "      - {midi: b.mid, at: 0s, channel: 17}\n", 6, 40,
                        "channel 17: MIDI channels are 1 … 16"));
    EXPECT_TRUE(failsAt("midi-track-zero", head + "      - {midi: b.mid, at: 0s, track: 0}\n", 6, 38,
                        "track \"0\" should be a whole number, 1 or more"));
    EXPECT_TRUE(failsAt("midi-length-unit", head + "      - {midi: b.mid, at: 0s, length: 4}\n", 6, 39,
                        "length \"4\" has no unit; write 4s or 4bars"));
    EXPECT_TRUE(failsAt("midi-from-barbeat", head + "      - {midi: b.mid, at: 0s, from: \"3:1\"}\n", 6, 37,
                        "from \"3:1\" is a duration; write seconds like 2s or bars like 2bars (bar:beat is for "
                        "positions)"));
    EXPECT_TRUE(failsAt("midi-length-zero", head + "      - {midi: b.mid, at: 0s, length: 0bars}\n", 6, 39,
                        "length \"0bars\" should be more than 0s"));
    EXPECT_TRUE(failsAt("midi-bad-bars", head + "      - {midi: b.mid, at: 0s, length: fourbars}\n", 6, 39,
                        "length \"fourbars\": \"four\" is not a number of bars"));
    EXPECT_TRUE(failsAt("midi-fade", head + "      - {midi: b.mid, at: 0s, fade_in: 10ms}\n", 6, 31,
                        "unknown key \"fade_in\""));
    EXPECT_TRUE(
        failsAt("midi-empty", head + "      - {midi: \"\", at: 0s}\n", 6, 16, "midi is empty; add the MIDI file to play"));
}

TEST(MidiClipSession, InstrumentErrorsAreNamedAtTheirPlace) {
    auto track = [](const std::string& instrument) {
        return "reel: 1\ntracks:\n  - name: Keys\n    instrument: " + instrument + "\n";
    };
    EXPECT_TRUE(failsAt("inst-not-map", track("gm"), 4, 17,
                        "instrument should be a map like {soundfont: gm, program: 33}, not a single value"));
    EXPECT_TRUE(failsAt("inst-no-type", track("{program: 3}"), 4, 17,
                        "instrument has no \"type\"; write type: "
                        "soundfont, or name the SoundFont like "
                        "{soundfont: gm, program: 0}"));
    EXPECT_TRUE(failsAt("inst-nested", track("{soundfont: gm, program: [1, 2]}"), 4, 42,
                        "instrument program should be a single value, not a list"));
    EXPECT_TRUE(failsAt("inst-twice", track("{soundfont: gm, program: 1, program: 2}"), 4, 45,
                        "\"program\" is written twice in instrument; keep one"));
    EXPECT_TRUE(failsAt("inst-key-typo", "reel: 1\ntracks:\n  - name: Keys\n    instrumnet: {soundfont: gm}\n", 4, 5,
                        "unknown key \"instrumnet\"; did you mean \"instrument\"?"));
}

TEST(MidiClipSession, AnInstrumentParameterMayBeAMapOfSingleValues) {
    auto path = writeSession("midi-kit-map", R"(reel: 1
tracks:
  - name: Drums
    instrument: {type: drumkit, kit: BJA_Pacific, map: {36: Kick, 38: "Snare Rim"}}
    clips: [{midi: parts/drums.mid, at: 0s}]
)");
    const Session s = loadOrFail(path);
    ASSERT_EQ(s.tracks.size(), 1u);
    ASSERT_TRUE(s.tracks[0].instrument);
    const auto& map = s.tracks[0].instrument->params.at("map");
    EXPECT_EQ(map.shape, ParamShape::map);
    ASSERT_EQ(map.items.size(), 1u);
    EXPECT_EQ(map.items[0].at("36").text, "Kick");
    EXPECT_EQ(map.items[0].at("38").text, "Snare Rim");
    EXPECT_EQ(map.items[0].at("38").where.line, 4);
}
