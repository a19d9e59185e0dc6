// Every mistake in a session file is reported at its line and column with what to write.
#include <gtest/gtest.h>

#include "session_files.hpp"

using namespace reel;
using reel::test::failsAt;

TEST(SessionErrors, GainWithoutUnitSaysWhatToWrite) {
    EXPECT_TRUE(failsAt("gain-unit", R"(reel: 1
tracks:
  - name: A
    clips:
      - file: a.wav
        at: 0s
        gain: -6
)", 7, 15, "gain \"-6\" has no unit; write -6dB"));
}

TEST(SessionErrors, MisspeltTopLevelKeySuggestsTheClosest) {
    EXPECT_TRUE(failsAt("tempoo", "reel: 1\ntitle: x\ntempoo: 92\n", 3, 1, "unknown key \"tempoo\"; did you mean \"tempo\"?"));
}

TEST(SessionErrors, MisspeltKeysAreCaughtInEveryMap) {
    EXPECT_TRUE(failsAt("track-key", "reel: 1\ntracks:\n  - name: A\n    volumme: -3dB\n", 4, 5,
                        "unknown key \"volumme\"; did you mean \"volume\"?"));
    EXPECT_TRUE(failsAt("clip-key", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, lenght: 2s}]\n", 4,
                        35, "unknown key \"lenght\"; did you mean \"length\"?"));
    EXPECT_TRUE(failsAt("send-key", "reel: 1\ntracks:\n  - name: A\n    sends: [{too: B}]\nbuses: [{name: B}]\n", 4, 14,
                        "unknown key \"too\"; did you mean \"to\"?"));
    EXPECT_TRUE(failsAt("bus-key", "reel: 1\nbuses:\n  - {name: B, chian: []}\n", 3, 15,
                        "unknown key \"chian\"; did you mean \"chain\"?"));
    EXPECT_TRUE(failsAt("master-key", "reel: 1\nmaster:\n  traget: streaming\n", 3, 3,
                        "unknown key \"traget\"; did you mean \"target\"?"));
    EXPECT_TRUE(failsAt("section-key", "reel: 1\nsections: [{name: intro, bar: 4}]\n", 2, 26,
                        "unknown key \"bar\"; did you mean \"bars\"?"));
    EXPECT_TRUE(failsAt("fade-key", "reel: 1\ntracks:\n  - name: A\n    clips:\n      - file: a.wav\n        at: 0s\n"
                        "        fade_in: {length: 1s, curv: linear}\n",
                        7, 31, "unknown key \"curv\"; did you mean \"curve\"?"));
}

TEST(SessionErrors, UnknownKeyFarFromAnyListsTheAllowedOnes) {
    EXPECT_TRUE(failsAt("far-key", "reel: 1\nmaster:\n  loudness: -14\n", 3, 3,
                        "unknown key \"loudness\" (master keys: chain, target, automation, volume)"));
}

TEST(SessionErrors, YamlSyntaxErrorIsPlacedWhereYamlCppFindsIt) {
    EXPECT_TRUE(failsAt("syntax", "reel: 1\ntracks: [{name: A}\ntitle: x\n", 3, 1, "YAML syntax error"));
}

TEST(SessionErrors, TheFormatVersionIsRequiredAndChecked) {
    EXPECT_TRUE(failsAt("no-version", "title: x\ntempo: 92\n", 1, 1, "no \"reel: 1\" line"));
    EXPECT_TRUE(failsAt("bad-version", "title: x\nreel: 2\n", 2, 7, "reel: 2 is not a session format version this Reel "
                                                                    "reads; supported: 1"));
}

TEST(SessionErrors, MissingRequiredKeysAreNamedAtTheirMap) {
    EXPECT_TRUE(failsAt("no-name", "reel: 1\ntracks:\n  - clips: []\n", 3, 5, "track has no \"name\""));
    EXPECT_TRUE(failsAt("no-file", "reel: 1\ntracks:\n  - name: A\n    clips: [{at: 0s}]\n", 4, 13,
                        "clip has no \"file\""));
    EXPECT_TRUE(failsAt("no-at", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav}]\n", 4, 13,
                        "clip has no \"at\""));
    EXPECT_TRUE(failsAt("no-to", "reel: 1\ntracks:\n  - name: A\n    sends: [{level: -3dB}]\n", 4, 13,
                        "send has no \"to\""));
    EXPECT_TRUE(failsAt("no-bars", "reel: 1\nsections:\n  - name: verse\n", 3, 5, "section has no \"bars\""));
    EXPECT_TRUE(failsAt("no-bus-name", "reel: 1\nbuses: [{volume: 0dB}]\n", 2, 9, "bus has no \"name\""));
}

TEST(SessionErrors, WrongShapesSayWhatWasExpected) {
    EXPECT_TRUE(failsAt("tracks-map", "reel: 1\ntracks:\n  name: A\n", 3, 3, "tracks should be a list"));
    EXPECT_TRUE(failsAt("track-scalar", "reel: 1\ntracks:\n  - Lead Vocal\n", 3, 5, "track should be a map"));
    EXPECT_TRUE(failsAt("volume-list", "reel: 1\ntracks:\n  - name: A\n    volume: [1, 2]\n", 4, 13,
                        "volume should be a single value, not a list"));
    EXPECT_TRUE(failsAt("root-list", "- reel: 1\n", 1, 1, "a session file is a map of keys"));
    EXPECT_TRUE(failsAt("chain-two-keys", "reel: 1\nbuses:\n  - name: B\n    chain:\n      - eq:\n        highpass: 80Hz\n",
                        5, 9, "a chain entry names one processor"));
    EXPECT_TRUE(failsAt("params-scalar", "reel: 1\nbuses:\n  - name: B\n    chain:\n      - eq: 80Hz\n", 5, 13,
                        "the parameters of eq should be a map"));
}

TEST(SessionErrors, AKeyWrittenTwiceIsAnError) {
    EXPECT_TRUE(failsAt("twice", "reel: 1\ntempo: 90\ntitle: x\ntempo: 92\n", 4, 1,
                        "key \"tempo\" is written twice in this session (first on line 2)"));
}

TEST(SessionErrors, DuplicateTrackAndBusNamesAreRefused) {
    EXPECT_TRUE(failsAt("dup-track", "reel: 1\ntracks:\n  - name: Gtr\n  - name: Gtr\n", 4, 5,
                        "track name \"Gtr\" is already used by the track on line 3"));
    EXPECT_TRUE(failsAt("dup-bus", "reel: 1\ntracks:\n  - name: Verb\nbuses:\n  - name: Verb\n", 5, 5,
                        "bus name \"Verb\" is already used by the track on line 3"));
}

TEST(SessionErrors, ClipLengthMustBePositiveAndFromNotNegative) {
    EXPECT_TRUE(failsAt("zero-length", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, length: 0s}]\n",
                        4, 43, "length \"0s\" should be more than 0s"));
    EXPECT_TRUE(failsAt("neg-length", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, length: -2s}]\n",
                        4, 43, "length \"-2s\" should be more than 0s"));
    EXPECT_TRUE(failsAt("neg-from", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, from: -1s}]\n", 4,
                        41, "from \"-1s\" is negative"));
    EXPECT_TRUE(failsAt("bar-length", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, length: \"2:1\"}]\n",
                        4, 43, "length \"2:1\" is a duration; write seconds like 12s"));
}

TEST(SessionErrors, APlainNumberPositionAsksForSecondsOrBarBeat) {
    EXPECT_TRUE(failsAt("plain-at", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 12.5}]\n", 4, 31,
                        "at \"12.5\" has no unit; write 12.5s or bar:beat like \"9:1\""));
}

TEST(SessionErrors, ABeatOutsideTheMeterIsRefused) {
    EXPECT_TRUE(failsAt("beat-5", "reel: 1\nmeter: 4/4\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: \"9:5\"}]\n",
                        5, 31, "a bar of 4/4 has beats 1 to 4"));
}

TEST(SessionErrors, PanOutOfRangeIsRefused) {
    EXPECT_TRUE(failsAt("pan-range", "reel: 1\ntracks:\n  - name: A\n    pan: 1.5\n", 4, 10,
                        "pan \"1.5\" is out of range; write a number from -1 (left)"));
    EXPECT_TRUE(failsAt("pan-text", "reel: 1\ntracks:\n  - name: A\n    pan: left\n", 4, 10,
                        "pan \"left\" is not a pan position"));
}

TEST(SessionErrors, UnknownMeterIsRefused) {
    EXPECT_TRUE(failsAt("meter", "reel: 1\nmeter: 4/3\n", 2, 8, "meter \"4/3\" is not a meter; write beats per bar"));
    EXPECT_TRUE(failsAt("meter-word", "reel: 1\nmeter: common\n", 2, 8, "meter \"common\" is not a meter"));
}

TEST(SessionErrors, SendToAMissingBusNamesItAndTheBusesThatExist) {
    EXPECT_TRUE(failsAt("send-missing", R"(reel: 1
tracks:
  - name: Vox
    sends: [{to: Hall, level: -12dB}]
buses:
  - name: Plate
  - name: Room
)", 4, 13, "send to \"Hall\", which is not a bus (buses: Plate, Room)"));
    EXPECT_TRUE(failsAt("send-typo", "reel: 1\ntracks:\n  - name: Vox\n    sends: [{to: Plte}]\nbuses: [{name: Plate}]\n", 4,
                        13, "send to \"Plte\", which is not a bus; did you mean \"Plate\"? (buses: Plate)"));
    EXPECT_TRUE(failsAt("send-none", "reel: 1\ntracks:\n  - name: Vox\n    sends: [{to: Plate}]\n", 4, 13,
                        "the session has no buses"));
    EXPECT_TRUE(failsAt("send-self", "reel: 1\nbuses:\n  - name: Plate\n    sends: [{to: Plate}]\n", 4, 13,
                        "bus \"Plate\" sends to itself"));
}

TEST(SessionErrors, FadesLongerThanTheClipAreRefused) {
    EXPECT_TRUE(failsAt("fade-long", R"(reel: 1
tracks:
  - name: A
    clips:
      - file: a.wav
        at: 0s
        length: 2s
        fade_out: 3s
)", 8, 19, "fade_out (3s) is longer than the clip (length 2s)"));
    EXPECT_TRUE(failsAt("fade-neg", "reel: 1\ntracks:\n  - name: A\n    clips: [{file: a.wav, at: 0s, fade_in: -1s}]\n",
                        4, 44, "fade_in \"-1s\" is negative"));
}

TEST(SessionErrors, BadValuesAtTheTopAreRefused) {
    EXPECT_TRUE(failsAt("rate-range", "reel: 1\nsample_rate: 1000\n", 2, 14, "sample_rate \"1000\" should be a whole number "
                                                                           "of Hz from 8000 to 384000"));
    EXPECT_TRUE(failsAt("rate-word", "reel: 1\nsample_rate: fast\n", 2, 14, "sample_rate \"fast\" is not a rate"));
    EXPECT_TRUE(failsAt("tempo-zero", "reel: 1\ntempo: 0\n", 2, 8, "tempo 0 is out of range"));
    EXPECT_TRUE(failsAt("tempo-bpm", "reel: 1\ntempo: 92bpm\n", 2, 8, "tempo \"92bpm\" should be a plain number"));
    EXPECT_TRUE(failsAt("bars-zero", "reel: 1\nsections: [{name: a, bars: 0}]\n", 2, 28, "bars \"0\" should be a whole number"));
    EXPECT_TRUE(failsAt("mute-word", "reel: 1\ntracks:\n  - name: A\n    mute: maybe\n", 4, 11,
                        "mute \"maybe\" should be true or false"));
    EXPECT_TRUE(failsAt("tap-word", "reel: 1\ntracks:\n  - name: A\n    sends: [{to: B, tap: middle}]\nbuses: [{name: B}]\n", 4,
                        26, "tap \"middle\" should be one of: pre, post"));
}

TEST(SessionErrors, AnEmptyValueIsPlacedAtItsKey) {
    EXPECT_TRUE(failsAt("empty-gain", "reel: 1\ntracks:\n  - name: A\n    volume:\n\n\n    pan: 0\n", 4, 5,
                        "volume has no value"));
}

TEST(SessionErrors, MissingOrEmptySessionFileIsReported) {
    auto missing = session::loadSession("/nonexistent/song.yaml");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::fileNotFound);
    EXPECT_EQ(missing.error().message, "/nonexistent/song.yaml: session file not found");

    auto empty = session::loadSession(test::writeSession("empty", ""));
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().message.find("the session file is empty; start it with reel: 1"), std::string::npos);
}

TEST(SessionErrors, ErrorCodesTellSyntaxFromMeaning) {
    auto syntax = session::loadSession(test::writeSession("code-syntax", "reel: [\n"));
    ASSERT_FALSE(syntax);
    EXPECT_EQ(syntax.error().code, ErrorCode::parseError);
    auto meaning = session::loadSession(test::writeSession("code-meaning", "reel: 1\ntracks: [{name: A}, {name: A}]\n"));
    ASSERT_FALSE(meaning);
    EXPECT_EQ(meaning.error().code, ErrorCode::invalidSession);
}
