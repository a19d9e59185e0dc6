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

TEST(GlidingDelay, ALengtheningGlideMovesAtMostHalfAFramePerFrame) {
    // 0 → 1000 frames with a glide time of 480: 2000 frames at half a frame per frame (the read
    // position moves forward at half speed), where 480 would have read backwards; shrinking
    // back to 0 takes the glide time.
    AudioBuffer ramp(1, 6000);
    for (std::int64_t i = 0; i < 6000; ++i) ramp.channel(0)[i] = static_cast<float>(i);
    GlidingDelay delay;
    delay.prepare(1, 1000, 480);
    AudioBuffer out = ramp;
    delay.process(out.view().slice(0, 1000));
    delay.setDelay(1000.0);
    delay.process(out.view().slice(1000, 2500));
    delay.setDelay(0.0);
    delay.process(out.view().slice(3500, 2500));
    for (std::int64_t i = 1000; i < 6000; ++i) {
        const std::int64_t k = i - 1000;  // frames into the first glide
        const double d = k < 2000         ? 0.5 * static_cast<double>(k + 1)
                         : i < 3500       ? 1000.0
                         : i - 3500 < 480 ? 1000.0 * (1.0 - static_cast<double>(i - 3500 + 1) / 480.0)
                                          : 0.0;
        ASSERT_NEAR(out.channel(0)[i], static_cast<double>(i) - d, 1e-3) << i;
    }
}

// A glide away from a steady 0 reads nothing older than the frame before it starts (the line
// keeps only that at 0: remember()), whatever passed at 0 before, even in one block longer
// than the line.
TEST(GlidingDelay, AGlideAwayFromZeroReadsNothingBeforeItsStart) {
    constexpr std::int64_t kLength = 40000;
    AudioBuffer ramp(2, kLength);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < kLength; ++i) ramp.channel(c)[i] = static_cast<float>(i + c);
    GlidingDelay delay;
    delay.prepare(2, 4000, 1000);
    AudioBuffer out = ramp;
    delay.setDelay(500.0);  // the line holds old frames of the ramp after this
    delay.process(out.view().slice(0, 3000));
    delay.setDelay(0.0);
    delay.process(out.view().slice(3000, 2000));
    delay.remember(ramp.view().slice(5000, 20000));  // as FdnReverb does at a steady 0
    delay.setDelay(3000.0);                          // 6000 frames at half a frame per frame
    delay.process(out.view().slice(25000, kLength - 25000));
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 25000; i < kLength; ++i) {
            const double d = i - 25000 < 6000 ? 0.5 * static_cast<double>(i - 25000 + 1) : 3000.0;
            ASSERT_NEAR(out.channel(c)[i], static_cast<double>(i + c) - d, 1e-3) << c << " at " << i;
        }
}

// prepare() clears the line, the frame kept at a steady 0 included (a review found it
// written back after a new prepare(), past the end of a line prepared for fewer channels).
TEST(GlidingDelay, PrepareForgetsTheFrameKeptAtZero) {
    for (int channels : {2, 1}) {
        GlidingDelay delay;
        delay.prepare(2, 1000, 100);
        AudioBuffer sevens(2, 64);
        for (int c = 0; c < 2; ++c) std::fill_n(sevens.channel(c), 64, 7.0f);
        delay.remember(sevens.view());
        delay.prepare(channels, 4000, 100);
        delay.setDelay(500.0);
        AudioBuffer silence(channels, 1200);
        delay.process(silence.view());
        for (int c = 0; c < channels; ++c)
            EXPECT_TRUE(std::all_of(silence.channel(c), silence.channel(c) + 1200, [](float v) { return v == 0.0f; }))
                << channels << " channels";
    }
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
