// The sample-level checks of the mix report: clipping, inter-sample overs, DC offset, leading
// and trailing silence. Each problem is put into the clean mix at a known place; the report
// must name it with the right severity and where it is, and must not report it on the clean mix.
#include "analysis/mix_level_scan.hpp"

#include <gtest/gtest.h>

#include <numbers>

#include "mix_test_signals.hpp"

using namespace reel;
using namespace reel::analysis;
using namespace reel::test;

namespace {

// Frames [from, to) scaled by `gain` and clamped to full scale: a stage driven into clipping.
AudioBuffer clippedBetween(double from, double to, double gain) {
    AudioBuffer a = cleanMix();
    scaleRange(a, gain, from, to);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = mixFrames(from); i < mixFrames(to); ++i) a.channel(c)[i] = std::clamp(a.channel(c)[i], -1.0f, 1.0f);
    return a;
}

// Frames at `at` replaced by `seconds` of a sine at fs/4, 45° phase, peak `amplitude`: its
// samples sit at ±0.707·amplitude, its waveform between them at ±amplitude (BS.1770-4 Annex 2).
AudioBuffer withQuarterRateBurst(double at, double seconds, double amplitude) {
    AudioBuffer a = cleanMix();
    for (std::int64_t i = mixFrames(at); i < mixFrames(at + seconds); ++i)
        for (int c = 0; c < 2; ++c)
            a.channel(c)[i] = static_cast<float>(amplitude * std::sin(std::numbers::pi / 2.0 * static_cast<double>(i) + std::numbers::pi / 4.0));
    return a;
}

AudioBuffer withDc(double offset, double from = 0.0, double to = 1e9) {
    AudioBuffer a = cleanMix();
    for (std::int64_t i = mixFrames(from); i < std::min(a.numFrames(), mixFrames(to)); ++i) a.channel(0)[i] += static_cast<float>(offset);
    return a;
}

TEST(MixLevelChecks, CleanMixHasNoneOfThem) {
    const MixReport report = reportOf(cleanMix(), "level-clean");
    for (auto kind : {MixIssueKind::clipping, MixIssueKind::interSampleOvers, MixIssueKind::dcOffset,
                      MixIssueKind::leadingSilence, MixIssueKind::trailingSilence})
        EXPECT_EQ(findIssue(report, kind), nullptr) << kindName(kind) << "\n" << describe(report);
}

TEST(MixLevelChecks, ASecondDrivenIntoClippingIsAProblemWhereItHappens) {
    const MixReport report = reportOf(clippedBetween(8.0, 9.0, 8.0), "clip-problem");
    const MixIssue* clip = findIssue(report, MixIssueKind::clipping);
    ASSERT_NE(clip, nullptr) << describe(report);
    EXPECT_EQ(clip->severity, Severity::problem);
    EXPECT_GE(*clip->value, 10.0);
    EXPECT_EQ(clip->unit, "runs");
    // The clipped runs lie on the beats of that second (8.0 and 8.5 s and their decays).
    ASSERT_FALSE(clip->ranges.empty());
    EXPECT_NEAR(clip->ranges.front().start.value, 8.0, 0.05);
    for (const auto& r : clip->ranges) {
        EXPECT_GE(r.start.value, 8.0 - 0.01);
        EXPECT_LE(r.end.value, 9.0 + 0.01);
    }
    // The overshoot around flat tops is the clipping's consequence, not a second issue.
    EXPECT_EQ(findIssue(report, MixIssueKind::interSampleOvers), nullptr) << describe(report);
}

TEST(MixLevelChecks, TwoShortRunsAreAWarningAtTheirTimes) {
    AudioBuffer a = cleanMix();
    for (double at : {5.0, 12.0})
        for (std::int64_t i = mixFrames(at); i < mixFrames(at) + 4; ++i) a.channel(1)[i] = 1.0f;
    const MixReport report = reportOf(a, "clip-warning");
    const MixIssue* clip = findIssue(report, MixIssueKind::clipping);
    ASSERT_NE(clip, nullptr) << describe(report);
    EXPECT_EQ(clip->severity, Severity::warning);
    EXPECT_EQ(*clip->value, 2.0);
    ASSERT_EQ(clip->ranges.size(), 2u);
    EXPECT_NEAR(clip->ranges[0].start.value, 5.0, 0.001);
    EXPECT_NEAR(clip->ranges[1].start.value, 12.0, 0.001);
    EXPECT_NEAR(clip->ranges[1].end.value, 12.0, 0.001);
}

TEST(MixLevelChecks, TwoFullScaleSamplesAreALimiterNotClipping) {
    AudioBuffer a = cleanMix();
    a.channel(0)[mixFrames(5.0)] = 1.0f;
    a.channel(0)[mixFrames(5.0) + 1] = 1.0f;
    const MixReport report = reportOf(a, "clip-two");
    EXPECT_EQ(findIssue(report, MixIssueKind::clipping), nullptr) << describe(report);
}

TEST(MixLevelChecks, FloatingPointOversCountAsClipping) {
    AudioBuffer a = cleanMix();
    scaleRange(a, 3.0, 10.0, 10.2);  // beyond full scale, no flat top: a float file can hold it
    const MixReport report = reportOf(a, "clip-float");
    const MixIssue* clip = findIssue(report, MixIssueKind::clipping);
    ASSERT_NE(clip, nullptr) << describe(report);
    EXPECT_NE(clip->detail.find("beyond full scale"), std::string::npos) << clip->detail;
    expectRangesSpan(*clip, 10.0, 10.2, 0.2);
}

TEST(MixLevelChecks, OversAboveOneDbtpAreAProblem) {
    // 1.3 = +2.28 dBTP with samples at 0.92: no clipping, only the waveform between samples.
    const MixReport report = reportOf(withQuarterRateBurst(10.0, 0.1, 1.3), "overs-problem");
    const MixIssue* overs = findIssue(report, MixIssueKind::interSampleOvers);
    ASSERT_NE(overs, nullptr) << describe(report);
    EXPECT_EQ(overs->severity, Severity::problem);
    EXPECT_NEAR(*overs->value, 20.0 * std::log10(1.3), 0.3);
    EXPECT_EQ(overs->unit, "dBTP");
    expectRangesSpan(*overs, 10.0, 10.1, 0.05);
    EXPECT_EQ(findIssue(report, MixIssueKind::clipping), nullptr) << describe(report);
}

TEST(MixLevelChecks, OversUpToOneDbtpAreAWarning) {
    const MixReport report = reportOf(withQuarterRateBurst(10.0, 0.1, 1.06), "overs-warning");  // +0.51 dBTP
    const MixIssue* overs = findIssue(report, MixIssueKind::interSampleOvers);
    ASSERT_NE(overs, nullptr) << describe(report);
    EXPECT_EQ(overs->severity, Severity::warning);
    EXPECT_NEAR(*overs->value, 20.0 * std::log10(1.06), 0.3);
    expectRangesSpan(*overs, 10.0, 10.1, 0.05);
}

TEST(MixLevelChecks, DcOffsetSeverityFollowsItsSize) {
    struct Case {
        double offset;
        Severity severity;
    };
    for (const Case& c : {Case{0.002, Severity::info}, Case{0.02, Severity::warning}, Case{0.06, Severity::problem}}) {
        const MixReport report = reportOf(withDc(c.offset), "dc");
        const MixIssue* dc = findIssue(report, MixIssueKind::dcOffset);
        ASSERT_NE(dc, nullptr) << c.offset << "\n" << describe(report);
        EXPECT_EQ(dc->severity, c.severity) << c.offset;
        EXPECT_NEAR(*dc->value, 20.0 * std::log10(c.offset), 0.2) << c.offset;
        EXPECT_EQ(dc->unit, "dBFS");
        expectRangesSpan(*dc, 0.0, 20.0, 0.01);
        EXPECT_NE(dc->detail.find("left"), std::string::npos) << dc->detail;
    }
}

TEST(MixLevelChecks, DcOffsetInOnePassageIsPlacedThere) {
    // 0.05 over 6-12 s: a mean of 0.015 over the file; the 3 s windows put it at 6-12 s.
    const MixReport report = reportOf(withDc(0.05, 6.0, 12.0), "dc-passage");
    const MixIssue* dc = findIssue(report, MixIssueKind::dcOffset);
    ASSERT_NE(dc, nullptr) << describe(report);
    EXPECT_EQ(dc->severity, Severity::warning);
    expectRangesSpan(*dc, 6.0, 12.0, 0.01);
}

TEST(MixLevelChecks, LeadingSilenceSeverityFollowsItsLength) {
    struct Case {
        double seconds;
        std::optional<Severity> severity;
    };
    for (const Case& c : {Case{0.3, std::nullopt}, Case{1.0, Severity::info}, Case{3.0, Severity::warning}}) {
        AudioBuffer a = cleanMix();
        scaleRange(a, 0.0, 0.0, c.seconds);
        const MixReport report = reportOf(a, "lead");
        const MixIssue* lead = findIssue(report, MixIssueKind::leadingSilence);
        if (!c.severity) {
            EXPECT_EQ(lead, nullptr) << c.seconds << "\n" << describe(report);
            continue;
        }
        ASSERT_NE(lead, nullptr) << c.seconds << "\n" << describe(report);
        EXPECT_EQ(lead->severity, *c.severity) << c.seconds;
        EXPECT_NEAR(*lead->value, c.seconds, 0.001);
        expectRangesSpan(*lead, 0.0, c.seconds, 0.001);
        EXPECT_EQ(findIssue(report, MixIssueKind::trailingSilence), nullptr);
    }
}

TEST(MixLevelChecks, TrailingSilenceSeverityFollowsItsLength) {
    for (double seconds : {1.2, 2.5}) {
        AudioBuffer a = cleanMix();
        scaleRange(a, 0.0, 20.0 - seconds, 20.0);
        const MixReport report = reportOf(a, "trail");
        const MixIssue* trail = findIssue(report, MixIssueKind::trailingSilence);
        ASSERT_NE(trail, nullptr) << seconds << "\n" << describe(report);
        EXPECT_EQ(trail->severity, seconds >= 2.0 ? Severity::warning : Severity::info);
        EXPECT_NEAR(*trail->value, seconds, 0.001);
        expectRangesSpan(*trail, 20.0 - seconds, 20.0, 0.001);
    }
}

TEST(MixLevelChecks, ASilentFileIsAProblem) {
    const MixReport report = reportOf(AudioBuffer(2, mixFrames(3.0)), "silent");
    ASSERT_EQ(report.issues.size(), 1u) << describe(report);
    EXPECT_EQ(report.issues[0].kind, MixIssueKind::leadingSilence);
    EXPECT_EQ(report.issues[0].severity, Severity::problem);
    expectRangesSpan(report.issues[0], 0.0, 3.0, 0.001);
}

}  // namespace
