#pragma once
// Roman-numeral analysis: what a chord is in a key (Am in C → vi, E7 in A minor → V7).
//
// The rule, in order:
//  1. The numeral is the scale degree of the chord's root, counted by letters from the tonic
//     (so in C, Db is bII and C# is #I), uppercase for chords with a major third (and sus and
//     power chords), lowercase for minor and diminished ones. A root that differs from the key's
//     scale note on its letter gets a b or # in front (bVII, bVI, #iv°). In minor keys the 6th and
//     7th degrees may be natural or raised without a mark (in A minor both G and G#dim are VII
//     and vii°), as minor music uses both.
//  2. The chord's quality follows the numeral as in the symbol, minus the minor "m" the case
//     already shows: ii7, V7, Imaj7, vii°, viiø7, vii°7, III+, V7b9, Isus4, IV6.
//  3. A chord whose notes are not all in the key (for minor: not all in one of natural, harmonic
//     or melodic minor) and that leads somewhere is named by where it leads: a dominant seventh
//     (7, 9, 11, 13, with any alterations) a fifth above a major or minor degree other than the
//     tonic is V7/x (D7 in C → V7/V, E7 in C → V7/vi); a diminished seventh or half-diminished
//     chord a semitone below one is vii°7/x or viiø7/x. A plain major triad is not read as a
//     secondary dominant (D in C is II), nor is a chord that fits the key (G7 in C is V7).
//  4. A slash bass is written after the numeral as its scale degree in the key, Nashville
//     style: C/E in C → I/3, D/F# in G → V/7, Am7/G in C → vi7/5, C/Bb in C → I/b7.
// N.C. is "N.C.".

#include <string>

#include "compose/chord.hpp"
#include "compose/key.hpp"

namespace reel::compose {

/// The chord's Roman numeral in the key, by the rule above.
std::string romanNumeral(const Chord& chord, const Key& key);

/// The scale degree of a note in a key as written after a slash: "3", "b7", "#4" (1 to 7).
std::string scaleDegree(const Note& note, const Key& key);

}  // namespace reel::compose
