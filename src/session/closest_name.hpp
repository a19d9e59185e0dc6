#pragma once
// "Did you mean ...?": the known name nearest to a misspelt one, by edit distance.
//
// Generic on purpose: the session loader suggests keys with it, the engine processor and
// parameter names. Comparison ignores case, and a swap of two neighbouring letters counts
// as one edit (optimal string alignment distance), since "lenght" is one slip, not two.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace reel::session {

/// Edits (insert, delete, substitute, swap neighbours) turning `a` into `b`, ignoring case.
std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate closest to `name`, if one is close enough to be a plausible typo: at most
/// one edit per three letters of `name` (at least one). Ties go to the earlier candidate.
std::optional<std::string> closestName(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace reel::session
