#pragma once
// The MIDI parts of an arrangement: one per style instrument that plays somewhere.
//
// Ticks at kTicksPerQuarter; drums on GM channel 10 (index 9), the others on channel 1 (0).
// Drums: the style's pattern for the bar's energy, a fill in the last bar of a section that
// leads on, a crash on an energetic section's downbeat. Bass: the chord's root (or slash bass)
// wherever a chord is struck, the style's rhythm between, approach notes into the next chord.
// Comping: close voicings in the instrument's range, each the one nearest the one before (least
// movement). Pad: the chords held. Melody guide: the chord's top voice on each change.
// Humanize moves each note's start by at most style.humanize.timingMs and its velocity by at
// most style.humanize.velocity, from a seeded generator: the same input gives the same notes.

#include <vector>

#include "compose/arrangement.hpp"
#include "compose/midi_song.hpp"
#include "compose/style.hpp"

namespace reel::compose {

/// One instrument's part.
struct ArrangedPart {
    const StyleInstrument* instrument = nullptr;  // the style's, or the built-in melody guide
    MidiSong song;  // format 1, one track, tempo and meter set
};

enum class HumanizeMode { on, off };

/// The parts of every instrument that plays somewhere in the arrangement, in style order.
std::vector<ArrangedPart> makeParts(const Arrangement& arrangement, const Style& style,
                                    HumanizeMode humanize = HumanizeMode::on);

/// The melody guide's instrument, used when the style has no "Melody".
const StyleInstrument& melodyGuideInstrument();

}  // namespace reel::compose
