// The spectral checks of the mix report: boomy, muddy and harsh bands against the reference
// curve, and band-limited (upsampled or lossy) sources. An EQ boost or a low-pass puts each
// problem into the clean mix; the clean mix must report none of them.
#include "analysis/mix_spectrum.hpp"

#include <gtest/gtest.h>

#include <numbers>

#include "mix_test_signals.hpp"

using namespace reel;
using namespace reel::analysis;
using namespace reel::test;

namespace {

// The clean mix through a peaking EQ (RBJ, Q 1) between two times, renormalized to -3 dBFS.
AudioBuffer boosted(double hz, double db, double from = 0.0, double to = 1e9) {
    AudioBuffer a = cleanMix();
    filterRange(a, dsp::BiquadCoefficients::peaking(hz, 1.0, db, kMixRate), from, to);
    normalize(a, -3.0);
    return a;
}

TEST(MixSpectralChecks, CleanMixHasNoneOfThem) {
    const MixReport report = reportOf(cleanMix(), "spectrum-clean");
    for (auto kind : {MixIssueKind::boomy, MixIssueKind::muddy, MixIssueKind::harsh, MixIssueKind::bandLimited})
        EXPECT_EQ(findIssue(report, kind), nullptr) << kindName(kind) << "\n" << describe(report);
}

TEST(MixSpectralChecks, BoostsAreNamedWithTheRightSeverity) {
    struct Case {
        MixIssueKind kind;
        double hz, db;
        Severity severity;
    };
    // The figure is the octave-smoothed excess over the curve, so a Q 1 boost reads less than
    // its peak gain: about 0.7x for these.
    for (const Case& c : {Case{MixIssueKind::boomy, 80.0, 15.0, Severity::warning}, Case{MixIssueKind::boomy, 80.0, 20.0, Severity::problem},
                          Case{MixIssueKind::muddy, 250.0, 12.0, Severity::warning}, Case{MixIssueKind::muddy, 250.0, 16.0, Severity::problem},
                          Case{MixIssueKind::harsh, 3000.0, 8.0, Severity::warning}, Case{MixIssueKind::harsh, 3000.0, 12.0, Severity::problem}}) {
        const MixReport report = reportOf(boosted(c.hz, c.db), "boost");
        const MixIssue* issue = findIssue(report, c.kind);
        ASSERT_NE(issue, nullptr) << kindName(c.kind) << " +" << c.db << " dB\n" << describe(report);
        EXPECT_EQ(issue->severity, c.severity) << kindName(c.kind) << " +" << c.db << " dB: " << issue->detail;
        EXPECT_EQ(issue->unit, "dB");
        expectRangesSpan(*issue, 0.0, 20.0, 0.01);
        // Only the boosted region is named.
        for (auto other : {MixIssueKind::boomy, MixIssueKind::muddy, MixIssueKind::harsh}) {
            if (other == c.kind) continue;
            EXPECT_EQ(findIssue(report, other), nullptr) << kindName(other) << "\n" << describe(report);
        }
    }
}

TEST(MixSpectralChecks, ABoostInOnePassageIsPlacedThere) {
    // 9-18 s are three whole 3 s segments.
    const MixReport report = reportOf(boosted(3000.0, 14.0, 9.0, 18.0), "harsh-passage");
    const MixIssue* harsh = findIssue(report, MixIssueKind::harsh);
    ASSERT_NE(harsh, nullptr) << describe(report);
    expectRangesSpan(*harsh, 9.0, 18.0, 0.01);
}

TEST(MixSpectralChecks, AnUpsampledSourceIsBandLimited) {
    AudioBuffer a = cleanMix();
    brickwallLowPass(a, 11025.0);  // what a 22.05 kHz source resampled to 44.1 kHz keeps
    const MixReport report = reportOf(a, "band-limited");
    const MixIssue* limited = findIssue(report, MixIssueKind::bandLimited);
    ASSERT_NE(limited, nullptr) << describe(report);
    EXPECT_EQ(limited->severity, Severity::warning);
    EXPECT_NEAR(*limited->value, 11025.0, 1000.0);
    EXPECT_EQ(limited->unit, "Hz");
    expectRangesSpan(*limited, 0.0, 20.0, 0.01);
}

TEST(MixSpectralChecks, ALossyEncodersLowPassAt17kHzIsANote) {
    AudioBuffer a = cleanMix();
    brickwallLowPass(a, 17500.0);
    const MixReport report = reportOf(a, "band-limited-17k");
    const MixIssue* limited = findIssue(report, MixIssueKind::bandLimited);
    ASSERT_NE(limited, nullptr) << describe(report);
    EXPECT_EQ(limited->severity, Severity::info);
    EXPECT_NEAR(*limited->value, 17500.0, 1000.0);
}

TEST(MixSpectralChecks, ALoudHighToneIsNotACutoff) {
    // A steady tone at 11 kHz towers over the noise above it, but one strip is no passband.
    AudioBuffer a = cleanMix();
    for (std::int64_t i = 0; i < a.numFrames(); ++i)
        for (int c = 0; c < 2; ++c)
            a.channel(c)[i] += static_cast<float>(0.05 * std::sin(2.0 * std::numbers::pi * 11000.0 * static_cast<double>(i) / kMixRate));
    normalize(a, -3.0);
    const MixReport report = reportOf(a, "band-tone");
    EXPECT_EQ(findIssue(report, MixIssueKind::bandLimited), nullptr) << describe(report);
}

TEST(MixSpectralChecks, ReferenceCurveIsFlatTo100HzThenFalls) {
    EXPECT_DOUBLE_EQ(referenceCurveDb(40.0), 0.0);
    EXPECT_DOUBLE_EQ(referenceCurveDb(100.0), 0.0);
    EXPECT_NEAR(referenceCurveDb(20.0), -6.0, 1e-9);
    EXPECT_NEAR(referenceCurveDb(200.0), -3.5, 1e-9);
    EXPECT_NEAR(referenceCurveDb(10000.0), -3.5 * std::log2(100.0), 1e-9);
    EXPECT_NEAR(referenceCurveDb(20000.0), -3.5 * std::log2(100.0) - 9.0, 1e-9);
    EXPECT_NEAR(mixBandCentreHz(17), 1000.0, 1e-9);
    EXPECT_NEAR(mixBandCentreHz(0), 19.95, 0.01);
}

}  // namespace
