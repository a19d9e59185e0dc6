#include "engine/param_reader.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/unit_text.hpp"
#include "session/closest_name.hpp"

namespace reel::engine {

const session::ParamValue* ParamReader::find(std::string_view name) {
    known_.emplace(name);
    auto it = config_.params.find(std::string(name));
    return it == config_.params.end() ? nullptr : &it->second;
}

Error ParamReader::errorAt(const session::ParamValue& value, const std::string& what) const {
    return Error{ErrorCode::invalidSession, value.where.prefix() + config_.type + ": " + what};
}

namespace {
double raw(Decibels v) { return v.value; }
double raw(Seconds v) { return v.value; }
double raw(Hertz v) { return v.value; }
double raw(double v) { return v; }
}  // namespace

template <class T>
Result<T> ParamReader::checkRange(const session::ParamValue& value, std::string_view name, T parsed, T min, T max,
                                  const char* unit) {
    if (raw(parsed) < raw(min) || raw(parsed) > raw(max))
        return std::unexpected(errorAt(value, fmt::format("{} \"{}\" is out of range; expected {}{} to {}{}", name,
                                                          value.text, raw(min), unit, raw(max), unit)));
    return parsed;
}

Result<Decibels> ParamReader::decibels(std::string_view name, Decibels fallback, Decibels min, Decibels max) {
    const auto* value = find(name);
    if (!value) return fallback;
    auto parsed = parseDecibels(value->text);
    if (!parsed) return std::unexpected(errorAt(*value, std::string(name) + " " + parsed.error().message));
    return checkRange(*value, name, *parsed, min, max, "dB");
}

Result<Seconds> ParamReader::seconds(std::string_view name, Seconds fallback, Seconds min, Seconds max) {
    const auto* value = find(name);
    if (!value) return fallback;
    auto parsed = parseSeconds(value->text);
    if (!parsed) return std::unexpected(errorAt(*value, std::string(name) + " " + parsed.error().message));
    return checkRange(*value, name, *parsed, min, max, "s");
}

Result<Hertz> ParamReader::hertz(std::string_view name, Hertz fallback, Hertz min, Hertz max) {
    const auto* value = find(name);
    if (!value) return fallback;
    auto parsed = parseHertz(value->text);
    if (!parsed) return std::unexpected(errorAt(*value, std::string(name) + " " + parsed.error().message));
    return checkRange(*value, name, *parsed, min, max, "Hz");
}

Result<double> ParamReader::number(std::string_view name, double fallback, double min, double max) {
    const auto* value = find(name);
    if (!value) return fallback;
    auto parsed = parseNumber(value->text);
    if (!parsed) return std::unexpected(errorAt(*value, std::string(name) + " " + parsed.error().message));
    return checkRange(*value, name, *parsed, min, max, "");
}

Result<bool> ParamReader::flag(std::string_view name, bool fallback) {
    const auto* value = find(name);
    if (!value) return fallback;
    if (value->text == "true" || value->text == "yes" || value->text == "on") return true;
    if (value->text == "false" || value->text == "no" || value->text == "off") return false;
    return std::unexpected(errorAt(*value, fmt::format("{} \"{}\" should be true or false", name, value->text)));
}

Result<std::string> ParamReader::choice(std::string_view name, std::string_view fallback,
                                        std::initializer_list<std::string_view> allowed) {
    const auto* value = find(name);
    if (!value) return std::string(fallback);
    for (auto word : allowed)
        if (value->text == word) return value->text;
    return std::unexpected(errorAt(*value, fmt::format("{} \"{}\" should be one of: {}", name, value->text,
                                                       fmt::join(allowed, ", "))));
}

Result<void> ParamReader::finish() const {
    for (const auto& [name, value] : config_.params) {
        if (known_.contains(name)) continue;
        std::vector<std::string_view> names(known_.begin(), known_.end());
        std::string message = fmt::format("unknown parameter \"{}\"", name);
        if (auto closest = session::closestName(name, names)) message += fmt::format("; did you mean \"{}\"?", *closest);
        else message += fmt::format("; {} takes: {}", config_.type, fmt::join(names, ", "));
        return std::unexpected(errorAt(value, message));
    }
    return {};
}

}  // namespace reel::engine
