#pragma once
// `reel chart SONG.cho`: checks a ChordPro chord chart, prints it with bars, chords and Roman
// numerals, and transposes it (printing, or writing ChordPro with -o).

#include "cli/command.hpp"

namespace reel::cli {

Command chartCommand();

}  // namespace reel::cli
