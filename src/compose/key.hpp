#pragma once
// Keys and modes: a tonic and a mode give a spelled scale, its pitch-class set and a key
// signature.
//
// Minor comes in three forms: natural (the key signature's own notes), harmonic (raised 7th)
// and melodic (raised 6th and 7th, ascending form). All three share the natural minor's key
// signature. The church modes take their parent major's signature (D dorian: none).

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "compose/interval.hpp"
#include "compose/note.hpp"
#include "compose/pitch_class_set.hpp"
#include "core/error.hpp"

namespace reel::compose {

enum class Mode { major, minor, harmonicMinor, melodicMinor, dorian, phrygian, lydian, mixolydian, locrian };

/// "major", "minor", "harmonic minor", "melodic minor", "dorian", … (as Key::toString writes them).
std::string_view modeName(Mode mode) noexcept;
/// Semitones above the tonic of the mode's seven degrees (major: 0 2 4 5 7 9 11).
const std::array<int, 7>& modeSemitones(Mode mode) noexcept;
/// True for the three forms of minor, which analysis treats as one key.
bool isMinorMode(Mode mode) noexcept;

/// Sharps or flats of a key signature, in the order they are written (F# C# G# … / Bb Eb Ab …).
struct KeySignature {
    int fifths = 0;  // sharps when positive, flats when negative; beyond ±7 doubles follow
    std::vector<Note> accidentals;
    /// "no sharps or flats", "1 sharp (F#)", "3 flats (Bb Eb Ab)".
    std::string toString() const;
};

struct Key {
    Note tonic;
    Mode mode = Mode::major;

    /// "A minor", "Am", "A min", "F# dorian", "Bb", "Ebm", "C major", "D harmonic minor".
    /// A bare note is major; "m"/"min"/"minor"/"aeolian" are natural minor, "ionian" major.
    static Result<Key> parse(std::string_view text);
    /// "A minor", "C major", "F# dorian".
    std::string toString() const;
    /// The chord-like name ChordPro files use: "Am", "C"; modes other than major and natural
    /// minor have no short form and are written in full ("F# dorian").
    std::string shortName() const;

    /// The seven notes from the tonic, spelled on consecutive letters (A minor: A B C D E F G).
    std::array<Note, 7> scale() const;
    PitchClassSet pitchClasses() const;
    /// The key signature (harmonic and melodic minor: that of the natural minor).
    KeySignature signature() const;

    friend bool operator==(const Key&, const Key&) = default;
};

/// The usual spelling of a key on a tonic pitch class: the one with the fewest sharps or flats;
/// on a tie (six each: F#/Gb major, D#/Eb minor) the flat one.
Key conventionalKey(int tonicPitchClass, Mode mode);

}  // namespace reel::compose
