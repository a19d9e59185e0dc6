#include "session/session_loader.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "session_files.hpp"

using namespace reel;
using namespace reel::session;
using reel::test::writeSession;

namespace {

// DESIGN.md's sketch, verbatim: the file every newcomer sees first must load as written.
const char* kDesignSketch = R"(reel: 1
title: Gravel Road
sample_rate: 48000
tempo: 92            # bpm; positions may be seconds ("12.5s") or bars ("9:1" = bar 9, beat 1)
meter: 4/4
key: A minor
sections: [{name: intro, bars: 4}, {name: verse, bars: 16}, {name: chorus, bars: 8}]
tracks:
  - name: Lead Vocal
    clips:
      - {file: audio/vox-take3.wav, at: "5:1", from: 2.5s, length: 12s, gain: -1.5dB,
         fade_in: 10ms, fade_out: 40ms}
    chain:
      - eq: {highpass: 80Hz, bands: [{bell: 3kHz, gain: 2dB, q: 1.0}]}
      - compressor: {threshold: -18dB, ratio: 3, attack: 10ms, release: 120ms}
    sends: [{to: Plate, level: -12dB}]
    volume: -3dB
    pan: 0.0
buses:
  - {name: Plate, chain: [{reverb: {size: 0.7, predelay: 20ms}}]}
master:
  chain: []
  target: streaming   # -14 LUFS integrated, -1 dBTP
)";

void expectAt(const SourceLocation& where, int line, int column) {
    EXPECT_EQ(where.line, line);
    EXPECT_EQ(where.column, column);
}

Session loadOrFail(const std::filesystem::path& path) {
    auto loaded = loadSession(path);
    EXPECT_TRUE(loaded) << loaded.error().message;
    return loaded ? *loaded : Session{};
}

}  // namespace

TEST(SessionLoader, LoadsTheDesignSketchWithEveryValue) {
    auto path = writeSession("sketch", kDesignSketch);
    Session s = loadOrFail(path);
    EXPECT_EQ(s.file, path);
    EXPECT_EQ(s.version, 1);
    EXPECT_EQ(s.title, "Gravel Road");
    EXPECT_DOUBLE_EQ(s.sampleRate.value, 48000.0);
    EXPECT_DOUBLE_EQ(s.tempo, 92.0);
    EXPECT_EQ(s.meter.beatsPerBar, 4);
    EXPECT_EQ(s.meter.beatUnit, 4);
    EXPECT_EQ(s.key, "A minor");

    ASSERT_EQ(s.sections.size(), 3u);
    EXPECT_EQ(s.sections[0].name, "intro");
    EXPECT_EQ(s.sections[0].bars, 4);
    EXPECT_EQ(s.sections[1].name, "verse");
    EXPECT_EQ(s.sections[1].bars, 16);
    EXPECT_EQ(s.sections[2].name, "chorus");
    EXPECT_EQ(s.sections[2].bars, 8);

    ASSERT_EQ(s.tracks.size(), 1u);
    const Track& vox = s.tracks[0];
    EXPECT_EQ(vox.name, "Lead Vocal");
    expectAt(vox.where, 9, 5);
    ASSERT_EQ(vox.clips.size(), 1u);
    const Clip& clip = vox.clips[0];
    EXPECT_EQ(clip.file, path.parent_path() / "audio" / "vox-take3.wav");
    EXPECT_EQ(clip.fileAsWritten, "audio/vox-take3.wav");
    expectAt(clip.fileWhere, 11, 16);
    expectAt(clip.where, 11, 9);
    EXPECT_DOUBLE_EQ(clip.at.value, 4.0 * 4.0 * 60.0 / 92.0);  // bar 5 = 4 bars of 4 beats in
    EXPECT_DOUBLE_EQ(clip.from.value, 2.5);
    ASSERT_TRUE(clip.length);
    EXPECT_DOUBLE_EQ(clip.length->value, 12.0);
    EXPECT_DOUBLE_EQ(clip.gain.value, -1.5);
    EXPECT_DOUBLE_EQ(clip.fadeIn.length.value, 0.010);
    EXPECT_EQ(clip.fadeIn.curve, FadeCurve::linear);
    EXPECT_DOUBLE_EQ(clip.fadeOut.length.value, 0.040);
    EXPECT_EQ(clip.fadeOut.curve, FadeCurve::linear);

    ASSERT_EQ(vox.chain.size(), 2u);
    const ProcessorConfig& eq = vox.chain[0];
    EXPECT_EQ(eq.type, "eq");
    expectAt(eq.where, 14, 9);
    ASSERT_EQ(eq.params.size(), 2u);
    EXPECT_EQ(eq.params.at("highpass").text, "80Hz");
    EXPECT_EQ(eq.params.at("highpass").shape, ParamShape::scalar);
    expectAt(eq.params.at("highpass").where, 14, 24);
    const ParamValue& bands = eq.params.at("bands");
    EXPECT_EQ(bands.shape, ParamShape::list);
    ASSERT_EQ(bands.items.size(), 1u);
    EXPECT_EQ(bands.items[0].at("bell").text, "3kHz");
    EXPECT_EQ(bands.items[0].at("gain").text, "2dB");
    EXPECT_EQ(bands.items[0].at("q").text, "1.0");
    expectAt(bands.items[0].at("q").where, 14, 65);
    const ProcessorConfig& comp = vox.chain[1];
    EXPECT_EQ(comp.type, "compressor");
    ASSERT_EQ(comp.params.size(), 4u);
    EXPECT_EQ(comp.params.at("threshold").text, "-18dB");
    EXPECT_EQ(comp.params.at("ratio").text, "3");
    EXPECT_EQ(comp.params.at("attack").text, "10ms");
    EXPECT_EQ(comp.params.at("release").text, "120ms");

    ASSERT_EQ(vox.sends.size(), 1u);
    EXPECT_EQ(vox.sends[0].to, "Plate");
    EXPECT_DOUBLE_EQ(vox.sends[0].level.value, -12.0);
    EXPECT_EQ(vox.sends[0].tap, SendTap::postFader);
    expectAt(vox.sends[0].where, 16, 13);
    EXPECT_DOUBLE_EQ(vox.volume.value, -3.0);
    EXPECT_DOUBLE_EQ(vox.pan, 0.0);
    EXPECT_FALSE(vox.mute);
    EXPECT_FALSE(vox.solo);

    ASSERT_EQ(s.buses.size(), 1u);
    const Bus& plate = s.buses[0];
    EXPECT_EQ(plate.name, "Plate");
    expectAt(plate.where, 20, 5);
    ASSERT_EQ(plate.chain.size(), 1u);
    EXPECT_EQ(plate.chain[0].type, "reverb");
    EXPECT_EQ(plate.chain[0].params.at("size").text, "0.7");
    EXPECT_EQ(plate.chain[0].params.at("predelay").text, "20ms");
    EXPECT_TRUE(plate.sends.empty());
    EXPECT_DOUBLE_EQ(plate.volume.value, 0.0);

    EXPECT_TRUE(s.master.chain.empty());
    EXPECT_EQ(s.master.target, "streaming");
    EXPECT_DOUBLE_EQ(s.master.volume.value, 0.0);
}

TEST(SessionLoader, OpensTheDesignSketchWhenItsAudioIsThere) {
    auto path = writeSession("sketch-audio", kDesignSketch);
    std::filesystem::create_directories(path.parent_path() / "audio");
    test::writeFile(path.parent_path() / "audio" / "vox-take3.wav", test::sine(220.0, 0.5, 8000.0, 8000 * 15, 1), 8000,
                    SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto opened = openSession(path);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(opened->tracks[0].clips[0].file, path.parent_path() / "audio" / "vox-take3.wav");
}

TEST(SessionLoader, MissingOptionalKeysTakeTheirDefaults) {
    Session s = loadOrFail(writeSession("defaults", "reel: 1\n"));
    EXPECT_DOUBLE_EQ(s.tempo, 120.0);
    EXPECT_EQ(s.meter.beatsPerBar, 4);
    EXPECT_EQ(s.meter.beatUnit, 4);
    EXPECT_DOUBLE_EQ(s.sampleRate.value, 48000.0);
    EXPECT_TRUE(s.tracks.empty());
    EXPECT_TRUE(s.buses.empty());
    EXPECT_EQ(s.master.where.file, s.file);  // errors about the master still name the file
}

TEST(SessionLoader, RelativeClipPathsStartAtTheSessionFolderWhateverTheWorkingFolder) {
    auto path = writeSession("relative", R"(reel: 1
tracks:
  - name: Drums
    clips:
      - {file: audio/kick.wav, at: 0s}
      - {file: ../shared/loop.wav, at: 1s}
      - {file: /data/abs.wav, at: 2s}
)");
    const auto songFolder = path.parent_path();
    {
        test::WorkingFolder elsewhere(std::filesystem::temp_directory_path());
        Session s = loadOrFail(path);
        ASSERT_EQ(s.tracks[0].clips.size(), 3u);
        EXPECT_EQ(s.tracks[0].clips[0].file, songFolder / "audio" / "kick.wav");
        EXPECT_EQ(s.tracks[0].clips[1].file, songFolder.parent_path() / "shared" / "loop.wav");
        EXPECT_EQ(s.tracks[0].clips[2].file, std::filesystem::path("/data/abs.wav"));
    }
    {
        // Given relative to the working folder, the session file itself resolves too.
        test::WorkingFolder parent(songFolder.parent_path());
        const auto given = songFolder.filename() / "song.yaml";
        Session s = loadOrFail(given);
        EXPECT_EQ(s.file, path);
        EXPECT_TRUE(s.file.is_absolute());
        EXPECT_EQ(s.tracks[0].clips[0].file, songFolder / "audio" / "kick.wav");
    }
}

TEST(SessionLoader, ErrorsNameTheSessionPathAsTheUserGaveIt) {
    auto path = writeSession("given-path", "reel: 1\ntempoo: 92\n");
    test::WorkingFolder parent(path.parent_path().parent_path());
    const auto given = path.parent_path().filename() / "song.yaml";
    auto loaded = loadSession(given);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().message.rfind(given.string() + ":2:1: ", 0), 0u) << loaded.error().message;
}

TEST(SessionLoader, BarBeatPositionsTakeFractionalBeatsAndTheMeter) {
    Session s = loadOrFail(writeSession("bar-beat", R"(reel: 1
tempo: 120
meter: 6/8
tracks:
  - name: Guitar
    clips:
      - {file: a.wav, at: "3:2.5"}
      - {file: a.wav, at: 1:1}
      - {file: a.wav, at: "2:6.5"}
      - {file: a.wav, at: 250ms}
)"));
    EXPECT_EQ(s.meter.beatsPerBar, 6);
    EXPECT_EQ(s.meter.beatUnit, 8);
    const auto& clips = s.tracks[0].clips;
    // A beat is an eighth note at 120 per minute: 0.5 s; bar 3 beat 2.5 is 2 bars + 1.5 beats in.
    EXPECT_DOUBLE_EQ(clips[0].at.value, (2 * 6 + 1.5) * 0.5);
    EXPECT_DOUBLE_EQ(clips[1].at.value, 0.0);  // unquoted 5:1 is a string in YAML 1.2 and yaml-cpp
    EXPECT_DOUBLE_EQ(clips[2].at.value, (6 + 5.5) * 0.5);
    EXPECT_DOUBLE_EQ(clips[3].at.value, 0.25);
}

TEST(SessionLoader, ReadsEveryOptionalSpelling) {
    Session s = loadOrFail(writeSession("spellings", R"(reel: 1
sample_rate: 44.1kHz
tracks:
  - name: A
    pan: L50
    mute: true
    solo: yes
    sends: [{to: Verb, tap: pre}]
    clips:
      - file: a.wav
        at: 0s
        fade_curve: equal_power
        fade_in: 1s
        fade_out: {length: 20ms, curve: linear}
    chain:
      - limiter
      - gate:
  - name: B
    pan: R30
  - name: C
    pan: C
  - name: D
    pan: -1
buses:
  - name: Verb
    pan: 0.25
    volume: -6dB
    sends: [{to: Room, level: -3dB}]
  - name: Room
master:
  volume: -1dB
)"));
    EXPECT_DOUBLE_EQ(s.sampleRate.value, 44100.0);
    const Track& a = s.tracks[0];
    EXPECT_DOUBLE_EQ(a.pan, -0.5);
    EXPECT_TRUE(a.mute);
    EXPECT_TRUE(a.solo);
    EXPECT_EQ(a.sends[0].tap, SendTap::preFader);
    EXPECT_DOUBLE_EQ(a.sends[0].level.value, 0.0);
    EXPECT_EQ(a.clips[0].fadeIn.curve, FadeCurve::equalPower);
    EXPECT_DOUBLE_EQ(a.clips[0].fadeIn.length.value, 1.0);
    EXPECT_EQ(a.clips[0].fadeOut.curve, FadeCurve::linear);
    EXPECT_DOUBLE_EQ(a.clips[0].fadeOut.length.value, 0.02);
    EXPECT_FALSE(a.clips[0].length);  // plays to the end of its source
    ASSERT_EQ(a.chain.size(), 2u);
    EXPECT_EQ(a.chain[0].type, "limiter");
    EXPECT_EQ(a.chain[1].type, "gate");
    EXPECT_TRUE(a.chain[1].params.empty());
    EXPECT_DOUBLE_EQ(s.tracks[1].pan, 0.3);
    EXPECT_DOUBLE_EQ(s.tracks[2].pan, 0.0);
    EXPECT_DOUBLE_EQ(s.tracks[3].pan, -1.0);
    EXPECT_DOUBLE_EQ(s.buses[0].pan, 0.25);
    EXPECT_DOUBLE_EQ(s.buses[0].volume.value, -6.0);
    EXPECT_EQ(s.buses[0].sends[0].to, "Room");
    EXPECT_DOUBLE_EQ(s.buses[0].sends[0].level.value, -3.0);
    EXPECT_DOUBLE_EQ(s.master.volume.value, -1.0);
}

TEST(SessionLoader, NestedParameterMapsKeepTheirShape) {
    Session s = loadOrFail(writeSession("nested", R"(reel: 1
buses:
  - name: Bus
    chain:
      - eq:
          highpass: {freq: 80Hz, slope: 24}
          bands:
            - {bell: 3kHz, gain: 2dB}
            - {shelf: 10kHz, gain: -1dB}
)"));
    const auto& params = s.buses[0].chain[0].params;
    const ParamValue& highpass = params.at("highpass");
    EXPECT_EQ(highpass.shape, ParamShape::map);
    ASSERT_EQ(highpass.items.size(), 1u);
    EXPECT_EQ(highpass.items[0].at("slope").text, "24");
    const ParamValue& bands = params.at("bands");
    EXPECT_EQ(bands.shape, ParamShape::list);
    ASSERT_EQ(bands.items.size(), 2u);
    EXPECT_EQ(bands.items[1].at("shelf").text, "10kHz");
    EXPECT_EQ(bands.items[1].at("gain").where.line, 9);
    EXPECT_EQ(bands.items[1].at("gain").where.column, 36);
}
