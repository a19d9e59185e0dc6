#include "dsp/flanger.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dsp/fractional_delay_line.hpp"
#include "effects_test_support.hpp"

using namespace reel;
using dsp::Flanger;
using dsp::FractionalDelayLine;

namespace {

constexpr double kRate = 48000.0;

Flanger::Params params(double rateHz, double depthSeconds, double delaySeconds, double feedback, double mix,
                       double spread = 90.0) {
    return {Hertz{rateHz}, Seconds{depthSeconds}, Seconds{delaySeconds}, feedback, mix, spread};
}

test::MakeProcessor maker(const Flanger::Params& p) {
    return [p] { return std::make_unique<Flanger>(p); };
}

/// The complex response at f of a measured impulse response.
std::complex<double> dft(const float* h, std::int64_t n, double f) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * f / kRate;
    for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(h[i]) * std::polar(1.0, -w * static_cast<double>(i));
    return sum;
}

}  // namespace

TEST(Flanger, DepthZeroWithoutFeedbackIsAPureFractionalDelay) {
    const double delay = 0.0012345;  // 59.256 frames
    Flanger flanger(params(0.7, 0.0, delay, 0.0, 1.0));
    ASSERT_TRUE(flanger.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 4096);
    io.channel(0)[0] = io.channel(1)[0] = 1.0f;
    flanger.process(io.view());
    const double frames = delay * kRate;
    for (double f : {100.0, 1000.0, 5000.0, 15000.0}) {
        const auto measured = dft(io.channel(1), 4096, f);
        const auto expected = FractionalDelayLine::response(frames, f, kRate);
        EXPECT_NEAR(std::abs(measured - expected), 0.0, 1e-6) << f;
    }
    // Magnitude flat to 0.001 dB and phase delay = the delay, at 1 kHz.
    const auto h = dft(io.channel(0), 4096, 1000.0);
    EXPECT_NEAR(20.0 * std::log10(std::abs(h)), 0.0, 0.001);
    const double w = 2.0 * std::numbers::pi * 1000.0 / kRate;
    EXPECT_NEAR(-std::arg(h * std::polar(1.0, w * 59.0)) / w + 59.0, frames, 0.01);
}

TEST(Flanger, FeedbackCombMatchesItsAnalyticResponse) {
    // Frozen at depth 0: H = (1 − mix) + mix · L / (1 − g L), L the interpolated delay.
    const double delay = 0.0012345, mix = 0.5;
    for (double g : {0.7, -0.7}) {
        Flanger flanger(params(0.7, 0.0, delay, g, mix));
        ASSERT_TRUE(flanger.prepare({kRate, 4096, 1}));
        AudioBuffer io(1, 24000);
        io.channel(0)[0] = 1.0f;
        io = test::processInBlocks(flanger, io, 4096);
        for (double f = 100.0; f < 20000.0; f += 1234.5) {
            const auto l = FractionalDelayLine::response(delay * kRate, f, kRate);
            const auto expected = (1.0 - mix) + mix * l / (1.0 - g * l);
            EXPECT_NEAR(std::abs(dft(io.channel(0), 24000, f) - expected), 0.0, 1e-5) << f << " g " << g;
        }
    }
}

TEST(Flanger, DelayFollowsTheLfoAtItsRate) {
    const double rate = 0.5, depth = 0.003, delay = 0.001;
    Flanger flanger(params(rate, depth, delay, 0.0, 1.0, 180.0));
    ASSERT_TRUE(flanger.prepare({kRate, 4096, 2}));
    auto io = test::sine(1000.0, 0.5, kRate, 5 * 48000, 2);
    io = test::processInBlocks(flanger, io, 4096);
    for (int c = 0; c < 2; ++c) {
        auto expected = [&](double frame) {
            return kRate * (delay + 0.5 * depth * (1.0 + std::sin(2.0 * std::numbers::pi * (rate * frame / kRate + c * 0.5))));
        };
        // Skip the first 2400 frames, while the line fills. Trace value j averages the
        // window of 48 frames starting at frame start + j, centred 23.5 frames later.
        const std::int64_t start = 2400;
        const auto trace =
            test::demodulatedDelay(io.channel(c) + start, io.numFrames() - start, 1000.0, kRate, expected(start + 23.5));
        double worst = 0.0;
        for (std::size_t j = 0; j < trace.size(); ++j)
            worst = std::max(worst, std::fabs(trace[j] - expected(static_cast<double>(start + j) + 23.5)));
        EXPECT_LT(worst, 0.1) << "channel " << c;
        EXPECT_NEAR(test::crossingRateHz(trace, kRate), rate, 0.005 * rate);
    }
}

TEST(Flanger, FullFeedbackWhileSweepingStaysStable) {
    for (double g : {0.95, -0.95}) {
        Flanger flanger(params(5.0, 0.01, 0.0001, g, 1.0));
        ASSERT_TRUE(flanger.prepare({kRate, 4096, 2}));
        float peak = 0.0f;
        for (int block = 0; block < 40; ++block) {
            auto io = block < 10 ? test::noise(4096, 2, 0.5, static_cast<unsigned>(block + 1)) : AudioBuffer(2, 4096);
            flanger.process(io.view());
            if (block >= 10) peak = std::max(peak, test::maxAbs(io));
        }
        EXPECT_LT(peak, 20.0f);  // resonant, but bounded and decaying
        EXPECT_NEAR(flanger.tailSeconds(), 0.0101 * (1.0 + 3.0 / -std::log10(0.95)), 1e-9);
    }
}

TEST(Flanger, SilenceInSilenceOut) { test::expectSilenceGivesSilence(maker(params(0.25, 0.002, 0.001, 0.8, 0.5))); }

TEST(Flanger, SameOutputForAnyBlockSize) {
    test::expectSameOutputForAnyBlockSize(maker(params(2.0, 0.003, 0.0005, -0.8, 0.5)), test::noise(15000, 2, 0.5));
}

TEST(Flanger, ResetReproducesTheFirstRun) {
    test::expectResetReproducesFirstRun(maker(params(2.0, 0.003, 0.0005, 0.8, 0.5)), test::noise(15000, 2, 0.5));
}

TEST(Flanger, ProcessDoesNotAllocate) { test::expectNoAllocation(maker(params(0.25, 0.002, 0.001, 0.5, 0.5))); }

TEST(Flanger, RecoversFromNaNAfterReset) {
    test::expectFiniteAfterNaNAndReset(maker(params(0.25, 0.002, 0.001, 0.9, 0.5)));
}

TEST(Flanger, FeedbackStepGlidesWithoutSplatter) {
    const auto s = test::stepSplatter(maker(params(0.0, 0.0, 0.0021, 0.0, 0.5)), Flanger::kFeedback, 0.0, 0.8, 1000.0);
    std::printf("  splatter: glide %.1f dB, jump %.1f dB\n", s.glideDb, s.jumpDb);
    EXPECT_LT(s.glideDb, -50.0);
    EXPECT_GT(s.jumpDb, -35.0);
}

TEST(Flanger, ParametersAreListedAndClamped) {
    Flanger flanger;
    const auto info = flanger.parameters();
    ASSERT_EQ(info.size(), 6u);
    EXPECT_EQ(info[Flanger::kFeedback].name, "feedback");
    EXPECT_DOUBLE_EQ(info[Flanger::kFeedback].min, -0.95);
    flanger.setParameter(Flanger::kFeedback, -3.0);
    EXPECT_DOUBLE_EQ(flanger.params().feedback, -0.95);
}
