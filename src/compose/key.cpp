#include "compose/key.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include "session/closest_name.hpp"

namespace reel::compose {
namespace {

struct ModeInfo {
    Mode mode;
    std::string_view name;
    std::array<int, 7> semitones;
    int fifthsFromMajor;  // signature relative to the major key on the same tonic (lydian +1 … locrian -5)
};

constexpr std::array<ModeInfo, 9> kModes = {{
    {Mode::major, "major", {0, 2, 4, 5, 7, 9, 11}, 0},
    {Mode::minor, "minor", {0, 2, 3, 5, 7, 8, 10}, -3},
    {Mode::harmonicMinor, "harmonic minor", {0, 2, 3, 5, 7, 8, 11}, -3},
    {Mode::melodicMinor, "melodic minor", {0, 2, 3, 5, 7, 9, 11}, -3},
    {Mode::dorian, "dorian", {0, 2, 3, 5, 7, 9, 10}, -2},
    {Mode::phrygian, "phrygian", {0, 1, 3, 5, 7, 8, 10}, -4},
    {Mode::lydian, "lydian", {0, 2, 4, 6, 7, 9, 11}, 1},
    {Mode::mixolydian, "mixolydian", {0, 2, 4, 5, 7, 9, 10}, -1},
    {Mode::locrian, "locrian", {0, 1, 3, 5, 6, 8, 10}, -5},
}};

const ModeInfo& infoOf(Mode mode) { return kModes[static_cast<std::size_t>(mode)]; }

/// Sharps (+) or flats (-) of the major key on `tonic`: each letter's place on the circle of
/// fifths, and seven more per sharp or flat of the tonic (C# major has seven sharps).
int majorFifths(const Note& tonic) {
    static constexpr std::array<int, 7> kLetterFifths = {0, 2, 4, -1, 1, 3, 5};  // C D E F G A B
    return kLetterFifths[static_cast<std::size_t>(letterIndex(tonic.letter))] + 7 * tonic.accidental;
}

std::string lowered(std::string_view text) {
    std::string out;
    bool space = false;
    for (char ch : text) {
        if (std::isspace(static_cast<unsigned char>(ch))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return out;
}

}  // namespace

std::string_view modeName(Mode mode) noexcept { return infoOf(mode).name; }
const std::array<int, 7>& modeSemitones(Mode mode) noexcept { return infoOf(mode).semitones; }
bool isMinorMode(Mode mode) noexcept {
    return mode == Mode::minor || mode == Mode::harmonicMinor || mode == Mode::melodicMinor;
}

std::string KeySignature::toString() const {
    if (fifths == 0) return "no sharps or flats";
    const int count = std::abs(fifths);
    std::string names;
    for (const Note& note : accidentals) names += (names.empty() ? "" : " ") + note.toString();
    return fmt::format("{} {}{} ({})", count, fifths > 0 ? "sharp" : "flat", count == 1 ? "" : "s", names);
}

Result<Key> Key::parse(std::string_view text) {
    std::string_view trimmed = text;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
    const std::string expected =
        "expected a note A to G and an optional mode (major, minor, harmonic minor, melodic minor, dorian, phrygian, "
        "lydian, mixolydian, locrian), like Am, F# minor or D dorian";
    auto read = readNote(trimmed);
    if (!read)
        return fail(ErrorCode::parseError,
                    fmt::format("key \"{}\" does not start with a note name; {}", text, expected));
    const std::string_view rest = trimmed.substr(read->length);
    if (rest == "m" || rest == "-") return Key{read->note, Mode::minor};
    if (rest == "M") return Key{read->note, Mode::major};
    const std::string mode = lowered(rest);
    if (mode.empty() || mode == "maj" || mode == "major" || mode == "ionian") return Key{read->note, Mode::major};
    if (mode == "m" || mode == "min" || mode == "minor" || mode == "aeolian" || mode == "natural minor")
        return Key{read->note, Mode::minor};
    for (const ModeInfo& info : kModes)
        if (mode == info.name) return Key{read->note, info.mode};
    static constexpr std::array<std::string_view, 12> kNames = {
        "major",  "minor",      "harmonic minor", "melodic minor", "dorian",  "phrygian",
        "lydian", "mixolydian", "locrian",        "ionian",        "aeolian", "natural minor"};
    if (auto near = session::closestName(mode, kNames))
        return fail(ErrorCode::parseError,
                    fmt::format("key \"{}\": unknown mode \"{}\"; did you mean \"{}\"?", text, mode, *near));
    return fail(ErrorCode::parseError, fmt::format("key \"{}\": unknown mode; {}", text, expected));
}

std::string Key::toString() const { return tonic.toString() + " " + std::string(modeName(mode)); }

std::string Key::shortName() const {
    if (mode == Mode::major) return tonic.toString();
    if (mode == Mode::minor) return tonic.toString() + "m";
    return toString();
}

std::array<Note, 7> Key::scale() const {
    std::array<Note, 7> notes;
    const auto& semitones = modeSemitones(mode);
    for (int i = 0; i < 7; ++i)
        notes[static_cast<std::size_t>(i)] = transposeNote(tonic, Interval{i, semitones[static_cast<std::size_t>(i)]});
    return notes;
}

PitchClassSet Key::pitchClasses() const {
    PitchClassSet set;
    for (int semitones : modeSemitones(mode)) set.insert(tonic.pitchClass() + semitones);
    return set;
}

KeySignature Key::signature() const {
    KeySignature signature;
    signature.fifths = majorFifths(tonic) + infoOf(mode).fifthsFromMajor;
    // Sharps are added a fifth apart from F, flats a fourth apart from B; past seven the same
    // letters come round again, doubled.
    const int count = std::abs(signature.fifths);
    for (int i = 0; i < count; ++i) {
        const int steps = signature.fifths > 0 ? 4 * i : 3 * i;
        const Letter letter = letterAbove(signature.fifths > 0 ? Letter::F : Letter::B, steps);
        signature.accidentals.push_back({letter, (signature.fifths > 0 ? 1 : -1) * (i < 7 ? 1 : 2)});
    }
    return signature;
}

Key conventionalKey(int tonicPitchClass, Mode mode) {
    Key best{spellPitchClass(tonicPitchClass, Accidentals::sharps), mode};
    for (int letter = 0; letter < 7; ++letter)
        for (int accidental = -1; accidental <= 1; ++accidental) {
            const Key candidate{{static_cast<Letter>(letter), accidental}, mode};
            if (candidate.tonic.pitchClass() != wrapPitchClass(tonicPitchClass)) continue;
            const int fifths = candidate.signature().fifths;
            const int bestFifths = best.signature().fifths;
            if (std::abs(fifths) < std::abs(bestFifths) ||
                (std::abs(fifths) == std::abs(bestFifths) && fifths < bestFifths))
                best = candidate;
        }
    return best;
}

}  // namespace reel::compose
