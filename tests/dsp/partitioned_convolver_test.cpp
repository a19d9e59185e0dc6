#include "dsp/partitioned_convolver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "support/allocation_counter.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

std::vector<float> randomSignal(std::size_t n, unsigned seed) {
    std::mt19937 generator(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(n);
    for (float& v : x) v = uniform(generator);
    return x;
}

/// Direct time-domain convolution in double: the reference. Output length = input length.
std::vector<double> directConvolution(const std::vector<float>& x, const std::vector<float>& h) {
    std::vector<double> y(x.size(), 0.0);
    const std::vector<double> hd(h.begin(), h.end());
    for (std::size_t k = 0; k < x.size(); ++k) {
        const double xk = x[k];
        const std::size_t count = std::min(hd.size(), x.size() - k);
        double* out = y.data() + k;
        for (std::size_t j = 0; j < count; ++j) out[j] += xk * hd[j];
    }
    return y;
}

std::vector<float> convolveInBlocks(const std::vector<float>& x, const std::vector<float>& h, std::size_t block) {
    PartitionedConvolver convolver;
    EXPECT_TRUE(convolver.prepare(h));
    std::vector<float> y = x;
    for (std::size_t at = 0; at < y.size(); at += block) {
        const std::size_t n = std::min(block, y.size() - at);
        convolver.process(y.data() + at, y.data() + at, static_cast<std::int64_t>(n));  // in place
    }
    return y;
}

/// Worst error over the whole output, in dB re the reference's peak.
double worstErrorDb(const std::vector<float>& y, const std::vector<double>& reference) {
    double peak = 0.0, worst = 0.0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        peak = std::max(peak, std::fabs(reference[i]));
        worst = std::max(worst, std::fabs(y[i] - reference[i]));
    }
    return 20.0 * std::log10(std::max(worst, 1e-300) / peak);
}

}  // namespace

TEST(PartitionedConvolver, EqualsDirectConvolutionForAnyIrLengthAndBlockSize) {
    // IR lengths cover the head only, the first level, and all three levels; the input runs
    // past the longest IR so every partition of every level is exercised.
    for (std::size_t irLength : {1u, 100u, 4096u, 30000u}) {
        const auto h = randomSignal(irLength, static_cast<unsigned>(irLength));
        const auto x = randomSignal(irLength + 9000, 99);
        const auto reference = directConvolution(x, h);
        std::vector<float> first;
        for (std::size_t block : {1u, 7u, 64u, 4095u, 4096u}) {
            const auto y = convolveInBlocks(x, h, block);
            EXPECT_LT(worstErrorDb(y, reference), -100.0) << "IR " << irLength << ", block " << block;
            if (first.empty())
                first = y;
            else
                EXPECT_TRUE(y == first) << "not bit-identical: IR " << irLength << ", block " << block;
        }
    }
}

TEST(PartitionedConvolver, LongSparseIrReachesTheLargestLevel) {
    // 100000 taps reach past 32768, the start of the largest partitions; a sparse IR keeps
    // the direct reference cheap while still testing every level's timing.
    std::vector<float> h(100000, 0.0f);
    std::mt19937 generator(21);
    std::uniform_int_distribution<std::size_t> where(0, h.size() - 1);
    for (int i = 0; i < 40; ++i) h[where(generator)] = 0.5f;
    h.back() = -0.25f;
    const auto x = randomSignal(140000, 22);
    std::vector<double> reference(x.size(), 0.0);
    for (std::size_t j = 0; j < h.size(); ++j)
        if (h[j] != 0.0f)
            for (std::size_t k = j; k < x.size(); ++k) reference[k] += double(h[j]) * x[k - j];
    for (std::size_t block : {1u, 4096u})
        EXPECT_LT(worstErrorDb(convolveInBlocks(x, h, block), reference), -100.0) << block;
}

TEST(PartitionedConvolver, UnitImpulseIsTransparentWithNoLatency) {
    std::vector<float> h(20000, 0.0f);
    h[0] = 1.0f;
    const auto x = randomSignal(30000, 5);
    const auto y = convolveInBlocks(x, h, 333);
    EXPECT_TRUE(y == x);
}

TEST(PartitionedConvolver, DelayedImpulseDelaysExactly) {
    for (std::size_t delay : {63u, 64u, 511u, 512u, 4100u}) {
        std::vector<float> h(delay + 1, 0.0f);
        h[delay] = 0.5f;
        const auto x = randomSignal(12000, 6);
        const auto y = convolveInBlocks(x, h, 100);
        for (std::size_t i = 0; i < delay; ++i) ASSERT_NEAR(y[i], 0.0f, 1e-6f) << delay;
        for (std::size_t i = delay; i < x.size(); ++i)
            ASSERT_NEAR(y[i], 0.5f * x[i - delay], 1e-6f) << delay << " at " << i;
    }
}

TEST(PartitionedConvolver, ResetReproducesTheFirstRun) {
    const auto h = randomSignal(5000, 8);
    const auto x = randomSignal(12000, 9);
    PartitionedConvolver convolver;
    ASSERT_TRUE(convolver.prepare(h));
    std::vector<float> first(x.size()), second(x.size());
    convolver.process(x.data(), first.data(), static_cast<std::int64_t>(x.size()));
    convolver.reset();
    convolver.process(x.data(), second.data(), static_cast<std::int64_t>(x.size()));
    EXPECT_TRUE(first == second);
}

TEST(PartitionedConvolver, ProcessDoesNotAllocate) {
    const auto h = randomSignal(20000, 10);
    const auto x = randomSignal(9000, 11);
    PartitionedConvolver convolver;
    ASSERT_TRUE(convolver.prepare(h));
    std::vector<float> y(x.size());
    test::AllocationCounter counter;
    convolver.process(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
    convolver.reset();
    convolver.process(x.data(), y.data(), 1);
    EXPECT_EQ(counter.count(), 0u);
}

TEST(PartitionedConvolver, EmptyImpulseResponseGivesSilence) {
    PartitionedConvolver convolver;
    ASSERT_TRUE(convolver.prepare({}));
    auto x = randomSignal(300, 12);
    convolver.process(x.data(), x.data(), 300);
    EXPECT_TRUE(std::all_of(x.begin(), x.end(), [](float v) { return v == 0.0f; }));
}

TEST(PartitionedConvolver, PlansOnSeveralThreadsAtOnce) {
    // FFTW's planner is not thread-safe; the convolver serializes planning itself.
    const auto h = randomSignal(20000, 13);
    const auto x = randomSignal(25000, 14);
    const auto reference = convolveInBlocks(x, h, 512);
    std::vector<std::vector<float>> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            for (int repeat = 0; repeat < 5; ++repeat) results[t] = convolveInBlocks(x, h, 512);
        });
    for (auto& thread : threads) thread.join();
    for (const auto& y : results) EXPECT_TRUE(y == reference);
}
