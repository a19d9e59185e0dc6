// Multiband compression: the LR4 bands sum flat (an allpass), and each band is compressed on
// its own.
#include "master/multiband_compressor.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "master/delivery_target.hpp"
#include "master/mastering_plan.hpp"
#include "master/program_analysis.hpp"
#include "master_test_support.hpp"
#include "support/test_signals.hpp"

namespace reel::master {
namespace {

constexpr double kRate = 44100.0;

/// The DFT of `h` at `frequency` (h long enough to have decayed).
std::complex<double> dftAt(const std::vector<double>& h, double frequency) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * frequency / kRate;
    for (std::size_t n = 0; n < h.size(); ++n) sum += h[n] * std::polar(1.0, -w * static_cast<double>(n));
    return sum;
}

TEST(ThreeBandCrossover, BandsSumToAnAllpassWithinAHundredthOfADecibel) {
    ThreeBandCrossover crossover;
    ASSERT_TRUE(crossover.setFrequencies(Hertz{200.0}, Hertz{3000.0}, SampleRate{kRate}));
    const std::int64_t n = 16384;
    std::vector<float> impulse(static_cast<std::size_t>(n), 0.0f), low(impulse), mid(impulse), high(impulse);
    impulse[0] = 1.0f;
    crossover.split(0, impulse.data(), low.data(), mid.data(), high.data(), n);
    std::vector<double> sum(static_cast<std::size_t>(n)), bandLow(sum);
    for (std::size_t i = 0; i < sum.size(); ++i) {
        sum[i] = static_cast<double>(low[i]) + mid[i] + high[i];
        bandLow[i] = low[i];
    }
    for (double f : {30.0, 100.0, 200.0, 500.0, 1000.0, 3000.0, 6000.0, 15000.0}) {
        const std::complex<double> measured = dftAt(sum, f);
        EXPECT_NEAR(20.0 * std::log10(std::abs(measured)), 0.0, 0.01) << f << " Hz";
        // The phase is that of the two allpasses, AP_200 · AP_3000.
        dsp::BiquadCoefficients ap1 = dsp::BiquadCoefficients::allPass(200.0, std::numbers::sqrt2 / 2.0, kRate);
        dsp::BiquadCoefficients ap2 = dsp::BiquadCoefficients::allPass(3000.0, std::numbers::sqrt2 / 2.0, kRate);
        const std::complex<double> expected = ap1.response(f, kRate) * ap2.response(f, kRate);
        EXPECT_NEAR(std::arg(measured / expected), 0.0, 2e-3) << f << " Hz";
        // And the analytic responses add up the same way.
        const std::complex<double> analytic = crossover.response(ThreeBandCrossover::Band::low, Hertz{f}) +
                                              crossover.response(ThreeBandCrossover::Band::mid, Hertz{f}) +
                                              crossover.response(ThreeBandCrossover::Band::high, Hertz{f});
        EXPECT_NEAR(std::abs(analytic - expected), 0.0, 1e-9) << f << " Hz";
    }
    // Each band is -6.02 dB at its crossover (LR4) and follows its analytic response.
    EXPECT_NEAR(20.0 * std::log10(std::abs(crossover.response(ThreeBandCrossover::Band::low, Hertz{200.0}))), -6.02, 0.01);
    EXPECT_NEAR(std::abs(dftAt(bandLow, 1000.0) - crossover.response(ThreeBandCrossover::Band::low, Hertz{1000.0})), 0.0, 1e-4);
}

TEST(ThreeBandCrossover, RejectsCrossoversOutOfOrderOrRange) {
    ThreeBandCrossover crossover;
    EXPECT_FALSE(crossover.setFrequencies(Hertz{3000.0}, Hertz{200.0}, SampleRate{kRate}));
    EXPECT_FALSE(crossover.setFrequencies(Hertz{10.0}, Hertz{200.0}, SampleRate{kRate}));
    EXPECT_FALSE(crossover.setFrequencies(Hertz{200.0}, Hertz{21000.0}, SampleRate{kRate}));
}

MultibandCompressor::Params bandsAt(double thresholdDb, double ratio) {
    MultibandCompressor::Params p;
    for (auto& b : p.bands) {
        b.threshold = Decibels{thresholdDb};
        b.ratio = ratio;
        b.knee = Decibels{0.0};
        b.attack = Seconds{0.005};
        b.release = Seconds{0.05};
        b.detection = dsp::LevelDetection::rms;
    }
    return p;
}

double rmsDb(const AudioBuffer& x, int channel, std::int64_t from) {
    double sum = 0.0;
    for (std::int64_t i = from; i < x.numFrames(); ++i) sum += double(x.channel(channel)[i]) * x.channel(channel)[i];
    return 10.0 * std::log10(sum / static_cast<double>(x.numFrames() - from));
}

/// Level of the component at `frequency` (a projection over whole periods), dB re amplitude 1.
double toneDb(const AudioBuffer& x, double frequency, std::int64_t from) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * frequency / kRate;
    for (std::int64_t i = from; i < x.numFrames(); ++i) sum += double(x.channel(0)[i]) * std::polar(1.0, -w * static_cast<double>(i));
    return 20.0 * std::log10(2.0 * std::abs(sum) / static_cast<double>(x.numFrames() - from));
}

// A loud bass and a quiet treble: only the low band is over its threshold, so only the bass
// comes down (by about (1 − 1/ratio) of its excess); the treble passes at its level.
TEST(MultibandCompressor, CompressesOnlyTheBandThatIsOverItsThreshold) {
    const std::int64_t n = static_cast<std::int64_t>(kRate * 2);
    AudioBuffer x(2, n);
    for (std::int64_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / kRate;
        const float v = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 60.0 * t) + 0.01 * std::sin(2.0 * std::numbers::pi * 6000.0 * t));
        x.channel(0)[i] = x.channel(1)[i] = v;
    }
    MultibandCompressor mb;
    ASSERT_TRUE(mb.prepare({kRate, 4096, 2}, bandsAt(-20.0, 4.0)));
    AudioBuffer y = x;
    for (std::int64_t at = 0; at < n; at += 4096) mb.process(y.view().slice(at, std::min<std::int64_t>(4096, n - at)));
    const std::int64_t settled = n / 2;
    // The 60 Hz tone: RMS -9 dBFS, 11 dB over; at 4:1 it keeps about 2.75 dB of that.
    EXPECT_NEAR(toneDb(y, 60.0, settled) - toneDb(x, 60.0, settled), -(11.0 - 11.0 / 4.0), 1.0);
    EXPECT_NEAR(toneDb(y, 6000.0, settled), toneDb(x, 6000.0, settled), 0.1);
    EXPECT_GT(mb.gainReductionDb(), 7.0);
}

TEST(MultibandCompressor, AtUnityItChangesNoLevelAndGivesTheSameOutputForAnyBlockSize) {
    AudioBuffer x = test::noise(30000, 2, 0.3, 9);
    auto run = [&](std::int64_t block) {
        MultibandCompressor mb;
        EXPECT_TRUE(mb.prepare({kRate, static_cast<int>(block), 2}, bandsAt(0.0, 1.0)));
        AudioBuffer y = x;
        for (std::int64_t at = 0; at < y.numFrames(); at += block) mb.process(y.view().slice(at, std::min(block, y.numFrames() - at)));
        return y;
    };
    const AudioBuffer reference = run(4096);
    EXPECT_NEAR(rmsDb(reference, 0, 2000), rmsDb(x, 0, 2000), 0.05);  // an allpass keeps white noise's power
    for (std::int64_t block : {1, 7, 64, 4095}) {
        const AudioBuffer y = run(block);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < x.numFrames(); ++i) ASSERT_EQ(y.channel(c)[i], reference.channel(c)[i]) << block << ", " << i;
    }
}

// The decisions: --intensity high masters with three bands instead of one, each band's
// threshold 1 dB under its own level; --amount dynamics= moves the ratios toward 1:1 (0 %
// turns it off); a profile carries the bands and refits their thresholds to another song.
TEST(MultibandPlan, HighIntensityUsesThreeBandsScaledByTheDynamicsAmount) {
    const auto dir = test::scratchDir("master-multiband-plan");
    test::writeFile(dir / "mix.wav", test::programMaterial(6.0, kRate, 2, -9.0), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto mix = analyzeProgram(dir / "mix.wav");
    ASSERT_TRUE(mix);
    MasterSettings settings;
    settings.target = *findDeliveryTarget("streaming");
    settings.intensity = Intensity::high;
    const MasteringPlan plan = planMastering(*mix, settings, {});
    ASSERT_TRUE(plan.multiband);
    EXPECT_FALSE(plan.compress);
    const auto levels = multibandLevels(mix->spectrum, plan.multibandParams.lowCrossover, plan.multibandParams.highCrossover);
    ASSERT_TRUE(levels);
    for (std::size_t b = 0; b < 3; ++b) {
        EXPECT_DOUBLE_EQ(plan.multibandParams.bands[b].ratio, 2.0);
        EXPECT_DOUBLE_EQ(plan.multibandParams.bands[b].threshold.value, (*levels)[b].value - 1.0);
    }
    settings.amounts.dynamics = 0.5;
    EXPECT_DOUBLE_EQ(planMastering(*mix, settings, {}).multibandParams.bands[1].ratio, 1.5);
    settings.amounts.dynamics = 0.0;
    EXPECT_FALSE(planMastering(*mix, settings, {}).multiband);
    settings.amounts.dynamics = 1.0;
    settings.intensity = Intensity::medium;
    const MasteringPlan medium = planMastering(*mix, settings, {});
    EXPECT_FALSE(medium.multiband);
    EXPECT_TRUE(medium.compress);

    // A profile keeps the bands, and refits thresholds to a song 6 dB quieter.
    auto loaded = profileFromJson(profileToJson(plan), "p.json");
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_TRUE(loaded->multiband);
    test::writeFile(dir / "quiet.wav", test::programMaterial(6.0, kRate, 2, -15.0), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto quiet = analyzeProgram(dir / "quiet.wav");
    ASSERT_TRUE(quiet);
    adaptProfileTo(*loaded, *quiet);
    for (std::size_t b = 0; b < 3; ++b) {
        EXPECT_NEAR(loaded->multibandParams.bands[b].ratio, 2.0, 1e-3);
        EXPECT_NEAR(loaded->multibandParams.bands[b].threshold.value, plan.multibandParams.bands[b].threshold.value - 6.0, 0.05);
    }
}

}  // namespace
}  // namespace reel::master
