// `reel master` from the command line: exit statuses, JSON, reports, profiles, nothing half-written.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

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

TEST(MasterCommand, TheReportPointsOutWhatIsWrongWithTheMix) {
    const auto dir = scratchDir("cli-master-issues");
    AudioBuffer mix = smallMix();
    for (std::int64_t i = 0; i < mix.numFrames(); ++i) mix.channel(0)[i] += 0.06f;  // a DC offset on the left
    writeFile(dir / "mix.wav", mix, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto r = runReel({"master", (dir / "mix.wav").string(), "-o", (dir / "master.wav").string(), "--report",
                            (dir / "r.json").string() + "," + (dir / "r.html").string()});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("the mix: "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("the mix: 0 problem(s)"), std::string::npos) << "a 0.06 DC offset is a problem: " << r.out;
    const std::string json = fileBytes(dir / "r.json");
    EXPECT_NE(json.find("\"mix_issues\""), std::string::npos);
    EXPECT_NE(json.find("\"kind\":\"dc_offset\""), std::string::npos) << json.substr(0, 400);
    const std::string html = fileBytes(dir / "r.html");
    EXPECT_NE(html.find("What is wrong with the mix"), std::string::npos);
    EXPECT_NE(html.find("DC offset"), std::string::npos);

    // Without a report there is nothing to point it out in, and no extra pass.
    const auto bare = runReel({"master", (dir / "mix.wav").string(), "-o", (dir / "bare.wav").string()});
    ASSERT_EQ(bare.exitCode, 0) << bare.err;
    EXPECT_EQ(bare.out.find("the mix:"), std::string::npos) << bare.out;
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
             {"master", mix, "-o", (dir / "m.mp4").string()},
             {"master", mix, "-o", (dir / "m.mp3").string(), "--bits", "16"},       // MP3 takes no bit depth
             {"master", mix, "-o", out, "--bits", "32", "--dither", "shaped"},      // nothing to dither
             {"master", mix, "-o", out, "--dither", "pink"},
             {"master", mix, "-o", out, "--format", "mp3"},                       // --format is for albums
             {"master", "--album", mix, "-o", dir.string(), "--format", "ogg"}}) {
        const auto r = runReel(args);
        EXPECT_EQ(r.exitCode, 2) << args.back() << ": " << r.err;
        EXPECT_FALSE(r.err.empty());
    }
    EXPECT_EQ(listFolder(dir), std::vector<std::string>{"mix.wav"});
}

TEST(MasterCommand, WritesAnMp3WhoseDecodedTruePeakIsUnderTheCeiling) {
    const auto dir = scratchDir("cli-master-mp3");
    writeFile(dir / "mix.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const auto r = runReel({"master", (dir / "mix.wav").string(), "-o", (dir / "m.mp3").string(), "--report",
                            (dir / "r.json").string(), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("\"true_peak_ok\":true"), std::string::npos) << r.out;
    EXPECT_NE(fileBytes(dir / "r.json").find("\"verification\":\"decoded\""), std::string::npos);
    EXPECT_EQ(listFolder(dir), (std::vector<std::string>{"m.mp3", "mix.wav", "r.json"}));
    int rate = 0;
    const AudioBuffer decoded = readFile(dir / "m.mp3", &rate);
    EXPECT_EQ(rate, 48000);
}

TEST(MasterCommand, AnAlbumMayBeMp3WithEverySongsDecodedTruePeakUnderTheCeiling) {
    const auto dir = scratchDir("cli-master-album-mp3");
    writeFile(dir / "one.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    AudioBuffer louder = smallMix();
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < louder.numFrames(); ++i) louder.channel(c)[i] *= 1.8f;
    writeFile(dir / "two.wav", louder, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    std::filesystem::create_directories(dir / "out");
    const auto r = runReel({"master", "--album", (dir / "one.wav").string(), (dir / "two.wav").string(), "-o",
                            (dir / "out").string(), "--format", "mp3", "--quiet"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(listFolder(dir / "out"), (std::vector<std::string>{"one.mp3", "two.mp3"}));
    for (const char* song : {"one.mp3", "two.mp3"}) {
        const auto measured = runReel({"analyze", (dir / "out" / song).string(), "--json"});
        ASSERT_EQ(measured.exitCode, 0) << measured.err;
        const auto at = measured.out.find("\"true_peak_dbtp\":");
        ASSERT_NE(at, std::string::npos) << measured.out;
        EXPECT_LE(std::stod(measured.out.substr(at + 17)), -1.0) << song << ": " << measured.out;
    }
}

TEST(MasterCommand, DitherIsChosenWithDitherAndReported) {
    const auto dir = scratchDir("cli-master-dither");
    writeFile(dir / "mix.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"--bits", "16"}, "shaped"}, {{"--bits", "24"}, "tpdf"}, {{"--bits", "16", "--dither", "tpdf"}, "tpdf"},
             {{"--bits", "24", "--dither", "none"}, "none"}}) {
        std::vector<std::string> all{"master", (dir / "mix.wav").string(), "-o", (dir / "m.wav").string(), "--json"};
        all.insert(all.end(), args.begin(), args.end());
        const auto r = runReel(all);
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find("\"dither\":\"" + expected + "\""), std::string::npos) << r.out;
    }
}

// Bad input (issue 4): each a clear message naming the file, exit status 1, and nothing
// written — neither the master nor the reports asked for.
TEST(MasterCommand, BadInputFailsClearlyAndWritesNothing) {
    const auto dir = scratchDir("cli-master-bad-input");
    AudioBuffer clipped(2, 48000 * 5);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < clipped.numFrames(); ++i) clipped.channel(c)[i] = (i / 40) % 2 ? 1.0f : -1.0f;
    writeFile(dir / "silent.wav", AudioBuffer(2, 48000 * 5), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    writeFile(dir / "short.wav", noise(48000 * 2, 2, 0.3, 2), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    writeFile(dir / "clipped.wav", clipped, 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    writeFile(dir / "mix.wav", smallMix(), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    writeText(dir / "broken.wav", "RIFF\x10\x00\x00\x00WAVEfmt this is not a wave file");
    const std::vector<std::string> before = listFolder(dir);
    struct Case {
        std::vector<std::string> args;
        std::string names, says;
    };
    const std::string out = (dir / "m.wav").string(), report = (dir / "r.json").string() + "," + (dir / "r.html").string();
    for (const Case& c : std::vector<Case>{
             {{(dir / "silent.wav").string()}, "silent.wav", "silence"},
             {{(dir / "short.wav").string()}, "short.wav", "at least 3 s"},
             {{(dir / "clipped.wav").string()}, "clipped.wav", "clipping"},
             {{(dir / "broken.wav").string()}, "broken.wav", ""},
             {{(dir / "mix.wav").string(), "--reference", (dir / "broken.wav").string()}, "broken.wav", ""},
             {{(dir / "mix.wav").string(), "--reference", (dir / "silent.wav").string()}, "reference", "silence"},
             {{(dir / "mix.wav").string(), "--rate", "96000", "-o", (dir / "m.mp3").string()}, "m.mp3", "48 kHz"}}) {
        std::vector<std::string> args{"master"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        if (std::find(args.begin(), args.end(), "-o") == args.end()) args.insert(args.end(), {"-o", out});
        args.insert(args.end(), {"--report", report, "--save-profile", (dir / "p.json").string()});
        const auto r = runReel(args);
        EXPECT_EQ(r.exitCode, 1) << c.names << ": " << r.err;
        EXPECT_NE(r.err.find(c.names), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
        EXPECT_EQ(listFolder(dir), before) << c.names << ": nothing half-written";
    }
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
