#pragma once
// `reel demo [DIR]`: the demo song through every stage, into a song folder.

#include "cli/command.hpp"

namespace reel::cli {

Command demoCommand();

}  // namespace reel::cli
