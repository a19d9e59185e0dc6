// The stereo checks of the mix report: phase, mono fold-down loss, wide low end, left/right
// imbalance and fake stereo. Each problem is put into the clean mix at a known place and must
// be reported there with the right severity; the clean mix must report none of them.
#include "analysis/mix_stereo_scan.hpp"

#include <gtest/gtest.h>

#include "mix_test_signals.hpp"

using namespace reel;
using namespace reel::analysis;
using namespace reel::test;

namespace {

// Frames [from, to) of the right channel become −a·L + b·(an independent mix of the same
// envelope): an L/R correlation of about −a / √(a² + b²) there.
AudioBuffer withRightReplaced(double from, double to, double a, double b) {
    AudioBuffer mix = cleanMix();
    MixRecipe other;
    other.seed = 99;
    const AudioBuffer independent = cleanMix(other);
    for (std::int64_t i = mixFrames(from); i < std::min(mix.numFrames(), mixFrames(to)); ++i)
        mix.channel(1)[i] = static_cast<float>(-a * mix.channel(0)[i] + b * independent.channel(0)[i]);
    return mix;
}

TEST(MixStereoChecks, CleanMixHasNoneOfThem) {
    const MixReport report = reportOf(cleanMix(), "stereo-clean");
    for (auto kind : {MixIssueKind::phase, MixIssueKind::monoFoldDown, MixIssueKind::wideLowEnd, MixIssueKind::imbalance,
                      MixIssueKind::fakeStereo})
        EXPECT_EQ(findIssue(report, kind), nullptr) << kindName(kind) << "\n" << describe(report);
}

TEST(MixStereoChecks, APolarityFlipIsAPhaseProblemWhereItIs) {
    const MixReport report = reportOf(withRightReplaced(8.0, 12.0, 1.0, 0.0), "phase-flip");
    const MixIssue* phase = findIssue(report, MixIssueKind::phase);
    ASSERT_NE(phase, nullptr) << describe(report);
    EXPECT_EQ(phase->severity, Severity::problem);
    EXPECT_LT(*phase->value, -0.8);
    EXPECT_EQ(phase->unit, "correlation");
    // Judged on 1 s windows, each placed at its centre: within half a window of the edges.
    expectRangesSpan(*phase, 8.0, 12.0, 0.5);
}

TEST(MixStereoChecks, ModeratelyNegativeCorrelationIsAPhaseWarning) {
    const MixReport report = reportOf(withRightReplaced(8.0, 12.0, 0.35, 0.94), "phase-warning");  // about −0.35
    const MixIssue* phase = findIssue(report, MixIssueKind::phase);
    ASSERT_NE(phase, nullptr) << describe(report);
    EXPECT_EQ(phase->severity, Severity::warning);
    EXPECT_LT(*phase->value, -0.2);
    EXPECT_GT(*phase->value, -0.5);
    expectRangesSpan(*phase, 8.0, 12.0, 0.6);
}

TEST(MixStereoChecks, UncorrelatedHissInAPauseIsNotAPhaseProblem) {
    // Independent noise on L and R reads a correlation of about 0: wide, not out of phase.
    AudioBuffer a = cleanMix();
    const AudioBuffer hiss = noise(mixFrames(4.0), 2, 0.01, 3);
    for (int c = 0; c < 2; ++c) std::copy(hiss.channel(c), hiss.channel(c) + hiss.numFrames(), a.channel(c) + mixFrames(8.0));
    const MixReport report = reportOf(a, "phase-hiss");
    EXPECT_EQ(findIssue(report, MixIssueKind::phase), nullptr) << describe(report);
}

TEST(MixStereoChecks, ASideLouderThanTheMidInOneOctaveLosesItInMono) {
    MixRecipe wide;
    wide.sideHighDb = 6.0;  // above 300 Hz the side is 6 dB over the mid: 7 dB lost there in mono
    const MixReport report = reportOf(cleanMix(wide), "fold-warning");
    const MixIssue* fold = findIssue(report, MixIssueKind::monoFoldDown);
    ASSERT_NE(fold, nullptr) << describe(report);
    EXPECT_EQ(fold->severity, Severity::warning);
    EXPECT_GE(*fold->value, 6.0);
    EXPECT_LT(*fold->value, 10.0);
    EXPECT_EQ(fold->unit, "dB");
    expectRangesSpan(*fold, 0.0, 20.0, 0.01);

    wide.sideHighDb = 14.0;
    const MixReport worse = reportOf(cleanMix(wide), "fold-problem");
    const MixIssue* worseFold = findIssue(worse, MixIssueKind::monoFoldDown);
    ASSERT_NE(worseFold, nullptr) << describe(worse);
    EXPECT_EQ(worseFold->severity, Severity::problem);
}

TEST(MixStereoChecks, AnAntiCorrelatedProgrammeLosesLoudnessInMono) {
    // Correlation about −0.3 everywhere: 10·log10(2 / 0.7) = 4.6 dB lost when summed.
    const MixReport report = reportOf(withRightReplaced(0.0, 20.0, 0.3, 0.95), "fold-programme");
    const MixIssue* fold = findIssue(report, MixIssueKind::monoFoldDown);
    ASSERT_NE(fold, nullptr) << describe(report);
    EXPECT_EQ(fold->severity, Severity::warning);
    EXPECT_NE(fold->detail.find("programme loses 4."), std::string::npos) << fold->detail;
    expectRangesSpan(*fold, 0.0, 20.0, 1.6);
}

TEST(MixStereoChecks, AStereoBassIsAWideLowEnd) {
    struct Case {
        double sideLowDb;
        Severity severity;
    };
    for (const Case& c : {Case{-3.0, Severity::warning}, Case{6.0, Severity::problem}}) {
        MixRecipe recipe;
        recipe.sideLowDb = c.sideLowDb;
        const MixReport report = reportOf(cleanMix(recipe), "wide-low");
        const MixIssue* wide = findIssue(report, MixIssueKind::wideLowEnd);
        ASSERT_NE(wide, nullptr) << c.sideLowDb << "\n" << describe(report);
        EXPECT_EQ(wide->severity, c.severity) << c.sideLowDb;
        EXPECT_EQ(wide->unit, "dB");
        expectRangesSpan(*wide, 0.0, 20.0, 0.01);
    }
}

TEST(MixStereoChecks, ImbalanceSeverityAndSideFollowTheDifference) {
    struct Case {
        int louder;  // channel
        double db;
        Severity severity;
    };
    for (const Case& c : {Case{0, 2.0, Severity::warning}, Case{1, 4.0, Severity::problem}}) {
        AudioBuffer a = cleanMix();
        scaleRange(a, std::pow(10.0, c.db / 20.0), 0.0, 1e9, c.louder);
        normalize(a, -3.0);
        const MixReport report = reportOf(a, "imbalance");
        const MixIssue* imbalance = findIssue(report, MixIssueKind::imbalance);
        ASSERT_NE(imbalance, nullptr) << c.db << "\n" << describe(report);
        EXPECT_EQ(imbalance->severity, c.severity);
        EXPECT_NEAR(*imbalance->value, c.louder == 0 ? c.db : -c.db, 0.1);
        EXPECT_EQ(imbalance->unit, "LU");
        EXPECT_NE(imbalance->detail.find(c.louder == 0 ? "left" : "right"), std::string::npos) << imbalance->detail;
        // 3 s windows placed at their centres: 1.5 s in from each end.
        expectRangesSpan(*imbalance, 0.0, 20.0, 1.6);
    }
}

TEST(MixStereoChecks, IdenticalOrNearlyIdenticalChannelsAreFakeStereo) {
    AudioBuffer identical = cleanMix();
    std::copy(identical.channel(0), identical.channel(0) + identical.numFrames(), identical.channel(1));
    const MixReport report = reportOf(identical, "fake-identical");
    const MixIssue* fake = findIssue(report, MixIssueKind::fakeStereo);
    ASSERT_NE(fake, nullptr) << describe(report);
    EXPECT_EQ(fake->severity, Severity::warning);
    EXPECT_EQ(*fake->value, 1.0);
    expectRangesSpan(*fake, 0.0, 20.0, 0.01);

    // The same signal with a trace of independent noise (-60 dB): still a mono mix.
    AudioBuffer nearly = identical;
    const AudioBuffer trace = noise(nearly.numFrames(), 1, 0.0007, 4);
    for (std::int64_t i = 0; i < nearly.numFrames(); ++i) nearly.channel(1)[i] += trace.channel(0)[i];
    const MixReport nearlyReport = reportOf(nearly, "fake-nearly");
    const MixIssue* nearlyFake = findIssue(nearlyReport, MixIssueKind::fakeStereo);
    ASSERT_NE(nearlyFake, nullptr) << describe(nearlyReport);
    EXPECT_GT(*nearlyFake->value, 0.998);
    EXPECT_LT(*nearlyFake->value, 1.0);
}

TEST(MixStereoChecks, AMonoFileSkipsTheStereoChecks) {
    const AudioBuffer stereo = cleanMix();
    AudioBuffer mono(1, stereo.numFrames());
    std::copy(stereo.channel(0), stereo.channel(0) + stereo.numFrames(), mono.channel(0));
    const MixReport report = reportOf(mono, "mono");
    EXPECT_TRUE(report.issues.empty()) << describe(report);
    std::vector<MixIssueKind> skipped;
    for (const auto& s : report.skipped) {
        skipped.push_back(s.kind);
        EXPECT_EQ(s.reason, "mono file");
    }
    EXPECT_EQ(skipped, (std::vector<MixIssueKind>{MixIssueKind::phase, MixIssueKind::monoFoldDown, MixIssueKind::wideLowEnd,
                                                  MixIssueKind::imbalance, MixIssueKind::fakeStereo}));
}

}  // namespace
