#include <gtest/gtest.h>

#include <cmath>

#include "dsp/downward_expander.hpp"
#include "dsp/gain_computer.hpp"
#include "dynamics_test_support.hpp"
#include "support/allocation_counter.hpp"

using namespace reel;
using namespace reel::dsp;
using namespace reel::test;

namespace {

constexpr double kRate = 48000.0;
const double kOneMinusInverseE = 1.0 - std::exp(-1.0);
using Kind = DownwardExpander::Kind;

/// The expander's gain in dB, written out independently: ratio R below the threshold, the
/// quadratic knee of Giannoulis et al. (JAES 2012, eq. 4) mirrored, floored at the range.
double referenceGainDb(double x, double threshold, double ratio, double knee, double range) {
    const double d = x - threshold;
    double gain = 0.0;
    if (knee > 0.0 && 2.0 * std::fabs(d) <= knee) gain = -(ratio - 1.0) * (d - knee / 2.0) * (d - knee / 2.0) / (2.0 * knee);
    else if (d < 0.0) gain = (ratio - 1.0) * d;
    return std::max(gain, range);
}

DownwardExpander prepared(Kind kind, const DownwardExpander::Params& p, int channels = 1, int maxBlock = 4096) {
    DownwardExpander e(kind, p);
    EXPECT_TRUE(e.prepare({kRate, maxBlock, channels}));
    return e;
}

DownwardExpander::Params fast(Kind kind) {
    auto p = DownwardExpander::defaults(kind);
    p.attack = Seconds{0.0005};
    p.hold = Seconds{0.0};
    p.release = Seconds{0.002};
    return p;
}

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

std::vector<double> attenuationDb(const AudioBuffer& in, const AudioBuffer& out) {
    std::vector<double> a(static_cast<std::size_t>(in.numFrames()));
    for (std::int64_t i = 0; i < in.numFrames(); ++i) a[static_cast<std::size_t>(i)] = -toDb(out.channel(0)[i] / in.channel(0)[i]);
    return a;
}

}  // namespace

TEST(GainComputer, ExpanderCurveMatchesTheMirroredKneeFormulaAndStopsAtTheRange) {
    for (double ratio : {1.5, 2.0, 4.0, 100.0})
        for (double knee : {0.0, 6.0, 12.0})
            for (double level = -120.0; level <= 0.0; level += 0.125)
                EXPECT_NEAR(expanderGainDb(level, -40.0, expanderSlope(ratio), knee, -60.0),
                            referenceGainDb(level, -40.0, ratio, knee, -60.0), 1e-12)
                    << "ratio " << ratio << " knee " << knee << " level " << level;
}

TEST(DownwardExpander, TwoToOneTurnsTenDbUnderIntoTwentyDbUnder) {
    auto p = fast(Kind::expander);
    p.threshold = Decibels{-40.0};
    p.ratio = 2.0;
    DownwardExpander e = prepared(Kind::expander, p);
    auto io = constant(static_cast<float>(fromDb(-50.0)), 4800);
    e.process(io.view());
    EXPECT_NEAR(toDb(io.channel(0)[4799]), -60.0, 1e-3);
    EXPECT_NEAR(e.gainReductionDb(), 10.0, 1e-3);
}

TEST(DownwardExpander, SteadyLevelsFollowTheStaticCurve) {
    for (Kind kind : {Kind::expander, Kind::gate})
        for (double ratio : {2.0, 4.0, 100.0})
            for (double knee : {0.0, 6.0, 12.0}) {
                auto p = fast(kind);
                p.threshold = Decibels{-40.0};
                p.ratio = ratio;
                p.knee = Decibels{knee};
                p.range = Decibels{-60.0};
                DownwardExpander e = prepared(kind, p);
                for (double level = -90.0; level <= 0.0; level += 1.0) {
                    e.reset();
                    auto io = constant(static_cast<float>(fromDb(level)), 4800);
                    e.process(io.view());
                    const double gainDb = toDb(io.channel(0)[4799]) - level;
                    EXPECT_NEAR(gainDb, referenceGainDb(level, -40.0, ratio, knee, -60.0), 1e-3)
                        << "ratio " << ratio << " knee " << knee << " level " << level;
                    EXPECT_NEAR(DownwardExpander::staticGainDb(p, level), referenceGainDb(level, -40.0, ratio, knee, -60.0), 1e-12);
                }
            }
}

TEST(Gate, ClosesToItsRangeBelowTheThresholdAndOpensAboveIt) {
    DownwardExpander gate = prepared(Kind::gate, fast(Kind::gate));  // −50 dB, range −80 dB
    auto io = steps({{-70.0, 4800}, {-30.0, 4800}});
    const auto in = io;
    gate.process(io.view());
    EXPECT_NEAR(toDb(io.channel(0)[4799] / in.channel(0)[4799]), -80.0, 1e-3);
    EXPECT_NEAR(toDb(io.channel(0)[9599] / in.channel(0)[9599]), 0.0, 1e-4);
}

TEST(Gate, HoldKeepsTheGateOpenForItsTimeAfterTheLevelDrops) {
    for (double hold : {0.005, 0.020, 0.100}) {
        auto p = DownwardExpander::defaults(Kind::gate);
        p.attack = Seconds{0.0005};
        p.hold = Seconds{hold};
        p.release = Seconds{0.050};
        DownwardExpander gate = prepared(Kind::gate, p);
        const std::int64_t drop = 4800;
        const auto in = steps({{-20.0, drop}, {-70.0, 9600}});
        const auto out = runInBlocks(gate, in, 100);
        const auto a = attenuationDb(in, out);
        std::int64_t closesAt = -1;
        for (std::int64_t i = drop; i < in.numFrames() && closesAt < 0; ++i)
            if (a[static_cast<std::size_t>(i)] > 1e-6) closesAt = i;
        EXPECT_EQ(closesAt - drop, std::llround(hold * kRate)) << hold;
        EXPECT_NEAR(a[static_cast<std::size_t>(drop - 1)], 0.0, 1e-9);
    }
}

TEST(DownwardExpander, AttackOpensAndReleaseClosesWith63PercentTimeConstants) {
    for (auto [attack, release] : {std::pair{0.005, 0.100}, std::pair{0.001, 0.030}}) {
        auto p = DownwardExpander::defaults(Kind::expander);
        p.threshold = Decibels{-40.0};
        p.ratio = 2.0;
        p.attack = Seconds{attack};
        p.release = Seconds{release};
        DownwardExpander e = prepared(Kind::expander, p);
        const std::int64_t opensAt = 48000;
        const auto in = steps({{-60.0, opensAt}, {-20.0, 48000}});  // 20 dB under → 20 dB more
        const auto out = runInBlocks(e, in, 333);
        const auto a = attenuationDb(in, out);
        std::int64_t closing = -1, opening = -1;
        for (std::int64_t i = 0; i < opensAt && closing < 0; ++i)
            if (a[static_cast<std::size_t>(i)] >= kOneMinusInverseE * 20.0) closing = i + 1;
        for (std::int64_t i = opensAt; i < in.numFrames() && opening < 0; ++i)
            if (a[static_cast<std::size_t>(i)] <= (1.0 - kOneMinusInverseE) * 20.0) opening = i - opensAt + 1;
        EXPECT_NEAR(static_cast<double>(closing), release * kRate, 0.05 * release * kRate);
        EXPECT_NEAR(static_cast<double>(opening), attack * kRate, 0.05 * attack * kRate);
    }
}

TEST(Gate, ExternalKeyOpensAndClosesIt) {
    auto p = fast(Kind::gate);
    p.keying = Keying::external;
    DownwardExpander gate = prepared(Kind::gate, p, 2);
    EXPECT_TRUE(gate.acceptsSidechain());
    const auto in = sine(1000.0, fromDb(-20.0), kRate, 9600, 2);  // open on its own
    AudioBuffer key(2, 9600);
    for (int c = 0; c < 2; ++c) std::fill_n(key.channel(c) + 4800, 4800, 0.5f);  // silent, then loud
    const auto out = runInBlocks(gate, in, 480, &key);
    EXPECT_NEAR(toDb(rms(out, 0, 2400, 4800) / rms(in, 0, 2400, 4800)), -80.0, 0.01);
    EXPECT_NEAR(toDb(rms(out, 1, 7200, 9600) / rms(in, 1, 7200, 9600)), 0.0, 1e-4);
}

TEST(Gate, FullLinkGatesBothChannelsAlike) {
    auto p = fast(Kind::gate);
    DownwardExpander gate = prepared(Kind::gate, p, 2);
    AudioBuffer in(2, 4800);
    std::fill_n(in.channel(0), 4800, static_cast<float>(fromDb(-20.0)));  // above the threshold
    std::fill_n(in.channel(1), 4800, static_cast<float>(fromDb(-70.0)));  // below it
    auto out = runInBlocks(gate, in, 64);
    EXPECT_NEAR(out.channel(1)[4799], in.channel(1)[4799], 1e-9);  // kept open by the left
    p.link = 0.0;
    DownwardExpander unlinked = prepared(Kind::gate, p, 2);
    out = runInBlocks(unlinked, in, 64);
    EXPECT_NEAR(toDb(out.channel(1)[4799] / in.channel(1)[4799]), -80.0, 1e-3);
    EXPECT_NEAR(out.channel(0)[4799], in.channel(0)[4799], 1e-9);
}

TEST(DownwardExpander, SilenceInSilenceOut) {
    for (Kind kind : {Kind::expander, Kind::gate}) {
        auto p = DownwardExpander::defaults(kind);
        p.lookahead = Seconds{0.002};
        DownwardExpander e = prepared(kind, p, 2);
        AudioBuffer io(2, 10000);
        EXPECT_TRUE(identical(runInBlocks(e, io, 512), io));
    }
}

namespace {
DownwardExpander::Params busyParams(Kind kind) {
    auto p = DownwardExpander::defaults(kind);
    p.threshold = Decibels{-30.0};
    p.knee = Decibels{6.0};
    p.hold = Seconds{0.004};
    p.detection = LevelDetection::rms;
    p.link = 0.5;
    p.lookahead = Seconds{0.001};
    p.sidechainHighpass = Hertz{80.0};
    return p;
}

AudioBuffer busyInput() {
    auto in = noise(12000, 2, 0.01, 3);
    for (std::int64_t i = 2000; i < 5000; ++i) in.channel(0)[i] *= 30.0f;
    for (std::int64_t i = 7000; i < 7500; ++i) in.channel(1)[i] *= 60.0f;
    return in;
}
}  // namespace

TEST(DownwardExpander, SameOutputForAnyBlockSize) {
    const auto in = busyInput();
    AudioBuffer key = noise(12000, 2, 0.3, 5);
    for (Kind kind : {Kind::expander, Kind::gate})
        for (Keying keying : {Keying::input, Keying::external}) {
            auto p = busyParams(kind);
            p.keying = keying;
            auto run = [&](std::int64_t block) {
                DownwardExpander e = prepared(kind, p, 2, 4096);
                return runInBlocks(e, in, block, keying == Keying::external ? &key : nullptr);
            };
            const auto reference = run(4096);
            for (std::int64_t block : {1, 7, 64, 4095}) EXPECT_TRUE(identical(run(block), reference)) << block;
        }
}

TEST(DownwardExpander, ResetReproducesTheFirstRun) {
    const auto in = busyInput();
    DownwardExpander e = prepared(Kind::gate, busyParams(Kind::gate), 2, 512);
    const auto first = runInBlocks(e, in, 512);
    e.reset();
    EXPECT_TRUE(identical(runInBlocks(e, in, 512), first));
}

TEST(DownwardExpander, ProcessDoesNotAllocate) {
    auto p = busyParams(Kind::gate);
    p.keying = Keying::external;
    DownwardExpander e = prepared(Kind::gate, p, 2, 512);
    auto io = busyInput();
    AudioBuffer key = noise(512, 2, 0.3, 5);
    AllocationCounter counter;
    for (int block = 0; block < 8; ++block) {
        e.setSidechain(key.view());
        e.process(io.view().slice(block * 512, 512));
        e.setParameter(DownwardExpander::range, -40.0 - block);
        e.setParameter(DownwardExpander::hold, 0.01);
    }
    e.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(DownwardExpander, RangeStepGlidesWithoutSplatter) {
    // A 500 Hz tone under the threshold: attenuated by the range (−20 dB), then −32 dB.
    const std::int64_t frames = 28800, stepAt = 14400;
    const auto in = sine(500.0, fromDb(-50.0), kRate, frames, 1);
    auto p = DownwardExpander::defaults(Kind::gate);
    p.threshold = Decibels{-30.0};
    p.range = Decibels{-20.0};
    p.release = Seconds{0.001};  // fast ballistics: the glide of the range alone smooths the step
    p.hold = Seconds{0.0};
    DownwardExpander gate = prepared(Kind::gate, p);
    auto out = runInBlocks(gate, in, 64, nullptr, [&](std::int64_t at) {
        if (at == stepAt) gate.setParameter(DownwardExpander::range, -32.0);
    });
    AudioBuffer jumped = in;
    for (std::int64_t i = 0; i < frames; ++i) jumped.channel(0)[i] *= static_cast<float>(fromDb(i < stepAt ? -20.0 : -32.0));
    const double smooth = splatterDb(out, 0, 4000.0, kRate, stepAt - 480, stepAt + 2880);
    const double instant = splatterDb(jumped, 0, 4000.0, kRate, stepAt - 480, stepAt + 2880);
    EXPECT_LT(smooth, -95.0);   // measured −129 dB
    EXPECT_GT(instant, -75.0);  // measured −56 dB: the bound catches a jump
    EXPECT_NEAR(toDb(rms(out, 0, frames - 960, frames) / rms(in, 0, frames - 960, frames)), -32.0, 1e-3);
}

TEST(DownwardExpander, NanInputIsClearedByReset) {
    DownwardExpander e = prepared(Kind::expander, busyParams(Kind::expander), 2, 512);
    auto io = busyInput();
    io.channel(1)[10] = std::nanf("");
    e.process(io.view().slice(0, 512));
    e.reset();
    const auto in = busyInput();
    DownwardExpander fresh = prepared(Kind::expander, busyParams(Kind::expander), 2, 512);
    const auto after = runInBlocks(e, in, 512);
    EXPECT_TRUE(allFinite(after));
    EXPECT_TRUE(identical(after, runInBlocks(fresh, in, 512)));
}

TEST(DownwardExpander, GateAndExpanderListTheSameParametersWithTheirOwnDefaults) {
    DownwardExpander gate(Kind::gate), expander(Kind::expander);
    ASSERT_EQ(gate.parameters().size(), 9u);
    ASSERT_EQ(expander.parameters().size(), 9u);
    EXPECT_EQ(gate.parameters()[DownwardExpander::hold].name, "hold");
    EXPECT_EQ(gate.parameters()[DownwardExpander::range].unit, "dB");
    EXPECT_EQ(gate.parameters()[DownwardExpander::threshold].defaultValue, -50.0);
    EXPECT_EQ(expander.parameters()[DownwardExpander::threshold].defaultValue, -40.0);
    EXPECT_EQ(gate.params().ratio, 100.0);
    EXPECT_EQ(expander.params().ratio, 2.0);
    for (const auto* e : {&gate, &expander})
        for (const auto& info : e->parameters()) {
            EXPECT_LE(info.min, info.defaultValue) << info.name;
            EXPECT_LE(info.defaultValue, info.max) << info.name;
        }
}
