// The dynamics checks of the mix report (over-compression, noisy floor) and sibilance. Each
// problem is put into the clean mix at a known place and must be reported there with the
// right severity; the clean mix must report none of them.
#include "analysis/mix_dynamics.hpp"

#include <gtest/gtest.h>

#include <numbers>

#include "analysis/mix_sibilance.hpp"
#include "mix_test_signals.hpp"

using namespace reel;
using namespace reel::analysis;
using namespace reel::test;

namespace {

// The clean mix through a tanh saturator with `drive`: the peaks flattened, the body raised.
AudioBuffer squashed(double drive) {
    AudioBuffer a = cleanMix();
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i)
            a.channel(c)[i] = static_cast<float>(0.9 * std::tanh(drive * a.channel(c)[i]));
    return a;
}

// The clean mix with 8-12 s replaced by `pause` (stereo, 4 s).
AudioBuffer withPause(const AudioBuffer& pause) {
    AudioBuffer a = cleanMix();
    for (int c = 0; c < 2; ++c) std::copy(pause.channel(c), pause.channel(c) + pause.numFrames(), a.channel(c) + mixFrames(8.0));
    return a;
}

// Six bursts of 5-9 kHz noise ("s"), `seconds` long, 0.8 s apart from 5 s, added to both channels.
AudioBuffer withEsses(double amplitude, double seconds = 0.08) {
    AudioBuffer a = cleanMix();
    const AudioBuffer source = noise(a.numFrames(), 1, 1.0, 5);
    dsp::Biquad band[2];
    for (auto& b : band) b.setCoefficients(dsp::BiquadCoefficients::bandPass(7000.0, 2.0, kMixRate));
    for (int k = 0; k < 6; ++k) {
        const std::int64_t start = mixFrames(5.0 + 0.8 * k);
        for (std::int64_t i = start; i < start + mixFrames(seconds); ++i) {
            const float v = static_cast<float>(amplitude) * band[1].processSample(0, band[0].processSample(0, source.channel(0)[i]));
            a.channel(0)[i] += v;
            a.channel(1)[i] += v;
        }
    }
    return a;
}

TEST(MixDynamicsChecks, CleanMixHasNoneOfThem) {
    const MixReport report = reportOf(cleanMix(), "dynamics-clean");
    for (auto kind : {MixIssueKind::overCompressed, MixIssueKind::noisyFloor, MixIssueKind::sibilance})
        EXPECT_EQ(findIssue(report, kind), nullptr) << kindName(kind) << "\n" << describe(report);
}

TEST(MixDynamicsChecks, PlrUnderSixIsAProblemUnderEightAWarning) {
    struct Case {
        double drive;
        Severity severity;
        double plrAbove, plrBelow;
    };
    for (const Case& c : {Case{8.0, Severity::warning, 6.0, 8.0}, Case{16.0, Severity::problem, 0.0, 6.0}}) {
        const MixReport report = reportOf(squashed(c.drive), "squashed");
        const MixIssue* squash = findIssue(report, MixIssueKind::overCompressed);
        ASSERT_NE(squash, nullptr) << c.drive << "\n" << describe(report);
        EXPECT_EQ(squash->severity, c.severity) << squash->detail;
        EXPECT_GT(*squash->value, c.plrAbove);
        EXPECT_LT(*squash->value, c.plrBelow);
        EXPECT_EQ(squash->unit, "LU");
        // The PLR is the file's, so it must agree with the analysis figures of the same pass.
        EXPECT_NEAR(*squash->value, report.analysis.truePeakDbtp->value - report.analysis.integratedLufs->value, 1e-9);
        ASSERT_FALSE(squash->ranges.empty());
        EXPECT_GE(squash->ranges.front().start.value, 0.0);
        EXPECT_LE(squash->ranges.back().end.value, 20.0);
    }
    // Hard enough that every 3 s window is squashed: the ranges span the song, less the half
    // window at each end where no window is centred.
    const MixReport report = reportOf(squashed(16.0), "squashed-where");
    expectRangesSpan(*findIssue(report, MixIssueKind::overCompressed), 0.0, 20.0, 1.6);
}

TEST(MixDynamicsChecks, ASteadyLoudnessWithHealthyPeaksIsOnlyANote) {
    MixRecipe steady;
    steady.sections = false;  // a loudness range under 2 LU
    const MixReport report = reportOf(cleanMix(steady), "steady");
    const MixIssue* squash = findIssue(report, MixIssueKind::overCompressed);
    ASSERT_NE(squash, nullptr) << describe(report);
    EXPECT_EQ(squash->severity, Severity::info);
    EXPECT_GT(*squash->value, 8.0);
}

TEST(MixDynamicsChecks, HissInAPauseIsANoisyFloorThere) {
    struct Case {
        double peakDbfs;
        Severity severity;
    };
    // The programme is about -22 LUFS; uniform noise at -50 dBFS peak reads about -49 LUFS
    // (27 LU under: a problem), at -60 about -59 (37 LU under: a warning).
    for (const Case& c : {Case{-50.0, Severity::problem}, Case{-60.0, Severity::warning}}) {
        const MixReport report = reportOf(withPause(noise(mixFrames(4.0), 2, std::pow(10.0, c.peakDbfs / 20.0), 3)), "hiss");
        const MixIssue* floor = findIssue(report, MixIssueKind::noisyFloor);
        ASSERT_NE(floor, nullptr) << c.peakDbfs << "\n" << describe(report);
        EXPECT_EQ(floor->severity, c.severity) << floor->detail;
        EXPECT_NEAR(*floor->value, c.peakDbfs + 1.4, 1.5);
        EXPECT_EQ(floor->unit, "LUFS");
        expectRangesSpan(*floor, 8.0, 12.0, 0.3);
    }
}

TEST(MixDynamicsChecks, SilentOrTonalPausesAreNotNoise) {
    const MixReport silent = reportOf(withPause(AudioBuffer(2, mixFrames(4.0))), "pause-silent");
    EXPECT_EQ(findIssue(silent, MixIssueKind::noisyFloor), nullptr) << describe(silent);
    // A quiet held note (1 kHz at -45 dBFS) is music, not a floor.
    const MixReport tonal = reportOf(withPause(sine(1000.0, std::pow(10.0, -45.0 / 20.0), kMixRate, mixFrames(4.0))), "pause-tonal");
    EXPECT_EQ(findIssue(tonal, MixIssueKind::noisyFloor), nullptr) << describe(tonal);
}

TEST(MixDynamicsChecks, LoudEssesAreSibilanceWhereTheyAre) {
    struct Case {
        double amplitude;
        Severity severity;
    };
    for (const Case& c : {Case{0.3, Severity::warning}, Case{0.8, Severity::problem}}) {
        const MixReport report = reportOf(withEsses(c.amplitude), "esses");
        const MixIssue* s = findIssue(report, MixIssueKind::sibilance);
        ASSERT_NE(s, nullptr) << c.amplitude << "\n" << describe(report);
        EXPECT_EQ(s->severity, c.severity) << s->detail;
        EXPECT_EQ(s->unit, "dB");
        // Bursts at 5.0 … 9.0 s, 80 ms each; the report merges those within 1 s.
        for (const auto& r : s->ranges) {
            EXPECT_GE(r.start.value, 5.0 - 0.02);
            EXPECT_LE(r.end.value, 9.08 + 0.02);
        }
    }
}

TEST(MixDynamicsChecks, LongHighBurstsAreCymbalsNotSibilance) {
    const MixReport report = reportOf(withEsses(0.8, 0.6), "cymbals");
    EXPECT_EQ(findIssue(report, MixIssueKind::sibilance), nullptr) << describe(report);
}

TEST(MixDynamicsChecks, SibilanceNeedsARateOf22kHz) {
    const AudioBuffer low = sine(440.0, 0.5, 16000.0, 16000 * 3, 2);
    const MixReport report = reportOf(low, "sibilance-16k", 16000.0);
    bool skipped = false;
    for (const auto& s : report.skipped) skipped = skipped || s.kind == MixIssueKind::sibilance;
    EXPECT_TRUE(skipped);
    EXPECT_EQ(findIssue(report, MixIssueKind::sibilance), nullptr);
}

}  // namespace
