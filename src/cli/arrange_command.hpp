#pragma once
// `reel arrange CHART.cho --style pop -o song/` and `reel arrange --from song/arrangement.yaml`.

#include <filesystem>
#include <string>

#include "cli/command.hpp"
#include "compose/arrangement.hpp"
#include "core/error.hpp"

namespace reel::cli {

Command arrangeCommand();

/// A style given by name ("pop": examples/styles/pop.yaml of the source tree) or as a .yaml
/// path (relative paths start at `base`). Errors (fileNotFound) list the styles there are.
Result<std::filesystem::path> findStyle(const std::string& nameOrPath, const std::filesystem::path& base = {});

/// Where Reel's own files are (examples/, the styles): the source tree the binary was built from.
std::filesystem::path reelSourceDir();

/// Prints the arrangement as a table (sections, bars, energy, instruments).
void printArrangement(const compose::Arrangement& arrangement);

}  // namespace reel::cli
