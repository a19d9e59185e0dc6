#include "dsp/gliding_delay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {
AudioBuffer delayedInBlocks(const AudioBuffer& input, double from, double to, std::int64_t block) {
    GlidingDelay delay;
    delay.prepare(input.numChannels(), 1000, 480);
    delay.setDelayImmediate(from);
    delay.setDelay(to);
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += block)
        delay.process(out.view().slice(at, std::min(block, out.numFrames() - at)));
    return out;
}
}  // namespace

TEST(GlidingDelay, SteadyDelayIsAnExactCopy) {
    const auto input = test::noise(3000, 2, 0.5, 1);
    for (double d : {0.0, 1.0, 63.0, 64.0, 65.0, 999.6}) {
        const auto out = delayedInBlocks(input, d, d, 100);
        const auto whole = static_cast<std::int64_t>(std::round(d));
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 3000; ++i)
                ASSERT_EQ(out.channel(c)[i], i >= whole ? input.channel(c)[i - whole] : 0.0f) << d << " at " << i;
    }
}

TEST(GlidingDelay, AGlideMovesTheReadPointLinearlyWithoutAJump) {
    // A ramp input makes the delay visible: out[i] = i − d(i) while the delay glides.
    AudioBuffer ramp(1, 2000);
    for (std::int64_t i = 0; i < 2000; ++i) ramp.channel(0)[i] = static_cast<float>(i);
    const auto out = delayedInBlocks(ramp, 100.0, 340.0, 37);
    for (std::int64_t i = 400; i < 2000; ++i) {
        const double d = i < 480 ? 100.0 + 240.0 * static_cast<double>(i + 1) / 480.0 : 340.0;
        ASSERT_NEAR(out.channel(0)[i], static_cast<double>(i) - d, 1e-3) << i;
    }
}

// A glide away from a steady 0 reads the frames that passed at 0: the line keeps its
// history at 0 too (it kept none before 2026-11-25, and a fast glide replayed stale audio).
TEST(GlidingDelay, AGlideFromZeroReadsTheFramesThatPassedAtZero) {
    AudioBuffer ramp(1, 12000);
    for (std::int64_t i = 0; i < 12000; ++i) ramp.channel(0)[i] = static_cast<float>(i);
    GlidingDelay delay;
    delay.prepare(1, 4000, 1000);
    delay.setDelayImmediate(500.0);  // fills the line with frames 0..2999 first
    AudioBuffer out = ramp;
    delay.process(out.view().slice(0, 3000));
    delay.setDelayImmediate(0.0);  // then 6000 frames at 0
    delay.process(out.view().slice(3000, 6000));
    delay.setDelay(3000.0);  // then faster than a frame per frame: back 3000 frames in 1000
    delay.process(out.view().slice(9000, 3000));
    for (std::int64_t i = 9000; i < 12000; ++i) {
        ASSERT_GE(out.channel(0)[i], static_cast<float>(i - 3001)) << i;  // never older than the longest delay
        ASSERT_LE(out.channel(0)[i], static_cast<float>(i)) << i;
    }
    EXPECT_EQ(out.channel(0)[11999], 11999.0f - 3000.0f);
}

// remember() of a block longer than the line (FdnReverb records a caller's whole block at
// once) keeps its last frames and writes nothing past the ring (it overran the heap on
// 2026-11-25 until it skipped the rest).
TEST(GlidingDelay, RememberingABlockLongerThanTheLineKeepsItsLastFrames) {
    constexpr std::int64_t kLength = 20000;  // several times the ring of a 1000-frame line
    AudioBuffer ramp(2, kLength);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < kLength; ++i) ramp.channel(c)[i] = static_cast<float>(i + c);
    GlidingDelay delay;
    delay.prepare(2, 1000, 100);
    delay.remember(ramp.view());
    delay.setDelayImmediate(900.0);
    AudioBuffer out(2, 100);
    delay.process(out.view());
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 100; ++i)
            ASSERT_EQ(out.channel(c)[i], static_cast<float>(kLength - 900 + i + c)) << c << " at " << i;
}

TEST(GlidingDelay, SameOutputForAnyBlockSize) {
    const auto input = test::noise(5000, 2, 0.5, 2);
    const auto reference = delayedInBlocks(input, 10.0, 700.0, 4096);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        const auto out = delayedInBlocks(input, 10.0, 700.0, block);
        for (int c = 0; c < 2; ++c)
            ASSERT_TRUE(std::equal(out.channel(c), out.channel(c) + 5000, reference.channel(c))) << block;
    }
}

TEST(GlidingDelay, ResetClearsAndProcessDoesNotAllocate) {
    GlidingDelay delay;
    delay.prepare(2, 500, 100);
    delay.setDelayImmediate(50);
    auto io = test::noise(256, 2, 0.5, 3);
    test::AllocationCounter counter;
    delay.process(io.view());
    delay.setDelay(300);
    delay.process(io.view());
    delay.reset();
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_EQ(delay.delay(), 300.0);
    AudioBuffer silence(2, 256);
    delay.process(silence.view());
    for (int c = 0; c < 2; ++c)
        EXPECT_TRUE(std::all_of(silence.channel(c), silence.channel(c) + 256, [](float v) { return v == 0.0f; }));
}
