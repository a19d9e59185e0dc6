#include "dsp/compressor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <utility>

#include "dsp/fast_log_exp.hpp"
#include "dsp/fixed_delay.hpp"
#include "dsp/gain_computer.hpp"
#include "dsp/gain_reduction_smoother.hpp"
#include "dynamics_test_support.hpp"
#include "support/allocation_counter.hpp"

using namespace reel;
using namespace reel::dsp;
using namespace reel::test;

namespace {

constexpr double kRate = 48000.0;
const double kOneMinusInverseE = 1.0 - std::exp(-1.0);  // the 63 % point

/// Giannoulis, Massberg & Reiss (JAES 2012), eq. 4, written out as the output level: the
/// reference the processor is checked against (independent of gain_computer.hpp).
double referenceOutputDb(double x, double threshold, double ratio, double knee) {
    if (2.0 * (x - threshold) < -knee) return x;
    if (knee > 0.0 && 2.0 * std::fabs(x - threshold) <= knee) {
        const double t = x - threshold + knee / 2.0;
        return x + (1.0 / ratio - 1.0) * t * t / (2.0 * knee);
    }
    return threshold + (x - threshold) / ratio;
}

Compressor prepared(const Compressor::Params& p, int channels = 1, int maxBlock = 4096) {
    Compressor c(p);
    EXPECT_TRUE(c.prepare({kRate, maxBlock, channels}));
    return c;
}

Compressor::Params fastPeak(double threshold, double ratio, double knee) {
    Compressor::Params p;
    p.threshold = Decibels{threshold};
    p.ratio = ratio;
    p.knee = Decibels{knee};
    p.attack = Seconds{0.0005};
    p.release = Seconds{0.005};
    return p;
}

/// The gain reduction (dB, ≥ 0) each output frame got, for a mono input and output.
std::vector<double> reductionDb(const AudioBuffer& in, const AudioBuffer& out, int delay = 0) {
    std::vector<double> gr(static_cast<std::size_t>(in.numFrames()), 0.0);
    for (std::int64_t i = delay; i < in.numFrames(); ++i)
        gr[static_cast<std::size_t>(i)] = -toDb(out.channel(0)[i] / in.channel(0)[i - delay]);
    return gr;
}

/// A mono DC signal stepping through (level dB, frames) segments.
AudioBuffer steps(std::initializer_list<std::pair<double, std::int64_t>> segments) {
    std::int64_t total = 0;
    for (auto [level, frames] : segments) total += frames;
    AudioBuffer out(1, total);
    std::int64_t at = 0;
    for (auto [level, frames] : segments) {
        std::fill_n(out.channel(0) + at, frames, static_cast<float>(fromDb(level)));
        at += frames;
    }
    return out;
}

}  // namespace

TEST(GainComputer, CompressorCurveMatchesTheQuadraticKneeFormula) {
    for (double ratio : {2.0, 4.0, 10.0})
        for (double knee : {0.0, 6.0, 12.0})
            for (double level = -60.0; level <= 6.0; level += 0.125) {
                const double expected = referenceOutputDb(level, -20.0, ratio, knee) - level;
                EXPECT_NEAR(compressorGainDb(level, -20.0, compressorSlope(ratio), knee), expected, 1e-12)
                    << "ratio " << ratio << " knee " << knee << " level " << level;
            }
}

TEST(GainComputer, SoftKneeJoinsBothLinesWithoutAStepOrAKink) {
    const double slope = compressorSlope(4.0);
    for (double edge : {-23.0, -17.0}) {  // threshold −20, knee 6: the knee spans −23..−17
        const double below = compressorGainDb(edge - 1e-9, -20.0, slope, 6.0);
        const double above = compressorGainDb(edge + 1e-9, -20.0, slope, 6.0);
        EXPECT_NEAR(below, above, 1e-8);
        const double d1 = (compressorGainDb(edge - 1e-6, -20.0, slope, 6.0) - compressorGainDb(edge - 2e-6, -20.0, slope, 6.0)) / 1e-6;
        const double d2 = (compressorGainDb(edge + 2e-6, -20.0, slope, 6.0) - compressorGainDb(edge + 1e-6, -20.0, slope, 6.0)) / 1e-6;
        EXPECT_NEAR(d1, d2, 1e-4);
    }
}

TEST(Compressor, FourToOneTurnsEightDbOverIntoTwoDbOver) {
    Compressor c = prepared(fastPeak(-20.0, 4.0, 0.0));
    auto io = constant(static_cast<float>(fromDb(-12.0)), 4800);
    c.process(io.view());
    EXPECT_NEAR(toDb(io.channel(0)[4799]), -18.0, 1e-4);
    EXPECT_NEAR(c.gainReductionDb(), 6.0, 1e-4);
}

TEST(Compressor, SteadyLevelsFollowTheStaticCurveForRatiosAndKnees) {
    // DC levels: a peak detector reads them exactly, so after settling (100 attack time
    // constants) the gain is the curve's.
    for (double ratio : {2.0, 4.0, 10.0})
        for (double knee : {0.0, 6.0, 12.0}) {
            Compressor c = prepared(fastPeak(-20.0, ratio, knee));
            for (double level = -40.0; level <= 0.0; level += 0.5) {
                c.reset();
                auto io = constant(static_cast<float>(fromDb(level)), 2400);
                c.process(io.view());
                const double gainDb = toDb(io.channel(0)[2399]) - level;
                EXPECT_NEAR(gainDb, referenceOutputDb(level, -20.0, ratio, knee) - level, 0.1)
                    << "ratio " << ratio << " knee " << knee << " level " << level;
                EXPECT_NEAR(gainDb, referenceOutputDb(level, -20.0, ratio, knee) - level, 1e-3);
            }
        }
}

TEST(Compressor, RmsDetectionOfASineFollowsTheCurveAtItsRmsLevel) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 6.0);
    p.detection = LevelDetection::rms;
    Compressor c = prepared(p);
    for (double rmsLevel : {-30.0, -22.0, -20.0, -18.0, -10.0, -3.0}) {
        c.reset();
        const double amplitude = fromDb(rmsLevel) * std::sqrt(2.0);
        auto in = sine(1000.0, amplitude, kRate, 9600, 1);
        AudioBuffer io = in;
        c.process(io.view());
        // 1 kHz at 48 kHz: the 10 ms window holds exactly 10 periods, so the RMS is steady.
        const double gainDb = toDb(rms(io, 0, 9600 - 480, 9600) / rms(in, 0, 9600 - 480, 9600));
        EXPECT_NEAR(gainDb, referenceOutputDb(rmsLevel, -20.0, 4.0, 6.0) - rmsLevel, 0.1) << rmsLevel;
    }
}

TEST(Compressor, AttackAndReleaseAre63PercentTimeConstantsOfTheReductionInDb) {
    for (auto [attack, release] : {std::pair{0.010, 0.120}, std::pair{0.001, 0.050}, std::pair{0.030, 0.400}}) {
        Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
        p.attack = Seconds{attack};
        p.release = Seconds{release};
        Compressor c = prepared(p);
        const std::int64_t up = 4800, down = up + 48000;
        auto in = steps({{-40.0, up}, {0.0, 48000}, {-40.0, 48000}});
        auto out = runInBlocks(c, in, 512);
        auto gr = reductionDb(in, out);
        const double full = 15.0;  // 20 dB over at 4:1
        std::int64_t attackFrames = -1, releaseFrames = -1;
        for (std::int64_t i = up; i < down && attackFrames < 0; ++i)
            if (gr[static_cast<std::size_t>(i)] >= kOneMinusInverseE * full) attackFrames = i - up + 1;
        for (std::int64_t i = down; i < in.numFrames() && releaseFrames < 0; ++i)
            if (gr[static_cast<std::size_t>(i)] <= (1.0 - kOneMinusInverseE) * full) releaseFrames = i - down + 1;
        EXPECT_NEAR(static_cast<double>(attackFrames), attack * kRate, 0.05 * attack * kRate) << attack;
        EXPECT_NEAR(static_cast<double>(releaseFrames), release * kRate, 0.05 * release * kRate) << release;
    }
}

TEST(Compressor, LookaheadStartsTheReductionBeforeTheDelayedStepArrives) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
    p.attack = Seconds{0.002};
    p.lookahead = Seconds{0.005};
    Compressor c = prepared(p);
    const int lookahead = 240;  // 5 ms at 48 kHz
    EXPECT_EQ(c.latency(), lookahead);
    const std::int64_t step = 2000;
    auto in = steps({{-40.0, step}, {0.0, 4000}});
    auto out = runInBlocks(c, in, 100);
    // The delayed step comes out at step + lookahead (before it: the −40 dB level) ...
    EXPECT_LE(out.channel(0)[step + lookahead - 1], in.channel(0)[0]);
    EXPECT_GT(out.channel(0)[step + lookahead], 0.1f);
    // ... and the gain starts to fall exactly lookahead frames earlier, when the key sees it.
    auto gr = reductionDb(in, out, lookahead);
    for (std::int64_t i = lookahead; i < step; ++i) ASSERT_NEAR(gr[static_cast<std::size_t>(i)], 0.0, 1e-6) << i;
    EXPECT_GT(gr[step], 0.01);
    // By the time the step arrives, the reduction is well under way (5 ms = 2.5 attacks).
    EXPECT_GT(gr[step + lookahead], 0.9 * 15.0);
}

TEST(Compressor, ExternalKeyDucksAQuietInput) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
    p.keying = Keying::external;
    Compressor c = prepared(p, 2);
    EXPECT_TRUE(c.acceptsSidechain());
    auto in = sine(1000.0, fromDb(-30.0), kRate, 9600, 2);  // below the threshold on its own
    AudioBuffer key = constant(1.0f, 9600, 2);               // 0 dB: 20 dB over
    auto out = runInBlocks(c, in, 256, &key);
    EXPECT_NEAR(toDb(rms(out, 0, 4800, 9600) / rms(in, 0, 4800, 9600)), -15.0, 0.01);
    EXPECT_NEAR(toDb(rms(out, 1, 4800, 9600) / rms(in, 1, 4800, 9600)), -15.0, 0.01);

    // Without a key handed over, the compressor listens to its own (quiet) input.
    c.reset();
    auto alone = runInBlocks(c, in, 256);
    EXPECT_TRUE(identical(alone, in));
}

TEST(Compressor, SilentInputWithALoudKeyStaysSilentAndReportsTheDucking) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
    p.keying = Keying::external;
    Compressor c = prepared(p, 2);
    AudioBuffer in(2, 4800);
    AudioBuffer key = constant(1.0f, 4800, 2);
    auto out = runInBlocks(c, in, 4800, &key);
    EXPECT_TRUE(identical(out, in));
    EXPECT_NEAR(c.gainReductionDb(), 15.0, 1e-3);
}

TEST(Compressor, FullStereoLinkAppliesTheSameGainToBothChannels) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
    p.link = 1.0;
    Compressor c = prepared(p, 2);
    AudioBuffer in(2, 4800);
    auto loud = sine(500.0, 1.0, kRate, 4800, 1);
    auto quiet = noise(4800, 1, 0.01);
    std::copy_n(loud.channel(0), 4800, in.channel(0));
    std::copy_n(quiet.channel(0), 4800, in.channel(1));
    auto out = runInBlocks(c, in, 64);
    int compared = 0;
    for (std::int64_t i = 0; i < 4800; ++i) {
        if (std::fabs(in.channel(0)[i]) < 1e-3f || std::fabs(in.channel(1)[i]) < 1e-6f) continue;
        const double left = out.channel(0)[i] / in.channel(0)[i];
        const double right = out.channel(1)[i] / in.channel(1)[i];
        ASSERT_NEAR(left, right, 1e-6 * left) << i;
        ++compared;
    }
    EXPECT_GT(compared, 4000);
    EXPECT_LT(toDb(rms(out, 1, 2400, 4800) / rms(in, 1, 2400, 4800)), -10.0);  // the quiet side ducks too
}

TEST(Compressor, LinkBlendsEachChannelsLevelTowardTheLoudest) {
    AudioBuffer in(2, 4800);
    std::fill_n(in.channel(0), 4800, 1.0f);                                  // 0 dB
    std::fill_n(in.channel(1), 4800, static_cast<float>(fromDb(-20.0)));     // −20 dB
    for (auto [link, rightReduction] : {std::pair{0.0, 0.0}, std::pair{0.5, 7.5}, std::pair{1.0, 15.0}}) {
        Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
        p.link = link;
        Compressor c = prepared(p, 2);
        auto out = runInBlocks(c, in, 4800);
        EXPECT_NEAR(-toDb(out.channel(0)[4799] / in.channel(0)[4799]), 15.0, 1e-3) << link;
        EXPECT_NEAR(-toDb(out.channel(1)[4799] / in.channel(1)[4799]), rightReduction, 1e-3) << link;
    }
}

TEST(Compressor, SidechainHighpassStopsBassFromTriggering) {
    Compressor::Params p = fastPeak(-20.0, 4.0, 0.0);
    auto in = sine(50.0, 1.0, kRate, 9600, 1);
    Compressor plain = prepared(p);
    AudioBuffer io = in;
    plain.process(io.view());
    EXPECT_GT(plain.gainReductionDb(), 14.0);
    p.sidechainHighpass = Hertz{400.0};  // 3 octaves above 50 Hz: the key drops by ~36 dB
    Compressor filtered = prepared(p);
    io = in;
    filtered.process(io.view());
    EXPECT_LT(filtered.gainReductionDb(), 0.5);
}

TEST(Compressor, AutoMakeupBringsFullScaleBackToFullScale) {
    Compressor::Params p = fastPeak(-18.0, 3.0, 0.0);
    p.makeupMode = MakeupMode::automatic;
    EXPECT_NEAR(Compressor::staticGainDb(p, 0.0), 0.0, 1e-12);
    EXPECT_NEAR(Compressor::staticGainDb(p, -30.0), 12.0, 1e-12);  // below threshold: the make-up only
    Compressor c = prepared(p);
    auto io = constant(1.0f, 4800);
    c.process(io.view());
    EXPECT_NEAR(toDb(io.channel(0)[4799]), 0.0, 1e-4);
    c.reset();
    io = constant(static_cast<float>(fromDb(-30.0)), 4800);
    c.process(io.view());
    EXPECT_NEAR(toDb(io.channel(0)[4799]), -18.0, 1e-4);
    // Manual make-up adds exactly its dB.
    p.makeupMode = MakeupMode::manual;
    p.makeup = Decibels{6.0};
    EXPECT_NEAR(Compressor::staticGainDb(p, -30.0), 6.0, 1e-12);
}

TEST(Compressor, SilenceInSilenceOut) {
    Compressor::Params p;
    p.makeup = Decibels{12.0};
    p.lookahead = Seconds{0.003};
    Compressor c = prepared(p, 2);
    AudioBuffer io(2, 10000);
    auto out = runInBlocks(c, io, 512);
    EXPECT_TRUE(identical(out, io));
    EXPECT_EQ(c.gainReductionDb(), 0.0);
}

namespace {
Compressor::Params busyParams() {
    Compressor::Params p;
    p.threshold = Decibels{-24.0};
    p.ratio = 5.0;
    p.knee = Decibels{6.0};
    p.attack = Seconds{0.003};
    p.release = Seconds{0.080};
    p.makeupMode = MakeupMode::automatic;
    p.detection = LevelDetection::rms;
    p.link = 0.5;
    p.lookahead = Seconds{0.002};
    p.sidechainHighpass = Hertz{120.0};
    return p;
}

AudioBuffer busyInput() {
    auto in = noise(12000, 2, 0.05, 7);
    for (std::int64_t i = 3000; i < 6000; ++i) in.channel(0)[i] *= 12.0f;  // a loud stretch on the left
    return in;
}
}  // namespace

TEST(Compressor, SameOutputForAnyBlockSize) {
    const auto in = busyInput();
    AudioBuffer key = noise(12000, 2, 0.8, 9);
    for (Keying keying : {Keying::input, Keying::external}) {
        Compressor::Params p = busyParams();
        p.keying = keying;
        auto run = [&](std::int64_t block) {
            Compressor c = prepared(p, 2, 4096);
            return runInBlocks(c, in, block, keying == Keying::external ? &key : nullptr);
        };
        const auto reference = run(4096);
        for (std::int64_t block : {1, 7, 64, 4095}) EXPECT_TRUE(identical(run(block), reference)) << block;
    }
}

namespace {
/// The fast paths: linked peak key, stereo, levels on every piece of the curve.
Compressor::Params linkedPeakParams() {
    Compressor::Params p = busyParams();
    p.detection = LevelDetection::peak;
    p.link = 1.0;
    p.sidechainHighpass = Hertz{0.0};
    p.threshold = Decibels{-30.0};
    return p;
}

/// The compressor on every track of bench/mix-vs-sox.sh (the benchmark's configuration).
Compressor::Params mixTrackParams() {
    Compressor::Params p;
    p.threshold = Decibels{-70.0};
    p.ratio = 1.25;
    p.knee = Decibels{6.0};
    p.attack = Seconds{0.300};
    p.release = Seconds{1.0};
    p.makeup = Decibels{5.0};
    p.lookahead = Seconds{0.020};
    return p;
}

/// Quiet and loud stretches, and exact silence, so the mix-track curve's knee is crossed.
AudioBuffer mixTrackInput() {
    auto in = noise(24000, 2, 0.3, 11);
    for (int c = 0; c < 2; ++c) {
        for (std::int64_t i = 6000; i < 12000; ++i) in.channel(c)[i] *= 1e-3f;
        std::fill_n(in.channel(c) + 15000, 500, 0.0f);
    }
    return in;
}

constexpr VectorWidth kWidths[] = {VectorWidth::widest, VectorWidth::avx2, VectorWidth::baseline};

AudioBuffer runWithWidth(const Compressor::Params& p, VectorWidth width, const AudioBuffer& in, std::int64_t block,
                         int maxBlock = 512, AudioBuffer* key = nullptr) {
    Compressor c = prepared(p, 2, maxBlock);
    c.setVectorWidth(width);
    return runInBlocks(c, in, block, key);
}

/// The largest |20·log10(a/b)| over samples where b is not tiny: how far two runs' gains
/// are apart, in dB.
double largestGainDifferenceDb(const AudioBuffer& a, const AudioBuffer& b) {
    double largest = 0.0;
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i)
            if (std::fabs(b.channel(c)[i]) > 1e-20f)
                largest = std::max(largest, std::fabs(toDb(double(a.channel(c)[i]) / b.channel(c)[i])));
    return largest;
}
}  // namespace

TEST(Compressor, Avx2AndBaselineVectorCodeGiveTheSameBits) {
    const auto in = busyInput();
    for (const Compressor::Params& p : {busyParams(), linkedPeakParams()}) {
        const auto avx2 = runWithWidth(p, VectorWidth::avx2, in, 512);
        for (std::int64_t block : {7, 512})
            EXPECT_TRUE(identical(runWithWidth(p, VectorWidth::baseline, in, block), avx2)) << block;
    }
}

TEST(Compressor, FmaCodeStaysWithinThreeMillionthsOfADbOfTheBaseline) {
    // Where the CPU has FMA, the widest code fuses the envelope's step and evaluates the log
    // and exp polynomials fused (see core/cpu_features.hpp, fast_log_exp.hpp): other bits in
    // the last places, gains a few float ulps apart. Measured on 2026-11-24 (AMD EPYC with
    // FMA) as the largest |gain difference| over every sample: 2.15e-6 dB (busy settings),
    // 1.86e-6 dB (linked peak), 1.62e-6 dB (mix track). Without FMA the widest code is the
    // AVX2 code: the same bits.
    const auto busy = busyInput();
    const auto mix = mixTrackInput();
    double largest = 0.0;
    for (const auto& [p, in] :
         {std::pair{busyParams(), &busy}, std::pair{linkedPeakParams(), &busy}, std::pair{mixTrackParams(), &mix}}) {
        const auto wide = runWithWidth(p, VectorWidth::widest, *in, 512);
        const auto baseline = runWithWidth(p, VectorWidth::baseline, *in, 512);
        if (!cpuHasAvx2Fma()) {
            EXPECT_TRUE(identical(wide, baseline));
        }
        largest = std::max(largest, largestGainDifferenceDb(wide, baseline));
    }
    EXPECT_LT(largest, 3e-6);
}

TEST(Compressor, SameOutputForAnyBlockSizeOnEveryVectorCode) {
    // The mix-track settings take the fused lookahead pass (delay, gain and dB to linear in
    // one loop over ring-contiguous runs); blocks around the lookahead (960 frames: 20 ms at
    // 48 kHz) split those runs every which way.
    const auto in = mixTrackInput();
    for (VectorWidth width : kWidths) {
        const auto reference = runWithWidth(mixTrackParams(), width, in, 4096, 4096);
        for (std::int64_t block : {1, 7, 64, 959, 960, 961, 4095})
            EXPECT_TRUE(identical(runWithWidth(mixTrackParams(), width, in, block, 4096), reference))
                << static_cast<int>(width) << " " << block;
    }
}

TEST(Compressor, LookaheadInTheGainPassEqualsDelayingFirstThenApplyingTheGain) {
    // The fused lookahead pass against the arithmetic it replaced: the input delayed by a
    // FixedDelay of its own, then compressed with no lookahead, keyed by the undelayed input.
    const auto in = mixTrackInput();
    const Compressor::Params p = mixTrackParams();
    Compressor::Params keyed = p;
    keyed.lookahead = Seconds{0.0};
    keyed.keying = Keying::external;
    for (VectorWidth width : kWidths) {
        Compressor fused = prepared(p, 2, 512);
        fused.setVectorWidth(width);
        const int lookahead = fused.latency();
        EXPECT_EQ(lookahead, 960);  // 20 ms at this file's 48 kHz
        const auto out = runInBlocks(fused, in, 512);

        FixedDelay delay(lookahead);
        ASSERT_TRUE(delay.prepare({kRate, 512, 2}));
        AudioBuffer delayed = in;
        delay.process(delayed.view());
        AudioBuffer key = in;
        const auto reference = runWithWidth(keyed, width, delayed, 512, 512, &key);
        // The same products of the same numbers: the same bits (a bound would be rounding).
        EXPECT_TRUE(identical(out, reference)) << static_cast<int>(width);
        EXPECT_EQ(largestGainDifferenceDb(out, reference), 0.0);
    }
}

TEST(Compressor, ResetReproducesTheFirstRun) {
    const auto in = busyInput();
    Compressor c = prepared(busyParams(), 2, 512);
    const auto first = runInBlocks(c, in, 512);
    c.reset();
    EXPECT_TRUE(identical(runInBlocks(c, in, 512), first));
}

TEST(Compressor, ProcessDoesNotAllocate) {
    Compressor::Params p = busyParams();
    p.keying = Keying::external;
    Compressor c = prepared(p, 2, 512);
    auto io = busyInput();
    AudioBuffer key = noise(512, 2, 0.8, 9);
    AllocationCounter counter;
    for (int block = 0; block < 8; ++block) {
        c.setSidechain(key.view());
        c.process(io.view().slice(block * 512, 512));
        c.setParameter(Compressor::threshold, -30.0 + block);
        c.setParameter(Compressor::sidechainHighpass, 200.0);
    }
    c.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(Compressor, MakeupStepGlidesWithoutSplatter) {
    // A 500 Hz tone below the threshold (no reduction); make-up jumps 0 → +12 dB mid-way.
    const std::int64_t frames = 19200, stepAt = 9600;
    const auto in = sine(500.0, fromDb(-30.0), kRate, frames, 1);
    Compressor c = prepared(fastPeak(-20.0, 4.0, 0.0));
    auto out = runInBlocks(c, in, 64, nullptr, [&](std::int64_t at) {
        if (at == stepAt) c.setParameter(Compressor::makeup, 12.0);
    });
    AudioBuffer jumped = in;  // the same change made instantly
    for (std::int64_t i = stepAt; i < frames; ++i) jumped.channel(0)[i] *= static_cast<float>(fromDb(12.0));
    const double smooth = splatterDb(out, 0, 4000.0, kRate, stepAt - 480, stepAt + 2880);
    const double instant = splatterDb(jumped, 0, 4000.0, kRate, stepAt - 480, stepAt + 2880);
    EXPECT_LT(smooth, -95.0);   // measured −107 dB
    EXPECT_GT(instant, -75.0);  // measured −62 dB: the bound catches a jump
    EXPECT_NEAR(toDb(out.channel(0)[frames - 1] / in.channel(0)[frames - 1]), 12.0, 1e-3);
}

TEST(Compressor, ThresholdAndRatioChangesGlideToTheNewCurve) {
    Compressor c = prepared(fastPeak(-20.0, 4.0, 0.0));
    auto io = constant(1.0f, 9600);
    c.process(io.view().slice(0, 4800));
    EXPECT_NEAR(toDb(io.channel(0)[4799]), -15.0, 1e-3);
    c.setParameter(Compressor::threshold, -10.0);
    c.setParameter(Compressor::ratio, 2.0);
    c.process(io.view().slice(4800, 4800));
    for (std::int64_t i = 4801; i < 9600; ++i)
        ASSERT_LT(std::fabs(toDb(io.channel(0)[i] / io.channel(0)[i - 1])), 0.02) << i;  // no jump
    EXPECT_NEAR(toDb(io.channel(0)[9599]), -5.0, 1e-3);
}

TEST(Compressor, NanInputIsClearedByReset) {
    Compressor c = prepared(busyParams(), 2, 512);
    auto io = busyInput();
    io.channel(0)[100] = std::nanf("");
    io.channel(1)[200] = std::numeric_limits<float>::infinity();
    c.process(io.view().slice(0, 512));
    c.reset();
    Compressor fresh = prepared(busyParams(), 2, 512);
    const auto in = busyInput();
    const auto after = runInBlocks(c, in, 512);
    EXPECT_TRUE(allFinite(after));
    EXPECT_TRUE(identical(after, runInBlocks(fresh, in, 512)));
}

TEST(Compressor, ParametersListEveryNumericSettingWithItsUnit) {
    Compressor c;
    const auto params = c.parameters();
    ASSERT_EQ(params.size(), 8u);
    EXPECT_EQ(params[Compressor::threshold].name, "threshold");
    EXPECT_EQ(params[Compressor::threshold].unit, "dB");
    EXPECT_EQ(params[Compressor::attack].unit, "s");
    EXPECT_EQ(params[Compressor::link].unit, "%");
    EXPECT_EQ(params[Compressor::sidechainHighpass].unit, "Hz");
    for (const auto& info : params) {
        EXPECT_LE(info.min, info.defaultValue) << info.name;
        EXPECT_LE(info.defaultValue, info.max) << info.name;
    }
    c.setParameter(Compressor::ratio, 1000.0);  // clamped to the range
    EXPECT_EQ(c.params().ratio, 100.0);
}

TEST(GainReductionSmoother, ShortChainStepWithoutHoldFollowsTheBranchingStep) {
    // nextWithoutHold() picks the attack or release step as the max (or min) of the two
    // instead of by comparing target and state: the same envelope but for rounding, with the
    // attack faster than the release, slower, or instant; fused or not.
    const double rate = 48000.0;
    std::uint32_t seed = 12345;
    auto random = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<double>(seed >> 8) / static_cast<double>(1u << 24);
    };
    for (const auto& [attack, release] : {std::pair{0.010, 0.150}, std::pair{0.200, 0.005}, std::pair{0.0, 0.1}}) {
        GainReductionSmoother branching, shortChain, fused;
        const double grow = GainReductionSmoother::coefficient(attack, rate);
        const double shrink = GainReductionSmoother::coefficient(release, rate);
        branching.setBallistics(grow, shrink, 0);
        shortChain.setBallistics(grow, shrink, 0);
        fused.setBallistics(grow, shrink, 0);
        for (int i = 0; i < 20000; ++i) {
            // Bursts and gaps so both branches run long and flip often.
            const double target = (i / 500) % 2 == 0 ? 30.0 * random() : 2.0 * random();
            const double expected = branching.next(target);
            ASSERT_NEAR(shortChain.nextWithoutHold(target), expected, 1e-9 * (1.0 + expected))
                << "attack " << attack << ", release " << release << ", frame " << i;
            // The fused step (here through libm's fma, exact like the instruction).
            ASSERT_NEAR(fused.nextWithoutHold<Fma::yes>(target), expected, 1e-9 * (1.0 + expected))
                << "attack " << attack << ", release " << release << ", frame " << i;
        }
    }
}

TEST(GainReductionSmoother, FusedStepSettlesAOneSecondReleaseToExactlyNothing) {
    // The release toward 0 dB decays geometrically; settle() must still land on exactly 0
    // with the fused step, as with the unfused one (after 10 minutes at 48 kHz here).
    for (bool useFma : {false, true}) {
        GainReductionSmoother s;
        s.setBallistics(GainReductionSmoother::coefficient(0.3, 48000.0),
                        GainReductionSmoother::coefficient(1.0, 48000.0), 0);
        for (int i = 0; i < 5 * 48000; ++i) useFma ? s.nextWithoutHold<Fma::yes>(20.0) : s.nextWithoutHold(20.0);
        EXPECT_GT(s.value(), 19.9);
        for (int block = 0; block < 600 * 48000 / 4096; ++block) {
            for (int i = 0; i < 4096; ++i) useFma ? s.nextWithoutHold<Fma::yes>(0.0) : s.nextWithoutHold(0.0);
            s.settle();
        }
        EXPECT_EQ(s.value(), 0.0) << useFma;
    }
}

TEST(FastLogExp, BothEvaluationsAreWithinTheirStatedAccuracy) {
    // lnApprox and expApprox, plain (Horner) and fused (Estrin with FMA; run here through
    // libm's fmaf, exact like the instruction): within 9e-8 of double log/exp over their
    // whole ranges (ln absolute where |ln x| < 1, relative elsewhere; exp relative).
    // Measured: ln 7.8e-8 / 7.9e-8, exp 8.1e-8 / 8.5e-8 (plain / fused).
    double lnPlain = 0.0, lnFused = 0.0, expPlain = 0.0, expFused = 0.0;
    // Every 499th positive normal float: all exponents, mantissas all over.
    for (std::uint32_t bits = 0x00800000u; bits < 0x7F000000u; bits += 0x1F3u) {
        const float x = std::bit_cast<float>(bits);
        const double reference = std::log(double(x));
        const double scale = std::max(1.0, std::fabs(reference));
        lnPlain = std::max(lnPlain, std::fabs(lnApprox(x) - reference) / scale);
        lnFused = std::max(lnFused, std::fabs(lnApprox<Fma::yes>(x) - reference) / scale);
    }
    for (int i = 0; i <= 4000000; ++i) {
        const float x = -87.0f + 175.0f * float(i) / 4000000.0f;
        const double reference = std::exp(double(x));
        expPlain = std::max(expPlain, std::fabs(expApprox(x) - reference) / reference);
        expFused = std::max(expFused, std::fabs(expApprox<Fma::yes>(x) - reference) / reference);
    }
    EXPECT_LT(lnPlain, 9e-8);
    EXPECT_LT(lnFused, 9e-8);
    EXPECT_LT(expPlain, 9e-8);
    EXPECT_LT(expFused, 9e-8);
}
