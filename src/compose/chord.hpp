#pragma once
// Chord symbols as songwriters write them, read into a structure and written back canonically.
//
// Accepted (after a root such as C, F#, Bb):
//   triads      C  Cm Cmin C-  Cdim C° Co  Caug C+  Csus2 Csus4 Csus  C5 (power chord)
//   sixths      C6 Cm6 C6/9 C69 Cm6/9
//   sevenths    C7 Cmaj7 CM7 CΔ CΔ7 Cma7 Cm7 Cmin7 C-7 CmMaj7 Cm(maj7) C-Δ7 Cm7b5 Cø Cø7
//               Cdim7 C°7 Co7 Caug7 C+7 (= C7#5) C7sus4 C7sus
//   extensions  C9 Cmaj9 Cm9 C11 Cm11 C13 Cmaj13 Cm13 CmMaj9 C9sus4
//   added       Cadd9 Cadd2 (= add9) Cadd11 Cadd4 (= add11) Cadd13, also in parentheses: Cm(add9)
//   alterations b5 #5 b9 #9 #11 b13 (also ♭ ♯, and -/+ after a number: C7-9), one after another
//               or in parentheses separated by commas or spaces: C7b9#11, C7(b9,#11), C13(#11)
//   slash bass  C/E Am7/G D/F#
//   no chord    N.C. (also NC)
//
// Which tones an extension brings (the documented rule): 9 = 1 3 5 7 9; 11 = 1 3 5 7 9 11 (the
// whole stack, as written); 13 = 1 3 5 7 9 13, with the 11 only over a minor third (m13), since a
// natural 11 over a major third is the clash players leave out. An alteration replaces the natural
// tone of its degree (C13b9 has Db, not D).
//
// Canonical spelling (toString) is one name per structure: m, dim, aug, sus2/sus4, 5, 6, 6/9,
// 7, maj7, m7, mMaj7, m7b5, dim7, 9/11/13 forms, then sus, addN, alterations in degree order
// (flat before sharp), then /bass. Equivalent spellings are folded: add2 → add9, add4 → add11,
// sus → sus4, aug+7 → 7#5, dim+m7 → m7b5, a major triad with #5 alone → aug, a minor triad
// with b5 alone → dim, an extension whose top tone is altered steps down (C9b9 → C7b9).
// Alterations on a plain major triad go in parentheses — C(b5) — because Cb5 would be C-flat five.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compose/interval.hpp"
#include "compose/note.hpp"
#include "compose/pitch_class_set.hpp"
#include "core/error.hpp"

namespace reel::compose {

enum class Triad { major, minor, diminished, augmented, sus2, sus4, power };
enum class Seventh { none, minor, major, diminished };

/// A raised or lowered chord tone: degree 5, 9, 11 or 13; semitones -1 (flat) or +1 (sharp).
struct Alteration {
    int degree = 5;
    int semitones = -1;
    friend bool operator==(const Alteration&, const Alteration&) = default;
};

/// One tone of a chord: its degree above the root (1, 2, 3, 4, 5, 6, 7, 9, 11, 13) and its
/// distance from the root in semitones (a 9th is 14, a flat 9th 13).
struct ChordTone {
    int degree = 1;
    int semitones = 0;
    friend bool operator==(const ChordTone&, const ChordTone&) = default;
};

struct Chord {
    Note root;
    Triad triad = Triad::major;
    Seventh seventh = Seventh::none;
    int extension = 0;                    // 9, 11 or 13 stacked over the seventh; 0 for none
    bool sixth = false;                   // a major sixth (6, m6, 6/9); only without a seventh
    std::vector<int> added;               // 9, 11, 13, ascending
    std::vector<Alteration> alterations;  // ascending by degree, flat before sharp
    std::optional<Note> bass;             // slash bass, never equal to the root
    bool noChord = false;                 // N.C.: nothing sounds

    /// Reads a chord symbol. Errors (parseError) quote the symbol and say what was expected at
    /// the place it went wrong; they carry no file position (the caller adds it).
    static Result<Chord> parse(std::string_view text);
    /// N.C.
    static Chord none();

    /// The canonical symbol: "Am7", "C7b9#11", "F#m7b5/E", "N.C.".
    std::string toString() const;
    /// The quality part alone, without root or bass: "m7b5", "" for a major triad.
    std::string suffix() const;

    /// The tones above the root, ascending by degree (the bass is separate). Empty for N.C.
    std::vector<ChordTone> tones() const;
    /// The tones spelled from the root (Cdim7: C Eb Gb Bbb), one per pitch class.
    std::vector<Note> notes() const;
    /// What sounds, bass included.
    PitchClassSet pitchClasses() const;
    /// True for minor and diminished chords (a minor third above the root).
    bool hasMinorThird() const noexcept { return triad == Triad::minor || triad == Triad::diminished; }

    friend bool operator==(const Chord&, const Chord&) = default;
};

/// The chord moved by a spelled interval: root and bass move, the quality stays.
Chord transposeChord(const Chord& chord, const Interval& interval);

}  // namespace reel::compose
