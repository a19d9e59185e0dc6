// The mastering folder's building blocks: the true-peak detector, spectra, parsing, profiles.
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/true_peak_meter.hpp"
#include "master/band_spectrum.hpp"
#include "master/json_value.hpp"
#include "master/mastering_plan.hpp"
#include "master/time_series.hpp"
#include "master/true_peak_detector.hpp"
#include "support/test_signals.hpp"

namespace reel::master {
namespace {

TEST(TruePeakDetector, ReportsNoLessThanTheMetersTruePeakAroundEachFrame) {
    // A sine at fs/4 + a bit, phased so its peaks fall between samples: sample peak < true peak.
    const double rate = 48000.0;
    AudioBuffer x = test::sine(11025.0, 0.8, rate, 4800, 2);
    for (int c = 0; c < 2; ++c)  // a smooth fade-in: no start-up overshoot to skew the peak
        for (std::int64_t i = 0; i < 400; ++i) x.channel(c)[i] *= static_cast<float>(0.5 - 0.5 * std::cos(M_PI * static_cast<double>(i) / 400.0));
    TruePeakDetector detector;
    ASSERT_TRUE(detector.prepare({rate, 4800, 2}));
    std::vector<float> peaks(4800);
    detector.process(x.view(), peaks.data());
    analysis::TruePeakMeter meter(SampleRate{rate}, 2);
    meter.process(x.view());
    const float truePeak = meter.truePeak(0);
    EXPECT_EQ(detector.latency(), 15);
    // Away from the start-up, every frame's report covers the signal's true peak.
    for (std::size_t i = 500; i < peaks.size(); ++i) ASSERT_GE(peaks[i], truePeak * 0.999f) << i;
    EXPECT_NEAR(detector.maxPeak(), truePeak, 1e-6);
}

TEST(BandSpectrum, AFullScaleSineReadsMinusThreeDbInItsBand) {
    AudioBuffer x = test::sine(1000.0, 1.0, 48000.0, 48000 * 2, 2);
    BandSpectrumAnalyzer analyzer(SampleRate{48000.0}, 2);
    analyzer.process(x.view());
    const BandSpectrum s = analyzer.result();
    ASSERT_TRUE(s.valid);
    EXPECT_NEAR(s.mid[17], -3.01, 0.05);  // the 1 kHz band
    EXPECT_LT(s.mid[14], -60.0);          // 500 Hz: nothing there
    EXPECT_LT(s.side[17], -100.0);        // identical channels: no side
}

TEST(MasterSettings, ParsesAmountsReferencesAndNames) {
    auto a = parseAmounts("eq=60%,width=0%,dynamics=40%,loudness=100%");
    ASSERT_TRUE(a);
    EXPECT_DOUBLE_EQ(a->eq, 0.6);
    EXPECT_DOUBLE_EQ(a->width, 0.0);
    EXPECT_DOUBLE_EQ(a->dynamics, 0.4);
    EXPECT_DOUBLE_EQ(a->loudness, 1.0);
    EXPECT_FALSE(parseAmounts("eq=120%"));
    EXPECT_FALSE(parseAmounts("bass=10%"));
    auto r = parseReference("songs/ref.wav:2");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->path, "songs/ref.wav");
    EXPECT_DOUBLE_EQ(r->weight, 2.0);
    EXPECT_EQ(parseReference("C:odd.wav")->path, "C:odd.wav");
    EXPECT_FALSE(parseReference("ref.wav:0"));
    EXPECT_FALSE(parseCharacter("shiny"));
    EXPECT_EQ(*parseIntensity("high"), Intensity::high);
}

TEST(Profile, SurvivesARoundTrip) {
    MasteringPlan plan;
    plan.settings.target = {"apple", Decibels{-16.0}, Decibels{-1.0}, "x"};
    plan.settings.character = Character::warm;
    plan.target = plan.settings.target;
    plan.midEq.bands[0] = {dsp::BandType::lowShelf, Hertz{80.0}, Decibels{1.5}, 0.7, 12};
    plan.midEq.bands[3] = {dsp::BandType::bell, Hertz{800.0}, Decibels{-2.0}, 1.0, 12};
    plan.width = 0.9;
    plan.monoBelow = Hertz{100.0};
    plan.compress = true;
    plan.compressor.ratio = 2.0;
    plan.compressorReference = Decibels{-20.0};
    plan.compressor.threshold = Decibels{-19.0};
    auto back = profileFromJson(profileToJson(plan), "p.json");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->settings.character, Character::warm);
    EXPECT_DOUBLE_EQ(back->target.integratedLufs.value, -16.0);
    EXPECT_DOUBLE_EQ(back->midEq.bands[0].gain.value, 1.5);
    EXPECT_DOUBLE_EQ(back->midEq.bands[1].gain.value, -2.0);  // bands are stored in order, offs skipped
    EXPECT_DOUBLE_EQ(back->width, 0.9);
    EXPECT_DOUBLE_EQ(back->compressorOffset.value, 1.0);
    auto broken = profileFromJson("{\"reel_mastering_profile\": 1, \"settings\": {}}", "p.json");
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("p.json"), std::string::npos);
    EXPECT_FALSE(profileFromJson("[1, 2", "p.json"));
}

TEST(JsonValue, ReadsNestedDocumentsAndSaysWhereItFails) {
    auto v = JsonValue::parse(R"({"a": [1, -2.5e1, true, null, "x\n\u00e9"], "b": {"c": false}})");
    ASSERT_TRUE(v);
    EXPECT_DOUBLE_EQ(v->find("a")->items()[1].number(), -25.0);
    EXPECT_EQ(v->find("a")->items()[4].string(), "x\n\xc3\xa9");
    EXPECT_FALSE(v->find("b")->find("c")->boolean());
    auto bad = JsonValue::parse("{\n  \"a\": 1,\n  \"b\" 2\n}");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("line 3"), std::string::npos) << bad.error().message;
}

TEST(TimeSeries, StaysBoundedAndKeepsTheWorstMoment) {
    TimeSeries series(0.1, Merge::keepLarger);
    for (int i = 0; i < 100000; ++i) series.push(i == 77777 ? 9.0 : 1.0);
    EXPECT_LE(series.values().size(), TimeSeries::kCapacity);
    EXPECT_DOUBLE_EQ(*std::max_element(series.values().begin(), series.values().end()), 9.0);
    EXPECT_GT(series.stepSeconds(), 0.1);
}

}  // namespace
}  // namespace reel::master
