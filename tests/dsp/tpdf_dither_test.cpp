#include "dsp/tpdf_dither.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

TpdfDither prepared(int bits, int channels = 2, int maxBlock = 4096) {
    TpdfDither dither(TpdfDither::Params{bits});
    EXPECT_TRUE(dither.prepare(ProcessSpec{48000.0, maxBlock, channels}));
    return dither;
}

// Runs `input` through a fresh dither in blocks of `blockFrames`; returns the output.
AudioBuffer dithered(const AudioBuffer& input, int bits, std::int64_t blockFrames) {
    TpdfDither dither = prepared(bits, input.numChannels(), static_cast<int>(blockFrames));
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

struct ErrorStats {
    double mean = 0.0;      // in LSB
    double variance = 0.0;  // in LSB²
};

ErrorStats errorStats(const AudioBuffer& in, const AudioBuffer& out, int bits) {
    double sum = 0.0;
    double sumSquares = 0.0;
    const auto n = static_cast<double>(in.numFrames() * in.numChannels());
    for (int c = 0; c < in.numChannels(); ++c)
        for (std::int64_t i = 0; i < in.numFrames(); ++i) {
            const double e = (double(out.channel(c)[i]) - double(in.channel(c)[i])) / lsb(bits);
            sum += e;
            sumSquares += e * e;
        }
    const double mean = sum / n;
    return {mean, sumSquares / n - mean * mean};
}

class TpdfDitherBits : public ::testing::TestWithParam<int> {};

TEST_P(TpdfDitherBits, OutputLiesOnTheGrid) {
    const int bits = GetParam();
    AudioBuffer out = dithered(test::noise(50000, 2, 0.99, 3), bits, 4096);
    const double steps = std::ldexp(1.0, bits - 1);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 50000; ++i) {
            const double k = double(out.channel(c)[i]) * steps;
            ASSERT_EQ(k, std::round(k)) << "frame " << i << " is " << k << " steps";
        }
}

// Derivation: the error is e = d + r, with d the dither and r the rounding of x + d. For TPDF
// d (the sum of two independent uniforms on ±½ LSB) var(d) = 2 · LSB²/12 = LSB²/6, and TPDF
// makes r uniform on ±½ LSB and independent of the signal and of d's effect, var(r) = LSB²/12
// (Wannamaker, Lipshitz & Vanderkooy 2000). So E[e] = 0 and var(e) = LSB²/6 + LSB²/12 = LSB²/4,
// whatever the input. Plain rounding would instead give an error that depends on the input
// (for a constant 0.3 LSB: mean −0.3 LSB, variance 0), and RPDF dither a variance that does.
TEST_P(TpdfDitherBits, ErrorHasZeroMeanAndAVarianceOfAQuarterLsbSquaredForAnyInput) {
    const int bits = GetParam();
    const std::int64_t n = 400000;
    // Standard errors for n samples: mean σ/√n = 0.5/632 ≈ 0.0008 LSB; variance of e² estimate
    // ≈ 0.001 LSB². Tolerances are about five of them.
    for (double offsetLsb : {0.0, 0.3, 0.5, 0.77}) {
        AudioBuffer in = constant(static_cast<float>((1000.0 + offsetLsb) * lsb(bits)), n);
        const ErrorStats stats = errorStats(in, dithered(in, bits, 4096), bits);
        EXPECT_NEAR(stats.mean, 0.0, 0.004) << "input offset " << offsetLsb << " LSB";
        EXPECT_NEAR(stats.variance, 0.25, 0.005) << "input offset " << offsetLsb << " LSB";
    }
    AudioBuffer music = test::noise(n, 1, 0.5, 8);
    const ErrorStats stats = errorStats(music, dithered(music, bits, 4096), bits);
    EXPECT_NEAR(stats.mean, 0.0, 0.004);
    EXPECT_NEAR(stats.variance, 0.25, 0.005);
}

// On digital silence the output is not silence: |d| > ½ LSB with probability
// 2 · ½ · (½)² = ¼, so a quarter of the samples become ±1 LSB, evenly split, the rest 0.
TEST_P(TpdfDitherBits, SilenceBecomesSparseOneLsbNoise) {
    const int bits = GetParam();
    const std::int64_t n = 400000;
    AudioBuffer out = dithered(constant(0.0f, n, 2), bits, 4096);
    std::int64_t up = 0;
    std::int64_t down = 0;
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < n; ++i) {
            const double k = out.channel(c)[i] / lsb(bits);
            ASSERT_TRUE(k == 0.0 || k == 1.0 || k == -1.0) << k;
            up += k > 0;
            down += k < 0;
        }
    EXPECT_NEAR(double(up + down) / double(2 * n), 0.25, 0.003);
    EXPECT_NEAR(double(up) / double(up + down), 0.5, 0.005);
}

INSTANTIATE_TEST_SUITE_P(TpdfDither, TpdfDitherBits, ::testing::Values(16, 24),
                         [](const auto& testParam) { return std::to_string(testParam.param) + "Bits"; });

TEST(TpdfDither, SameOutputForAnyBlockSize) {
    AudioBuffer in = test::noise(20000, 2, 0.8, 5);
    AudioBuffer reference = dithered(in, 16, 20000);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        AudioBuffer out = dithered(in, 16, block);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 20000; ++i)
                ASSERT_EQ(out.channel(c)[i], reference.channel(c)[i]) << "block " << block << ", frame " << i;
    }
}

// The AVX2 code steps the four generators in one register; it must give the scalar code's
// bits, for any start lane (odd block sizes), both grids, and samples beyond full scale.
TEST(TpdfDither, Avx2CodeGivesTheBaselineBits) {
    if (!cpuHasAvx2()) GTEST_SKIP() << "this CPU has no AVX2: only the baseline code runs";
    AudioBuffer in = test::noise(30000, 2, 1.5, 9);
    in.channel(0)[17] = 0.0f;
    in.channel(1)[100] = -1.0f;
    for (int bits : {16, 24}) {
        for (std::int64_t block : {1, 3, 4, 7, 4096, 30000}) {
            AudioBuffer wide = in, baseline = in;
            TpdfDither wideDither = prepared(bits, 2, static_cast<int>(block));
            TpdfDither baselineDither = prepared(bits, 2, static_cast<int>(block));
            baselineDither.setVectorWidth(TpdfDither::VectorWidth::baseline);
            for (std::int64_t begin = 0; begin < in.numFrames(); begin += block) {
                const std::int64_t n = std::min(block, in.numFrames() - begin);
                wideDither.process(wide.view().slice(begin, n));
                baselineDither.process(baseline.view().slice(begin, n));
            }
            for (int c = 0; c < 2; ++c)
                for (std::int64_t i = 0; i < in.numFrames(); ++i)
                    ASSERT_EQ(std::bit_cast<std::uint32_t>(wide.channel(c)[i]),
                              std::bit_cast<std::uint32_t>(baseline.channel(c)[i]))
                        << bits << " bits, block " << block << ", channel " << c << ", frame " << i;
        }
    }
}

TEST(TpdfDither, ResetReproducesTheFirstRunExactly) {
    AudioBuffer in = test::noise(5000, 2, 0.8, 6);
    TpdfDither dither = prepared(24);
    AudioBuffer first = in;
    dither.process(first.view());
    dither.reset();
    AudioBuffer second = in;
    dither.process(second.view());
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 5000; ++i) ASSERT_EQ(first.channel(c)[i], second.channel(c)[i]);
}

// The noise sequence is part of the output's identity: the same render must give the same
// file on every run and machine. These are the first values for silence at 16 bits.
TEST(TpdfDither, NoiseSequenceIsFixedAcrossRuns) {
    AudioBuffer out = dithered(constant(0.0f, 24, 2), 16, 24);
    std::vector<int> left;
    std::vector<int> right;
    for (std::int64_t i = 0; i < 24; ++i) {
        left.push_back(static_cast<int>(out.channel(0)[i] * 32768.0f));
        right.push_back(static_cast<int>(out.channel(1)[i] * 32768.0f));
    }
    EXPECT_EQ(left, (std::vector<int>{0, -1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, -1, 0, 0, 0}));
    EXPECT_EQ(right, (std::vector<int>{0, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 1, -1, 0, 0, 1, 0, 1, 0, 0, 0}));
}

TEST(TpdfDither, ChannelsGetIndependentNoise) {
    const std::int64_t n = 200000;
    AudioBuffer in = constant(static_cast<float>(0.5 * lsb(16)), n, 2);
    AudioBuffer out = dithered(in, 16, 4096);
    double cross = 0.0;
    double power = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        const double a = out.channel(0)[i] / lsb(16) - 0.5;
        const double b = out.channel(1)[i] / lsb(16) - 0.5;
        cross += a * b;
        power += a * a;
    }
    EXPECT_NEAR(cross / power, 0.0, 0.02);  // correlation coefficient
}

TEST(TpdfDither, FullScaleSamplesStayWithinOneLsbAndAreNotClamped) {
    AudioBuffer in = constant(1.0f, 10000, 1);
    AudioBuffer out = dithered(in, 16, 4096);
    bool above = false;
    for (std::int64_t i = 0; i < 10000; ++i) {
        ASSERT_LE(std::abs(double(out.channel(0)[i]) - 1.0), lsb(16));
        above |= out.channel(0)[i] > 1.0f;
    }
    EXPECT_TRUE(above);  // the writer, not the dither, saturates (and counts it)
}

TEST(TpdfDither, ProcessDoesNotAllocate) {
    TpdfDither dither = prepared(16, 2, 4095);
    AudioBuffer io = test::noise(4095, 2, 0.5);
    test::AllocationCounter counter;
    dither.process(io.view());
    dither.reset();
    dither.process(io.view().slice(0, 7));
    EXPECT_EQ(counter.count(), 0u);
}

TEST(TpdfDither, RejectsBitsOtherThan16Or24) {
    for (int bits : {0, 8, 20, 32}) {
        TpdfDither dither(TpdfDither::Params{bits});
        auto r = dither.prepare(ProcessSpec{48000.0, 512, 2});
        ASSERT_FALSE(r) << bits;
        EXPECT_EQ(r.error().code, ErrorCode::invalidArgument);
        EXPECT_EQ(TpdfDither{}.setParams(TpdfDither::Params{bits}).error().code, ErrorCode::invalidArgument);
    }
    TpdfDither dither;
    EXPECT_FALSE(dither.prepare(ProcessSpec{48000.0, 512, kMaxChannels + 1}));
    ASSERT_TRUE(dither.setParams(TpdfDither::Params{16}));
    EXPECT_EQ(dither.params().targetBits, 16);
}

TEST(TpdfDither, HasNoLatency) { EXPECT_EQ(TpdfDither{}.latency(), 0); }

}  // namespace
