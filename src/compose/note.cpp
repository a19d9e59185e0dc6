#include "compose/note.hpp"

#include <array>

namespace reel::compose {
namespace {

constexpr std::array<int, 7> kNatural = {0, 2, 4, 5, 7, 9, 11};

/// One accidental sign at the start of `text`: its semitones and byte length.
struct Sign {
    int semitones = 0;
    std::size_t length = 0;
};
std::optional<Sign> readSign(std::string_view text) {
    // The Unicode signs are multi-byte UTF-8; compare them as byte strings.
    static constexpr std::array<std::pair<std::string_view, int>, 7> kSigns = {{
        {"\xF0\x9D\x84\xAA", 2},   // 𝄪
        {"\xF0\x9D\x84\xAB", -2},  // 𝄫
        {"\xE2\x99\xAF", 1},       // ♯
        {"\xE2\x99\xAD", -1},      // ♭
        {"#", 1},
        {"b", -1},
        {"x", 2},
    }};
    for (const auto& [sign, semitones] : kSigns)
        if (text.starts_with(sign)) return Sign{semitones, sign.size()};
    return std::nullopt;
}

}  // namespace

int naturalPitchClass(Letter letter) noexcept { return kNatural[static_cast<std::size_t>(letterIndex(letter))]; }

std::string Note::toString() const {
    std::string text(1, "CDEFGAB"[letterIndex(letter)]);
    if (accidental > 0) text.append(static_cast<std::size_t>(accidental), '#');
    if (accidental < 0) text.append(static_cast<std::size_t>(-accidental), 'b');
    return text;
}

std::optional<NoteRead> readNote(std::string_view text) {
    if (text.empty() || text[0] < 'A' || text[0] > 'G') return std::nullopt;
    static constexpr std::array<Letter, 7> kFromAscii = {Letter::A, Letter::B, Letter::C, Letter::D,
                                                         Letter::E, Letter::F, Letter::G};
    NoteRead read{{kFromAscii[static_cast<std::size_t>(text[0] - 'A')], 0}, 1};
    // 'x' is a double sharp only right after the letter ("Fx"), never after other signs.
    bool first = true;
    while (auto sign = readSign(text.substr(read.length))) {
        if (text[read.length] == 'x' && !first) break;
        const bool mixed =
            (read.note.accidental > 0 && sign->semitones < 0) || (read.note.accidental < 0 && sign->semitones > 0);
        if (mixed) break;  // "C#b" is not a spelling; leave the 'b' to whoever reads on
        read.note.accidental += sign->semitones;
        read.length += sign->length;
        first = false;
    }
    if (read.note.accidental < -2 || read.note.accidental > 2) return std::nullopt;
    return read;
}

Result<Note> Note::parse(std::string_view text) {
    auto read = readNote(text);
    if (!read || read->length != text.size())
        return fail(ErrorCode::parseError,
                    "\"" + std::string(text) +
                        "\" is not a note name; expected a letter A to G with an optional #, b, ## "
                        "or bb, like F#, Bb or C");
    return read->note;
}

Note spellPitchClass(int pitchClass, Accidentals prefer) {
    const int pc = wrapPitchClass(pitchClass);
    auto naturalAt = [](int p) -> std::optional<Letter> {
        for (int i = 0; i < 7; ++i)
            if (kNatural[static_cast<std::size_t>(i)] == p) return static_cast<Letter>(i);
        return std::nullopt;
    };
    if (auto letter = naturalAt(pc)) return {*letter, 0};
    // A black key: both neighbours are natural letters.
    if (prefer == Accidentals::sharps) return {*naturalAt(pc - 1), 1};
    return {*naturalAt(pc + 1), -1};
}

int midiNumber(const Note& note, int octave) noexcept {
    return 12 * (octave + 1) + naturalPitchClass(note.letter) + note.accidental;
}

}  // namespace reel::compose
