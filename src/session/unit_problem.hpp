#pragma once
// The message for a value that needs a unit and did not parse, naming the key it was
// written under. unit_text's own messages cannot name the key ("gain"), so this turns
// `level "-6" has no unit` into `gain "-6" has no unit; write -6dB`.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace reel::session {

/// If `text` is a bare number: `<name> "<text>" has no unit; write <fix>`, where `fix` is a
/// fmt pattern with {0} standing for the number as written ("{0}dB", "{0}s or {0}ms").
/// Otherwise `<name> ` followed by the parser's own reason (wrong unit, not a number).
std::string unitProblem(std::string_view name, std::string_view text, const Error& parseError, std::string_view fix);

}  // namespace reel::session
