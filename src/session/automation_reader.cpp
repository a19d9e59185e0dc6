#include "session/automation_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "session/field_values.hpp"
#include "session/map_reader.hpp"

namespace reel::session {
namespace {

constexpr std::array<std::string_view, 3> kLaneKeys{"param", "curve", "points"};
constexpr std::array<std::string_view, 3> kPointKeys{"at", "value", "curve"};
constexpr std::array<std::string_view, 3> kCurveNames{"linear", "exponential", "hold"};

Result<AutomationCurve> readCurve(const YamlField& field) {
    auto name = readChoice(field, kCurveNames);
    if (!name) return std::unexpected(name.error());
    if (*name == "exponential") return AutomationCurve::exponential;
    if (*name == "hold") return AutomationCurve::hold;
    return AutomationCurve::linear;
}

YamlField entryOf(const YamlField& list, std::size_t index, std::string name) {
    const YAML::Node node = list.value[index];
    return YamlField{std::move(name), node, node.IsNull() ? list.where : locationOf(node, list.where.file)};
}

Result<AutomationPoint> readPoint(const YamlField& field, AutomationCurve laneCurve, double tempo, const Meter& meter) {
    AutomationPoint point;
    point.where = field.where;
    point.curve = laneCurve;
    std::optional<YamlField> at, value, curve;
    if (field.value.IsSequence()) {
        const std::size_t n = field.value.size();
        if (n < 2 || n > 3)
            return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                           "an automation point is [at, value] or [at, value, curve], like [\"9:1\", -6dB]"));
        at = entryOf(field, 0, "at");
        value = entryOf(field, 1, "value");
        if (n == 3) curve = entryOf(field, 2, "curve");
    } else {
        auto map = MapReader::open(field, kPointKeys);
        if (!map) return std::unexpected(map.error());
        auto atField = map->require("at", "say where the point is, like at: \"9:1\"");
        if (!atField) return std::unexpected(atField.error());
        auto valueField = map->require("value", "give the value, like value: -6dB");
        if (!valueField) return std::unexpected(valueField.error());
        at = *atField;
        value = *valueField;
        curve = map->find("curve");
    }
    auto position = readPosition(*at, tempo, meter);
    if (!position) return std::unexpected(position.error());
    point.at = *position;
    auto text = readText(*value);
    if (!text) return std::unexpected(text.error());
    point.value = std::move(*text);
    point.where = value->where;  // value errors (wrong unit, out of range) point at the value
    if (curve) {
        auto c = readCurve(*curve);
        if (!c) return std::unexpected(c.error());
        point.curve = *c;
    }
    return point;
}

Result<AutomationLane> readLane(const YamlField& field, double tempo, const Meter& meter) {
    auto map = MapReader::open(field, kLaneKeys);
    if (!map) return std::unexpected(map.error());
    AutomationLane lane;
    lane.where = map->where();
    auto param = map->require("param", "name the parameter, like param: volume or param: compressor.threshold");
    if (!param) return std::unexpected(param.error());
    auto name = readText(*param);
    if (!name) return std::unexpected(name.error());
    lane.param = std::move(*name);
    lane.where = param->where;
    AutomationCurve laneCurve = AutomationCurve::linear;
    if (auto curveField = map->find("curve")) {
        auto c = readCurve(*curveField);
        if (!c) return std::unexpected(c.error());
        laneCurve = *c;
    }
    auto pointsField = map->require("points", "list its points, like points: [[0s, -6dB], [\"9:1\", 0dB]]");
    if (!pointsField) return std::unexpected(pointsField.error());
    auto entries = readList(*pointsField, "point");
    if (!entries) return std::unexpected(entries.error());
    if (entries->empty())
        return std::unexpected(errorAt(*pointsField, ErrorCode::invalidSession, "an automation lane needs at least one point"));
    for (const auto& entry : *entries) {
        auto point = readPoint(entry, laneCurve, tempo, meter);
        if (!point) return std::unexpected(point.error());
        if (!lane.points.empty() && point->at < lane.points.back().at)
            return std::unexpected(errorAt(entry, ErrorCode::invalidSession,
                                           fmt::format("automation points must be in time order: {:.3f}s comes after {:.3f}s",
                                                       point->at.value, lane.points.back().at.value)));
        lane.points.push_back(std::move(*point));
    }
    return lane;
}

}  // namespace

Result<std::vector<AutomationLane>> readAutomation(const YamlField& field, double tempo, const Meter& meter) {
    std::vector<AutomationLane> lanes;
    auto entries = readList(field, "automation lane");
    if (!entries) return std::unexpected(entries.error());
    for (const auto& entry : *entries) {
        auto lane = readLane(entry, tempo, meter);
        if (!lane) return std::unexpected(lane.error());
        lanes.push_back(std::move(*lane));
    }
    return lanes;
}

}  // namespace reel::session
