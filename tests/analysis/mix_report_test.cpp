// The mix report as a whole: a clean mix reports nothing, the figures of `reel analyze` come
// from the same pass, issues are ordered by severity, the range bookkeeping is bounded and
// exact, and the text and JSON forms carry everything.
#include "analysis/mix_report.hpp"

#include <gtest/gtest.h>

#include "analysis/analysis_report.hpp"
#include "analysis/mix_report_format.hpp"
#include "analysis/mix_timeline.hpp"
#include "mix_test_signals.hpp"

using namespace reel;
using namespace reel::analysis;
using namespace reel::test;

namespace {

// Clipping (a problem), a 1 s leading silence (a note) and DC at 0.02 after it (a warning).
AudioBuffer mixWithThreeIssues() {
    AudioBuffer a = cleanMix();
    scaleRange(a, 0.0, 0.0, 1.0);
    scaleRange(a, 8.0, 8.0, 9.0);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = mixFrames(1.0); i < a.numFrames(); ++i)
            a.channel(c)[i] = std::clamp(a.channel(c)[i] + (c == 0 ? 0.02f : 0.0f), -1.0f, 1.0f);
    return a;
}

TEST(MixReport, CleanMixReportsNothingAndSkipsNothing) {
    const MixReport report = reportOf(cleanMix(), "clean");
    EXPECT_TRUE(report.issues.empty()) << describe(report);
    EXPECT_TRUE(report.skipped.empty());
    EXPECT_EQ(toText(report), "Mix issues: none found\n");
}

TEST(MixReport, FiguresAreThoseOfAnalyzeFile) {
    const auto dir = scratchDir("mix-same-figures");
    writeFile(dir / "mix.wav", mixWithThreeIssues(), static_cast<int>(kMixRate), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto report = reportMixIssues(dir / "mix.wav");
    const auto plain = analyzeFile(dir / "mix.wav");
    ASSERT_TRUE(report && plain);
    EXPECT_EQ(toJson(report->analysis), toJson(*plain));
}

TEST(MixReport, IssuesComeProblemsFirstThenWarningsThenNotes) {
    const MixReport report = reportOf(mixWithThreeIssues(), "ordered");
    ASSERT_EQ(report.issues.size(), 3u) << describe(report);
    EXPECT_EQ(report.issues[0].kind, MixIssueKind::clipping);
    EXPECT_EQ(report.issues[1].kind, MixIssueKind::dcOffset);
    EXPECT_EQ(report.issues[2].kind, MixIssueKind::leadingSilence);
    EXPECT_EQ(report.count(Severity::problem), 1);
    EXPECT_EQ(report.count(Severity::warning), 1);
    EXPECT_EQ(report.count(Severity::info), 1);
}

TEST(MixReport, TextGroupsBySeverityWithWhereAndFix) {
    const std::string text = toText(reportOf(mixWithThreeIssues(), "text"));
    EXPECT_EQ(text.rfind("Mix issues: 1 problem, 1 warning, 1 note\n", 0), 0u) << text;
    const auto problems = text.find("\nProblems\n  Clipping: ");
    const auto warnings = text.find("\nWarnings\n  DC offset: ");
    const auto notes = text.find("\nNotes\n  Leading silence: ");
    ASSERT_NE(problems, std::string::npos) << text;
    ASSERT_NE(warnings, std::string::npos) << text;
    ASSERT_NE(notes, std::string::npos) << text;
    EXPECT_LT(problems, warnings);
    EXPECT_LT(warnings, notes);
    EXPECT_NE(text.find("    where: 0:00.0-0:01.0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("    fix:   "), std::string::npos) << text;
}

TEST(MixReport, JsonHasTheAnalysisKeysThenTheIssues) {
    const MixReport report = reportOf(mixWithThreeIssues(), "json");
    const std::string json = toJson(report);
    // The analysis object's keys come first, unchanged.
    const std::string plain = toJson(report.analysis);
    EXPECT_EQ(json.substr(0, plain.size() - 1), plain.substr(0, plain.size() - 1));
    for (const char* key : {"\"issues\":[", "\"kind\":\"clipping\"", "\"severity\":\"problem\"", "\"ranges\":[[", "\"value\":",
                            "\"unit\":\"runs\"", "\"detail\":", "\"advice\":", "\"issue_counts\":{\"problem\":1,\"warning\":1,\"info\":1}",
                            "\"skipped_checks\":[]", "\"kind\":\"leading_silence\"", "\"ranges\":[[0.000,1.000]]"})
        EXPECT_NE(json.find(key), std::string::npos) << key << " in " << json;
    EXPECT_EQ(json.back(), '}');
}

TEST(MixReport, JsonListsSkippedChecksWithReasons) {
    const AudioBuffer stereo = cleanMix();
    AudioBuffer mono(1, stereo.numFrames());
    std::copy(stereo.channel(0), stereo.channel(0) + stereo.numFrames(), mono.channel(0));
    const std::string json = toJson(reportOf(mono, "json-mono"));
    EXPECT_NE(json.find("\"skipped_checks\":[{\"kind\":\"phase\",\"reason\":\"mono file\"}"), std::string::npos) << json;
    const std::string text = toText(reportOf(mono, "text-mono"));
    EXPECT_NE(text.find("Not checked: phase, mono_fold_down, wide_low_end, imbalance, fake_stereo (mono file)"), std::string::npos) << text;
}

TEST(MixReport, AMissingFileIsAnErrorNamingIt) {
    const auto report = reportMixIssues("/nonexistent/mix.wav");
    ASSERT_FALSE(report);
    EXPECT_NE(report.error().message.find("/nonexistent/mix.wav"), std::string::npos) << report.error().message;
}

TEST(MixReportFormat, TimesReadAsMinutesSecondsTenths) {
    EXPECT_EQ(formatTime(Seconds{0.0}), "0:00.0");
    EXPECT_EQ(formatTime(Seconds{72.34}), "1:12.3");
    EXPECT_EQ(formatTime(Seconds{59.96}), "1:00.0");
    EXPECT_EQ(formatTime(Seconds{3723.0}), "1:02:03.0");
}

TEST(IssueRanges, MergesWithinTheGapAndKeepsTheWorst) {
    IssueRanges r(10);
    r.add(0, 5, 1.0);
    r.add(15, 20, 3.0);  // gap 10: merged
    r.add(31, 40, 2.0);  // gap 11: separate
    ASSERT_EQ(r.ranges().size(), 2u);
    EXPECT_EQ(r.ranges()[0].start, 0);
    EXPECT_EQ(r.ranges()[0].end, 20);
    EXPECT_EQ(r.ranges()[0].worst, 3.0);
    EXPECT_EQ(*r.worst(), 3.0);
    EXPECT_EQ(r.coveredFrames(), 29);
}

TEST(IssueRanges, StaysBoundedByMergingTheClosestNeighbours) {
    IssueRanges r(0);
    for (std::int64_t i = 0; i < 1000; ++i) r.add(i * 100 + (i == 500 ? 50 : 0), i * 100 + 10 + (i == 500 ? 50 : 0), static_cast<double>(i));
    EXPECT_EQ(r.ranges().size(), IssueRanges::kMaxRanges);
    EXPECT_EQ(r.ranges().front().start, 0);
    EXPECT_EQ(r.ranges().back().end, 999 * 100 + 10);
    EXPECT_EQ(*r.worst(), 999.0);
    for (std::size_t i = 1; i < r.ranges().size(); ++i) EXPECT_LT(r.ranges()[i - 1].end, r.ranges()[i].start);
}

TEST(IssueRanges, RemovesRangesNearAnother) {
    IssueRanges overs(0), clips(0);
    overs.add(100, 101);
    overs.add(500, 501);
    clips.add(105, 110);
    overs.removeOverlapping(clips, 10);
    ASSERT_EQ(overs.ranges().size(), 1u);
    EXPECT_EQ(overs.ranges()[0].start, 500);
}

struct Count {
    double sum = 0.0;
    static Count merge(const Count& a, const Count& b) noexcept { return {a.sum + b.sum}; }
};

TEST(MixTimeline, HalvesItsResolutionWhenFullAndLosesNothing) {
    MixTimeline<Count> t(10, 8);
    for (int i = 0; i < 37; ++i) t.push({1.0});
    t.finish();
    double total = 0.0;
    for (std::size_t i = 0; i < t.size(); ++i) total += t[i].sum;
    EXPECT_EQ(total, 37.0);
    EXPECT_LE(t.size(), 8u);
    EXPECT_EQ(t.framesPerRecord(), 80);  // 37 steps in at most 8 records: 8 steps each
    EXPECT_EQ(t[0].sum, 8.0);
    EXPECT_EQ(t.startOf(2), 160);
}

}  // namespace
