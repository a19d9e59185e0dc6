#pragma once
// A YAML value together with its name and place: what every session reader works on.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "session/session.hpp"

namespace reel::session {

/// One value as written: its key (or, for a list entry, what it is: "clip"), the node and
/// where it is. An empty value (`gain:` with nothing after it) is located at its key, since
/// yaml-cpp marks an empty node at the next token, which may be lines further down.
struct YamlField {
    std::string name;
    YAML::Node value;
    SourceLocation where;
};

/// Where yaml-cpp says a node is, counted from 1; line 0 when it knows no place.
SourceLocation locationOf(const YAML::Node& node, const std::filesystem::path& file);

/// "a list", "a map", "a single value" or "nothing": for "expected X, not Y" messages.
std::string kindOf(const YAML::Node& node);

/// An error at the field's place: "path:line:column: " + message.
Error errorAt(const YamlField& field, ErrorCode code, const std::string& message);
/// The same, at any place.
Error errorAt(const SourceLocation& where, ErrorCode code, const std::string& message);

}  // namespace reel::session
