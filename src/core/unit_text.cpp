#include "core/unit_text.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace reel {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Splits "  -6.5 dB" into the number -6.5 and the unit "dB".
struct NumberAndUnit {
    double number;
    std::string_view unit;
};

Result<NumberAndUnit> splitNumberAndUnit(std::string_view text) {
    std::string_view s = trim(text);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double number = 0.0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
    if (ec != std::errc{} || end == s.data())
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\" is not a number");
    if (!std::isfinite(number))
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\" is not a finite number");
    std::string_view unit = trim(std::string_view(end, static_cast<std::size_t>(s.data() + s.size() - end)));
    return NumberAndUnit{number, unit};
}

Error missingUnit(std::string_view text, const char* what, const char* example) {
    std::string t(text);
    return Error{ErrorCode::parseError,
                 what + std::string(" \"") + t + "\" has no unit; write " + t + example};
}

Error wrongUnit(std::string_view text, const char* expected) {
    return Error{ErrorCode::parseError,
                 "\"" + std::string(text) + "\" has the wrong unit; expected " + expected};
}

}  // namespace

Result<double> parseNumber(std::string_view text) {
    auto parsed = splitNumberAndUnit(text);
    if (!parsed) return std::unexpected(parsed.error());
    if (!parsed->unit.empty())
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\" should be a plain number");
    return parsed->number;
}

Result<Decibels> parseDecibels(std::string_view text) {
    auto parsed = splitNumberAndUnit(text);
    if (!parsed) return std::unexpected(parsed.error());
    if (parsed->unit.empty()) return std::unexpected(missingUnit(text, "level", "dB"));
    if (parsed->unit == "dB" || parsed->unit == "db") return Decibels{parsed->number};
    return std::unexpected(wrongUnit(text, "dB, as in -6dB"));
}

Result<Seconds> parseSeconds(std::string_view text) {
    auto parsed = splitNumberAndUnit(text);
    if (!parsed) return std::unexpected(parsed.error());
    if (parsed->unit.empty()) return std::unexpected(missingUnit(text, "time", "s (or ms)"));
    if (parsed->unit == "s") return Seconds{parsed->number};
    if (parsed->unit == "ms") return Seconds{parsed->number / 1000.0};
    if (parsed->unit == "min") return Seconds{parsed->number * 60.0};
    return std::unexpected(wrongUnit(text, "s or ms, as in 12.5s or 250ms"));
}

Result<Hertz> parseHertz(std::string_view text) {
    auto parsed = splitNumberAndUnit(text);
    if (!parsed) return std::unexpected(parsed.error());
    if (parsed->unit.empty()) return std::unexpected(missingUnit(text, "frequency", "Hz (or kHz)"));
    if (parsed->unit == "Hz" || parsed->unit == "hz") return Hertz{parsed->number};
    if (parsed->unit == "kHz" || parsed->unit == "khz") return Hertz{parsed->number * 1000.0};
    return std::unexpected(wrongUnit(text, "Hz or kHz, as in 80Hz or 2.5kHz"));
}

bool looksLikeBarBeat(std::string_view text) { return trim(text).find(':') != std::string_view::npos; }

Result<BarBeat> parseBarBeat(std::string_view text) {
    std::string_view s = trim(text);
    auto colon = s.find(':');
    if (colon == std::string_view::npos)
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\" is not bar:beat (like \"9:1\")");
    auto bar = parseNumber(s.substr(0, colon));
    auto beat = parseNumber(s.substr(colon + 1));
    if (!bar || !beat || *bar != std::floor(*bar))
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\" is not bar:beat (like \"9:1\" or \"9:2.5\")");
    if (*bar < 1 || *beat < 1)
        return fail(ErrorCode::parseError, "\"" + std::string(text) + "\": bars and beats count from 1");
    return BarBeat{static_cast<int>(*bar), *beat};
}

}  // namespace reel
