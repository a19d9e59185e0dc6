#include "dsp/biquad.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {
/// Measures a filter's gain at f by running a long sine through it and comparing RMS.
double measuredGainDb(const BiquadCoefficients& c, double f, double fs) {
    auto tone = test::sine(f, 0.5, fs, static_cast<std::int64_t>(fs), 1);
    Biquad filter;
    filter.setCoefficients(c);
    filter.process(tone.view());
    double in = 0, out = 0;
    const std::int64_t from = static_cast<std::int64_t>(fs / 2);  // skip the transient
    for (std::int64_t i = from; i < tone.numFrames(); ++i) {
        double x = 0.5 * std::sin(2 * M_PI * f * static_cast<double>(i) / fs);
        in += x * x;
        out += double(tone.channel(0)[i]) * tone.channel(0)[i];
    }
    return 10 * std::log10(out / in);
}
}  // namespace

TEST(Biquad, MeasuredGainMatchesItsOwnAnalyticResponse) {
    const double fs = 48000;
    for (const auto& c : {BiquadCoefficients::peaking(1000, 1.0, 6.0, fs), BiquadCoefficients::lowShelf(200, 0.707, -4.0, fs),
                          BiquadCoefficients::highShelf(5000, 0.707, 3.0, fs), BiquadCoefficients::highPass(100, 0.707, fs),
                          BiquadCoefficients::lowPass(8000, 0.707, fs), BiquadCoefficients::notch(3000, 2.0, fs)})
        for (double f : {60.0, 440.0, 1000.0, 2500.0, 7000.0})
            EXPECT_NEAR(measuredGainDb(c, f, fs), c.magnitudeDb(f, fs), 0.02) << f;
}

TEST(Biquad, CookbookShapesHitTheirDefiningPoints) {
    const double fs = 48000;
    EXPECT_NEAR(BiquadCoefficients::peaking(1000, 1.0, 6.0, fs).magnitudeDb(1000, fs), 6.0, 1e-9);
    EXPECT_NEAR(BiquadCoefficients::highPass(100, M_SQRT1_2, fs).magnitudeDb(100, fs), -3.0103, 1e-3);
    EXPECT_NEAR(BiquadCoefficients::lowShelf(200, M_SQRT1_2, -4.0, fs).magnitudeDb(20, fs), -4.0, 0.05);
    EXPECT_NEAR(BiquadCoefficients::highShelf(5000, M_SQRT1_2, 3.0, fs).magnitudeDb(20000, fs), 3.0, 0.1);
    EXPECT_LT(BiquadCoefficients::notch(3000, 2.0, fs).magnitudeDb(3000, fs), -100.0);
    EXPECT_NEAR(std::abs(BiquadCoefficients::allPass(3000, 2.0, fs).response(1234, fs)), 1.0, 1e-12);
    EXPECT_NEAR(BiquadCoefficients::firstOrderLowPass(1000, fs).magnitudeDb(1000, fs), -3.0103, 1e-3);
}

TEST(Biquad, CascadeGainMatchesTheProductOfItsSectionsResponses) {
    // Either code of the cascades (the fused one where the CPU has AVX2 + FMA) is the filter
    // the coefficients describe: a sine's measured gain through a 30 Hz high-pass, a bell and
    // a 20 kHz low-pass matches the sum of their analytic responses in dB, mono and stereo.
    const double fs = 48000;
    const std::array<BiquadCoefficients, 3> designs{BiquadCoefficients::highPass(30, 0.7071, fs),
                                                    BiquadCoefficients::peaking(2500, 1.0, 6.0, fs),
                                                    BiquadCoefficients::lowPass(20000, 0.7071, fs)};
    for (CascadeCode code : {CascadeCode::fastest, CascadeCode::baseline})
        for (int channels : {1, 2})
            for (double f : {40.0, 1000.0, 2500.0, 15000.0}) {
                std::array<Biquad, 3> sections;
                std::array<Biquad*, 3> pointers{};
                double expectedDb = 0;
                for (std::size_t k = 0; k < designs.size(); ++k) {
                    sections[k].setCoefficients(designs[k]);
                    pointers[k] = &sections[k];
                    expectedDb += designs[k].magnitudeDb(f, fs);
                }
                auto tone = test::sine(f, 0.5, fs, static_cast<std::int64_t>(fs), 2);
                for (std::int64_t start = 0; start < tone.numFrames(); start += 512) {  // in blocks, as processors run
                    const std::int64_t n = std::min<std::int64_t>(512, tone.numFrames() - start);
                    if (channels == 2)
                        processCascadePair(pointers, 0, tone.channel(0) + start, tone.channel(1) + start, n, code);
                    else
                        processCascade(pointers, 0, tone.channel(0) + start, n, code);
                }
                for (int c = 0; c < channels; ++c) {
                    double in = 0, out = 0;
                    const std::int64_t from = static_cast<std::int64_t>(fs / 2);  // past the transient
                    for (std::int64_t i = from; i < tone.numFrames(); ++i) {
                        const double x = 0.5 * std::sin(2 * M_PI * f * static_cast<double>(i) / fs);
                        in += x * x;
                        out += double(tone.channel(c)[i]) * tone.channel(c)[i];
                    }
                    EXPECT_NEAR(10 * std::log10(out / in), expectedDb, 0.02) << f << " Hz, " << channels << " channels";
                }
            }
}
