// `reel master` from the command line: exit statuses, JSON, reports, profiles, nothing half-written.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>

#include "cli_test_support.hpp"

namespace reel::test {
namespace {

/// A 6 s stereo mix: noise under a tone, with a louder second half, at about -24 LUFS.
AudioBuffer smallMix() {
    AudioBuffer mix = noise(48000 * 6, 2, 0.05, 3);
    for (std::int64_t i = 0; i < mix.numFrames(); ++i) {
        const float tone = static_cast<float>(0.1 * std::sin(2.0 * M_PI * 220.0 * static_cast<double>(i) / 48000.0));
        const float level = i < mix.numFrames() / 2 ? 0.5f : 1.0f;
        for (int c = 0; c < 2; ++c) mix.channel(c)[i] = level * (mix.channel(c)[i] + tone);
    }
    return mix;
}

TEST(MasterCommand, MastersToTheTargetAndWritesBothReports) {
    const auto dir = scratchDir("cli-master");
    writeFile(dir / "mix.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const auto r = runReel({"master", (dir / "mix.wav").string(), "-o", (dir / "master.wav").string(), "--target", "apple",
                            "--report", (dir / "r.json").string() + "," + (dir / "r.html").string(), "--save-profile",
                            (dir / "p.json").string(), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("\"loudness_reached\":true"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"true_peak_ok\":true"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"integrated_lufs\":-16.0"), std::string::npos) << r.out;
    const std::string html = fileBytes(dir / "r.html");
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg")) << "no network resources";
    EXPECT_NE(fileBytes(dir / "r.json").find("\"spectrum_db\""), std::string::npos);
    EXPECT_NE(fileBytes(dir / "p.json").find("reel_mastering_profile"), std::string::npos);

    // The profile applies to another song.
    const auto again = runReel({"master", (dir / "mix.wav").string(), "-o", (dir / "again.flac").string(), "--profile",
                                (dir / "p.json").string(), "--bits", "16", "--quiet"});
    EXPECT_EQ(again.exitCode, 0) << again.err;
    EXPECT_TRUE(std::filesystem::exists(dir / "again.flac"));
}

TEST(MasterCommand, BadUsageExitsTwoAndWritesNothing) {
    const auto dir = scratchDir("cli-master-usage");
    writeFile(dir / "mix.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const std::string mix = (dir / "mix.wav").string(), out = (dir / "m.wav").string();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"master", mix, "-o", out, "--target", "radio"},
             {"master", mix, "-o", out, "--lufs", "loud"},
             {"master", mix, "-o", out, "--ceiling", "3"},
             {"master", mix, "-o", out, "--amount", "eq=150%"},
             {"master", mix, "-o", out, "--character", "shiny"},
             {"master", mix},
             {"master", mix, "-o", (dir / "m.mp4").string()}}) {
        const auto r = runReel(args);
        EXPECT_EQ(r.exitCode, 2) << args.back() << ": " << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"mix.wav"});
}

TEST(MasterCommand, AMissingMixFailsWithExitOne) {
    const auto dir = scratchDir("cli-master-missing");
    const auto r = runReel({"master", (dir / "nope.wav").string(), "-o", (dir / "m.wav").string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("nope.wav"), std::string::npos) << r.err;
    EXPECT_TRUE(listFolder(dir).empty());
}

}  // namespace
}  // namespace reel::test
