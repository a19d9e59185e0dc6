#include "session/field_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/unit_text.hpp"
#include "session/unit_problem.hpp"

namespace reel::session {
namespace {

std::unexpected<Error> parseProblem(const YamlField& field, const std::string& message) {
    return std::unexpected(errorAt(field, ErrorCode::parseError, message));
}

std::unexpected<Error> rangeProblem(const YamlField& field, const std::string& message) {
    return std::unexpected(errorAt(field, ErrorCode::invalidSession, message));
}

/// "L50" -> -0.5, "R30" -> 0.3, "C" -> 0; nothing if the text is not in that form.
std::optional<double> sidePan(std::string_view text) {
    if (text == "C" || text == "c") return 0.0;
    if (text.size() < 2) return std::nullopt;
    const char side = text.front();
    if (side != 'L' && side != 'l' && side != 'R' && side != 'r') return std::nullopt;
    auto percent = parseNumber(text.substr(1));
    if (!percent || *percent < 0.0 || *percent > 100.0) return std::nullopt;
    return (side == 'L' || side == 'l' ? -*percent : *percent) / 100.0;
}

}  // namespace

Result<std::string> readText(const YamlField& field) {
    if (field.value.IsScalar()) return field.value.Scalar();
    if (field.value.IsNull()) return parseProblem(field, fmt::format("{} has no value", field.name));
    return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                   fmt::format("{} should be a single value, not {}", field.name, kindOf(field.value))));
}

Result<double> readNumber(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    auto number = parseNumber(*text);
    if (!number) return parseProblem(field, fmt::format("{} {}", field.name, number.error().message));
    return *number;
}

Result<int> readPositiveCount(const YamlField& field) {
    auto number = readNumber(field);
    if (!number) return std::unexpected(number.error());
    if (*number < 1.0 || *number != std::floor(*number) || *number > 1e6)
        return rangeProblem(field, fmt::format("{} \"{}\" should be a whole number, 1 or more", field.name,
                                               field.value.Scalar()));
    return static_cast<int>(*number);
}

Result<Decibels> readDecibels(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    auto level = parseDecibels(*text);
    if (!level) return parseProblem(field, unitProblem(field.name, *text, level.error(), "{0}dB"));
    return *level;
}

Result<Seconds> readSeconds(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    auto duration = parseSeconds(*text);
    if (!duration) return parseProblem(field, unitProblem(field.name, *text, duration.error(), "{0}s or {0}ms"));
    return *duration;
}

Result<bool> readFlag(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    if (*text == "true" || *text == "yes" || *text == "on") return true;
    if (*text == "false" || *text == "no" || *text == "off") return false;
    return parseProblem(field, fmt::format("{} \"{}\" should be true or false", field.name, *text));
}

Result<std::string> readChoice(const YamlField& field, std::span<const std::string_view> allowed) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return *text;
    std::string list;
    for (auto word : allowed) list += (list.empty() ? "" : ", ") + std::string(word);
    return parseProblem(field, fmt::format("{} \"{}\" should be one of: {}", field.name, *text, list));
}

Result<double> readPan(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    if (auto side = sidePan(*text)) return *side;
    auto number = parseNumber(*text);
    const char* howTo = "write a number from -1 (left) through 0 (centre) to 1 (right), or L50, C, R30";
    if (!number) return parseProblem(field, fmt::format("{} \"{}\" is not a pan position; {}", field.name, *text, howTo));
    if (*number < -1.0 || *number > 1.0)
        return rangeProblem(field, fmt::format("{} \"{}\" is out of range; {}", field.name, *text, howTo));
    return *number;
}

Result<std::vector<YamlField>> readList(const YamlField& field, std::string_view entryName) {
    std::vector<YamlField> entries;
    if (field.value.IsNull()) return entries;
    if (!field.value.IsSequence())
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       fmt::format("{} should be a list (each entry on a line starting with \"- \"), not {}",
                                                   field.name, kindOf(field.value))));
    for (const YAML::Node& entry : field.value)
        entries.push_back(YamlField{std::string(entryName), entry,
                                    entry.IsNull() ? field.where : locationOf(entry, field.where.file)});
    return entries;
}

}  // namespace reel::session
