// Every bad input of issue 4 gets a clear message and leaves nothing half-written.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>

#include "master/album.hpp"
#include "master/master_file.hpp"
#include "master_test_support.hpp"

namespace reel::master {
namespace {

MasterJob jobFor(const std::filesystem::path& input, const std::filesystem::path& output) {
    MasterJob job;
    job.input = input;
    job.output = output;
    job.settings.target = *findDeliveryTarget("streaming");
    return job;
}

/// Masters `audio` and expects an error containing `expected`, with only mix.wav left.
void expectRefused(const std::string& name, const AudioBuffer& audio, int rate, const std::string& expected) {
    const auto dir = test::scratchDir("master-bad-" + name);
    test::writeFile(dir / "mix.wav", audio, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto result = masterFile(jobFor(dir / "mix.wav", dir / "master.wav"));
    ASSERT_FALSE(result) << name << " was mastered";
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("mix.wav"), std::string::npos) << "the message names the file: " << result.error().message;
    EXPECT_EQ(test::filesIn(dir), std::vector<std::string>{"mix.wav"}) << "nothing half-written";
}

TEST(MasterBadInput, DigitalSilenceIsRefused) { expectRefused("silent", AudioBuffer(2, 44100 * 5), 44100, "silence"); }

TEST(MasterBadInput, NearSilenceIsRefused) {
    expectRefused("near-silent", test::noise(44100 * 5, 2, 0.0003), 44100, "near-silent");
}

TEST(MasterBadInput, AFileOfOnlyClippingIsRefused) {
    AudioBuffer square(2, 44100 * 5);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < square.numFrames(); ++i) square.channel(c)[i] = (i / 50) % 2 ? 1.0f : -1.0f;
    expectRefused("clipping", square, 44100, "nothing but clipping");
}

TEST(MasterBadInput, LessThanThreeSecondsIsRefused) {
    expectRefused("short", test::programMaterial(2.5, 44100.0), 44100, "at least 3 s");
}

TEST(MasterBadInput, MoreThanTwoChannelsIsRefused) {
    expectRefused("surround", test::noise(48000 * 4, 6, 0.3), 48000, "mono or stereo");
}

TEST(MasterBadInput, MonoIsMasteredAsMono) {
    const auto dir = test::scratchDir("master-mono");
    test::writeFile(dir / "mix.wav", test::programMaterial(5.0, 44100.0, 1, -10.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto result = masterFile(jobFor(dir / "mix.wav", dir / "master.wav"));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(test::readFile(dir / "master.wav").numChannels(), 1);
    EXPECT_NEAR(test::libebur128Integrated(dir / "master.wav"), -14.0, 0.1);
    ASSERT_FALSE(result->warnings.empty());
    EXPECT_NE(result->warnings.front().find("mono"), std::string::npos);
}

TEST(MasterBadInput, ABrokenReferenceIsRefusedAndNamed) {
    const auto dir = test::scratchDir("master-broken-reference");
    test::writeFile(dir / "mix.wav", test::programMaterial(5.0, 44100.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    test::writeText(dir / "ref.wav", "this is not audio");
    MasterJob job = jobFor(dir / "mix.wav", dir / "master.wav");
    job.settings.references.push_back({dir / "ref.wav", 1.0});
    auto result = masterFile(job);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("ref.wav"), std::string::npos) << result.error().message;
    EXPECT_EQ(test::filesIn(dir), (std::vector<std::string>{"mix.wav", "ref.wav"}));

    // A silent reference is refused as a reference.
    test::writeFile(dir / "ref.wav", AudioBuffer(2, 44100 * 5), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    result = masterFile(job);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("reference"), std::string::npos) << result.error().message;
    EXPECT_EQ(test::filesIn(dir), (std::vector<std::string>{"mix.wav", "ref.wav"}));
}

TEST(MasterBadInput, AShortOrClippedReferenceIsRefusedAsAReference) {
    const auto dir = test::scratchDir("master-bad-reference-kinds");
    test::writeFile(dir / "mix.wav", test::programMaterial(5.0, 44100.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    AudioBuffer square(2, 44100 * 5);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < square.numFrames(); ++i) square.channel(c)[i] = (i / 50) % 2 ? 1.0f : -1.0f;
    test::writeFile(dir / "short.wav", test::programMaterial(2.0, 44100.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    test::writeFile(dir / "clipped.wav", square, 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    for (const char* name : {"short.wav", "clipped.wav"}) {
        MasterJob job = jobFor(dir / "mix.wav", dir / "master.wav");
        job.settings.references.push_back({dir / name, 1.0});
        auto result = masterFile(job);
        ASSERT_FALSE(result) << name;
        EXPECT_NE(result.error().message.find(std::string("reference ") + (dir / name).string()), std::string::npos)
            << result.error().message;
        EXPECT_EQ(test::filesIn(dir), (std::vector<std::string>{"clipped.wav", "mix.wav", "short.wav"}));
    }
}

TEST(MasterBadInput, AnImpossibleTargetIsAWarningThatSaysByHowMuch) {
    const auto dir = test::scratchDir("master-impossible");
    test::writeFile(dir / "mix.wav", test::programMaterial(6.0, 44100.0, 2, -12.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    MasterJob job = jobFor(dir / "mix.wav", dir / "master.wav");
    job.settings.target = {"custom", Decibels{-3.0}, Decibels{-1.0}, "test"};
    job.settings.intensity = Intensity::low;
    auto result = masterFile(job);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_FALSE(result->loudnessReached);
    EXPECT_GT(result->shortfallLu, 1.0);
    ASSERT_FALSE(result->warnings.empty());
    const std::string& warning = result->warnings.back();
    EXPECT_NE(warning.find("not reached"), std::string::npos) << warning;
    EXPECT_NE(warning.find("LU short"), std::string::npos) << warning;
    EXPECT_NE(warning.find("intensity"), std::string::npos) << warning;
    // Still a valid master: under the ceiling, limited no deeper than the intensity allows.
    EXPECT_LE(test::truePeakOf(dir / "master.wav"), -1.0);
    EXPECT_LE(result->limiter.maxDb, result->plan.maxLimiting.value + 0.5);
}

TEST(MasterBadInput, TheOutputMayNotOverwriteTheMix) {
    const auto dir = test::scratchDir("master-overwrite");
    test::writeFile(dir / "mix.wav", test::programMaterial(4.0, 44100.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto result = masterFile(jobFor(dir / "mix.wav", dir / "mix.wav"));
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("overwrite"), std::string::npos);
}

TEST(MasterBadInput, AnAlbumWithMismatchedRatesIsRefusedBeforeWritingAnything) {
    const auto dir = test::scratchDir("master-album-rates");
    std::filesystem::create_directories(dir / "out");
    test::writeFile(dir / "a.wav", test::programMaterial(4.0, 44100.0), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    test::writeFile(dir / "b.wav", test::programMaterial(4.0, 48000.0), 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    AlbumJob job;
    job.inputs = {dir / "a.wav", dir / "b.wav"};
    job.outputFolder = dir / "out";
    job.settings.target = *findDeliveryTarget("streaming");
    auto result = masterAlbum(job);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("different sample rates"), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("--rate"), std::string::npos) << result.error().message;
    EXPECT_TRUE(test::filesIn(dir / "out").empty());
}

}  // namespace
}  // namespace reel::master
