// `reel analyze --issues` from the command line: the text report, the JSON keys, exit 0 when
// issues are found, and bad input that exits 1 naming the file.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <numbers>

#include "cli_test_support.hpp"

namespace reel::test {
namespace {

/// 6 s of stereo noise at -20 dBFS after 3 s of silence, with a 50 ms stretch driven into
/// clipping at 6 s: a leading silence (warning) and clipping (warning).
AudioBuffer flawedMix() {
    const double rate = 44100.0;
    AudioBuffer mix = noise(static_cast<std::int64_t>(rate * 9), 2, 0.1, 5);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < mix.numFrames(); ++i) {
            const double t = static_cast<double>(i) / rate;
            float& x = mix.channel(c)[i];
            if (t < 3.0) x = 0.0f;
            else if (t >= 6.0 && t < 6.05) x = std::clamp(x * 20.0f, -1.0f, 1.0f);
        }
    return mix;
}

TEST(AnalyzeIssues, TextReportListsTheIssuesAndExitsZero) {
    const auto dir = scratchDir("cli-issues-text");
    writeFile(dir / "mix.wav", flawedMix(), 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const auto r = runReel({"analyze", (dir / "mix.wav").string(), "--issues", "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("mix.wav"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Mix issues: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Clipping: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Leading silence: 3.0 s below -60 dBFS"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("    where: 0:00.0-0:03.0\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("    where: 0:06.0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("    fix:   "), std::string::npos) << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(AnalyzeIssues, JsonCarriesIssuesCountsAndSkippedChecks) {
    const auto dir = scratchDir("cli-issues-json");
    writeFile(dir / "mix.wav", flawedMix(), 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const auto r = runReel({"analyze", (dir / "mix.wav").string(), "--issues", "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    for (const char* key : {"\"integrated_lufs\":", "\"issues\":[{", "\"kind\":\"clipping\"", "\"kind\":\"leading_silence\"",
                            "\"severity\":\"warning\"", "\"ranges\":[[0.000,3.000]]", "\"value\":3.000", "\"unit\":\"s\"",
                            "\"detail\":\"", "\"advice\":\"", "\"issue_counts\":{\"problem\":", "\"skipped_checks\":["})
        EXPECT_NE(r.out.find(key), std::string::npos) << key << " in " << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one JSON line";
}

TEST(AnalyzeIssues, MonoFileSaysWhichChecksDidNotRun) {
    const auto dir = scratchDir("cli-issues-mono");
    writeFile(dir / "mono.wav", sine(440.0, 0.3, 44100.0, 44100 * 3, 1), 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto r = runReel({"analyze", (dir / "mono.wav").string(), "--issues", "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("Not checked: phase, mono_fold_down, wide_low_end, imbalance, fake_stereo (mono file)"), std::string::npos)
        << r.out;
}

TEST(AnalyzeIssues, MissingFileExitsOneNamingIt) {
    const auto dir = scratchDir("cli-issues-missing");
    const auto r = runReel({"analyze", (dir / "nope.wav").string(), "--issues"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("nope.wav"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(AnalyzeIssues, CorruptFileExitsOneNamingIt) {
    const auto dir = scratchDir("cli-issues-corrupt");
    writeText(dir / "broken.wav", "RIFF\x10\x00\x00\x00WAVEfmt this is not audio at all");
    const auto r = runReel({"analyze", (dir / "broken.wav").string(), "--issues", "--json"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("broken.wav"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace reel::test
