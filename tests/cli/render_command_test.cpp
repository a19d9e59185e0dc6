#include <gtest/gtest.h>

#include <cmath>

#include "cli/cli_test_support.hpp"

using namespace reel;
using namespace reel::test;

TEST(RenderCommand, RendersASessionToTheRequestedFile) {
    auto dir = makeSongFolder("render-ok");
    auto result = runReel({"render", (dir / "session.yaml").string(), "-o", (dir / "mix.wav").string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_NE(result.out.find("rendered"), std::string::npos);
    int rate = 0;
    auto mix = readFile(dir / "mix.wav", &rate);
    EXPECT_EQ(rate, 48000);
    EXPECT_EQ(mix.numChannels(), 2);
    EXPECT_EQ(mix.numFrames(), 48000 * 2);  // the tone clip at beat 3 (1 s) lasts 1 s
}

TEST(RenderCommand, JsonSummaryHasTheFigures) {
    auto dir = makeSongFolder("render-json");
    auto result = runReel({"render", (dir / "session.yaml").string(), "-o", (dir / "mix.flac").string(), "--bits", "16", "--json"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    for (const char* key : {"\"duration_s\":2.000", "\"sample_rate\":48000", "\"bits\":16", "\"dither\":\"tpdf\"", "\"clipped_samples\":0"})
        EXPECT_NE(result.out.find(key), std::string::npos) << key << " in " << result.out;
    EXPECT_TRUE(std::filesystem::exists(dir / "mix.flac"));
}

TEST(RenderCommand, SameSessionGivesBitIdenticalFilesForAnyThreadCount) {
    auto dir = makeSongFolder("render-threads");
    auto session = (dir / "session.yaml").string();
    ASSERT_EQ(runReel({"render", session, "-o", (dir / "one.wav").string(), "--threads", "1", "--bits", "16"}).exitCode, 0);
    ASSERT_EQ(runReel({"render", session, "-o", (dir / "two.wav").string(), "--threads", "2", "--bits", "16"}).exitCode, 0);
    ASSERT_EQ(runReel({"render", session, "-o", (dir / "four.wav").string(), "--threads", "4", "--bits", "16"}).exitCode, 0);
    EXPECT_EQ(fileBytes(dir / "one.wav"), fileBytes(dir / "two.wav"));
    EXPECT_EQ(fileBytes(dir / "one.wav"), fileBytes(dir / "four.wav"));
}

TEST(RenderCommand, FloatOutputHoldsTheExactMix) {
    auto dir = makeSongFolder("render-float");
    ASSERT_EQ(runReel({"render", (dir / "session.yaml").string(), "-o", (dir / "mix.wav").string(), "--bits", "32"}).exitCode, 0);
    auto mix = readFile(dir / "mix.wav");
    // At 1.5 s only the tone plays (the low clip ended at 1 s): 0.25 · -1 dB clip · -3 dB volume ·
    // mono-law? No: the tone is stereo, so pan -0.5 is a balance: left unity, right cos-law.
    const double level = 0.25 * std::pow(10.0, -4.0 / 20.0);
    double peakLeft = 0, peakRight = 0;
    for (std::int64_t i = 66000; i < 90000; ++i) {
        peakLeft = std::max(peakLeft, std::fabs(double(mix.channel(0)[i])));
        peakRight = std::max(peakRight, std::fabs(double(mix.channel(1)[i])));
    }
    EXPECT_NEAR(peakLeft, level, 1e-3);
    EXPECT_NEAR(peakRight, level * std::sqrt(2.0) * std::sin(0.25 * M_PI / 2), 1e-3);
}

TEST(RenderCommand, RefusesToOverwriteASource) {
    auto dir = makeSongFolder("render-overwrite");
    auto before = fileBytes(dir / "audio/tone.wav");
    auto result = runReel({"render", (dir / "session.yaml").string(), "-o", (dir / "audio/tone.wav").string()});
    EXPECT_EQ(result.exitCode, 2);
    EXPECT_NE(result.err.find("sources are never modified"), std::string::npos) << result.err;
    EXPECT_EQ(before, fileBytes(dir / "audio/tone.wav"));
}

TEST(RenderCommand, BadUsageExitsWithStatusTwo) {
    auto dir = makeSongFolder("render-usage");
    auto session = (dir / "session.yaml").string();
    EXPECT_EQ(runReel({"render", session}).exitCode, 2);                                          // no -o
    EXPECT_EQ(runReel({"render", session, "-o", (dir / "x.mp4").string()}).exitCode, 2);          // unknown type
    EXPECT_EQ(runReel({"render", session, "-o", (dir / "x.wav").string(), "--bits", "12"}).exitCode, 2);
    EXPECT_EQ(runReel({"render", session, "-o", (dir / "x.flac").string(), "--bits", "32"}).exitCode, 2);
    EXPECT_EQ(runReel({"render", session, "-o", (dir / "x.wav").string(), "--frobnicate"}).exitCode, 2);
    EXPECT_EQ(runReel({"render"}).exitCode, 2);
    EXPECT_EQ(runReel({"remder"}).exitCode, 2);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.wav"));
}

TEST(RenderCommand, HelpShowsExamples) {
    auto result = runReel({"render", "--help"});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_NE(result.out.find("Examples:"), std::string::npos);
    auto main = runReel({"--help"});
    EXPECT_EQ(main.exitCode, 0);
    EXPECT_NE(main.out.find("render"), std::string::npos);
    EXPECT_NE(main.out.find("analyze"), std::string::npos);
}
