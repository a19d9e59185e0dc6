#include "engine/automation_lane.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/percent_text.hpp"
#include "core/unit_text.hpp"

namespace reel::engine {

Result<double> parseValueInUnit(std::string_view text, std::string_view unit) {
    if (unit == "dB") {
        auto v = parseDecibels(text);
        if (!v) return std::unexpected(v.error());
        return v->value;
    }
    if (unit == "Hz") {
        auto v = parseHertz(text);
        if (!v) return std::unexpected(v.error());
        return v->value;
    }
    if (unit == "s") {
        auto v = parseSeconds(text);
        if (!v) return std::unexpected(v.error());
        return v->value;
    }
    // Plain numbers; ratios may be written as percent ("35%" = 0.35), as in chain entries.
    if (!text.empty() && text.back() == '%') return parsePercent(text);
    return parseNumber(text);
}

Result<AutomationLane> AutomationLane::resolve(const session::AutomationLane& lane, const dsp::ParameterInfo& info,
                                               SampleRate rate) {
    AutomationLane resolved;
    resolved.decibels_ = info.unit == "dB";
    for (const auto& point : lane.points) {
        auto value = parseValueInUnit(point.value, info.unit);
        if (!value)
            return fail(ErrorCode::invalidSession,
                        point.where.prefix() + fmt::format("{}: {}", lane.param, value.error().message));
        if (*value < info.min || *value > info.max)
            return fail(ErrorCode::invalidSession,
                        point.where.prefix() + fmt::format("{} \"{}\" is out of range; expected {}{} to {}{}", lane.param,
                                                           point.value, info.min, info.unit, info.max, info.unit));
        resolved.points_.push_back({toFrames(point.at, rate).value, *value, point.curve});
    }
    return resolved;
}

double AutomationLane::interpolate(const Point& a, const Point& b, double u, bool decibels) noexcept {
    switch (a.curve) {
        case session::AutomationCurve::hold: return a.value;
        case session::AutomationCurve::exponential:
            if (decibels) {  // straight in amplitude
                const double ga = std::pow(10.0, a.value / 20.0), gb = std::pow(10.0, b.value / 20.0);
                return 20.0 * std::log10(std::max(ga + (gb - ga) * u, 1e-10));
            }
            if (a.value > 0.0 && b.value > 0.0) return a.value * std::pow(b.value / a.value, u);
            [[fallthrough]];  // geometric needs one sign: fall back to a straight line
        case session::AutomationCurve::linear: break;
    }
    return a.value + (b.value - a.value) * u;
}

double AutomationLane::valueAt(std::int64_t frame) noexcept {
    if (frame <= points_.front().frame) return points_.front().value;
    while (cursor_ + 1 < points_.size() && points_[cursor_ + 1].frame <= frame) ++cursor_;
    if (cursor_ + 1 >= points_.size()) return points_.back().value;
    const Point& a = points_[cursor_];
    const Point& b = points_[cursor_ + 1];
    const double u = static_cast<double>(frame - a.frame) / static_cast<double>(b.frame - a.frame);
    return interpolate(a, b, u, decibels_);
}

}  // namespace reel::engine
