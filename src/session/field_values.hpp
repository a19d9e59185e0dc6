#pragma once
// Typed values from YAML fields: text, numbers, levels, durations, flags, pan and lists.
//
// Units are parsed by core/unit_text (the one place for it); this adds the field's name and
// place to every error: `song.yaml:14:12: gain "-6" has no unit; write -6dB`.
// Values that do not parse are parseError; parsed values out of range are invalidSession.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// The text of a single value; an error if the field is empty, a list or a map.
Result<std::string> readText(const YamlField& field);
/// A plain number ("3", "-1.5"); a unit is an error.
Result<double> readNumber(const YamlField& field);
/// A plain whole number ≥ 1 ("16"), as for a section's bars.
Result<int> readPositiveCount(const YamlField& field);
/// A level: "-6dB".
Result<Decibels> readDecibels(const YamlField& field);
/// A duration: "250ms", "12.5s".
Result<Seconds> readSeconds(const YamlField& field);
/// true/false (also yes/no, on/off).
Result<bool> readFlag(const YamlField& field);
/// One of `allowed`, spelled exactly.
Result<std::string> readChoice(const YamlField& field, std::span<const std::string_view> allowed);
/// A pan position in [-1, 1]: a plain number, or "L50" / "C" / "R30" (percent of a side).
Result<double> readPan(const YamlField& field);
/// The entries of a list, each named `entryName` for messages; an empty value is an empty list.
Result<std::vector<YamlField>> readList(const YamlField& field, std::string_view entryName);

}  // namespace reel::session
