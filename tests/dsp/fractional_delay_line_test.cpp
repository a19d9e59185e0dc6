#include "dsp/fractional_delay_line.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>

using reel::dsp::FractionalDelayLine;

TEST(FractionalDelayLine, WholeFrameDelaysAreExact) {
    FractionalDelayLine line;
    line.prepare(64);
    for (int n = 0; n < 200; ++n) {
        if (n >= 40) {
            // Everything pushed so far is the frame index.
            EXPECT_EQ(line.read(2.0), static_cast<float>(n - 2));
            EXPECT_EQ(line.read(17.0), static_cast<float>(n - 17));
            EXPECT_EQ(line.read(64.0), static_cast<float>(n - 64 < 0 ? 0 : n - 64));
        }
        line.push(static_cast<float>(n));
    }
}

TEST(FractionalDelayLine, ImpulseResponseIsTheLagrangeKernel) {
    FractionalDelayLine line;
    line.prepare(32);
    const double delay = 10.37;
    const auto w = FractionalDelayLine::lagrangeWeights(0.37);
    std::vector<float> out;
    for (int n = 0; n < 20; ++n) {
        out.push_back(line.read(delay));
        line.push(n == 0 ? 1.0f : 0.0f);
    }
    // Taps at delays 9, 10, 11, 12.
    for (int n = 0; n < 20; ++n) {
        const double expected = (n >= 9 && n <= 12) ? w[static_cast<std::size_t>(n - 9)] : 0.0;
        EXPECT_NEAR(out[static_cast<std::size_t>(n)], expected, 1e-7) << n;
    }
    double sum = 0.0;
    for (double v : w) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-15);  // DC passes unchanged
}

TEST(FractionalDelayLine, SineComesOutDelayedAndNeverAmplified) {
    // Laakso et al. 1996: the centred odd-order Lagrange interpolator has |H| ≤ 1.
    for (double fraction = 0.0; fraction < 1.0; fraction += 0.05)
        for (double f = 100.0; f < 24000.0; f += 500.0)
            EXPECT_LE(std::abs(FractionalDelayLine::response(20.0 + fraction, f, 48000.0)), 1.0 + 1e-12);
    // At 1 kHz the phase delay is the requested delay to within a thousandth of a frame.
    const auto h = FractionalDelayLine::response(20.5, 1000.0, 48000.0);
    const double w = 2.0 * std::numbers::pi * 1000.0 / 48000.0;
    EXPECT_NEAR(-std::arg(h * std::polar(1.0, 20.0 * w)) / w + 20.0, 20.5, 1e-3);
    EXPECT_NEAR(std::abs(h), 1.0, 1e-5);
}

TEST(FractionalDelayLine, ClampsToItsRange) {
    FractionalDelayLine line;
    line.prepare(16);
    for (int n = 0; n < 40; ++n) line.push(static_cast<float>(n));
    EXPECT_EQ(line.read(0.3), line.read(2.0));
    EXPECT_EQ(line.read(100.0), line.read(16.0));
}
