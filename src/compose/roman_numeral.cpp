#include "compose/roman_numeral.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace reel::compose {
namespace {

constexpr std::array<std::string_view, 7> kNumerals = {"I", "II", "III", "IV", "V", "VI", "VII"};

/// The scale the numerals are counted against: minor keys count on natural minor.
std::array<Note, 7> referenceScale(const Key& key) {
    return isMinorMode(key.mode) ? Key{key.tonic, Mode::minor}.scale() : key.scale();
}

struct Degree {
    int steps = 0;       // 0 = the tonic's letter … 6
    int alteration = 0;  // semitones off the reference scale note on that letter
    bool exact = true;   // the note is the reference scale note itself
};

Degree degreeOf(const Note& note, const Key& key) {
    Degree degree;
    degree.steps = Interval::between(key.tonic, note).steps;
    const Note scaleNote = referenceScale(key)[static_cast<std::size_t>(degree.steps)];
    degree.alteration = wrapPitchClass(note.pitchClass() - scaleNote.pitchClass() + 6) - 6;
    degree.exact = degree.alteration == 0;
    // Minor music raises its 6th and 7th as often as not; neither form is marked.
    if (isMinorMode(key.mode) && (degree.steps == 5 || degree.steps == 6) && degree.alteration == 1)
        degree.alteration = 0;
    return degree;
}

std::string accidentalText(int alteration) {
    return std::string(static_cast<std::size_t>(std::abs(alteration)), alteration < 0 ? 'b' : '#');
}

std::string numeral(int steps, bool lowercase) {
    std::string text(kNumerals[static_cast<std::size_t>(steps)]);
    if (lowercase) std::ranges::transform(text, text.begin(), [](char c) { return static_cast<char>(c - 'A' + 'a'); });
    return text;
}

bool isHalfDiminished(const Chord& chord) {
    return chord.triad == Triad::minor && chord.seventh == Seventh::minor &&
           std::ranges::find(chord.alterations, Alteration{5, -1}) != chord.alterations.end();
}

/// The symbol's quality written after a numeral: the minor "m" goes (the case shows it),
/// dim → °, aug → +, m7b5 → ø7.
std::string qualityText(const Chord& chord) {
    std::string suffix = chord.suffix();
    if (chord.triad == Triad::diminished) return "\xC2\xB0" + suffix.substr(3);  // dim7 → °7
    if (chord.triad == Triad::augmented) return "+" + suffix.substr(3);
    if (chord.triad != Triad::minor) return suffix;
    suffix.erase(0, 1);
    if (suffix.starts_with("Maj")) suffix[0] = 'm';
    if (isHalfDiminished(chord)) {
        suffix.erase(suffix.find("b5"), 2);
        return "\xC3\xB8" + suffix;
    }
    return suffix;
}

PitchClassSet tonesWithoutBass(const Chord& chord) {
    PitchClassSet set;
    for (const ChordTone& tone : chord.tones()) set.insert(chord.root.pitchClass() + tone.semitones);
    return set;
}

bool fitsKey(const Chord& chord, const Key& key) {
    const PitchClassSet tones = tonesWithoutBass(chord);
    if (!isMinorMode(key.mode)) return tones.isSubsetOf(key.pitchClasses());
    return std::ranges::any_of(std::array{Mode::minor, Mode::harmonicMinor, Mode::melodicMinor}, [&](Mode form) {
        return tones.isSubsetOf(Key{key.tonic, form}.pitchClasses());
    });
}

/// The numeral of the degree a secondary chord leads to, if it leads to a major or minor
/// degree other than the tonic (rule 3 of roman_numeral.hpp).
std::optional<std::string> secondaryTarget(const Chord& chord, const Key& key) {
    const bool dominant =
        (chord.triad == Triad::major || chord.triad == Triad::sus4) && chord.seventh == Seventh::minor;
    const bool leading =
        (chord.triad == Triad::diminished && chord.seventh == Seventh::diminished) || isHalfDiminished(chord);
    if ((!dominant && !leading) || fitsKey(chord, key)) return std::nullopt;
    const Note target = transposeNote(chord.root, dominant ? Interval{3, 5} : Interval{1, 1});
    const Degree degree = degreeOf(target, key);
    if (!degree.exact || degree.steps == 0) return std::nullopt;
    // The diatonic triad on the target; in minor the dominant is major (harmonic minor).
    const auto scale = referenceScale(key);
    auto above = [&](int steps) {
        return wrapPitchClass(scale[static_cast<std::size_t>((degree.steps + steps) % 7)].pitchClass() -
                              target.pitchClass());
    };
    if (above(4) != 7) return std::nullopt;  // a diminished degree is not tonicized
    const bool majorTarget = above(2) == 4 || (isMinorMode(key.mode) && degree.steps == 4);
    return numeral(degree.steps, !majorTarget);
}

}  // namespace

std::string scaleDegree(const Note& note, const Key& key) {
    const Degree degree = degreeOf(note, key);
    return accidentalText(degree.alteration) + std::to_string(degree.steps + 1);
}

std::string romanNumeral(const Chord& chord, const Key& key) {
    if (chord.noChord) return "N.C.";
    std::string text;
    if (auto target = secondaryTarget(chord, key)) {
        text = (chord.seventh == Seventh::minor && !isHalfDiminished(chord) ? "V" : "vii") + qualityText(chord) + "/" +
               *target;
    } else {
        const Degree degree = degreeOf(chord.root, key);
        text = accidentalText(degree.alteration) + numeral(degree.steps, chord.hasMinorThird()) + qualityText(chord);
    }
    if (chord.bass) text += "/" + scaleDegree(*chord.bass, key);
    return text;
}

}  // namespace reel::compose
