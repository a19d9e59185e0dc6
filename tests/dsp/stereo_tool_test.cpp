#include "dsp/stereo_tool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <functional>

#include "dsp/pan_law.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

AudioBuffer run(const StereoTool::Params& params, const AudioBuffer& input, int block, std::int64_t at = -1,
                const std::function<void(StereoTool&)>& change = {}) {
    StereoTool tool(params);
    EXPECT_TRUE(tool.prepare({48000.0, block, 2}));
    AudioBuffer out = input;
    std::int64_t done = 0;
    while (done < out.numFrames()) {
        std::int64_t length = std::min<std::int64_t>(block, out.numFrames() - done);
        if (at > done && at < done + length) length = at - done;
        if (done == at && change) change(tool);
        tool.process(out.view().slice(done, length));
        done += length;
    }
    return out;
}

/// Analog 4th-order Linkwitz-Riley high-pass: a squared Butterworth 2nd-order high-pass.
double lr4HighPassDb(double f, double fc) {
    const std::complex<double> s(0.0, f / fc);
    return 2.0 * 20.0 * std::log10(std::abs(s * s / (s * s + std::sqrt(2.0) * s + 1.0)));
}

double rmsDb(const float* x, std::int64_t from, std::int64_t to) {
    double sum = 0.0;
    for (std::int64_t i = from; i < to; ++i) sum += static_cast<double>(x[i]) * x[i];
    return 10.0 * std::log10(sum / static_cast<double>(to - from));
}

}  // namespace

TEST(StereoTool, WidthZeroMakesLeftEqualRightExactly) {
    auto out = run({0.0, 0.0, Hertz{0.0}, 0.0}, test::noise(4096, 2, 0.5), 512);
    for (std::int64_t i = 0; i < 4096; ++i) ASSERT_EQ(out.channel(0)[i], out.channel(1)[i]);
}

TEST(StereoTool, WidthOneIsABitExactNull) {
    auto input = test::noise(4096, 2, 0.5);
    auto out = run({}, input, 512);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 4096; ++i) ASSERT_EQ(out.channel(c)[i], input.channel(c)[i]);
}

TEST(StereoTool, WidthMidSideAndBalanceFollowTheirFormulas) {
    auto input = test::noise(2048, 2, 0.5);
    const StereoTool::Params p{1.6, 0.3, Hertz{0.0}, -0.4};
    auto out = run(p, input, 256);
    const PanGains ms = stereoBalanceGains(0.3), bal = stereoBalanceGains(-0.4);
    for (std::int64_t i = 0; i < 2048; ++i) {
        const double l = input.channel(0)[i], r = input.channel(1)[i];
        const double m = 0.5 * (l + r) * ms.left, s = 0.5 * (l - r) * ms.right * 1.6;
        ASSERT_NEAR(out.channel(0)[i], (m + s) * bal.left, 1e-6);
        ASSERT_NEAR(out.channel(1)[i], (m - s) * bal.right, 1e-6);
    }
}

TEST(StereoTool, MonoBelowLeavesMonoMaterialBitExact) {
    auto input = test::noise(8192, 2, 0.5);
    std::copy_n(input.channel(0), 8192, input.channel(1));
    auto out = run({1.0, 0.0, Hertz{120.0}, 0.0}, input, 1000);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 8192; ++i) ASSERT_EQ(out.channel(c)[i], input.channel(c)[i]);
}

TEST(StereoTool, MonoBelowCutsTheSideAlongTheLinkwitzRileyCurve) {
    const double fs = 48000.0, fc = 120.0;
    StereoTool probe({1.0, 0.0, Hertz{fc}, 0.0});
    ASSERT_TRUE(probe.prepare({fs, 64, 2}));
    for (double f : {20.0, 40.0, 60.0, 90.0, 120.0, 160.0, 240.0, 480.0, 1000.0, 4000.0}) {
        // Digital design vs the analog LR4 (the bilinear warping is negligible this low).
        EXPECT_NEAR(probe.sideResponseDb(f), lr4HighPassDb(f, fc), 0.01) << f;
        // Measured: a pure side signal (L = -R) through the tool, steady state.
        auto tone = test::sine(f, 0.5, fs, 96000, 2);
        for (std::int64_t i = 0; i < tone.numFrames(); ++i) tone.channel(1)[i] = -tone.channel(0)[i];
        auto out = run({1.0, 0.0, Hertz{fc}, 0.0}, tone, 4096);
        const double gain = rmsDb(out.channel(0), 48000, 96000) - rmsDb(tone.channel(0), 48000, 96000);
        EXPECT_NEAR(gain, probe.sideResponseDb(f), 0.02) << f;
    }
    EXPECT_NEAR(probe.sideResponseDb(fc), -6.0206, 1e-3);  // LR4: -6 dB at the crossover
}

TEST(StereoTool, SilenceInSilenceOut) {
    AudioBuffer silence(2, 4096);
    auto out = run({1.5, 0.2, Hertz{100.0}, 0.3}, silence, 333);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 4096; ++i) ASSERT_EQ(out.channel(c)[i], 0.0f);
}

TEST(StereoTool, SameOutputForAnyBlockSizeEvenWhileGliding) {
    auto input = test::noise(12000, 2, 0.5, 5);
    auto change = [](StereoTool& tool) {
        tool.setParameter(0, 0.4);    // width
        tool.setParameter(2, 200.0);  // mono_below
        tool.setParameter(3, 0.5);    // balance
    };
    const StereoTool::Params p{1.3, -0.2, Hertz{80.0}, 0.0};
    auto reference = run(p, input, 4096, 3001, change);
    for (int block : {1, 7, 64, 4095}) {
        auto other = run(p, input, block, 3001, change);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 12000; ++i) ASSERT_EQ(other.channel(c)[i], reference.channel(c)[i]) << block;
    }
}

TEST(StereoTool, ResetReproducesTheFirstRun) {
    auto input = test::noise(5000, 2, 0.5, 9);
    StereoTool tool({1.4, 0.1, Hertz{150.0}, -0.2});
    ASSERT_TRUE(tool.prepare({48000.0, 5000, 2}));
    AudioBuffer first = input, second = input;
    tool.process(first.view());
    tool.reset();
    tool.process(second.view());
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 5000; ++i) ASSERT_EQ(first.channel(c)[i], second.channel(c)[i]);
}

TEST(StereoTool, ProcessDoesNotAllocate) {
    StereoTool tool({1.4, 0.1, Hertz{0.0}, -0.2});
    ASSERT_TRUE(tool.prepare({48000.0, 512, 2}));
    auto io = test::noise(512, 2, 0.5);
    test::AllocationCounter counter;
    tool.process(io.view());
    tool.setParameter(2, 120.0);
    tool.setParameter(0, 0.0);
    for (int i = 0; i < 8; ++i) tool.process(io.view());
    tool.setParameter(2, 0.0);
    for (int i = 0; i < 8; ++i) tool.process(io.view());
    tool.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(StereoTool, AWidthStepGlidesWhereAnInstantStepClicks) {
    // L = tone, R = 0; width 1 -> 0 halves L. Compare the glide with the same change made
    // instantly (computed directly): the glide's error vs the end state is slow, the jump's a step.
    const double fs = 48000.0;
    const std::int64_t n = 9600, at = 4800;
    auto tone = test::sine(440.0, 0.5, fs, n, 2);
    std::fill_n(tone.channel(1), n, 0.0f);
    auto out = run({}, tone, 480, at, [](StereoTool& t) { t.setParameter(0, 0.0); });
    AudioBuffer instant = tone;
    for (std::int64_t i = at; i < n; ++i) instant.channel(0)[i] *= 0.5f;
    // The largest frame-to-frame change of the gain applied to L (out/in where in is large).
    auto largestGainStep = [&](const AudioBuffer& result) {
        double largest = 0.0, previous = 1.0;
        for (std::int64_t i = at - 10; i < at + 1500; ++i) {
            const double in = tone.channel(0)[i];
            if (std::fabs(in) < 0.1) continue;
            const double g = result.channel(0)[i] / in;
            largest = std::max(largest, std::fabs(g - previous));
            previous = g;
        }
        return largest;
    };
    const double bound = 0.5 / 960.0 * 40.0;  // a 0.5 change spread over 20 ms, with slack
    EXPECT_LT(largestGainStep(out), bound);
    EXPECT_GT(largestGainStep(instant), bound);  // the control
    EXPECT_NEAR(out.channel(0)[n - 100] / tone.channel(0)[n - 100], 0.5, 1e-6);
}

TEST(StereoTool, NaNDoesNotSurviveAReset) {
    StereoTool tool({1.2, 0.0, Hertz{100.0}, 0.0});
    ASSERT_TRUE(tool.prepare({48000.0, 256, 2}));
    auto io = test::noise(256, 2, 0.5);
    io.channel(1)[3] = std::nanf("");
    tool.process(io.view());
    tool.reset();
    auto clean = test::noise(256, 2, 0.5);
    tool.process(clean.view());
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 256; ++i) ASSERT_TRUE(std::isfinite(clean.channel(c)[i]));
}
