#include "analysis/mix_report_format.hpp"

#include <cmath>

#include <fmt/format.h>

#include "analysis/analysis_report.hpp"

namespace reel::analysis {
namespace {

constexpr std::size_t kRangesShown = 6;

std::string plural(int n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

std::string rangeText(const TimeRange& r) {
    const std::string start = formatTime(r.start);
    const std::string end = formatTime(r.end);
    return start == end ? start : start + "-" + end;
}

}  // namespace

std::string formatTime(Seconds time) {
    // Rounded to tenths first, so 59.96 s reads 1:00.0 and not 0:60.0.
    const auto tenths = static_cast<long long>(std::llround(std::max(0.0, time.value) * 10.0));
    const long long hours = tenths / 36000;
    const long long minutes = tenths / 600 % 60;
    const long long seconds = tenths / 10 % 60;
    const long long tenth = tenths % 10;
    if (hours > 0) return fmt::format("{}:{:02}:{:02}.{}", hours, minutes, seconds, tenth);
    return fmt::format("{}:{:02}.{}", minutes, seconds, tenth);
}

void writeIssueMembers(JsonWriter& json, const MixReport& report) {
    json.key("issues").beginArray();
    for (const MixIssue& issue : report.issues) {
        json.beginObject();
        json.key("kind").value(kindName(issue.kind));
        json.key("severity").value(severityName(issue.severity));
        json.key("ranges").beginArray();
        for (const TimeRange& r : issue.ranges) {
            json.beginArray();
            json.value(r.start.value, 3);
            json.value(r.end.value, 3);
            json.endArray();
        }
        json.endArray();
        json.key("value").value(issue.value, 3);
        json.key("unit").value(issue.unit);
        json.key("detail").value(issue.detail);
        json.key("advice").value(issue.advice);
        json.endObject();
    }
    json.endArray();
    json.key("issue_counts").beginObject();
    json.key("problem").value(report.count(Severity::problem));
    json.key("warning").value(report.count(Severity::warning));
    json.key("info").value(report.count(Severity::info));
    json.endObject();
    json.key("skipped_checks").beginArray();
    for (const SkippedCheck& s : report.skipped) {
        json.beginObject();
        json.key("kind").value(kindName(s.kind));
        json.key("reason").value(s.reason);
        json.endObject();
    }
    json.endArray();
}

std::string toJson(const MixReport& report) {
    // The plain analysis object, reopened: its keys stay exactly those of `reel analyze --json`.
    std::string text = toJson(report.analysis);
    JsonWriter members;
    members.beginObject();
    writeIssueMembers(members, report);
    members.endObject();
    const std::string& inner = members.str();
    text.pop_back();  // the closing brace
    text += ",";
    text += inner.substr(1);  // without the opening brace
    return text;
}

std::string toText(const MixReport& report) {
    const int problems = report.count(Severity::problem);
    const int warnings = report.count(Severity::warning);
    const int notes = report.count(Severity::info);
    std::string out;
    if (report.issues.empty()) {
        out += "Mix issues: none found\n";
    } else {
        out += fmt::format("Mix issues: {}, {}, {}\n", plural(problems, "problem", "problems"),
                           plural(warnings, "warning", "warnings"), plural(notes, "note", "notes"));
    }
    for (Severity severity : {Severity::problem, Severity::warning, Severity::info}) {
        bool first = true;
        for (const MixIssue& issue : report.issues) {
            if (issue.severity != severity) continue;
            if (first) {
                out += severity == Severity::problem ? "\nProblems\n" : severity == Severity::warning ? "\nWarnings\n" : "\nNotes\n";
                first = false;
            }
            out += fmt::format("  {}: {}\n", kindTitle(issue.kind), issue.detail);
            if (!issue.ranges.empty()) {
                std::string where;
                for (std::size_t i = 0; i < issue.ranges.size() && i < kRangesShown; ++i)
                    where += (i ? ", " : "") + rangeText(issue.ranges[i]);
                if (issue.ranges.size() > kRangesShown) where += fmt::format(" (+{} more)", issue.ranges.size() - kRangesShown);
                out += fmt::format("    where: {}\n", where);
            }
            out += fmt::format("    fix:   {}\n", issue.advice);
        }
    }
    if (!report.skipped.empty()) {
        out += "\nNot checked:";
        std::string reason;
        for (std::size_t i = 0; i < report.skipped.size(); ++i) {
            const SkippedCheck& s = report.skipped[i];
            const bool newReason = s.reason != reason;
            if (newReason && i > 0) out += fmt::format(" ({});", reason);
            out += fmt::format("{} {}", newReason ? "" : ",", kindName(s.kind));
            reason = s.reason;
        }
        out += fmt::format(" ({})\n", reason);
    }
    return out;
}

}  // namespace reel::analysis
