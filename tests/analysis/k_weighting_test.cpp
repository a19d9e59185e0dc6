#include "analysis/k_weighting.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using namespace reel;
using namespace reel::analysis;

namespace {

// Runs a biquad (direct form I, double) over a sine and returns its steady-state gain in dB.
double measuredGainDb(const BiquadCoefficients& f, double frequency, double rate) {
    const int settle = static_cast<int>(rate);  // 1 s for the 38 Hz high-pass to settle
    const int measure = static_cast<int>(rate);
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0, in = 0, out = 0;
    for (int i = 0; i < settle + measure; ++i) {
        const double x = std::sin(2.0 * std::numbers::pi * frequency * i / rate);
        const double y = f.b0 * x + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
        x2 = x1, x1 = x, y2 = y1, y1 = y;
        if (i >= settle) in += x * x, out += y * y;
    }
    return 10.0 * std::log10(out / in);
}

}  // namespace

TEST(KWeighting, At48kHzReproducesTheCoefficientsOfBs1770Table1And2) {
    const KWeighting k = designKWeighting(SampleRate{48000});
    // ITU-R BS.1770-4 Annex 1, Table 1 (stage 1, pre-filter) and Table 2 (stage 2, RLB).
    EXPECT_NEAR(k.shelf.b0, 1.53512485958697, 1e-13);
    EXPECT_NEAR(k.shelf.b1, -2.69169618940638, 1e-13);
    EXPECT_NEAR(k.shelf.b2, 1.19839281085285, 1e-13);
    EXPECT_NEAR(k.shelf.a1, -1.69065929318241, 1e-13);
    EXPECT_NEAR(k.shelf.a2, 0.73248077421585, 1e-13);
    EXPECT_EQ(k.highPass.b0, 1.0);
    EXPECT_EQ(k.highPass.b1, -2.0);
    EXPECT_EQ(k.highPass.b2, 1.0);
    EXPECT_NEAR(k.highPass.a1, -1.99004745483398, 1e-13);
    EXPECT_NEAR(k.highPass.a2, 0.99007225036621, 1e-13);
}

TEST(KWeighting, RecoveredPrototypesAreTheKnownShelfAndHighPass) {
    // The analog parameters the BS.1770 tables imply (the values libebur128 and pyloudnorm
    // use were found by fitting the same tables): a +4 dB shelf at 1682 Hz, Q ≈ 1/√2, and a
    // 38 Hz high-pass with Q ≈ 0.5.
    const ShelfPrototype shelf = kWeightingShelfPrototype();
    EXPECT_NEAR(shelf.centre.value, 1681.974450955533, 1e-6);
    EXPECT_NEAR(shelf.q, 0.7071752369554196, 1e-9);
    EXPECT_NEAR(20.0 * std::log10(shelf.highGain), 3.999843853973347, 1e-8);
    EXPECT_NEAR(shelf.midGain, std::pow(shelf.highGain, 0.4996667741545416), 1e-8);
    EXPECT_NEAR(shelf.dcGain, 1.0, 1e-6);
    const HighPassPrototype highPass = kWeightingHighPassPrototype();
    EXPECT_NEAR(highPass.corner.value, 38.13547087602444, 1e-4);
    EXPECT_NEAR(highPass.q, 0.5003270373238773, 1e-6);
}

TEST(KWeighting, GainsAbout0Point69DbAt1kHzAtEveryRate) {
    // The reason for BS.1770's -0.691 offset: K-weighting lifts 1 kHz by about 0.69 dB, so a
    // 1 kHz sine reads close to its own level in LUFS. The gain drifts with the rate by up to
    // 0.03 dB because stage 2 keeps Table 2's numerator (its passband gain is A0(fs)).
    EXPECT_NEAR(magnitudeResponse(designKWeighting(SampleRate{48000}), Hertz{1000}, SampleRate{48000}).value, 0.6977,
                0.0005);
    for (double rate : {44100.0, 48000.0, 88200.0, 96000.0, 192000.0}) {
        SCOPED_TRACE(rate);
        const KWeighting k = designKWeighting(SampleRate{rate});
        EXPECT_NEAR(magnitudeResponse(k, Hertz{1000}, SampleRate{rate}).value, 0.691, 0.025);
    }
}

TEST(KWeighting, ShapeIsTheSameAtEveryRateBelow10kHz) {
    const KWeighting reference = designKWeighting(SampleRate{48000});
    for (double rate : {32000.0, 44100.0, 96000.0, 192000.0}) {
        const KWeighting k = designKWeighting(SampleRate{rate});
        for (double f : {20.0, 38.0, 100.0, 500.0, 1681.0, 3000.0, 6000.0, 10000.0}) {
            SCOPED_TRACE(testing::Message() << rate << " Hz rate, " << f << " Hz");
            const double here = magnitudeResponse(k, Hertz{f}, SampleRate{rate}).value;
            const double at48k = magnitudeResponse(reference, Hertz{f}, SampleRate{48000}).value;
            // Bilinear warping moves the curves apart towards Nyquist; up to 6 kHz they agree
            // to 0.05 dB, most of which is stage 2's passband gain A0(fs) (0.043 dB at 48 kHz,
            // 0.011 dB at 192 kHz), the same at every frequency.
            EXPECT_NEAR(here, at48k, f <= 6000.0 ? 0.05 : 0.15);
        }
    }
}

TEST(KWeighting, MeasuredSineGainsMatchTheAnalyticResponse) {
    for (double rate : {44100.0, 96000.0}) {
        const KWeighting k = designKWeighting(SampleRate{rate});
        for (double f : {30.0, 1000.0, 8000.0}) {
            SCOPED_TRACE(testing::Message() << rate << " Hz rate, " << f << " Hz");
            EXPECT_NEAR(measuredGainDb(k.shelf, f, rate), magnitudeResponse(k.shelf, Hertz{f}, SampleRate{rate}).value, 0.01);
            EXPECT_NEAR(measuredGainDb(k.highPass, f, rate),
                        magnitudeResponse(k.highPass, Hertz{f}, SampleRate{rate}).value, 0.01);
        }
    }
}
