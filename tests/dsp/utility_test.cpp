#include "dsp/utility.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dsp/fixed_delay.hpp"
#include "dsp/pan_law.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

TEST(Utility, GainRampsOver20MsThenHoldsTheTarget) {
    Utility utility;
    ASSERT_TRUE(utility.prepare({48000.0, 4096, 1}));
    utility.setParams({Decibels{-6.0}, Polarity::normal, ChannelSwap::no, MonoFold::no});
    AudioBuffer ones(1, 4096);
    std::fill_n(ones.channel(0), 4096, 1.0f);
    utility.process(ones.view());
    const double target = std::pow(10.0, -6.0 / 20.0);
    // 960 frames (20 ms) of linear ramp, then the target.
    EXPECT_NEAR(ones.channel(0)[479], 1.0 + (target - 1.0) * 480.0 / 960.0, 1e-6);
    EXPECT_NEAR(ones.channel(0)[959], target, 1e-6);
    EXPECT_NEAR(ones.channel(0)[4000], target, 1e-7);
    // No step anywhere larger than the ramp's slope: no zipper.
    for (int i = 1; i < 4096; ++i) ASSERT_LE(std::fabs(ones.channel(0)[i] - ones.channel(0)[i - 1]), (1.0 - target) / 960.0 + 1e-6);
}

TEST(Utility, InvertSwapAndMono) {
    Utility utility({Decibels{0.0}, Polarity::inverted, ChannelSwap::yes, MonoFold::no});
    ASSERT_TRUE(utility.prepare({48000.0, 16, 2}));
    AudioBuffer io(2, 16);
    std::fill_n(io.channel(0), 16, 0.25f);
    std::fill_n(io.channel(1), 16, 0.75f);
    utility.process(io.view());
    EXPECT_FLOAT_EQ(io.channel(0)[3], -0.75f);
    EXPECT_FLOAT_EQ(io.channel(1)[3], -0.25f);

    Utility mono({Decibels{0.0}, Polarity::normal, ChannelSwap::no, MonoFold::yes});
    ASSERT_TRUE(mono.prepare({48000.0, 16, 2}));
    mono.process(io.view());
    EXPECT_FLOAT_EQ(io.channel(0)[3], -0.5f);
    EXPECT_FLOAT_EQ(io.channel(1)[3], -0.5f);
}

TEST(Utility, ProcessDoesNotAllocate) {
    Utility utility({Decibels{-3.0}, Polarity::inverted, ChannelSwap::yes, MonoFold::yes});
    ASSERT_TRUE(utility.prepare({48000.0, 512, 2}));
    auto io = test::noise(512, 2, 0.5);
    test::AllocationCounter counter;
    utility.process(io.view());
    utility.setParams({Decibels{-9.0}, Polarity::normal, ChannelSwap::no, MonoFold::no});
    utility.process(io.view());
    utility.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(Utility, SameOutputForAnyBlockSize) {
    auto input = test::noise(10000, 2, 0.5);
    auto run = [&](int block) {
        Utility utility;
        EXPECT_TRUE(utility.prepare({48000.0, block, 2}));
        utility.setParams({Decibels{-12.0}, Polarity::normal, ChannelSwap::no, MonoFold::no});
        AudioBuffer out = input;
        for (std::int64_t at = 0; at < out.numFrames(); at += block)
            utility.process(out.view().slice(at, std::min<std::int64_t>(block, out.numFrames() - at)));
        return out;
    };
    auto reference = run(4095);
    for (int block : {1, 7, 64, 4096}) {
        auto other = run(block);
        for (std::int64_t i = 0; i < 10000; ++i) ASSERT_NEAR(other.channel(1)[i], reference.channel(1)[i], 1e-6) << block;
    }
}

TEST(FixedDelay, DelaysByExactlyItsFramesAcrossBlocks) {
    FixedDelay delay(5);
    ASSERT_TRUE(delay.prepare({48000.0, 64, 1}));
    auto stairs = test::staircase(40, 1, 1.0f);
    AudioBuffer out = stairs;
    for (std::int64_t at = 0; at < 40; at += 3) delay.process(out.view().slice(at, std::min<std::int64_t>(3, 40 - at)));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(out.channel(0)[i], 0.0f);
    for (int i = 5; i < 40; ++i) EXPECT_EQ(out.channel(0)[i], static_cast<float>(i - 5));
    EXPECT_EQ(delay.latency(), 0);  // compensation itself reports no latency
}

TEST(PanLaw, MonoIsConstantPowerMinus3DbAtCentre) {
    for (double pan = -1.0; pan <= 1.0; pan += 0.125) {
        auto g = monoPanGains(pan);
        EXPECT_NEAR(g.left * g.left + g.right * g.right, 1.0, 1e-12);
    }
    EXPECT_NEAR(20 * std::log10(monoPanGains(0.0).left), -3.0103, 1e-4);
}

TEST(PanLaw, StereoBalanceIsUnityAtCentreAndNeverBoosts) {
    EXPECT_DOUBLE_EQ(stereoBalanceGains(0.0).left, 1.0);
    EXPECT_DOUBLE_EQ(stereoBalanceGains(0.0).right, 1.0);
    EXPECT_NEAR(stereoBalanceGains(1.0).left, 0.0, 1e-12);
    EXPECT_DOUBLE_EQ(stereoBalanceGains(1.0).right, 1.0);
    EXPECT_NEAR(stereoBalanceGains(0.5).left, std::sqrt(2.0) * std::cos(0.75 * M_PI / 2), 1e-12);
}
