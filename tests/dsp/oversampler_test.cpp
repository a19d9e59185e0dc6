#include "dsp/oversampler.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "effects_test_support.hpp"

using namespace reel;
using reel::dsp::Oversampler;

TEST(Oversampler, KaiserHalfBandHasExactZerosAndUnityDcGain) {
    const auto h = dsp::kaiserLowPass(31, 0.25, 11.0);
    double sum = 0.0;
    for (double v : h) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-14);
    for (int n = 0; n < 31; ++n) {
        if (n != 15 && (n - 15) % 2 == 0) {
            EXPECT_EQ(h[static_cast<std::size_t>(n)], 0.0) << n;
        }
    }
    EXPECT_NEAR(h[15], 0.5, 1e-3);
}

TEST(Oversampler, RoundTripIsADelayOfLatencyFrames) {
    for (int factor : {2, 4, 8, 16}) {
        Oversampler os;
        ASSERT_TRUE(os.prepare(factor, 1, 256));
        const auto input = test::sine(1000.0, 0.5, 48000.0, 8192, 1);
        AudioBuffer out(1, 8192);
        for (std::int64_t at = 0; at < 8192; at += 256) {
            AudioBuffer block(1, 256);
            std::copy_n(input.channel(0) + at, 256, block.channel(0));
            os.upsample(block.view());
            os.downsample(block.view());
            std::copy_n(block.channel(0), 256, out.channel(0) + at);
        }
        const int latency = os.latency();
        EXPECT_GT(latency, 0);
        double worst = 0.0;
        for (std::int64_t i = 2000; i < 8192; ++i)
            worst = std::max(worst, std::fabs(static_cast<double>(out.channel(0)[i]) - input.channel(0)[i - latency]));
        EXPECT_LT(worst, 2e-5) << factor;  // passband ripple and float rounding only
    }
}

TEST(Oversampler, ImagesOfTheInputAreGoneAtTheTopRate) {
    // A sine at 0.44 fs (inside the passband) upsampled 2x: its image at fs - f must be
    // at least 100 dB down.
    Oversampler os;
    ASSERT_TRUE(os.prepare(2, 1, 4096));
    const double rate = 48000.0, f = 21000.0;  // 0.4375 fs; 2·4096 top frames span 448 periods
    auto input = test::sine(f, 1.0, rate, 4096, 1);
    AudioBuffer warm = test::sine(f, 1.0, rate, 4096, 1);
    os.upsample(warm.view());  // fill the history with the same (periodic) signal
    auto top = os.upsample(input.view());
    const auto spectrum = test::amplitudeSpectrum(top.channel(0), 8192);
    const double binHz = 2.0 * rate / 8192.0;
    EXPECT_NEAR(spectrum[static_cast<std::size_t>(std::lround(f / binHz))], 1.0, 1e-4);
    EXPECT_LT(spectrum[static_cast<std::size_t>(std::lround((rate - f) / binHz))], 1e-5);
}

TEST(Oversampler, FactorOneIsAPassThrough) {
    Oversampler os;
    ASSERT_TRUE(os.prepare(1, 2, 64));
    auto io = test::noise(64, 2, 0.5);
    const auto copy = io;
    auto top = os.upsample(io.view());
    EXPECT_EQ(top.channel(0), io.channel(0));
    os.downsample(io.view());
    EXPECT_EQ(os.latency(), 0);
    for (int i = 0; i < 64; ++i) EXPECT_EQ(io.channel(1)[i], copy.channel(1)[i]);
}

TEST(Oversampler, RejectsOtherFactors) {
    Oversampler os;
    EXPECT_FALSE(os.prepare(3, 2, 64));
    EXPECT_FALSE(os.prepare(32, 2, 64));
}
