#pragma once
// `reel master`: turns a finished mix into a master that meets a delivery target.

#include "cli/command.hpp"

namespace reel::cli {

Command masterCommand();

}  // namespace reel::cli
