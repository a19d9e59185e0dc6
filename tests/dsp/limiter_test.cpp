#include "dsp/limiter.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dynamics_test_support.hpp"
#include "support/allocation_counter.hpp"

using namespace reel;
using namespace reel::dsp;
using namespace reel::test;

namespace {

constexpr double kRate = 48000.0;

Limiter prepared(const Limiter::Params& p, int channels = 2, int maxBlock = 4096) {
    Limiter l(p);
    EXPECT_TRUE(l.prepare({kRate, maxBlock, channels}));
    return l;
}

float peak(const AudioBuffer& a) {
    float p = 0.0f;
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i) p = std::max(p, std::fabs(a.channel(c)[i]));
    return p;
}

/// Noise at ±0.3 with sparse peaks up to +20 dBFS (×10 full scale).
AudioBuffer hotNoise(std::int64_t frames, unsigned seed) {
    auto in = noise(frames, 2, 0.3, seed);
    auto spikes = noise(frames, 2, 1.0, seed + 100);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < frames; ++i)
            if (std::fabs(spikes.channel(c)[i]) > 0.995f) in.channel(c)[i] = 10.0f * spikes.channel(c)[i];
    return in;
}

AudioBuffer impulses(std::int64_t frames) {
    AudioBuffer in(2, frames);
    for (std::int64_t i = 37; i < frames; i += 911) {
        in.channel(0)[i] = 8.0f;
        in.channel(1)[i + 1 < frames ? i + 1 : i] = -3.0f;
    }
    in.channel(0)[frames - 1] = 5.0f;  // the last frame too
    return in;
}

AudioBuffer square(std::int64_t frames, double hz, float amplitude) {
    AudioBuffer in(2, frames);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < frames; ++i)
            in.channel(c)[i] = std::fmod(static_cast<double>(i) * hz / kRate, 1.0) < 0.5 ? amplitude : -amplitude;
    return in;
}

/// The gain a mono DC-based test signal got at each output frame (output / delayed input).
std::vector<double> gains(const AudioBuffer& in, const AudioBuffer& out, int delay) {
    std::vector<double> g(static_cast<std::size_t>(in.numFrames()), 1.0);
    for (std::int64_t i = delay; i < in.numFrames(); ++i)
        g[static_cast<std::size_t>(i)] = double(out.channel(0)[i]) / double(in.channel(0)[i - delay]);
    return g;
}

}  // namespace

TEST(Limiter, OutputNeverExceedsTheCeiling) {
    const std::int64_t frames = 20000;
    const std::vector<std::pair<const char*, AudioBuffer>> signals = {
        {"noise with +20 dB peaks", hotNoise(frames, 1)},
        {"impulses", impulses(frames)},
        {"square 100 Hz at +12 dB", square(frames, 100.0, 4.0f)},
        {"square 5 kHz at +6 dB", square(frames, 5000.0, 2.0f)},
    };
    for (double ceilingDb : {-1.0, -0.1, -6.0})
        for (double lookahead : {0.0, 0.0005, 0.002, 0.005})
            for (const auto& [name, in] : signals)
                for (std::int64_t block : {1, 7, 64, 777, 4096}) {
                    Limiter l = prepared({Decibels{ceilingDb}, Seconds{0.050}, Seconds{lookahead}});
                    const auto out = runInBlocks(l, in, block);
                    ASSERT_LE(peak(out), static_cast<float>(fromDb(ceilingDb)))
                        << name << ", ceiling " << ceilingDb << " dB, lookahead " << lookahead << " s, block " << block;
                    ASSERT_TRUE(allFinite(out));
                }
}

TEST(Limiter, LatencyIsTheLookaheadAndAnImpulseComesOutThenAtTheCeiling) {
    Limiter l = prepared({Decibels{-1.0}, Seconds{0.050}, Seconds{0.002}}, 1);
    EXPECT_EQ(l.latency(), 96);
    AudioBuffer in(1, 1000);
    in.channel(0)[100] = 4.0f;
    const auto out = runInBlocks(l, in, 1000);
    for (std::int64_t i = 0; i < 1000; ++i) {
        if (i == 196) continue;
        ASSERT_EQ(out.channel(0)[i], 0.0f) << i;
    }
    EXPECT_NEAR(out.channel(0)[196], fromDb(-1.0), 1e-4);
    EXPECT_NEAR(l.gainReductionDb(), toDb(4.0) + 1.0, 1e-3);
}

TEST(Limiter, GainRampsOverTheLookaheadWithNoStep) {
    // DC at −6 dB with a +12 dB spike under a 0 dB ceiling: the gain must dip to 1/4 and
    // reach it exactly at the spike, along a smooth ramp that starts a lookahead before.
    const int lookahead = 96;  // 2 ms
    Limiter l = prepared({Decibels{0.0}, Seconds{0.050}, Seconds{0.002}}, 1);
    AudioBuffer in = constant(0.5f, 9600);
    const std::int64_t spike = 4800;
    in.channel(0)[spike] = 4.0f;
    const auto out = runInBlocks(l, in, 128);
    const auto g = gains(in, out, lookahead);
    const double needed = 1.0 / 4.0;
    const std::int64_t at = spike + lookahead;  // where the spike comes out
    EXPECT_LE(g[static_cast<std::size_t>(at)], needed);
    EXPECT_GT(g[static_cast<std::size_t>(at)], needed * 0.999);  // no deeper than needed
    // Untouched until the ramp starts, a lookahead before the spike comes out.
    for (std::int64_t i = lookahead; i < at - lookahead; ++i) ASSERT_EQ(g[static_cast<std::size_t>(i)], 1.0) << i;
    EXPECT_LT(g[static_cast<std::size_t>(at - lookahead + 1)], 1.0);
    // The ramp down: no step bigger than the depth over half the lookahead (two cascaded
    // averages of ~lookahead/2 each make an S-curve), so the transient is not clipped.
    double largest = 0.0;
    for (std::int64_t i = at - lookahead; i <= at; ++i)
        largest = std::max(largest, g[static_cast<std::size_t>(i - 1)] - g[static_cast<std::size_t>(i)]);
    EXPECT_LE(largest, (1.0 - needed) / (lookahead / 2.0) * 1.01);
    EXPECT_GT(largest, (1.0 - needed) / lookahead);  // it does ramp, not creep
}

TEST(Limiter, ReleaseRecoversWith63PercentTimeConstantAfterTheHold) {
    for (double release : {0.020, 0.050, 0.200}) {
        const int lookahead = 96;
        Limiter l = prepared({Decibels{0.0}, Seconds{release}, Seconds{0.002}}, 1);
        AudioBuffer in = constant(0.5f, 4800 + static_cast<std::int64_t>(10 * release * kRate));
        const std::int64_t spike = 4800;
        in.channel(0)[spike] = 4.0f;
        const auto out = runInBlocks(l, in, 512);
        const auto g = gains(in, out, lookahead);
        const std::int64_t at = spike + lookahead;
        const double depth = 1.0 - g[static_cast<std::size_t>(at)];
        std::int64_t recovered = -1;
        for (std::int64_t i = at; i < in.numFrames() && recovered < 0; ++i)
            if (1.0 - g[static_cast<std::size_t>(i)] <= std::exp(-1.0) * depth) recovered = i - at;
        // The release starts after the spike; hold and smoothing add about half a lookahead.
        EXPECT_NEAR(static_cast<double>(recovered), release * kRate + lookahead / 2.0, 0.05 * release * kRate) << release;
    }
}

TEST(Limiter, BelowTheCeilingItIsAPureDelay) {
    Limiter l = prepared({Decibels{-1.0}, Seconds{0.050}, Seconds{0.002}});
    const auto in = noise(10000, 2, 0.8, 3);  // −1.9 dBFS peaks at most
    const auto out = runInBlocks(l, in, 333);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 96; i < 10000; ++i) ASSERT_EQ(out.channel(c)[i], in.channel(c)[i - 96]) << i;
    EXPECT_EQ(l.gainReductionDb(), 0.0);
}

TEST(Limiter, BothChannelsGetTheSameGain) {
    Limiter l = prepared({Decibels{-1.0}, Seconds{0.050}, Seconds{0.002}});
    AudioBuffer in(2, 4800);
    std::fill_n(in.channel(0), 4800, 0.3f);
    std::fill_n(in.channel(1), 4800, 0.2f);
    in.channel(0)[2000] = 3.0f;  // a peak on the left only
    const auto out = runInBlocks(l, in, 64);
    for (std::int64_t i = 96; i < 4800; ++i) {
        if (i == 2096) continue;
        ASSERT_NEAR(out.channel(0)[i] / 0.3, out.channel(1)[i] / 0.2, 1e-6) << i;
    }
    EXPECT_LT(out.channel(1)[2096], 0.2f * 0.5f);  // the right dips with the left
}

namespace {
/// A stand-in for a true-peak detector: reports each frame's sample peak 3 frames late.
class LateDetector final : public PeakDetector {
public:
    Result<void> prepare(const ProcessSpec&) override { return {}; }
    void process(AudioView in, float* peaks) noexcept override {
        for (std::int64_t i = 0; i < in.numFrames(); ++i) {
            float p = 0.0f;
            for (int c = 0; c < in.numChannels(); ++c) p = std::max(p, std::fabs(in.channel(c)[i]));
            peaks[i] = history_[0];
            history_[0] = history_[1];
            history_[1] = history_[2];
            history_[2] = p;
        }
    }
    void reset() noexcept override { history_ = {}; }
    int latency() const noexcept override { return 3; }

private:
    std::array<float, 3> history_{};
};
}  // namespace

TEST(Limiter, ASwappedDetectorWithLatencyStillHoldsTheCeiling) {
    Limiter l({Decibels{-1.0}, Seconds{0.050}, Seconds{0.002}}, std::make_unique<LateDetector>());
    ASSERT_TRUE(l.prepare({kRate, 512, 2}));
    EXPECT_EQ(l.latency(), 96 + 3);
    const auto out = runInBlocks(l, hotNoise(20000, 5), 100);
    EXPECT_LE(peak(out), static_cast<float>(fromDb(-1.0)));
}

TEST(Limiter, SilenceInSilenceOut) {
    Limiter l = prepared({});
    AudioBuffer io(2, 10000);
    EXPECT_TRUE(identical(runInBlocks(l, io, 512), io));
}

TEST(Limiter, SameOutputForAnyBlockSize) {
    const auto in = hotNoise(12000, 2);
    auto run = [&](std::int64_t block) {
        Limiter l = prepared({Decibels{-2.0}, Seconds{0.030}, Seconds{0.003}}, 2, 4096);
        return runInBlocks(l, in, block, nullptr, [&](std::int64_t at) {
            if (at == 0) l.setParameter(Limiter::ceiling, -3.0);  // a glide under way from the start
        });
    };
    const auto reference = run(4096);
    for (std::int64_t block : {1, 7, 64, 4095}) EXPECT_TRUE(identical(run(block), reference)) << block;
}

TEST(Limiter, ResetReproducesTheFirstRun) {
    const auto in = hotNoise(12000, 6);
    Limiter l = prepared({}, 2, 512);
    const auto first = runInBlocks(l, in, 512);
    l.reset();
    EXPECT_TRUE(identical(runInBlocks(l, in, 512), first));
}

TEST(Limiter, ProcessDoesNotAllocate) {
    Limiter l = prepared({}, 2, 512);
    auto io = hotNoise(4096, 7);
    AllocationCounter counter;
    for (int block = 0; block < 8; ++block) {
        l.process(io.view().slice(block * 512, 512));
        l.setParameter(Limiter::ceiling, -1.0 - 0.5 * block);
        l.setParameter(Limiter::release, 0.02 * (block + 1));
    }
    l.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(Limiter, CeilingStepGlidesWithoutSplatter) {
    // A 500 Hz tone at 0 dBFS held at −3 dB, then at −9 dB.
    const std::int64_t frames = 19200, stepAt = 9600;
    const auto in = sine(500.0, 1.0, kRate, frames, 1);
    Limiter l = prepared({Decibels{-3.0}, Seconds{0.001}, Seconds{0.002}}, 1);
    auto out = runInBlocks(l, in, 64, nullptr, [&](std::int64_t at) {
        if (at == stepAt) l.setParameter(Limiter::ceiling, -9.0);
    });
    AudioBuffer jumped(1, frames);  // the same change made instantly (aligned with the latency)
    for (std::int64_t i = 96; i < frames; ++i)
        jumped.channel(0)[i] = in.channel(0)[i - 96] * static_cast<float>(fromDb(i < stepAt + 96 ? -3.0 : -9.0));
    const std::int64_t from = stepAt + 96 - 480, to = stepAt + 96 + 2880;
    const double smooth = splatterDb(out, 0, 4000.0, kRate, from, to);
    const double instant = splatterDb(jumped, 0, 4000.0, kRate, from, to);
    EXPECT_LT(smooth, -95.0);   // measured −122 dB
    EXPECT_GT(instant, -75.0);  // measured −62 dB: the bound catches a jump
    EXPECT_NEAR(peak(out) , fromDb(-3.0), 1e-3);
}

TEST(Limiter, NanInputIsClearedByReset) {
    Limiter l = prepared({}, 2, 512);
    auto io = hotNoise(4096, 8);
    io.channel(0)[3] = std::nanf("");
    io.channel(1)[300] = -std::numeric_limits<float>::infinity();
    l.process(io.view().slice(0, 512));
    l.reset();
    const auto in = hotNoise(4096, 9);
    Limiter fresh = prepared({}, 2, 512);
    const auto after = runInBlocks(l, in, 512);
    EXPECT_TRUE(allFinite(after));
    EXPECT_TRUE(identical(after, runInBlocks(fresh, in, 512)));
}

TEST(Limiter, ParametersAreCeilingAndRelease) {
    Limiter l;
    const auto params = l.parameters();
    ASSERT_EQ(params.size(), 2u);
    EXPECT_EQ(params[Limiter::ceiling].name, "ceiling");
    EXPECT_EQ(params[Limiter::ceiling].unit, "dB");
    EXPECT_EQ(params[Limiter::release].unit, "s");
    l.setParameter(Limiter::ceiling, 6.0);
    EXPECT_EQ(l.params().ceiling.value, 0.0);  // clamped: never above full scale
}
