#pragma once
// Which sound of a Hydrogen kit each General MIDI percussion note plays, guessed from the
// sounds' names, since kits name their sounds freely ("BassDrum", "Pearl Kick", "c3 - bass
// drum 1", "Closed HH", "Sabian Hat Semi-Open").
//
// Each sound is first sorted into a family by the words of its name (lower case, split at
// anything not a letter or digit, with "hi hat"/"hihat"/"hh" read as "hat", "bass drum"/
// "bassdrum"/"bd" as "kick"). Then each GM note takes the first sound of the first family on
// its list that the kit has (docs/design/virtual-instruments.md has the table), e.g.
//   38 acoustic snare: snare, then rimshot;   46 open hat: open, semi-open, other, closed hat;
//   54 tambourine: tambourine, shaker, closed hat (a documented stand-in: a hat tick in time
//      beats a silent part);   57 crash 2 and 59 ride 2: the kit's second crash or ride.
// Toms (41 43 45 47 48 50, low to high) are spread over the kit's toms ranked low to high:
// floor, low, mid, high ("Tom 1" above "Tom 2", as drummers number rack toms).
// A note whose families the kit lacks plays nothing: DrumkitInstrument reports it.

#include <array>
#include <string_view>

#include "compose/drumkit_file.hpp"

namespace reel::compose {

/// For each MIDI note 0 … 127, the index in kit.sounds of the sound it plays, or -1.
using DrumkitNoteMap = std::array<int, 128>;

/// The GM percussion map of a kit by the name heuristics above. Sounds without layers are
/// never chosen.
DrumkitNoteMap generalMidiDrumMap(const DrumkitFile& kit);

/// The General MIDI name of a percussion note ("acoustic snare"), "" outside 35 … 81.
std::string_view generalMidiDrumName(int note) noexcept;

}  // namespace reel::compose
