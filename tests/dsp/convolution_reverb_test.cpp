#include "dsp/convolution_reverb.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "dsp/biquad.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

constexpr double kRate = 48000.0;

AudioBuffer impulseAt(std::int64_t length, std::int64_t at, float value, int channels = 1) {
    AudioBuffer ir(channels, length);
    for (int c = 0; c < channels; ++c) ir.channel(c)[at] = value;
    return ir;
}

ConvolutionReverb::Params wetOnly() {
    ConvolutionReverb::Params p;
    p.mix = 1.0;
    return p;
}

AudioBuffer runInBlocks(ConvolutionReverb& reverb, const AudioBuffer& input, std::int64_t block) {
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += block)
        reverb.process(out.view().slice(at, std::min(block, out.numFrames() - at)));
    return out;
}

double worstDifferenceDb(const AudioBuffer& a, const AudioBuffer& b) {
    double peak = 0.0, worst = 0.0;
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i) {
            peak = std::max(peak, double(std::fabs(b.channel(c)[i])));
            worst = std::max(worst, double(std::fabs(a.channel(c)[i] - b.channel(c)[i])));
        }
    return 20.0 * std::log10(std::max(worst, 1e-300) / peak);
}

}  // namespace

TEST(ConvolutionReverb, UnitImpulseIrIsTransparentWithZeroLatency) {
    ConvolutionReverb reverb(impulseAt(10000, 0, 1.0f), wetOnly());
    ASSERT_TRUE(reverb.prepare({kRate, 512, 2}));
    EXPECT_EQ(reverb.latency(), 0);
    const auto input = test::noise(20000, 2, 0.5, 4);
    const auto out = runInBlocks(reverb, input, 512);
    EXPECT_LT(worstDifferenceDb(out, input), -100.0);
}

TEST(ConvolutionReverb, MonoIrFeedsBothSidesAndStereoIrKeepsThemApart) {
    AudioBuffer stereoIr(2, 300);
    stereoIr.channel(0)[10] = 0.5f;    // left: 10 frames late, half level
    stereoIr.channel(1)[200] = -1.0f;  // right: 200 frames late, inverted
    ConvolutionReverb stereo(stereoIr, wetOnly());
    ASSERT_TRUE(stereo.prepare({kRate, 256, 2}));
    const auto input = test::noise(1000, 2, 0.5, 5);
    const auto out = runInBlocks(stereo, input, 256);
    for (std::int64_t i = 200; i < 1000; ++i) {
        ASSERT_NEAR(out.channel(0)[i], 0.5f * input.channel(0)[i - 10], 1e-6) << i;
        ASSERT_NEAR(out.channel(1)[i], -input.channel(1)[i - 200], 1e-6) << i;  // through an FFT level
    }

    ConvolutionReverb mono(impulseAt(50, 20, 0.25f), wetOnly());
    ASSERT_TRUE(mono.prepare({kRate, 256, 2}));
    const auto monoOut = runInBlocks(mono, input, 256);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 20; i < 1000; ++i)
            ASSERT_NEAR(monoOut.channel(c)[i], 0.25f * input.channel(c)[i - 20], 1e-6) << i;
}

TEST(ConvolutionReverb, MixGainAndPredelayFollowTheirDefinitions) {
    ConvolutionReverb::Params p;
    p.mix = 0.25;
    p.gain = Decibels{-6.0};
    p.predelay = Seconds{0.010};  // 480 frames
    ConvolutionReverb reverb(impulseAt(100, 30, 1.0f), p);
    ASSERT_TRUE(reverb.prepare({kRate, 4096, 2}));
    const auto input = test::noise(4000, 2, 0.5, 6);
    const auto out = runInBlocks(reverb, input, 4096);
    const double g = std::pow(10.0, -6.0 / 20.0);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 4000; ++i) {
            const double wet = i >= 510 ? g * input.channel(c)[i - 510] : 0.0;
            ASSERT_NEAR(out.channel(c)[i], 0.75 * input.channel(c)[i] + 0.25 * wet, 1e-6) << i;
        }
}

TEST(ConvolutionReverb, SilenceInGivesSilenceOut) {
    ConvolutionReverb reverb(test::noise(30000, 2, 0.5, 7), wetOnly());
    ASSERT_TRUE(reverb.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 4096);
    for (int i = 0; i < 20; ++i) {
        reverb.process(io.view());
        for (int c = 0; c < 2; ++c)
            ASSERT_TRUE(std::all_of(io.channel(c), io.channel(c) + 4096, [](float v) { return v == 0.0f; }));
    }
}

TEST(ConvolutionReverb, SameOutputForAnyBlockSizeEvenWhileParametersGlide) {
    const auto ir = test::noise(9000, 2, 0.1, 8);
    const auto input = test::noise(30000, 2, 0.5, 9);
    auto run = [&](std::int64_t block) {
        ConvolutionReverb reverb(ir, wetOnly());
        EXPECT_TRUE(reverb.prepare({kRate, 4096, 2}));
        reverb.setParams({0.4, Seconds{0.02}, Decibels{-3.0}});  // glides start at frame 0
        return runInBlocks(reverb, input, block);
    };
    const auto reference = run(4096);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        const auto out = run(block);
        for (int c = 0; c < 2; ++c)
            ASSERT_TRUE(std::equal(out.channel(c), out.channel(c) + out.numFrames(), reference.channel(c))) << block;
    }
}

TEST(ConvolutionReverb, ResetReproducesTheFirstRunExactly) {
    ConvolutionReverb reverb(test::noise(6000, 1, 0.1, 10), ConvolutionReverb::Params{});
    ASSERT_TRUE(reverb.prepare({kRate, 2048, 2}));
    const auto input = test::noise(8192, 2, 0.5, 11);
    const auto first = runInBlocks(reverb, input, 2048);
    reverb.reset();
    const auto second = runInBlocks(reverb, input, 2048);
    for (int c = 0; c < 2; ++c) EXPECT_TRUE(std::equal(first.channel(c), first.channel(c) + 8192, second.channel(c)));
}

TEST(ConvolutionReverb, ProcessDoesNotAllocate) {
    ConvolutionReverb reverb(test::noise(20000, 2, 0.1, 12), ConvolutionReverb::Params{});
    ASSERT_TRUE(reverb.prepare({kRate, 4096, 2}));
    auto io = test::noise(4096, 2, 0.5, 13);
    test::AllocationCounter counter;
    reverb.process(io.view());
    for (int i = 0; i < static_cast<int>(reverb.parameters().size()); ++i)
        reverb.setParameter(i, reverb.parameters()[static_cast<std::size_t>(i)].max);
    reverb.process(io.view());
    reverb.process(io.view().slice(0, 1));
    reverb.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(ConvolutionReverb, GainStepIsSmoothedWithoutSplatter) {
    // A 1 kHz sine through a pure-delay IR stays a 1 kHz sine; a −20 dB step of the wet gain
    // must only change its level. Energy above 8 kHz around the step shows a click.
    const auto input = test::sine(1000.0, 0.5, kRate, 48000, 1);
    const std::int64_t step = 24000 + 5;
    auto splatterDb = [&](bool smoothed) {
        ConvolutionReverb reverb(impulseAt(2000, 1000, 1.0f), wetOnly());
        EXPECT_TRUE(reverb.prepare({kRate, 512, 1}));
        AudioBuffer out = input;
        reverb.process(out.view().slice(0, step));
        reverb.setParameter(ConvolutionReverb::kGain, -20.0);
        if (!smoothed) {
            // An instant change: reset() ends the glide at its target; replaying the first
            // part rebuilds the same state.
            reverb.reset();
            AudioBuffer replay = input;
            reverb.process(replay.view().slice(0, step));
        }
        reverb.process(out.view().slice(step, out.numFrames() - step));
        for (int pass = 0; pass < 4; ++pass) {
            Biquad hp;
            hp.setCoefficients(BiquadCoefficients::highPass(8000.0, M_SQRT1_2, kRate));
            hp.process(out.view());
        }
        double e = 0.0;
        for (std::int64_t i = step - 2400; i < step + 4800; ++i) e += double(out.channel(0)[i]) * out.channel(0)[i];
        return 10.0 * std::log10(e / 7200.0 / 0.125);
    };
    EXPECT_LT(splatterDb(true), -90.0);
    EXPECT_GT(splatterDb(false), -60.0);
}

TEST(ConvolutionReverb, NaNInputIsClearedByReset) {
    ConvolutionReverb reverb(test::noise(9000, 2, 0.1, 14), wetOnly());
    ASSERT_TRUE(reverb.prepare({kRate, 4096, 2}));
    AudioBuffer io(2, 4096);
    io.channel(1)[7] = std::numeric_limits<float>::quiet_NaN();
    reverb.process(io.view());
    reverb.reset();
    for (int i = 0; i < 5; ++i) {
        auto clean = test::noise(4096, 2, 0.5, 15);
        reverb.process(clean.view());
        for (int c = 0; c < 2; ++c)
            ASSERT_TRUE(
                std::all_of(clean.channel(c), clean.channel(c) + 4096, [](float v) { return std::isfinite(v); }));
    }
}

TEST(ConvolutionReverb, RejectsEmptyAndSurroundImpulseResponses) {
    ConvolutionReverb empty{AudioBuffer(1, 0)};
    auto failed = empty.prepare({kRate, 512, 2});
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("empty"), std::string::npos);
    ConvolutionReverb surround{AudioBuffer(4, 100)};
    failed = surround.prepare({kRate, 512, 2});
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("4 channels"), std::string::npos);
}

TEST(ConvolutionReverb, TailIsTheIrLengthPlusThePredelay) {
    ConvolutionReverb::Params p;
    p.predelay = Seconds{0.1};
    ConvolutionReverb reverb(AudioBuffer(2, 96000), p);
    ASSERT_TRUE(reverb.prepare({kRate, 512, 2}));
    EXPECT_DOUBLE_EQ(reverb.tailSeconds(), 2.1);
    const auto params = reverb.parameters();
    ASSERT_EQ(params.size(), 3u);
    EXPECT_EQ(params[ConvolutionReverb::kMix].name, "mix");
    EXPECT_EQ(params[ConvolutionReverb::kPredelay].unit, "s");
    EXPECT_EQ(params[ConvolutionReverb::kGain].unit, "dB");
}
