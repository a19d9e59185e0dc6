#include "compose/interval.hpp"

#include <array>

namespace reel::compose {
namespace {

/// Semitones of the major or perfect interval for each number of steps (the major scale).
constexpr std::array<int, 7> kMajorScale = {0, 2, 4, 5, 7, 9, 11};

bool isPerfectNumber(int steps) { return steps == 0 || steps == 3 || steps == 4; }

/// A semitone difference folded into -6..5, so an augmented seventh (+1 over 11) reads as +1.
int foldDifference(int difference) { return wrapPitchClass(difference + 6) - 6; }

int qualityOffset(const Interval& interval) {
    return foldDifference(interval.semitones - kMajorScale[static_cast<std::size_t>(interval.steps)]);
}

}  // namespace

Interval Interval::between(const Note& from, const Note& to) noexcept {
    return {((letterIndex(to.letter) - letterIndex(from.letter)) % 7 + 7) % 7,
            wrapPitchClass(to.pitchClass() - from.pitchClass())};
}

std::string Interval::name() const {
    const int offset = qualityOffset(*this);
    std::string quality;
    if (isPerfectNumber(steps)) {
        if (offset == 0)
            quality = "P";
        else if (offset == 1)
            quality = "A";
        else if (offset == 2)
            quality = "AA";
        else if (offset == -1)
            quality = "d";
        else if (offset == -2)
            quality = "dd";
    } else {
        if (offset == 0)
            quality = "M";
        else if (offset == -1)
            quality = "m";
        else if (offset == 1)
            quality = "A";
        else if (offset == -2)
            quality = "d";
    }
    if (quality.empty()) return std::to_string(steps + 1) + "(" + std::to_string(semitones) + ")";
    return quality + std::to_string(steps + 1);
}

Result<Interval> Interval::parse(std::string_view text) {
    auto bad = [&] {
        return fail(ErrorCode::parseError,
                    "\"" + std::string(text) +
                        "\" is not an interval; expected a quality (P, M, m, A, d) and a number 1 "
                        "to 7, like M3, P5 or m7");
    };
    if (text.size() < 2 || text.back() < '1' || text.back() > '7') return bad();
    const int steps = text.back() - '1';
    const std::string_view quality = text.substr(0, text.size() - 1);
    int offset = 0;
    if (isPerfectNumber(steps)) {
        if (quality == "P")
            offset = 0;
        else if (quality == "A")
            offset = 1;
        else if (quality == "AA")
            offset = 2;
        else if (quality == "d")
            offset = -1;
        else if (quality == "dd")
            offset = -2;
        else
            return bad();
    } else {
        if (quality == "M")
            offset = 0;
        else if (quality == "m")
            offset = -1;
        else if (quality == "A")
            offset = 1;
        else if (quality == "d")
            offset = -2;
        else
            return bad();
    }
    return Interval{steps, wrapPitchClass(kMajorScale[static_cast<std::size_t>(steps)] + offset)};
}

Interval Interval::inverted() const noexcept { return {(7 - steps) % 7, wrapPitchClass(12 - semitones)}; }

Note transposeNote(const Note& note, const Interval& interval) {
    const Letter letter = letterAbove(note.letter, interval.steps);
    const int target = note.pitchClass() + interval.semitones;
    const int accidental = foldDifference(target - naturalPitchClass(letter));
    if (accidental >= -2 && accidental <= 2) return {letter, accidental};
    return spellPitchClass(target, accidental > 0 ? Accidentals::sharps : Accidentals::flats);
}

}  // namespace reel::compose
