#pragma once
// The `reel` command line: dispatches to sub-commands (render, analyze, info).

namespace reel::cli {

/// Runs the command line and returns the process exit status (0, 1 or 2).
int run(int argc, char** argv);

}  // namespace reel::cli
