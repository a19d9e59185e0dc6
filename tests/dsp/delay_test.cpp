#include "dsp/delay.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "effects_test_support.hpp"

using namespace reel;
using dsp::Delay;
using dsp::PingPong;

namespace {

constexpr double kRate = 48000.0;

Delay::Params params(double timeSeconds, double feedback, double mix, PingPong pingPong = PingPong::no,
                     double lowcut = 20.0, double highcut = 20000.0) {
    return {Seconds{timeSeconds}, feedback, Hertz{lowcut}, Hertz{highcut}, pingPong, mix};
}

test::MakeProcessor maker(const Delay::Params& p) {
    return [p] { return std::make_unique<Delay>(p); };
}

/// The response to a unit impulse at frame 0 on the given channels.
AudioBuffer impulseResponse(const Delay::Params& p, std::int64_t frames, bool left = true, bool right = true) {
    AudioBuffer io(2, frames);
    io.channel(0)[0] = left ? 1.0f : 0.0f;
    io.channel(1)[0] = right ? 1.0f : 0.0f;
    Delay delay(p);
    EXPECT_TRUE(delay.prepare({kRate, 4096, 2}));
    return test::processInBlocks(delay, io, 4096);
}

}  // namespace

TEST(Delay, ImpulseComesBackAtExactlyTheDelayTimeScaledByMix) {
    // 100 ms = 4800 frames; no feedback: one echo of gain mix, the dry at 1 - mix.
    const auto out = impulseResponse(params(0.1, 0.0, 0.25), 12000);
    for (int c = 0; c < 2; ++c) {
        EXPECT_FLOAT_EQ(out.channel(c)[0], 0.75f);
        EXPECT_FLOAT_EQ(out.channel(c)[4800], 0.25f);
        for (std::int64_t i = 1; i < 12000; ++i) {
            if (i != 4800) {
                ASSERT_EQ(out.channel(c)[i], 0.0f) << i;
            }
        }
    }
}

TEST(Delay, TheNthEchoHasFeedbackToTheN) {
    // The echo at (n+1)·D has mix · feedbackⁿ.
    const double feedback = 0.6, mix = 0.5;
    const auto out = impulseResponse(params(0.01, feedback, mix), 480 * 12);
    for (int n = 0; n < 10; ++n) {
        const std::int64_t at = 480 * (n + 1);
        EXPECT_NEAR(out.channel(0)[at], mix * std::pow(feedback, n), 1e-6 * std::pow(feedback, n)) << n;
        EXPECT_EQ(out.channel(0)[at - 1], 0.0f);
        EXPECT_EQ(out.channel(0)[at + 1], 0.0f);
    }
}

TEST(Delay, PingPongAlternatesSides) {
    // An impulse on the left only: the mid (0.5) enters the left line; echoes go left at D,
    // right at 2D, left at 3D ..., each with mix · feedbackⁿ, and nothing on the other side.
    const double feedback = 0.5, mix = 1.0;
    const auto out = impulseResponse(params(0.01, feedback, mix, PingPong::yes), 480 * 9, true, false);
    for (int n = 0; n < 8; ++n) {
        const std::int64_t at = 480 * (n + 1);
        const int loud = n % 2 == 0 ? 0 : 1;
        EXPECT_NEAR(out.channel(loud)[at], 0.5 * mix * std::pow(feedback, n), 1e-7) << n;
        EXPECT_EQ(out.channel(1 - loud)[at], 0.0f) << n;
    }
}

TEST(Delay, LoopFiltersShapeEveryEchoByTheirExactResponse) {
    // lowcut 200 Hz, highcut 6 kHz: the first echo is the filter's impulse response, the
    // second the filter squared times the feedback. Compare with Biquad::response().
    const double feedback = 0.5;
    Delay delay(params(0.1, feedback, 1.0, PingPong::no, 200.0, 6000.0));
    ASSERT_TRUE(delay.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 4800 * 3);
    io.channel(0)[0] = 1.0f;
    const auto out = test::processInBlocks(delay, io, 4096);
    for (double f : {50.0, 200.0, 1000.0, 6000.0, 12000.0}) {
        const double w = 2.0 * std::numbers::pi * f / kRate;
        std::complex<double> first = 0.0, second = 0.0;
        for (int n = 0; n < 4800; ++n) {
            first += static_cast<double>(out.channel(0)[4800 + n]) * std::polar(1.0, -w * n);
            second += static_cast<double>(out.channel(0)[9600 + n]) * std::polar(1.0, -w * n);
        }
        const auto h = delay.loopFilterResponse(f);
        EXPECT_NEAR(std::abs(first - h), 0.0, 1e-4) << f;
        EXPECT_NEAR(std::abs(second - feedback * h * h), 0.0, 1e-4) << f;
    }
    EXPECT_NEAR(std::abs(delay.loopFilterResponse(200.0)), std::sqrt(0.5), 0.01);  // Butterworth -3 dB
}

TEST(Delay, TailIsWhenTheEchoesHaveFallen60Db) {
    const double feedback = 0.5;
    Delay delay(params(0.01, feedback, 1.0));
    ASSERT_TRUE(delay.prepare({kRate, 4096, 2}));
    const double tail = delay.tailSeconds();
    EXPECT_NEAR(tail, 0.01 * (1.0 + 3.0 / std::log10(2.0)), 1e-12);
    const auto out = impulseResponse(params(0.01, feedback, 1.0), 480 * 20);
    const auto tailFrame = static_cast<std::int64_t>(tail * kRate);
    EXPECT_LT(test::maxAbs(out, tailFrame + 1), 1e-3f);
    EXPECT_GT(std::fabs(out.channel(0)[480 * 10]), 1e-3f);  // the last echo above -60 dB
    Delay dry(params(0.25, 0.0, 1.0));
    EXPECT_DOUBLE_EQ(dry.tailSeconds(), 0.25);
}

TEST(Delay, FullFeedbackWithFiltersStaysStable) {
    for (auto filters : {std::pair{20.0, 20000.0}, std::pair{300.0, 3000.0}}) {
        Delay delay(params(0.003, 0.99, 1.0, PingPong::yes, filters.first, filters.second));
        ASSERT_TRUE(delay.prepare({kRate, 4096, 2}));
        auto burst = test::noise(4096, 2, 1.0);
        delay.process(burst.view());
        float peak = 0.0f;
        for (int block = 0; block < 60; ++block) {
            AudioBuffer silence(2, 4096);
            delay.process(silence.view());
            peak = std::max(peak, test::maxAbs(silence));
        }
        EXPECT_LT(peak, 4.0f);  // bounded (noise peaks add up a little across echoes)
    }
}

TEST(Delay, TimeChangesGlideWithoutJumps) {
    // A 480 Hz sine through the wet path; the time steps from 100 ms to 251.3 ms (not a
    // whole number of periods, so a plain switch would jump). While the read position glides
    // at up to 0.5 frame per frame, no step between frames exceeds the sine's own largest
    // step scaled by the read speed 1.5 (plus a hair for interpolation).
    const double f = 480.0, amplitude = 0.5;  // a period of exactly 100 frames
    const double bound = 1.5 * amplitude * 2.0 * std::sin(std::numbers::pi * f / kRate) * 1.001;
    const auto input = test::sine(f, amplitude, kRate, 4 * 48000, 1);
    Delay delay(params(0.1, 0.0, 1.0));
    ASSERT_TRUE(delay.prepare({kRate, 4096, 1}));
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += 1000) {
        if (at == 48000) delay.setParameter(Delay::kTime, 0.2513);
        delay.process(out.view().slice(at, std::min<std::int64_t>(1000, out.numFrames() - at)));
    }
    float largest = 0.0f;
    for (std::int64_t i = 1; i < out.numFrames(); ++i)
        largest = std::max(largest, std::fabs(out.channel(0)[i] - out.channel(0)[i - 1]));
    EXPECT_LE(largest, bound);
    // It did move: the last second is the input 251.3 ms late.
    const auto trace = test::demodulatedDelay(out.channel(0) + 3 * 48000, 48000, f, kRate, 0.2513 * kRate);
    EXPECT_NEAR(trace.back(), 0.2513 * kRate, 0.01);

    // A plain switch between the two steady outputs would jump far beyond the bound.
    const auto before = test::runFresh(maker(params(0.1, 0.0, 1.0)), input, kRate);
    const auto after = test::runFresh(maker(params(0.2513, 0.0, 1.0)), input, kRate);
    EXPECT_GT(std::fabs(after.channel(0)[48000] - before.channel(0)[47999]), 3.0f * bound);
}

TEST(Delay, SilenceInSilenceOut) {
    test::expectSilenceGivesSilence(maker(params(0.05, 0.9, 0.5, PingPong::yes, 200.0, 5000.0)));
}

TEST(Delay, SameOutputForAnyBlockSize) {
    test::expectSameOutputForAnyBlockSize(maker(params(0.011, 0.7, 0.4, PingPong::yes, 250.0, 4000.0)),
                                          test::noise(15000, 2, 0.5));
    test::expectSameOutputForAnyBlockSize(maker(params(0.0073, 0.5, 0.6)), test::noise(15000, 2, 0.5));
}

TEST(Delay, ResetReproducesTheFirstRun) {
    test::expectResetReproducesFirstRun(maker(params(0.011, 0.7, 0.4, PingPong::yes, 250.0, 4000.0)),
                                        test::noise(15000, 2, 0.5));
}

TEST(Delay, ProcessDoesNotAllocate) { test::expectNoAllocation(maker(params(0.01, 0.5, 0.5, PingPong::yes, 100.0, 8000.0))); }

TEST(Delay, RecoversFromNaNAfterReset) {
    test::expectFiniteAfterNaNAndReset(maker(params(0.01, 0.9, 0.5, PingPong::yes, 100.0, 8000.0)));
}

TEST(Delay, MixStepGlidesWithoutSplatter) {
    const auto s = test::stepSplatter(maker(params(0.0101, 0.0, 0.1)), Delay::kMix, 0.1, 0.9, 1000.0);
    std::printf("  splatter: glide %.1f dB, jump %.1f dB\n", s.glideDb, s.jumpDb);
    EXPECT_LT(s.glideDb, -50.0);
    EXPECT_GT(s.jumpDb, -35.0);
}

TEST(Delay, CutoffSweepsStayClickFree) {
    // Automating highcut from 20 kHz (off) down to 500 Hz and back on a steady sine: the
    // coefficients follow every 32 frames, and nothing jumps.
    const auto input = test::sine(300.0, 0.5, kRate, 96000, 1);
    Delay delay(params(0.005, 0.5, 1.0));
    ASSERT_TRUE(delay.prepare({kRate, 4096, 1}));
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += 64) {
        if (at == 24000) delay.setParameter(Delay::kHighcut, 500.0);
        if (at == 48000) delay.setParameter(Delay::kHighcut, 20000.0);
        if (at == 60000) delay.setParameter(Delay::kLowcut, 1000.0);
        delay.process(out.view().slice(at, 64));
    }
    float largest = 0.0f;
    for (std::int64_t i = 24000; i < out.numFrames(); ++i)
        largest = std::max(largest, std::fabs(out.channel(0)[i] - out.channel(0)[i - 1]));
    const double sineStep = 2.0 * 2.0 * std::sin(std::numbers::pi * 300.0 / kRate);  // echoes add up to amplitude ≤ 1/(1-0.5)·0.5
    EXPECT_LT(largest, 1.5 * sineStep);
}

TEST(Delay, ParametersAreListedWithUnits) {
    Delay delay;
    const auto info = delay.parameters();
    ASSERT_EQ(info.size(), 5u);
    EXPECT_EQ(info[Delay::kTime].name, "time");
    EXPECT_EQ(info[Delay::kTime].unit, "s");
    EXPECT_EQ(info[Delay::kLowcut].unit, "Hz");
    EXPECT_DOUBLE_EQ(info[Delay::kFeedback].max, 0.99);
    delay.setParameter(Delay::kFeedback, 2.0);
    EXPECT_DOUBLE_EQ(delay.params().feedback, 0.99);
    delay.setParameter(Delay::kTime, 100.0);
    EXPECT_DOUBLE_EQ(delay.params().time.value, Delay::kMaxSeconds);
}
