#include "dsp/noise_shaped_dither.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

constexpr double kRate = 44100.0;

NoiseShapedDither prepared(int bits, double rate = kRate, int channels = 1, int maxBlock = 4096) {
    NoiseShapedDither dither(NoiseShapedDither::Params{bits});
    EXPECT_TRUE(dither.prepare(ProcessSpec{rate, maxBlock, channels}));
    return dither;
}

AudioBuffer dithered(const AudioBuffer& input, int bits, std::int64_t blockFrames, double rate = kRate) {
    NoiseShapedDither dither = prepared(bits, rate, input.numChannels(), static_cast<int>(blockFrames));
    AudioBuffer io = input;
    for (std::int64_t begin = 0; begin < io.numFrames(); begin += blockFrames)
        dither.process(io.view().slice(begin, std::min(blockFrames, io.numFrames() - begin)));
    return io;
}

AudioBuffer constant(float value, std::int64_t numFrames, int channels = 1) {
    AudioBuffer out(channels, numFrames);
    for (int c = 0; c < channels; ++c) std::fill_n(out.channel(c), numFrames, value);
    return out;
}

double lsb(int bits) { return std::ldexp(1.0, -(bits - 1)); }

/// The output error y − x of channel 0, in LSB.
std::vector<double> errorLsb(const AudioBuffer& in, const AudioBuffer& out, int bits) {
    std::vector<double> e(static_cast<std::size_t>(in.numFrames()));
    for (std::int64_t i = 0; i < in.numFrames(); ++i)
        e[static_cast<std::size_t>(i)] = (double(out.channel(0)[i]) - double(in.channel(0)[i])) / lsb(bits);
    return e;
}

/// Power spectral density of `e` at bin `k` of an N-point DFT (Welch: Hann windows, half
/// overlap, averaged), normalized so that white noise of variance σ² reads σ².
double densityAt(const std::vector<double>& e, int k, int N = 2048) {
    double sum = 0.0, windowPower = 0.0;
    int segments = 0;
    std::vector<double> w(static_cast<std::size_t>(N));
    for (int n = 0; n < N; ++n) {
        w[static_cast<std::size_t>(n)] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * n / N);
        windowPower += w[static_cast<std::size_t>(n)] * w[static_cast<std::size_t>(n)];
    }
    const double omega = 2.0 * std::numbers::pi * k / N;
    for (std::size_t start = 0; start + static_cast<std::size_t>(N) <= e.size(); start += static_cast<std::size_t>(N / 2)) {
        double re = 0.0, im = 0.0;
        for (int n = 0; n < N; ++n) {
            const double v = w[static_cast<std::size_t>(n)] * e[start + static_cast<std::size_t>(n)];
            re += v * std::cos(omega * n);
            im -= v * std::sin(omega * n);
        }
        sum += (re * re + im * im) / windowPower;
        ++segments;
    }
    return sum / segments;
}

double noisePowerGain(const NoiseShapedDither& d) {
    double sum = 1.0;
    for (int k = 1; k <= d.order(); ++k) sum += d.coefficient(k) * d.coefficient(k);
    return sum;
}

TEST(NoiseShapedDither, OutputLiesOnTheGrid) {
    for (int bits : {16, 24}) {
        AudioBuffer out = dithered(test::noise(50000, 2, 0.9, 3), bits, 4096);
        const double steps = std::ldexp(1.0, bits - 1);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 50000; ++i) {
                const double k = double(out.channel(c)[i]) * steps;
                ASSERT_EQ(k, std::round(k)) << bits << " bits, frame " << i;
            }
    }
}

// The filter is the published one: the E-weighted shape dips most (about −25 dB) near 3 kHz,
// where hearing is most sensitive, and rises toward the top octave (Lipshitz et al. 1991,
// fig. of the 9-coefficient E-weighted design).
TEST(NoiseShapedDither, ResponseHasTheEWeightedShape) {
    const NoiseShapedDither d = prepared(16);
    ASSERT_EQ(d.order(), 9);
    EXPECT_LT(d.response(Hertz{3000.0}).value, -20.0);
    EXPECT_LT(d.response(Hertz{1000.0}).value, -10.0);
    EXPECT_GT(d.response(Hertz{20000.0}).value, 20.0);
    // At 96 kHz: (1 − z⁻¹)², essentially no noise below 5 kHz, most of it above 20 kHz.
    const NoiseShapedDither high = prepared(16, 96000.0);
    ASSERT_EQ(high.order(), 2);
    EXPECT_NEAR(high.response(Hertz{1000.0}).value, 40.0 * std::log10(2.0 * std::sin(std::numbers::pi * 1000.0 / 96000.0)), 1e-9);
    EXPECT_NEAR(high.response(Hertz{48000.0}).value, 20.0 * std::log10(4.0), 1e-9);
}

// The measured spectrum of the output error is the flat TPDF error (σ² = ¼ LSB²) times
// |NTF|², at every frequency checked, for a programme-like input. With 430 averaged
// segments the estimate's spread is about ±0.2 dB; the tolerance is ±0.75 dB.
TEST(NoiseShapedDither, ErrorSpectrumIsShapedAsDesigned) {
    const int bits = 16;
    const std::int64_t n = 441000;
    AudioBuffer in = test::noise(n, 1, 0.02, 11);
    const std::vector<double> e = errorLsb(in, dithered(in, bits, 4096), bits);
    const NoiseShapedDither d = prepared(bits);
    for (int k : {10, 46, 140, 186, 300, 500, 700, 900, 1000}) {
        const double f = k * kRate / 2048.0;
        const double measuredDb = 10.0 * std::log10(densityAt(e, k));
        const double expectedDb = 10.0 * std::log10(0.25) + d.response(Hertz{f}).value;
        EXPECT_NEAR(measuredDb, expectedDb, 0.75) << f << " Hz";
    }
}

// Decorrelation: with the dither inside the loop the error's mean is 0 and its variance
// ¼ LSB² · Σ ntf_k² whatever the input (constant inputs at any fraction of an LSB, or
// music); without TPDF the error of a constant would be a constant.
TEST(NoiseShapedDither, TpdfStillMakesTheErrorIndependentOfTheInput) {
    const int bits = 24;
    const std::int64_t n = 400000;
    const double expected = 0.25 * noisePowerGain(prepared(bits));
    auto stats = [&](const AudioBuffer& in) {
        const std::vector<double> e = errorLsb(in, dithered(in, bits, 4096), bits);
        double sum = 0.0, squares = 0.0;
        for (double v : e) {
            sum += v;
            squares += v * v;
        }
        const double mean = sum / static_cast<double>(n);
        return std::pair{mean, squares / static_cast<double>(n) - mean * mean};
    };
    for (double offsetLsb : {0.0, 0.3, 0.5, 0.77}) {
        const auto [mean, variance] = stats(constant(static_cast<float>((1000.0 + offsetLsb) * lsb(bits)), n));
        EXPECT_NEAR(mean, 0.0, 0.02) << "offset " << offsetLsb;
        EXPECT_NEAR(variance / expected, 1.0, 0.03) << "offset " << offsetLsb;
    }
    const auto [mean, variance] = stats(test::noise(n, 1, 0.5, 8));
    EXPECT_NEAR(mean, 0.0, 0.02);
    EXPECT_NEAR(variance / expected, 1.0, 0.03);
}

// A sine of 3 LSB, where plain rounding would make strong harmonics: the error at the 2nd
// and 3rd harmonic is the shaped noise floor, nothing more (no distortion).
TEST(NoiseShapedDither, ALowSineMakesNoHarmonics) {
    const int bits = 16;
    const int k = 46;  // 990.5 Hz, on a bin of the 2048-point analysis
    const std::int64_t n = 441000;
    AudioBuffer in(1, n);
    for (std::int64_t i = 0; i < n; ++i)
        in.channel(0)[i] = static_cast<float>(3.0 * lsb(bits) * std::sin(2.0 * std::numbers::pi * k * static_cast<double>(i) / 2048.0));
    const std::vector<double> e = errorLsb(in, dithered(in, bits, 4096), bits);
    const NoiseShapedDither d = prepared(bits);
    for (int harmonic : {2, 3}) {
        const double f = harmonic * k * kRate / 2048.0;
        const double floorDb = 10.0 * std::log10(0.25) + d.response(Hertz{f}).value;
        EXPECT_NEAR(10.0 * std::log10(densityAt(e, harmonic * k)), floorDb, 1.0) << "harmonic " << harmonic;
    }
}

TEST(NoiseShapedDither, SameOutputForAnyBlockSizeAndResetRepeats) {
    AudioBuffer in = test::noise(20000, 2, 0.5, 5);
    AudioBuffer reference = dithered(in, 16, 20000);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        AudioBuffer out = dithered(in, 16, block);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 20000; ++i)
                ASSERT_EQ(out.channel(c)[i], reference.channel(c)[i]) << "block " << block << ", frame " << i;
    }
    NoiseShapedDither d = prepared(16, kRate, 2, 20000);
    AudioBuffer first = in, second = in;
    d.process(first.view());
    d.reset();
    d.process(second.view());
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 20000; ++i) ASSERT_EQ(first.channel(c)[i], second.channel(c)[i]);
}

TEST(NoiseShapedDither, ProcessDoesNotAllocate) {
    NoiseShapedDither dither = prepared(16, kRate, 2, 4095);
    AudioBuffer io = test::noise(4095, 2, 0.5);
    test::AllocationCounter counter;
    dither.process(io.view());
    dither.reset();
    dither.process(io.view().slice(0, 7));
    EXPECT_EQ(counter.count(), 0u);
}

TEST(NoiseShapedDither, RejectsBitsOtherThan16Or24AndBadSpecs) {
    for (int bits : {0, 8, 20, 32}) {
        NoiseShapedDither dither(NoiseShapedDither::Params{bits});
        auto r = dither.prepare(ProcessSpec{48000.0, 512, 2});
        ASSERT_FALSE(r) << bits;
        EXPECT_EQ(r.error().code, ErrorCode::invalidArgument);
    }
    NoiseShapedDither dither;
    EXPECT_FALSE(dither.prepare(ProcessSpec{48000.0, 512, kMaxChannels + 1}));
    EXPECT_FALSE(dither.prepare(ProcessSpec{0.0, 512, 2}));
}

}  // namespace
