#include "session/unit_problem.hpp"

#include <fmt/format.h>

#include "core/unit_text.hpp"

namespace reel::session {

std::string unitProblem(std::string_view name, std::string_view text, const Error& parseError, std::string_view fix) {
    if (parseNumber(text)) {
        std::string_view number = text;
        while (!number.empty() && number.front() == ' ') number.remove_prefix(1);
        while (!number.empty() && number.back() == ' ') number.remove_suffix(1);
        return fmt::format("{} \"{}\" has no unit; write {}", name, text, fmt::format(fmt::runtime(fix), number));
    }
    return fmt::format("{} {}", name, parseError.message);
}

}  // namespace reel::session
