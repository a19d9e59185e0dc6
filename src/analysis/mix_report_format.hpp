#pragma once
// MixReport as text: JSON for scripts (docs/mix-report.md has the schema) and a list a person
// reads, grouped by severity, with times as m:ss.s.

#include <string>

#include "analysis/mix_report.hpp"
#include "core/json_writer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

/// Writes the members "issues", "issue_counts" and "skipped_checks" into the JSON object being
/// written (after beginObject(), before endObject()), so other reports can embed them.
void writeIssueMembers(JsonWriter& json, const MixReport& report);

/// One JSON object: every key of toJson(FileAnalysis), in its order, then the issue members.
std::string toJson(const MixReport& report);

/// The issues for people: a count line, then problems, warnings and notes, each with its
/// measurement, where it happens and what to do; then the checks that did not apply.
std::string toText(const MixReport& report);

/// A time as m:ss.s (h:mm:ss.s from an hour): 72.34 s → "1:12.3".
std::string formatTime(Seconds time);

}  // namespace reel::analysis
