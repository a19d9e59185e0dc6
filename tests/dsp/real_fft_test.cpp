// dsp::RealFft against the DFT's definition: a cosine of amplitude A on bin k reads A·N/2
// there and nothing elsewhere; DC reads the sum.
#include "dsp/real_fft.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using reel::dsp::RealFft;

TEST(RealFft, ACosineOnABinReadsHalfItsAmplitudeTimesNThere) {
    constexpr int kSize = 256, kBin = 10;
    constexpr double kAmplitude = 0.5;
    RealFft fft(kSize);
    for (int i = 0; i < kSize; ++i)
        fft.input()[i] = static_cast<float>(0.25 + kAmplitude * std::cos(2.0 * std::numbers::pi * kBin * i / kSize));
    fft.forward();
    EXPECT_NEAR(fft.output()[0].real(), 0.25 * kSize, 1e-3);
    EXPECT_NEAR(std::abs(fft.output()[kBin]), kAmplitude * kSize / 2, 1e-3);
    for (int k = 1; k <= kSize / 2; ++k) {
        if (k != kBin) {
            EXPECT_LT(std::abs(fft.output()[k]), 1e-3) << k;
        }
    }
}

TEST(RealFft, TransformsAgainWithNewInput) {
    RealFft fft(64);
    for (int i = 0; i < 64; ++i) fft.input()[i] = 1.0f;
    fft.forward();
    EXPECT_NEAR(fft.output()[0].real(), 64.0, 1e-4);
    for (int i = 0; i < 64; ++i) fft.input()[i] = 0.0f;
    fft.forward();
    EXPECT_EQ(std::abs(fft.output()[0]), 0.0f);
}
