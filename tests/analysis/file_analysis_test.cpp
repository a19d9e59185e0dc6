#include "analysis/file_analysis.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "analysis/analysis_report.hpp"
#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "analysis/true_peak_meter.hpp"
#include "support/test_signals.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

// What the in-memory meters read on the same samples, in one process() call each.
FileAnalysis inMemory(AudioBuffer& audio, double rate) {
    LoudnessMeter loudness(SampleRate{rate}, audio.numChannels());
    TruePeakMeter truePeak(SampleRate{rate}, audio.numChannels());
    LevelStats levels(audio.numChannels());
    loudness.process(audio.view());
    truePeak.process(audio.view());
    levels.process(audio.view());
    FileAnalysis a;
    a.integratedLufs = loudness.integratedLufs();
    a.loudnessRangeLu = loudness.loudnessRangeLu();
    a.momentaryMaxLufs = loudness.momentaryMaxLufs();
    a.shortTermMaxLufs = loudness.shortTermMaxLufs();
    a.truePeakDbtp = truePeak.truePeakDbtp();
    a.samplePeakDbfs = levels.samplePeakDbfs();
    a.rmsDbfs = levels.rmsDbfs();
    a.dcOffset = levels.dcOffset();
    a.clippedSamples = levels.clippedSamples();
    return a;
}

void expectSameValue(const std::optional<Decibels>& a, const std::optional<Decibels>& b, const char* what) {
    ASSERT_EQ(a.has_value(), b.has_value()) << what;
    if (a) {
        EXPECT_EQ(a->value, b->value) << what;
    }
}

void expectSameAnalysis(const FileAnalysis& file, const FileAnalysis& memory) {
    expectSameValue(file.integratedLufs, memory.integratedLufs, "integrated");
    expectSameValue(file.loudnessRangeLu, memory.loudnessRangeLu, "range");
    expectSameValue(file.momentaryMaxLufs, memory.momentaryMaxLufs, "momentary max");
    expectSameValue(file.shortTermMaxLufs, memory.shortTermMaxLufs, "short-term max");
    expectSameValue(file.truePeakDbtp, memory.truePeakDbtp, "true peak");
    expectSameValue(file.samplePeakDbfs, memory.samplePeakDbfs, "sample peak");
    expectSameValue(file.rmsDbfs, memory.rmsDbfs, "rms");
    ASSERT_EQ(file.dcOffset.has_value(), memory.dcOffset.has_value());
    if (file.dcOffset) {
        EXPECT_EQ(*file.dcOffset, *memory.dcOffset);
    }
    EXPECT_EQ(file.clippedSamples, memory.clippedSamples);
}

// The audio as the file stores it (16-bit quantized, for example), read back by libsndfile.
AudioBuffer writeAndReadBack(const std::filesystem::path& path, const AudioBuffer& audio, int rate, int format) {
    test::writeFile(path, audio, rate, format);
    return test::readFile(path);
}

}  // namespace

TEST(AnalyzeFile, GivesTheInMemoryMetersResultsForStereoFloatWav) {
    const auto dir = test::scratchDir("analyze-stereo");
    SignalBuilder b(48000, 2);
    // Over 130 k frames, so the file is read in several blocks across both threads.
    b.noise(-18.0, 2.0, 1).silence(0.3).tone(440.0, -9.0, 1.5).noise(-30.0, 2.2, 2);
    AudioBuffer audio = writeAndReadBack(dir / "stereo.wav", b.build(), 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto result = analyzeFile(dir / "stereo.wav");
    ASSERT_TRUE(result) << result.error().message;
    expectSameAnalysis(*result, inMemory(audio, 48000));
    EXPECT_EQ(result->channels, 2);
    EXPECT_EQ(result->sampleRate.value, 48000.0);
    EXPECT_NEAR(result->duration.value, 6.0, 1e-9);
}

TEST(AnalyzeFile, GivesTheInMemoryMetersResultsFor16BitFivePointOne) {
    const auto dir = test::scratchDir("analyze-surround");
    SignalBuilder b(44100, 6);
    b.noise({-20.0, -21.0, -19.0, -10.0, -24.0, -25.0}, 4.0, 5);
    AudioBuffer audio = writeAndReadBack(dir / "surround.wav", b.build(), 44100, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto result = analyzeFile(dir / "surround.wav");
    ASSERT_TRUE(result) << result.error().message;
    expectSameAnalysis(*result, inMemory(audio, 44100));
    EXPECT_EQ(result->channels, 6);
}

TEST(AnalyzeFile, SilenceReportsNullsNotMinusInfinity) {
    const auto dir = test::scratchDir("analyze-silence");
    test::writeFile(dir / "silence.wav", AudioBuffer(2, 96000), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const auto result = analyzeFile(dir / "silence.wav");
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_FALSE(result->integratedLufs);
    EXPECT_FALSE(result->truePeakDbtp);
    EXPECT_FALSE(result->samplePeakDbfs);
    EXPECT_FALSE(result->rmsDbfs);
    EXPECT_EQ(*result->dcOffset, 0.0);
    const std::string json = toJson(*result);
    EXPECT_NE(json.find("\"integrated_lufs\":null"), std::string::npos) << json;
    EXPECT_NE(json.find("\"true_peak_dbtp\":null"), std::string::npos) << json;
    EXPECT_EQ(json.find("inf"), std::string::npos) << json;
    EXPECT_EQ(json.find("nan"), std::string::npos) << json;
}

TEST(AnalyzeFile, AFileShorterThan400msHasNoLoudness) {
    const auto dir = test::scratchDir("analyze-short");
    test::writeFile(dir / "short.wav", SignalBuilder(48000, 1).tone(1000, -6.0, 0.3).build(), 48000,
                    SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto result = analyzeFile(dir / "short.wav");
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_FALSE(result->integratedLufs);
    EXPECT_FALSE(result->loudnessRangeLu);
    EXPECT_FALSE(result->momentaryMaxLufs);
    EXPECT_FALSE(result->shortTermMaxLufs);
    ASSERT_TRUE(result->samplePeakDbfs);
    EXPECT_NEAR(result->samplePeakDbfs->value, -6.0, 0.01);
    EXPECT_NEAR(result->duration.value, 0.3, 1e-9);
}

TEST(AnalyzeFile, ReportsProgressUpToOne) {
    const auto dir = test::scratchDir("analyze-progress");
    test::writeFile(dir / "long.wav", SignalBuilder(44100, 2).noise(-20.0, 5.0).build(), 44100,
                    SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    std::vector<double> fractions;
    const auto result = analyzeFile(dir / "long.wav", [&](double f) { fractions.push_back(f); });
    ASSERT_TRUE(result);
    ASSERT_GE(fractions.size(), 3u);
    for (std::size_t i = 1; i < fractions.size(); ++i) EXPECT_GE(fractions[i], fractions[i - 1]);
    EXPECT_EQ(fractions.back(), 1.0);
}

TEST(AnalyzeFile, AMissingFileIsAnErrorThatNamesIt) {
    const auto result = analyzeFile("/nonexistent/take-7.wav");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::fileNotFound);
    EXPECT_NE(result.error().message.find("take-7.wav"), std::string::npos) << result.error().message;
}

TEST(AnalyzeFile, ARateTooLowToMeterIsAnErrorThatNamesTheFile) {
    const auto dir = test::scratchDir("analyze-lowrate");
    test::writeFile(dir / "phone.wav", SignalBuilder(4000, 1).noise(-10.0, 1.0).build(), 4000,
                    SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto result = analyzeFile(dir / "phone.wav");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::formatUnsupported);
    EXPECT_NE(result.error().message.find("phone.wav"), std::string::npos) << result.error().message;
}

TEST(AnalysisReport, JsonHasExactlyTheSpecifiedKeysInOrder) {
    FileAnalysis a;
    a.integratedLufs = Decibels{-23.004};
    a.loudnessRangeLu = Decibels{5.5};
    a.momentaryMaxLufs = Decibels{-20.0};
    a.shortTermMaxLufs = std::nullopt;
    a.truePeakDbtp = Decibels{-1.234};
    a.samplePeakDbfs = Decibels{-1.5};
    a.rmsDbfs = Decibels{-18.25};
    a.dcOffset = -0.0000125;
    a.clippedSamples = 3;
    a.duration = Seconds{12.5};
    a.sampleRate = SampleRate{44100};
    a.channels = 2;
    EXPECT_EQ(toJson(a),
              "{\"integrated_lufs\":-23.00,\"loudness_range_lu\":5.50,\"momentary_max_lufs\":-20.00,"
              "\"short_term_max_lufs\":null,\"true_peak_dbtp\":-1.23,\"sample_peak_dbfs\":-1.50,"
              "\"rms_dbfs\":-18.25,\"dc_offset\":-0.000013,\"clipped_samples\":3,\"duration_s\":12.500,"
              "\"sample_rate\":44100,\"channels\":2}");
    std::vector<std::string> keys;
    const std::string json = toJson(a);
    const std::regex key("\"([a-z_]+)\":");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), key); it != std::sregex_iterator(); ++it)
        keys.push_back((*it)[1]);
    EXPECT_EQ(keys, (std::vector<std::string>{"integrated_lufs", "loudness_range_lu", "momentary_max_lufs",
                                              "short_term_max_lufs", "true_peak_dbtp", "sample_peak_dbfs", "rms_dbfs",
                                              "dc_offset", "clipped_samples", "duration_s", "sample_rate",
                                              "channels"}));
}

TEST(AnalysisReport, TextNamesEachFigureWithItsUnit) {
    FileAnalysis a;
    a.integratedLufs = Decibels{-14.2};
    a.truePeakDbtp = Decibels{-0.8};
    a.duration = Seconds{125.25};
    a.sampleRate = SampleRate{48000};
    a.channels = 1;
    const std::string text = toText(a);
    EXPECT_NE(text.find("Integrated loudness   -14.20 LUFS"), std::string::npos) << text;
    EXPECT_NE(text.find("True peak             -0.80 dBTP"), std::string::npos) << text;
    EXPECT_NE(text.find("Loudness range        undefined"), std::string::npos) << text;
    EXPECT_NE(text.find("2:05.250 (125.250 s)"), std::string::npos) << text;
    EXPECT_NE(text.find("48000 Hz, 1 channel\n"), std::string::npos) << text;
}
