#pragma once
// Parsing a proportion written as a percentage ("35%") or as a plain ratio ("0.35").
//
// Mix, feedback and depth controls read naturally in percent, while automation and the
// Processor parameters carry ratios; both spellings give the same ratio. Errors carry no
// location; callers prefix the file:line:column (as with unit_text.hpp).

#include <string_view>

#include "core/error.hpp"

namespace reel {

/// "35%" → 0.35, "-40 %" → -0.4, "0.35" → 0.35. Any other unit, or no number, is a
/// parseError whose message shows both accepted spellings. No range check.
Result<double> parsePercent(std::string_view text);

}  // namespace reel
