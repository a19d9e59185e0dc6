#pragma once
// Reading a YAML file into a node tree: the edge where yaml-cpp's exceptions stop.

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "core/error.hpp"

namespace reel::session {

/// Reads and parses `path`. Errors: fileNotFound, fileUnreadable, and parseError for YAML
/// syntax, as "path:line:column: YAML syntax error: <yaml-cpp's reason>" (path as given).
Result<YAML::Node> readYamlFile(const std::filesystem::path& path);

}  // namespace reel::session
