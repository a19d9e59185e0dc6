#include "dsp/de_esser.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dynamics_test_support.hpp"
#include "support/allocation_counter.hpp"

using namespace reel;
using namespace reel::dsp;
using namespace reel::test;

namespace {

constexpr double kRate = 48000.0;

DeEsser prepared(const DeEsser::Params& p = {}, int channels = 2, int maxBlock = 4096) {
    DeEsser d(p);
    EXPECT_TRUE(d.prepare({kRate, maxBlock, channels}));
    return d;
}

AudioBuffer add(const AudioBuffer& a, const AudioBuffer& b) {
    AudioBuffer out = a;
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i) out.channel(c)[i] += b.channel(c)[i];
    return out;
}

/// The input as the de-esser should give it back untouched: `frames` later.
AudioBuffer delayed(const AudioBuffer& in, int frames) {
    AudioBuffer out(in.numChannels(), in.numFrames());
    for (int c = 0; c < in.numChannels(); ++c)
        std::copy_n(in.channel(c), in.numFrames() - frames, out.channel(c) + frames);
    return out;
}

constexpr int kLatency = 48;  // 1 ms at 48 kHz: the linear-phase split's delay

/// Speech-like test material: a 500 Hz tone throughout, a 7 kHz "s" in the middle.
AudioBuffer voiceWithSibilance(std::int64_t frames = 24000) {
    auto voice = sine(500.0, fromDb(-10.0), kRate, frames, 2);
    auto ess = sine(7000.0, fromDb(-10.0), kRate, frames, 2);
    for (int c = 0; c < 2; ++c) {
        std::fill_n(ess.channel(c), frames / 3, 0.0f);
        std::fill_n(ess.channel(c) + 2 * frames / 3, frames - 2 * frames / 3, 0.0f);
    }
    return add(voice, ess);
}

}  // namespace

TEST(DeEsser, SibilantBurstIsTurnedDownToTheReductionLimit) {
    DeEsser d = prepared({Hertz{6708.0}, Decibels{-30.0}, 10.0, Decibels{-8.0}});
    const auto in = sine(7000.0, fromDb(-10.0), kRate, 9600, 2);
    const auto out = runInBlocks(d, in, 256);
    // 7 kHz at −13 dB RMS reads ≈ −15 dB in the band: 15 dB over, 10:1 → capped at 8 dB.
    const double change = toDb(toneAmplitude(out, 0, 7000.0, kRate, 4800, 9600) / toneAmplitude(in, 0, 7000.0, kRate, 4800, 9600));
    EXPECT_NEAR(change, -8.0, 0.05);  // in phase with the low band: exactly the limit
    EXPECT_NEAR(d.gainReductionDb(), 8.0, 1e-3);
    EXPECT_EQ(d.latency(), kLatency);
}

TEST(DeEsser, ToneBelowTheBandAtTheSameLevelPassesUntouched) {
    DeEsser d = prepared({Hertz{6708.0}, Decibels{-30.0}, 10.0, Decibels{-8.0}});
    const auto in = sine(500.0, fromDb(-10.0), kRate, 9600, 2);
    const auto out = runInBlocks(d, in, 256);
    EXPECT_TRUE(identical(out, delayed(in, kLatency)));  // no reduction: the split-band output is the input
    EXPECT_EQ(d.gainReductionDb(), 0.0);
}

TEST(DeEsser, OnlyTheHighBandIsReducedDuringAnS) {
    DeEsser d = prepared({Hertz{6708.0}, Decibels{-30.0}, 10.0, Decibels{-8.0}});
    const auto in = voiceWithSibilance();
    const auto out = runInBlocks(d, in, 512);
    const std::int64_t from = 10400, to = 15200;  // inside the "s", after the attack; whole periods
    const double ess = toDb(toneAmplitude(out, 1, 7000.0, kRate, from, to) / toneAmplitude(in, 1, 7000.0, kRate, from, to));
    const double voice = toDb(toneAmplitude(out, 1, 500.0, kRate, from, to) / toneAmplitude(in, 1, 500.0, kRate, from, to));
    EXPECT_NEAR(ess, -8.0, 0.05);
    EXPECT_NEAR(voice, 0.0, 0.01);
    // Before the "s" (and its 1 ms lookahead) nothing is touched.
    for (std::int64_t i = kLatency; i < 8000; ++i) ASSERT_EQ(out.channel(0)[i], in.channel(0)[i - kLatency]) << i;
}

TEST(DeEsser, BandsSumBackToTheInputExactlyWithNoReduction) {
    // reduction 0 dB: the detector fires on loud sibilance but may not cut: a null test.
    DeEsser d = prepared({Hertz{6000.0}, Decibels{-60.0}, 100.0, Decibels{0.0}});
    auto in = add(voiceWithSibilance(), noise(24000, 2, 0.3, 4));
    const auto out = runInBlocks(d, in, 100);
    EXPECT_TRUE(identical(out, delayed(in, kLatency)));
}

TEST(DeEsser, ListenPlaysTheDetectionBand) {
    DeEsser::Params p;
    p.listen = Listen::band;
    DeEsser d = prepared(p);
    const auto in = voiceWithSibilance();
    const auto out = runInBlocks(d, in, 512);
    const double voice = toDb(toneAmplitude(out, 0, 500.0, kRate, 2400, 8000) / toneAmplitude(in, 0, 500.0, kRate, 2400, 8000));
    const double ess = toDb(toneAmplitude(out, 0, 7000.0, kRate, 10400, 16000) / toneAmplitude(in, 0, 7000.0, kRate, 10400, 16000));
    EXPECT_LT(voice, -35.0);
    EXPECT_NEAR(ess, -2.4, 0.5);  // 7 kHz inside the 5–9 kHz band: both Butterworth skirts
}

TEST(DeEsser, SilenceInSilenceOut) {
    DeEsser d = prepared();
    AudioBuffer io(2, 10000);
    EXPECT_TRUE(identical(runInBlocks(d, io, 512), io));
}

TEST(DeEsser, SameOutputForAnyBlockSize) {
    const auto in = add(voiceWithSibilance(12000), noise(12000, 2, 0.05, 8));
    auto run = [&](std::int64_t block) {
        DeEsser d = prepared({Hertz{6000.0}, Decibels{-35.0}, 4.0, Decibels{-12.0}}, 2, 4096);
        return runInBlocks(d, in, block);
    };
    const auto reference = run(4096);
    for (std::int64_t block : {1, 7, 64, 4095}) EXPECT_TRUE(identical(run(block), reference)) << block;
}

TEST(DeEsser, ResetReproducesTheFirstRun) {
    const auto in = voiceWithSibilance(12000);
    DeEsser d = prepared({}, 2, 512);
    const auto first = runInBlocks(d, in, 512);
    d.reset();
    EXPECT_TRUE(identical(runInBlocks(d, in, 512), first));
}

TEST(DeEsser, ProcessDoesNotAllocate) {
    DeEsser d = prepared({}, 2, 512);
    auto io = voiceWithSibilance(4096);
    AllocationCounter counter;
    for (int block = 0; block < 8; ++block) {
        d.process(io.view().slice(block * 512, 512));
        d.setParameter(DeEsser::frequency, 5000.0 + 100.0 * block);
    }
    d.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(DeEsser, ReductionStepGlidesWithoutSplatter) {
    // A steady 10 kHz "s" well over the threshold: the cut follows the reduction limit,
    // −2 dB then −10 dB. Splatter is measured below 1.5 kHz.
    const std::int64_t frames = 19200, stepAt = 9600;
    const auto in = sine(10000.0, fromDb(-6.0), kRate, frames, 1);
    DeEsser d = prepared({Hertz{10000.0}, Decibels{-40.0}, 100.0, Decibels{-2.0}}, 1);
    auto out = runInBlocks(d, in, 64, nullptr, [&](std::int64_t at) {
        if (at == stepAt) d.setParameter(DeEsser::reduction, -10.0);
    });
    AudioBuffer jumped = in;
    for (std::int64_t i = 0; i < frames; ++i) jumped.channel(0)[i] *= static_cast<float>(fromDb(i < stepAt ? -2.0 : -10.0));
    const double smooth = splatterDb(out, 0, 1500.0, kRate, stepAt - 480, stepAt + 2880, Splatter::below);
    const double instant = splatterDb(jumped, 0, 1500.0, kRate, stepAt - 480, stepAt + 2880, Splatter::below);
    EXPECT_LT(smooth, -95.0);   // measured −141 dB
    EXPECT_GT(instant, -75.0);  // measured −49 dB: the bound catches a jump
}

TEST(DeEsser, NanInputIsClearedByReset) {
    DeEsser d = prepared({}, 2, 512);
    auto io = voiceWithSibilance(4096);
    io.channel(0)[5] = std::nanf("");
    d.process(io.view().slice(0, 512));
    d.reset();
    const auto in = voiceWithSibilance(4096);
    DeEsser fresh = prepared({}, 2, 512);
    const auto after = runInBlocks(d, in, 512);
    EXPECT_TRUE(allFinite(after));
    EXPECT_TRUE(identical(after, runInBlocks(fresh, in, 512)));
}

TEST(DeEsser, ParametersListEveryNumericSetting) {
    DeEsser d;
    const auto params = d.parameters();
    ASSERT_EQ(params.size(), 6u);
    EXPECT_EQ(params[DeEsser::frequency].name, "frequency");
    EXPECT_EQ(params[DeEsser::frequency].unit, "Hz");
    EXPECT_EQ(params[DeEsser::reduction].name, "reduction");
    EXPECT_NEAR(params[DeEsser::frequency].defaultValue / DeEsser::kBandHalfWidth, 5000.0, 0.5);
    EXPECT_NEAR(params[DeEsser::frequency].defaultValue * DeEsser::kBandHalfWidth, 9000.0, 0.5);
}
