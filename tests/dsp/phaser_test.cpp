#include "dsp/phaser.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "effects_test_support.hpp"

using namespace reel;
using dsp::Phaser;

namespace {

constexpr double kRate = 48000.0;

Phaser::Params params(double rateHz, double frequency, double depth, int stages, double feedback, double mix,
                      double spread = 90.0) {
    return {Hertz{rateHz}, Hertz{frequency}, depth, stages, feedback, mix, spread};
}

test::MakeProcessor maker(const Phaser::Params& p) {
    return [p] { return std::make_unique<Phaser>(p); };
}

std::complex<double> dft(const float* h, std::int64_t n, double f) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * f / kRate;
    for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(h[i]) * std::polar(1.0, -w * static_cast<double>(i));
    return sum;
}

/// The frequency in [low, high] where |DFT of h| is least (golden-section search).
double measuredNotch(const float* h, std::int64_t n, double low, double high) {
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = low, b = high;
    while (b - a > 0.01) {
        const double c = b - ratio * (b - a), d = a + ratio * (b - a);
        if (std::abs(dft(h, n, c)) < std::abs(dft(h, n, d))) b = d;
        else a = c;
    }
    return 0.5 * (a + b);
}

}  // namespace

TEST(Phaser, NotchesAtAFrozenLfoMatchTheAllpassCascade) {
    // Rate 0 holds the LFO at phase 0, so channel 0's sections break at `frequency`. With
    // N sections, mix 50 % and no feedback the notches sit where N·∠A = −(2k+1)π; for the
    // bilinear allpass ∠A = −2 atan(tan(ω/2) / tan(ωc/2)), so
    //   f_k = (fs/π) · atan(tan(π fc/fs) · tan((2k+1)π / 2N)).
    const int stages = 6;
    const double fc = 1000.0;
    Phaser phaser(params(0.0, fc, 0.5, stages, 0.0, 0.5));
    ASSERT_TRUE(phaser.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 16384);
    io.channel(0)[0] = io.channel(1)[0] = 1.0f;
    io = test::processInBlocks(phaser, io, 4096);
    const double t = std::tan(std::numbers::pi * fc / kRate);
    for (int k = 0; k < stages / 2; ++k) {
        const double expected = kRate / std::numbers::pi * std::atan(t * std::tan((2 * k + 1) * std::numbers::pi / (2 * stages)));
        const double measured = measuredNotch(io.channel(0), 16384, expected * 0.8, expected * 1.25);
        EXPECT_NEAR(measured, expected, 0.05) << "notch " << k;
        EXPECT_LT(std::abs(phaser.response(expected)), 1e-9);
        EXPECT_LT(std::abs(dft(io.channel(0), 16384, expected)), 1e-5);
    }
    EXPECT_NEAR(phaser.breakFrequency(0), fc, 1e-9);
    // Channel 1 sits a quarter cycle on: its sections break depth·2 = 1 octave higher.
    EXPECT_NEAR(phaser.breakFrequency(1), 2.0 * fc, 1e-9);
    for (double f = 50.0; f < 20000.0; f *= 1.37)
        EXPECT_NEAR(std::abs(dft(io.channel(1), 16384, f) - phaser.response(f, 1)), 0.0, 1e-5) << f;
}

TEST(Phaser, FeedbackResponseMatchesTheAnalyticFormula) {
    for (double g : {0.6, -0.6})
        for (int stages : {1, 4, 12}) {
            Phaser phaser(params(0.0, 700.0, 0.5, stages, g, 0.7));
            ASSERT_TRUE(phaser.prepare({kRate, 4096, 1}));
            AudioBuffer io(1, 24000);
            io.channel(0)[0] = 1.0f;
            io = test::processInBlocks(phaser, io, 4096);
            for (double f = 30.0; f < 22000.0; f *= 1.29)
                EXPECT_NEAR(std::abs(dft(io.channel(0), 24000, f) - phaser.response(f)), 0.0, 1e-5)
                    << f << " g " << g << " stages " << stages;
        }
}

TEST(Phaser, LfoRateMeasuredFromTheOutput) {
    // 100 % wet, the cascade turns a 1 kHz sine's phase as the break frequency sweeps; the
    // demodulated phase repeats at the LFO rate.
    const double rate = 1.5;
    Phaser phaser(params(rate, 1000.0, 0.5, 6, 0.0, 1.0));
    ASSERT_TRUE(phaser.prepare({kRate, 4096, 2}));
    auto io = test::sine(1000.0, 0.5, kRate, 4 * 48000, 2);
    io = test::processInBlocks(phaser, io, 4096);
    for (int c = 0; c < 2; ++c) {
        const auto trace = test::demodulatedDelay(io.channel(c), io.numFrames(), 1000.0, kRate, 0.0);
        EXPECT_NEAR(test::crossingRateHz(trace, kRate), rate, 0.005 * rate) << c;
    }
}

TEST(Phaser, StageChangesCrossfade) {
    // 4 → 10 sections on a steady sine: the output moves between the two steady states
    // without a step larger than the sine's own.
    Phaser phaser(params(0.0, 500.0, 0.5, 4, 0.3, 0.5));
    ASSERT_TRUE(phaser.prepare({kRate, 4096, 1}));
    auto io = test::sine(300.0, 0.5, kRate, 48000, 1);
    for (std::int64_t at = 0; at < 48000; at += 64) {
        if (at == 24000) phaser.setParameter(Phaser::kStages, 10.0);
        phaser.process(io.view().slice(at, 64));
    }
    EXPECT_EQ(phaser.params().stages, 10);
    float largest = 0.0f;
    for (std::int64_t i = 1000; i < 48000; ++i) largest = std::max(largest, std::fabs(io.channel(0)[i] - io.channel(0)[i - 1]));
    const double sineStep = 2.0 * 0.5 * std::sin(std::numbers::pi * 300.0 / kRate);
    EXPECT_LT(largest, 2.0 * sineStep);  // the feedback lifts the level a little
}

TEST(Phaser, SilenceInSilenceOut) { test::expectSilenceGivesSilence(maker(params(0.3, 800.0, 0.5, 6, 0.7, 0.5))); }

TEST(Phaser, SameOutputForAnyBlockSize) {
    test::expectSameOutputForAnyBlockSize(maker(params(2.0, 800.0, 0.8, 8, -0.7, 0.5)), test::noise(15000, 2, 0.5));
}

TEST(Phaser, ResetReproducesTheFirstRun) {
    test::expectResetReproducesFirstRun(maker(params(2.0, 800.0, 0.8, 8, 0.7, 0.5)), test::noise(15000, 2, 0.5));
}

TEST(Phaser, ProcessDoesNotAllocate) { test::expectNoAllocation(maker(params(0.3, 800.0, 0.5, 6, 0.4, 0.5))); }

TEST(Phaser, RecoversFromNaNAfterReset) { test::expectFiniteAfterNaNAndReset(maker(params(0.3, 800.0, 0.5, 6, 0.9, 0.5))); }

TEST(Phaser, MixStepGlidesWithoutSplatter) {
    const auto s = test::stepSplatter(maker(params(0.0, 800.0, 0.5, 6, 0.0, 0.1)), Phaser::kMix, 0.1, 0.9, 1000.0);
    std::printf("  splatter: glide %.1f dB, jump %.1f dB\n", s.glideDb, s.jumpDb);
    EXPECT_LT(s.glideDb, -50.0);
    EXPECT_GT(s.jumpDb, -35.0);
}

TEST(Phaser, TailCoversTheDecayWithoutOverstatingIt) {
    for (double g : {0.0, 0.5, 0.9})
        for (int stages : {2, 12}) {
            // Depth 0 holds the sections at 100 Hz, where tailSeconds() takes its poles from.
            Phaser phaser(params(0.0, 100.0, 0.0, stages, g, 1.0));
            ASSERT_TRUE(phaser.prepare({kRate, 4096, 1}));
            const double tail = phaser.tailSeconds();
            AudioBuffer io(1, static_cast<std::int64_t>(2.0 * tail * kRate) + 4096);
            io.channel(0)[0] = 1.0f;
            io = test::processInBlocks(phaser, io, 4096);
            std::int64_t last = 0;  // the last frame above -60 dB
            for (std::int64_t i = 0; i < io.numFrames(); ++i)
                if (std::fabs(io.channel(0)[i]) > 1e-3f) last = i;
            EXPECT_LE(static_cast<double>(last) / kRate, tail) << g << " " << stages;
            // A safe bound, not a wild one (measured 2.5 to 6 times the decay).
            EXPECT_GT(static_cast<double>(last) / kRate, tail / 8.0) << g << " " << stages;
            std::printf("  tail: g %.1f, %d stages: measured %.3f s, reported %.3f s\n", g, stages,
                        static_cast<double>(last) / kRate, tail);
        }
}

TEST(Phaser, ParametersAreListedAndClamped) {
    Phaser phaser;
    const auto info = phaser.parameters();
    ASSERT_EQ(info.size(), 7u);
    EXPECT_EQ(info[Phaser::kStages].name, "stages");
    phaser.setParameter(Phaser::kStages, 40.0);
    EXPECT_EQ(phaser.params().stages, Phaser::kMaxStages);
    phaser.setParameter(Phaser::kFrequency, 1.0);
    EXPECT_DOUBLE_EQ(phaser.params().frequency.value, 50.0);
}
