// Every bad input gets one clear message naming the file (and for the session the line and
// column), a non-zero exit status, untouched sources and no output file left behind.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>

#include "cli/cli_test_support.hpp"

using namespace reel;
using namespace reel::test;

namespace {

struct BadInput {
    std::string name;
    std::function<void(const std::filesystem::path& dir)> spoil;  // makes the song folder bad
    std::vector<std::string> expected;                             // substrings of stderr
};

/// Names the case in test output instead of dumping its bytes.
void PrintTo(const BadInput& bad, std::ostream* out) { *out << bad.name; }

std::string sessionWith(const std::string& clipLine, const std::string& extra = "") {
    return "reel: 1\n"
           "sample_rate: 48000\n"
           "tracks:\n"
           "  - name: Tone\n"
           "    clips:\n"
           "      - " + clipLine + "\n" + extra;
}

void truncateFile(const std::filesystem::path& path, std::uintmax_t keep) { std::filesystem::resize_file(path, keep); }

class RenderBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(RenderBadInput, FailsClearlyAndLosesNothing) {
    const BadInput& bad = GetParam();
    auto dir = makeSongFolder("bad-" + bad.name);
    bad.spoil(dir);
    const auto folderBefore = listFolder(dir);
    const auto audioBefore = listFolder(dir / "audio");
    std::map<std::string, std::string> bytesBefore;
    for (const auto& name : audioBefore) bytesBefore[name] = fileBytes(dir / "audio" / name);

    auto result = runReel({"render", (dir / "session.yaml").string(), "-o", (dir / "out.wav").string()});
    EXPECT_EQ(result.exitCode, 1) << result.err;
    for (const auto& text : bad.expected) EXPECT_NE(result.err.find(text), std::string::npos) << "expected \"" << text << "\" in: " << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one message, one line: " << result.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.wav"));
    EXPECT_EQ(listFolder(dir), folderBefore) << "a temporary file was left behind";
    EXPECT_EQ(listFolder(dir / "audio"), audioBefore);
    for (const auto& [name, bytes] : bytesBefore) EXPECT_EQ(fileBytes(dir / "audio" / name), bytes) << name << " was modified";
}

std::vector<BadInput> badInputs() {
    return {
        {"missing-file",
         [](auto dir) { writeText(dir / "session.yaml", sessionWith("{file: audio/nope.wav, at: 0s}")); },
         {"session.yaml:6:", "audio/nope.wav", "not found"}},
        {"corrupt-audio",
         [](auto dir) {
             writeText(dir / "audio/junk.wav", "this is not audio at all, just text pretending to be a WAV file\n");
             writeText(dir / "session.yaml", sessionWith("{file: audio/junk.wav, at: 0s}"));
         },
         {"session.yaml:6:", "junk.wav"}},
        {"unknown-format",
         [](auto dir) {
             writeText(dir / "audio/notes.txt", "la la la\n");
             writeText(dir / "session.yaml", sessionWith("{file: audio/notes.txt, at: 0s}"));
         },
         {"session.yaml:6:", "notes.txt"}},
        {"truncated-file",
         [](auto dir) {
             truncateFile(dir / "audio/tone.wav", 48000 * 2 * 4 / 2);  // half the data is gone
             writeText(dir / "session.yaml", sessionWith("{file: audio/tone.wav, at: 0s}"));
         },
         {"tone.wav", "truncated"}},
        {"nan-samples",
         [](auto dir) {
             AudioBuffer audio = sine(440.0, 0.5, 48000.0, 4800, 1);
             audio.channel(0)[1234] = std::numeric_limits<float>::quiet_NaN();
             writeFile(dir / "audio/nan.wav", audio, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
             writeText(dir / "session.yaml", sessionWith("{file: audio/nan.wav, at: 0s}"));
         },
         {"nan.wav", "1234", "NaN"}},
        {"infinite-samples",
         [](auto dir) {
             AudioBuffer audio = sine(440.0, 0.5, 48000.0, 4800, 1);
             audio.channel(0)[99] = std::numeric_limits<float>::infinity();
             writeFile(dir / "audio/inf.wav", audio, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
             writeText(dir / "session.yaml", sessionWith("{file: audio/inf.wav, at: 0s}"));
         },
         {"inf.wav", "99"}},
        {"yaml-syntax",
         [](auto dir) { writeText(dir / "session.yaml", "reel: 1\ntracks:\n  - name: [unclosed\n"); },
         {"session.yaml:"}},
        {"unknown-key",
         [](auto dir) { writeText(dir / "session.yaml", "reel: 1\ntempoo: 120\n"); },
         {"session.yaml:2:1", "tempoo", "tempo"}},
        {"value-without-unit",
         [](auto dir) { writeText(dir / "session.yaml", sessionWith("{file: audio/tone.wav, at: 0s, gain: -6}")); },
         {"session.yaml:6:", "-6", "dB"}},
        {"negative-length",
         [](auto dir) { writeText(dir / "session.yaml", sessionWith("{file: audio/tone.wav, at: 0s, length: -2s}")); },
         {"session.yaml:6:", "length"}},
        {"clip-past-end-of-source",
         [](auto dir) { writeText(dir / "session.yaml", sessionWith("{file: audio/tone.wav, at: 0s, from: 0.5s, length: 1s}")); },
         {"session.yaml:6:", "tone.wav"}},
        {"send-to-missing-bus",
         [](auto dir) {
             writeText(dir / "session.yaml", sessionWith("{file: audio/tone.wav, at: 0s}", "    sends: [{to: Plate, level: -6dB}]\n"));
         },
         {"session.yaml:7:", "Plate"}},
        {"missing-session",
         [](auto dir) { std::filesystem::remove(dir / "session.yaml"); },
         {"session.yaml"}},
    };
}

INSTANTIATE_TEST_SUITE_P(EveryCase, RenderBadInput, ::testing::ValuesIn(badInputs()),
                         [](const auto& testInfo) {
                             std::string n = testInfo.param.name;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

}  // namespace
