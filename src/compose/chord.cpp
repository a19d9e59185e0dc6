#include "compose/chord.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace reel::compose {
namespace {

// Symbols beyond ASCII, as UTF-8 bytes.
constexpr std::string_view kDegreeSign = "\xC2\xB0";     // °
constexpr std::string_view kSlashedO = "\xC3\xB8";       // ø
constexpr std::string_view kSlashedOUpper = "\xC3\x98";  // Ø
constexpr std::string_view kDelta = "\xCE\x94";          // Δ
constexpr std::string_view kTriangle = "\xE2\x96\xB3";   // △
constexpr std::string_view kFlatSign = "\xE2\x99\xAD";   // ♭
constexpr std::string_view kSharpSign = "\xE2\x99\xAF";  // ♯

constexpr std::string_view kExpectedQuality =
    "expected a quality (m, dim, aug, sus4, 5), a number (6, 7, 9, 11, 13), maj7, an alteration (b5, #5, b9, #9, #11, "
    "b13), add9 or /bass";

/// Natural semitones above the root of the extension degrees.
int naturalSemitones(int degree) {
    switch (degree) {
        case 5:
            return 7;
        case 9:
            return 14;
        case 11:
            return 17;
        case 13:
            return 21;
        default:
            return 0;
    }
}

/// Reads one chord symbol left to right; `chord_` collects what it finds.
class ChordReader {
public:
    explicit ChordReader(std::string_view text) : text_(text) {}

    Result<Chord> read() {
        if (text_ == "N.C." || text_ == "N.C" || text_ == "NC") return Chord::none();
        if (text_.empty()) return fail(ErrorCode::parseError, "empty chord; write a chord symbol such as Am or N.C.");
        auto root = readNote(text_);
        if (!root) {
            const char first = text_[0];
            if (first >= 'a' && first <= 'g')
                return problem(fmt::format("a chord's root is a capital letter; write {}{}",
                                           static_cast<char>(first - 'a' + 'A'), text_.substr(1)));
            return problem("expected a note A to G at the start (or N.C. for no chord)");
        }
        chord_.root = root->note;
        pos_ = root->length;
        if (auto core = readCore(); !core) return std::unexpected(core.error());
        while (pos_ < text_.size() && text_[pos_] != '/') {
            if (eat("(")) {
                if (auto group = readGroup(); !group) return std::unexpected(group.error());
            } else if (auto modifier = readModifier(ModifierPlace::outside); !modifier) {
                return std::unexpected(modifier.error());
            }
        }
        if (eat("/")) {
            auto bass = readNote(rest());
            if (!bass) return problem(fmt::format("expected a bass note (A to G) after \"/\" in \"{}\"", text_));
            pos_ += bass->length;
            if (bass->note != chord_.root) chord_.bass = bass->note;
            if (pos_ < text_.size()) return unexpected();
        }
        return normalize();
    }

private:
    enum class ModifierPlace { outside, inParentheses };

    std::string_view rest() const { return text_.substr(pos_); }
    bool starts(std::string_view s) const { return rest().starts_with(s); }
    bool eat(std::string_view s) {
        if (!starts(s)) return false;
        pos_ += s.size();
        return true;
    }
    bool nextIsDigit(std::size_t offset) const {
        return pos_ + offset < text_.size() && text_[pos_ + offset] >= '0' && text_[pos_ + offset] <= '9';
    }

    std::unexpected<Error> problem(const std::string& what) const {
        return fail(ErrorCode::parseError, fmt::format("chord \"{}\": {}", text_, what));
    }
    std::unexpected<Error> unexpected() const {
        return problem(
            fmt::format("unexpected \"{}\" after \"{}\"; {}", rest(), text_.substr(0, pos_), kExpectedQuality));
    }

    /// 7, 9, 11 or 13 at the current place: 7 for a plain seventh, the extension otherwise.
    std::optional<int> readStackNumber() {
        for (int number : {13, 11, 9, 7})
            if (eat(std::to_string(number))) return number;
        return std::nullopt;
    }

    /// The marker of a major seventh: maj, Maj, MAJ, ma (before a number), M, Δ, △, ^.
    /// Returns whether the marker alone means a plain major triad (maj, M) rather than maj7 (Δ, ^).
    std::optional<bool> readMajorMarker() {
        for (std::string_view word : {"maj", "Maj", "MAJ"})
            if (eat(word)) return true;
        if (starts("ma") && nextIsDigit(2)) {
            pos_ += 2;
            return true;
        }
        if (eat("M")) return true;
        for (std::string_view sign : {kDelta, kTriangle, std::string_view("^")})
            if (eat(sign)) return false;
        return std::nullopt;
    }

    /// After a major-seventh marker: its number, or 7 where the marker alone means maj7.
    void readMajorSeventh(bool aloneMeansTriad) {
        auto number = readStackNumber();
        if (!number && aloneMeansTriad) return;  // "Cmaj", "CM": a major triad
        chord_.seventh = Seventh::major;
        chord_.extension = number && *number != 7 ? *number : 0;
    }

    void readSixth() {
        chord_.sixth = true;
        if (eat("/9") || eat("9")) chord_.added.push_back(9);
    }

    Result<void> readCore() {
        if (eat("5")) {
            chord_.triad = Triad::power;
            if (pos_ < text_.size() && text_[pos_] != '/')
                return problem("a power chord (5) has only its root and fifth; write /bass after it or nothing");
            return {};
        }
        if (eat(kSlashedO) || eat(kSlashedOUpper)) {
            chord_.triad = Triad::minor;
            chord_.seventh = Seventh::minor;
            chord_.alterations.push_back({5, -1});
            eat("7");
            return {};
        }
        if (eat("dim") || eat(kDegreeSign) || eat("o")) {
            chord_.triad = Triad::diminished;
            if (eat("7")) chord_.seventh = Seventh::diminished;
            return {};
        }
        if (eat("aug") || eat("+")) {
            chord_.triad = Triad::augmented;
            if (auto marker = readMajorMarker())
                readMajorSeventh(*marker);
            else if (auto number = readStackNumber())
                setDominant(*number);
            return {};
        }
        if (auto marker = readMajorMarker()) {
            readMajorSeventh(*marker);
            return {};
        }
        if (eat("min") || eat("mi") || eat("m") || eat("-")) {
            chord_.triad = Triad::minor;
            if (eat("6")) {
                readSixth();
            } else if (eat("(maj7)") || eat("(Maj7)") || eat("(M7)")) {
                chord_.seventh = Seventh::major;
            } else if (auto marker = readMajorMarker()) {
                readMajorSeventh(*marker);
            } else if (auto number = readStackNumber()) {
                setDominant(*number);
            }
            return {};
        }
        if (eat("6")) {
            readSixth();
            return {};
        }
        if (auto number = readStackNumber()) setDominant(*number);
        return {};
    }

    void setDominant(int number) {
        chord_.seventh = Seventh::minor;
        chord_.extension = number == 7 ? 0 : number;
    }

    /// "(b9,#11)", "(add9)", "(b9 #11)": modifiers up to the closing parenthesis.
    Result<void> readGroup() {
        const std::size_t open = pos_ - 1;
        while (true) {
            while (eat(",") || eat(" ")) {
            }
            if (eat(")")) return {};
            if (pos_ >= text_.size())
                return problem(fmt::format("\"(\" at \"{}\" is not closed; expected \")\"", text_.substr(open)));
            if (auto modifier = readModifier(ModifierPlace::inParentheses); !modifier) return modifier;
        }
    }

    Result<void> readModifier(ModifierPlace place) {
        if (eat("sus")) {
            Triad sus = Triad::sus4;
            if (eat("2"))
                sus = Triad::sus2;
            else
                eat("4");
            if (chord_.triad == Triad::sus2 || chord_.triad == Triad::sus4)
                return problem("one sus per chord: sus2 or sus4, not both");
            if (chord_.triad != Triad::major)
                return problem("sus replaces the third, so a minor, diminished or augmented chord cannot be suspended");
            chord_.triad = sus;
            return {};
        }
        if (eat("add")) {
            int degree = 0;
            for (auto [written, meaning] : std::array<std::pair<std::string_view, int>, 5>{
                     {{"13", 13}, {"11", 11}, {"9", 9}, {"2", 9}, {"4", 11}}})
                if (degree == 0 && eat(written)) degree = meaning;
            if (degree == 0) return problem(fmt::format("expected 2, 4, 9, 11 or 13 after \"add\" in \"{}\"", text_));
            return addTone(degree);
        }
        int semitones = 0;
        if (eat("b") || eat(kFlatSign))
            semitones = -1;
        else if (eat("#") || eat(kSharpSign))
            semitones = 1;
        else if (pos_ > 0 && text_[pos_ - 1] >= '0' && text_[pos_ - 1] <= '9' && (eat("-") || eat("+")))
            semitones = text_[pos_ - 1] == '-' ? -1 : 1;  // old style after a number: C7-9, C7+5
        if (semitones != 0) {
            const std::size_t signAt = pos_;
            int degree = 0;
            for (int number : {13, 11, 9, 5})
                if (degree == 0 && eat(std::to_string(number))) degree = number;
            const bool known =
                (degree == 5) || (degree == 9) || (degree == 11 && semitones > 0) || (degree == 13 && semitones < 0);
            if (!known) {
                pos_ = signAt;
                return problem(fmt::format("\"{}{}\" is not an alteration; expected b5, #5, b9, #9, #11 or b13",
                                           semitones < 0 ? "b" : "#",
                                           rest().substr(0, std::min<std::size_t>(2, rest().size()))));
            }
            return alter({degree, semitones});
        }
        if (place == ModifierPlace::inParentheses)
            for (int number : {13, 11, 9})
                if (eat(std::to_string(number))) return addTone(number);  // C7(13): an added tone
        return unexpected();
    }

    Result<void> addTone(int degree) {
        if (std::ranges::find(chord_.added, degree) != chord_.added.end())
            return problem(fmt::format("add{} is given twice", degree));
        if (std::ranges::any_of(chord_.tones(), [&](const ChordTone& t) { return t.degree == degree; }))
            return problem(fmt::format("add{} in a chord that already has its {}th", degree, degree));
        chord_.added.push_back(degree);
        return {};
    }

    Result<void> alter(Alteration alteration) {
        if (std::ranges::find(chord_.alterations, alteration) != chord_.alterations.end())
            return problem(fmt::format("{}{} is given twice", alteration.semitones < 0 ? "b" : "#", alteration.degree));
        chord_.alterations.push_back(alteration);
        return {};
    }

    bool hasAlteration(int degree) const {
        return std::ranges::any_of(chord_.alterations, [&](const Alteration& a) { return a.degree == degree; });
    }

    /// Folds equivalent spellings into one structure (see chord.hpp) and checks what clashes.
    Result<Chord> normalize() {
        Chord& c = chord_;
        // Augmented and diminished triads become a fifth alteration while the rest is decided…
        if (c.triad == Triad::augmented) {
            c.triad = Triad::major;
            if (auto twice = alter({5, 1}); !twice) return problem("the augmented fifth is given twice");
        } else if (c.triad == Triad::diminished && c.seventh != Seventh::diminished) {
            c.triad = Triad::minor;
            if (auto twice = alter({5, -1}); !twice) return problem("the diminished fifth is given twice");
        }
        for (int degree : c.added)
            if (hasAlteration(degree))
                return problem(fmt::format("add{} clashes with an altered {}th", degree, degree));
        std::ranges::sort(c.added);
        std::ranges::sort(c.alterations, [](const Alteration& a, const Alteration& b) {
            return a.degree != b.degree ? a.degree < b.degree : a.semitones < b.semitones;
        });
        // …and come back as triads when nothing but the fifth is altered and no sixth or seventh is there.
        if (c.seventh == Seventh::none && !c.sixth && c.alterations.size() == 1) {
            if (c.triad == Triad::major && c.alterations[0] == Alteration{5, 1}) {
                c.triad = Triad::augmented;
                c.alterations.clear();
            } else if (c.triad == Triad::minor && c.alterations[0] == Alteration{5, -1}) {
                c.triad = Triad::diminished;
                c.alterations.clear();
            }
        }
        // An extension whose top tone is altered is the smaller extension plus the alteration.
        while (c.extension > 0 && hasAlteration(c.extension)) {
            if (c.extension == 13)
                c.extension = c.hasMinorThird() ? 11 : 9;
            else
                c.extension = c.extension == 11 ? 9 : 0;
        }
        return c;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    Chord chord_;
};

std::string alterationText(const Alteration& a) { return (a.semitones < 0 ? "b" : "#") + std::to_string(a.degree); }

}  // namespace

Result<Chord> Chord::parse(std::string_view text) { return ChordReader(text).read(); }

Chord Chord::none() {
    Chord chord;
    chord.noChord = true;
    return chord;
}

std::string Chord::suffix() const {
    if (noChord) return {};
    std::string core;
    const bool sixNine = sixth && std::ranges::find(added, 9) != added.end();
    const std::string stack = extension > 0 ? std::to_string(extension) : "7";
    switch (triad) {
        case Triad::power:
            return "5";
        case Triad::augmented:
            core = "aug";
            break;
        case Triad::diminished:
            core = seventh == Seventh::diminished ? "dim7" : "dim";
            break;
        case Triad::minor:
            core = "m";
            break;
        default:
            break;
    }
    if (triad != Triad::diminished) {
        if (seventh == Seventh::minor)
            core += stack;
        else if (seventh == Seventh::major)
            core += (triad == Triad::minor ? "Maj" : "maj") + stack;
        else if (sixth)
            core += sixNine ? "6/9" : "6";
    }
    if (triad == Triad::sus2) core += "sus2";
    if (triad == Triad::sus4) core += "sus4";
    for (int degree : added)
        if (!(sixNine && degree == 9)) core += "add" + std::to_string(degree);
    if (alterations.empty()) return core;
    std::string altered;
    for (const auto& a : alterations) altered += (core.empty() && !altered.empty() ? "," : "") + alterationText(a);
    return core.empty() ? "(" + altered + ")" : core + altered;
}

std::string Chord::toString() const {
    if (noChord) return "N.C.";
    std::string text = root.toString() + suffix();
    if (bass) text += "/" + bass->toString();
    return text;
}

std::vector<ChordTone> Chord::tones() const {
    if (noChord) return {};
    std::vector<ChordTone> out = {{1, 0}};
    switch (triad) {
        case Triad::major:
            out.insert(out.end(), {{3, 4}, {5, 7}});
            break;
        case Triad::minor:
            out.insert(out.end(), {{3, 3}, {5, 7}});
            break;
        case Triad::diminished:
            out.insert(out.end(), {{3, 3}, {5, 6}});
            break;
        case Triad::augmented:
            out.insert(out.end(), {{3, 4}, {5, 8}});
            break;
        case Triad::sus2:
            out.insert(out.end(), {{2, 2}, {5, 7}});
            break;
        case Triad::sus4:
            out.insert(out.end(), {{4, 5}, {5, 7}});
            break;
        case Triad::power:
            out.push_back({5, 7});
            break;
    }
    if (sixth) out.push_back({6, 9});
    if (seventh == Seventh::minor) out.push_back({7, 10});
    if (seventh == Seventh::major) out.push_back({7, 11});
    if (seventh == Seventh::diminished) out.push_back({7, 9});
    if (extension >= 9) out.push_back({9, 14});
    if (extension == 11 || (extension == 13 && hasMinorThird())) out.push_back({11, 17});
    if (extension == 13) out.push_back({13, 21});
    for (int degree : added) out.push_back({degree, naturalSemitones(degree)});
    // An alteration replaces the natural tone of its degree.
    for (const auto& a : alterations)
        std::erase_if(
            out, [&](const ChordTone& t) { return t.degree == a.degree && t.semitones == naturalSemitones(a.degree); });
    for (const auto& a : alterations) out.push_back({a.degree, naturalSemitones(a.degree) + a.semitones});
    std::ranges::sort(out, [](const ChordTone& a, const ChordTone& b) {
        return a.degree != b.degree ? a.degree < b.degree : a.semitones < b.semitones;
    });
    return out;
}

std::vector<Note> Chord::notes() const {
    std::vector<Note> out;
    PitchClassSet seen;
    for (const ChordTone& tone : tones()) {
        const Note note = transposeNote(root, Interval{(tone.degree - 1) % 7, tone.semitones % 12});
        if (seen.contains(note.pitchClass())) continue;
        seen.insert(note.pitchClass());
        out.push_back(note);
    }
    return out;
}

PitchClassSet Chord::pitchClasses() const {
    PitchClassSet set;
    for (const ChordTone& tone : tones()) set.insert(root.pitchClass() + tone.semitones);
    if (bass && !noChord) set.insert(bass->pitchClass());
    return set;
}

Chord transposeChord(const Chord& chord, const Interval& interval) {
    if (chord.noChord) return chord;
    Chord moved = chord;
    moved.root = transposeNote(chord.root, interval);
    if (chord.bass) moved.bass = transposeNote(*chord.bass, interval);
    return moved;
}

}  // namespace reel::compose
