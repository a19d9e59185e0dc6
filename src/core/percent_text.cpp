#include "core/percent_text.hpp"

#include <string>

#include "core/unit_text.hpp"

namespace reel {

Result<double> parsePercent(std::string_view text) {
    std::string_view s = text;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    const bool percent = !s.empty() && s.back() == '%';
    if (percent) s.remove_suffix(1);
    auto number = parseNumber(s);
    if (!number)
        return fail(ErrorCode::parseError,
                    "\"" + std::string(text) + "\" is not a percentage or a ratio; write it like 35% or 0.35");
    return percent ? *number / 100.0 : *number;
}

}  // namespace reel
