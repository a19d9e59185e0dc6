#pragma once
// Spelled notes: a letter and an accidental (C#, Db, B#, Cb, F##, Bbb), and their pitch classes.
//
// Spelling matters to a songwriter (in F the fourth is Bb, not A#), so the theory works on
// spelled notes and derives pitch classes (0 = C … 11 = B) from them. A Note has no octave;
// midiNumber() places one. Accidentals range over -2 (double flat) to +2 (double sharp).
// Text is read with '#'/'♯', 'b'/'♭', '##'/'x'/'𝄪' and 'bb'/'𝄫'; written with ASCII '#' and 'b'.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace reel::compose {

/// The seven note letters in scale order from C.
enum class Letter { C, D, E, F, G, A, B };

/// 0..6 for C..B: the letter's place in the C major scale.
constexpr int letterIndex(Letter letter) noexcept { return static_cast<int>(letter); }
/// The letter `steps` letters above `letter` (negative steps go down), wrapping at the octave.
constexpr Letter letterAbove(Letter letter, int steps) noexcept {
    return static_cast<Letter>(((letterIndex(letter) + steps) % 7 + 7) % 7);
}
/// Semitones of the natural letter above C: C=0, D=2, E=4, F=5, G=7, A=9, B=11.
int naturalPitchClass(Letter letter) noexcept;

/// Wraps any integer to a pitch class 0..11.
constexpr int wrapPitchClass(int semitones) noexcept { return ((semitones % 12) + 12) % 12; }

/// A spelled note without octave: letter plus accidental (-2 … +2 semitones).
struct Note {
    Letter letter = Letter::C;
    int accidental = 0;

    /// 0 (C) … 11 (B); B# is 0 and Cb is 11.
    int pitchClass() const noexcept { return wrapPitchClass(naturalPitchClass(letter) + accidental); }
    /// "C#", "Bb", "F##", "Ebb".
    std::string toString() const;

    /// Parses a whole note name ("C#", "Bb", "E♭"); an error says what was expected.
    static Result<Note> parse(std::string_view text);

    friend bool operator==(const Note&, const Note&) = default;
};

/// A note name read from the start of a text and how many bytes it took.
struct NoteRead {
    Note note;
    std::size_t length = 0;
};
/// Reads a note name at the start of `text` (greedy: "Bbb" is B double flat); nothing if the
/// text does not start with A–G, or the accidentals go beyond a double sharp or flat.
std::optional<NoteRead> readNote(std::string_view text);

/// The note spelled for a pitch class with sharps (C# D# F# G# A#) or flats (Db Eb Gb Ab Bb).
enum class Accidentals { sharps, flats };
Note spellPitchClass(int pitchClass, Accidentals prefer);

/// MIDI note number with C4 = 60 (so A4 = 69). The octave follows the letter: B#3 is 60, Cb4 is 59.
int midiNumber(const Note& note, int octave) noexcept;

}  // namespace reel::compose
