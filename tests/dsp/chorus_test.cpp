#include "dsp/chorus.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dsp/fractional_delay_line.hpp"
#include "effects_test_support.hpp"

using namespace reel;
using dsp::Chorus;
using dsp::FractionalDelayLine;

namespace {

constexpr double kRate = 48000.0;

Chorus::Params params(double rateHz, double depthSeconds, double delaySeconds, double mix, double spread = 90.0) {
    return {Hertz{rateHz}, Seconds{depthSeconds}, Seconds{delaySeconds}, mix, spread};
}

test::MakeProcessor maker(const Chorus::Params& p) {
    return [p] { return std::make_unique<Chorus>(p); };
}

}  // namespace

TEST(Chorus, DepthZeroIsAPureFractionalDelay) {
    // 12.3456 ms = 592.5888 frames: the impulse response is the Lagrange kernel at taps
    // 591 … 594, and a 1 kHz sine comes out with the interpolator's exact gain and delay.
    const double delay = 0.0123456;
    const double frames = delay * kRate;
    Chorus chorus(params(1.3, 0.0, delay, 1.0));
    ASSERT_TRUE(chorus.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 2048);
    io.channel(0)[0] = io.channel(1)[0] = 1.0f;
    chorus.process(io.view());
    const auto w = FractionalDelayLine::lagrangeWeights(frames - 592.0);
    for (int c = 0; c < 2; ++c)
        for (int n = 0; n < 2048; ++n) {
            const double expected = (n >= 591 && n <= 594) ? w[static_cast<std::size_t>(n - 591)] : 0.0;
            ASSERT_NEAR(io.channel(c)[n], expected, 1e-7) << n;
        }

    chorus.reset();
    const auto input = test::sine(1000.0, 0.5, kRate, 4800 * 2, 1);
    AudioBuffer out = input;
    chorus.process(out.view().slice(0, 4800));
    chorus.process(out.view().slice(4800, 4800));
    const float* y = out.channel(0) + 4800;
    const float* x = input.channel(0) + 4800;
    const double gain = test::toneAmplitude(y, 4800, 1000.0, kRate) / test::toneAmplitude(x, 4800, 1000.0, kRate);
    EXPECT_NEAR(gain, std::abs(FractionalDelayLine::response(frames, 1000.0, kRate)), 1e-5);
    EXPECT_NEAR(20.0 * std::log10(gain), 0.0, 0.001);
    // Phase delay, unwrapped near the expected delay (a 1 kHz period is 48 frames).
    const double w1k = 2.0 * std::numbers::pi * 1000.0 / kRate;
    double lag = (test::tonePhase(x, 4800, 1000.0, kRate) - test::tonePhase(y, 4800, 1000.0, kRate)) / w1k;
    lag += 48.0 * std::round((frames - lag) / 48.0);
    EXPECT_NEAR(lag, frames, 0.01);
}

TEST(Chorus, DelayFollowsTheLfoAtItsRateDepthAndSpread) {
    // Read the delay back out of a 1 kHz sine (100 % wet) and compare it, frame by frame,
    // with delay + depth·(1 + sin(2π(rate·t + c·spread/360)))/2.
    const double rate = 2.0, depth = 0.004, delay = 0.010, spread = 90.0;
    Chorus chorus(params(rate, depth, delay, 1.0, spread));
    ASSERT_TRUE(chorus.prepare({kRate, 4096, 2}));
    auto io = test::sine(1000.0, 0.5, kRate, 3 * 48000, 2);
    io = test::processInBlocks(chorus, io, 4096);
    for (int c = 0; c < 2; ++c) {
        auto expected = [&](double frame) {
            return kRate * (delay + 0.5 * depth * (1.0 + std::sin(2.0 * std::numbers::pi * (rate * frame / kRate + c * spread / 360.0))));
        };
        // Skip the first 2400 frames, while the line fills. Trace value j averages the
        // window of 48 frames starting at frame start + j, centred 23.5 frames later.
        const std::int64_t start = 2400;
        const auto trace =
            test::demodulatedDelay(io.channel(c) + start, io.numFrames() - start, 1000.0, kRate, expected(start + 23.5));
        double worst = 0.0;
        for (std::size_t j = 0; j < trace.size(); ++j)
            worst = std::max(worst, std::fabs(trace[j] - expected(static_cast<double>(start + j) + 23.5)));
        EXPECT_LT(worst, 0.1) << "channel " << c;  // frames
        EXPECT_NEAR(test::crossingRateHz(trace, kRate), rate, 0.005 * rate);
    }
}

TEST(Chorus, SilenceInSilenceOut) { test::expectSilenceGivesSilence(maker(params(0.8, 0.005, 0.012, 0.5))); }

TEST(Chorus, SameOutputForAnyBlockSize) {
    test::expectSameOutputForAnyBlockSize(maker(params(3.0, 0.005, 0.008, 0.6, 120.0)), test::noise(15000, 2, 0.5));
}

TEST(Chorus, ResetReproducesTheFirstRun) {
    test::expectResetReproducesFirstRun(maker(params(3.0, 0.005, 0.008, 0.6)), test::noise(15000, 2, 0.5));
}

TEST(Chorus, ProcessDoesNotAllocate) { test::expectNoAllocation(maker(params(0.8, 0.005, 0.012, 0.5))); }

TEST(Chorus, RecoversFromNaNAfterReset) { test::expectFiniteAfterNaNAndReset(maker(params(0.8, 0.005, 0.012, 0.5))); }

TEST(Chorus, MixStepGlidesWithoutSplatter) {
    const auto s = test::stepSplatter(maker(params(0.5, 0.002, 0.01225, 0.1)), Chorus::kMix, 0.1, 0.9, 1000.0);
    std::printf("  splatter: glide %.1f dB, jump %.1f dB\n", s.glideDb, s.jumpDb);
    EXPECT_LT(s.glideDb, -50.0);
    EXPECT_GT(s.jumpDb, -35.0);
}

TEST(Chorus, ParametersAreListedAndClamped) {
    Chorus chorus;
    const auto info = chorus.parameters();
    ASSERT_EQ(info.size(), 5u);
    EXPECT_EQ(info[Chorus::kRate].unit, "Hz");
    EXPECT_EQ(info[Chorus::kDepth].unit, "s");
    EXPECT_EQ(info[Chorus::kSpread].name, "spread");
    chorus.setParameter(Chorus::kDepth, 1.0);
    EXPECT_DOUBLE_EQ(chorus.params().depth.value, info[Chorus::kDepth].max);
    EXPECT_DOUBLE_EQ(chorus.tailSeconds(), info[Chorus::kDepth].max + chorus.params().delay.value);
}
