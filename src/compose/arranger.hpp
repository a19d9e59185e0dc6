#pragma once
// The arranger: from a chart and a style, an Arrangement (which sections play, how long, how
// energetic, with which instruments) and the MIDI part each instrument plays.
//
// Sections: the chart's, in order and with their bars; an intro (the first section's first
// four bars) when the chart opens without one; a two-bar break (drums and bass out) before the
// last chorus's build, or before the last section; a two-bar build into the last chorus (its
// energy rising); the sections after the last chorus fall in energy (the decrescendo), and a
// two-bar ending on the song's last chord closes it.
//
// The parts are made by makeParts() (arranger_parts.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "compose/chordpro_chart.hpp"
#include "compose/arrangement.hpp"
#include "compose/style.hpp"
#include "core/error.hpp"

namespace reel::compose {

enum class MelodyGuide { no, yes };

struct ArrangeOptions {
    std::uint32_t seed = 1;
    MelodyGuide melody = MelodyGuide::no;  // add a "Melody" guide instrument in sections with lyrics
};

/// Arranges a chart in a style. Errors (invalidArgument): a chart without bars.
Result<Arrangement> arrange(const Chart& chart, const Style& style, const ArrangeOptions& options = {});

}  // namespace reel::compose
