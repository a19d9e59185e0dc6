#include "compose/chordpro_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/unit_text.hpp"
#include "session/closest_name.hpp"

namespace reel::compose {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// A whole number in [min, max], or nothing.
std::optional<int> wholeNumber(std::string_view text, int min, int max) {
    int number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || end != text.data() + text.size() || number < min || number > max) return std::nullopt;
    return number;
}

/// The section environments: the name in {start_of_NAME}, the kind, and the short forms.
struct Environment {
    std::string_view name;
    SectionKind kind;
    std::string_view shortStart;
    std::string_view shortEnd;
};
constexpr std::array<Environment, 10> kEnvironments = {{
    {"verse", SectionKind::verse, "sov", "eov"},
    {"chorus", SectionKind::chorus, "soc", "eoc"},
    {"bridge", SectionKind::bridge, "sob", "eob"},
    {"intro", SectionKind::intro, "", ""},
    {"prechorus", SectionKind::prechorus, "", ""},
    {"instrumental", SectionKind::instrumental, "", ""},
    {"solo", SectionKind::solo, "", ""},
    {"interlude", SectionKind::interlude, "", ""},
    {"outro", SectionKind::outro, "", ""},
    {"part", SectionKind::part, "", ""},
}};

/// A section kind named by the first word of a label ("Pre-Chorus 2" → prechorus), if any.
std::optional<SectionKind> kindFromLabel(std::string_view label) {
    std::string word;
    for (char c : label) {
        if (isSpace(c) || (c >= '0' && c <= '9')) {
            if (!word.empty()) break;
            continue;
        }
        if (c != '-' && c != '_') word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const Environment& env : kEnvironments)
        if (word == env.name && env.kind != SectionKind::part) return env.kind;
    if (word == "refrain") return SectionKind::chorus;
    if (word == "break") return SectionKind::interlude;
    if (word == "ending" || word == "coda") return SectionKind::outro;
    return std::nullopt;
}

/// The metadata field a directive sets ({t} is title, {st} subtitle), if it is one.
std::optional<std::string_view> metadataField(std::string_view name) {
    if (name == "t") return "title";
    if (name == "st") return "subtitle";
    for (std::string_view field : {"title", "subtitle", "artist", "composer", "lyricist", "album", "year", "copyright"})
        if (name == field) return field;
    return std::nullopt;
}

const std::vector<std::string>& knownDirectives() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all = {"title",
                                        "t",
                                        "subtitle",
                                        "st",
                                        "artist",
                                        "composer",
                                        "lyricist",
                                        "album",
                                        "year",
                                        "copyright",
                                        "key",
                                        "tempo",
                                        "time",
                                        "capo",
                                        "comment",
                                        "c",
                                        "comment_italic",
                                        "ci",
                                        "comment_box",
                                        "cb",
                                        "highlight",
                                        "chorus",
                                        "bars_per_chord",
                                        "beats_per_chord",
                                        "start_of_tab",
                                        "end_of_tab",
                                        "sot",
                                        "eot"};
        for (const Environment& env : kEnvironments) {
            all.push_back("start_of_" + std::string(env.name));
            all.push_back("end_of_" + std::string(env.name));
            if (!env.shortStart.empty()) {
                all.emplace_back(env.shortStart);
                all.emplace_back(env.shortEnd);
            }
        }
        return all;
    }();
    return names;
}

/// One token of a bar line: a `|`, or an entry (chord, `.`, `/`, `%`, `x2`).
struct BarToken {
    bool barLine = false;
    bool bracketed = false;
    std::string_view text;
    std::size_t at = 0;  // byte in the line where the text starts
};

/// The section being filled, and where its time has got to.
struct OpenSection {
    Section section;
    std::string_view environment;  // the NAME of {start_of_NAME}, which {end_of_NAME} must match
    bool implicit = false;         // chords outside any section
    int position = 0;              // beats from the section's start
    std::optional<Chord> last;     // the chord sounding at `position`
};

class ChartReader {
public:
    ChartReader(std::string_view text, std::string fileName) : text_(text) { chart_.file = std::move(fileName); }

    Result<Chart> read() {
        std::size_t offset = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // a UTF-8 byte order mark
        int number = 0;
        while (offset <= text_.size()) {
            std::size_t end = text_.find('\n', offset);
            if (end == std::string_view::npos) end = text_.size();
            std::string_view line = text_.substr(offset, end - offset);
            if (line.ends_with('\r')) line.remove_suffix(1);
            lineText_ = line;
            lineOffset_ = offset;
            lineNumber_ = ++number;
            if (auto ok = readLine(); !ok) return std::unexpected(ok.error());
            offset = end + 1;
        }
        if (tab_) return problem(*tab_, "tablature opened here is not closed; add {end_of_tab}");
        if (open_ && !open_->implicit)
            return problem(open_->section.where, fmt::format("{} opened here is not closed; add {{end_of_{}}}",
                                                             describe(open_->section), open_->environment));
        if (auto closed = closeSection(); !closed) return std::unexpected(closed.error());
        if (chart_.sections.empty())
            return problem({1, 1, 0, 0},
                           "the chart has no chords, so no bars; write chords over the lyrics ([Am]Walking "
                           "on [F]gravel) or bar lines (| Am | F | C | G |)");
        // The song's own key, tempo and meter are those it starts in; settings given only
        // later stand for the song when its start has none.
        const Section& first = chart_.sections.front();
        chart_.meter = first.meter;
        if (first.key) chart_.key = first.key;
        if (first.tempo) chart_.tempo = first.tempo;
        return std::move(chart_);
    }

private:
    // ---- places and errors ----

    TextSpan spanAt(std::size_t byteInLine, std::size_t length) const {
        int column = 1;
        for (std::size_t i = 0; i < byteInLine && i < lineText_.size(); ++i)
            if ((static_cast<unsigned char>(lineText_[i]) & 0xC0) != 0x80) ++column;  // count UTF-8 lead bytes
        return {lineNumber_, column, lineOffset_ + byteInLine, length};
    }
    std::size_t byteInLine(std::string_view part) const {
        return static_cast<std::size_t>(part.data() - lineText_.data());
    }
    TextSpan spanOf(std::string_view part) const { return spanAt(byteInLine(part), part.size()); }

    std::unexpected<Error> problem(const TextSpan& where, const std::string& message) const {
        return fail(ErrorCode::parseError, fmt::format("{}:{}:{}: {}", chart_.file, where.line, where.column, message));
    }
    static std::string placeText(const TextSpan& where) { return fmt::format("{}:{}", where.line, where.column); }
    static std::string describe(const Section& section) {
        std::string text(sectionKindName(section.kind));
        if (!section.label.empty()) text += " \"" + section.label + "\"";
        return text;
    }

    // ---- lines ----

    Result<void> readLine() {
        const std::string_view content = trimmed(lineText_);
        if (tab_) {
            if (content.starts_with('{')) {
                auto directive = splitDirective(content);
                if (!directive) return std::unexpected(directive.error());
                if (directive->name == "end_of_tab" || directive->name == "eot") tab_.reset();
            }
            return {};
        }
        if (content.empty() || content.starts_with('#')) return {};
        if (content.starts_with('{')) {
            auto directive = splitDirective(content);
            if (!directive) return std::unexpected(directive.error());
            return handleDirective(*directive);
        }
        if (content.starts_with('|')) return readBarLine(content);
        return readLyricLine();
    }

    struct Directive {
        std::string name;        // lowercase
        std::string_view value;  // trimmed; empty when none
        TextSpan where;          // the `{`
        TextSpan nameWhere;
        TextSpan valueWhere;
    };

    Result<Directive> splitDirective(std::string_view content) const {
        const TextSpan where = spanOf(content.substr(0, 1));
        const std::size_t close = content.find('}');
        if (close == std::string_view::npos)
            return problem(
                where, "\"{\" is not closed; a directive ends with \"}\" on the same line, like {title: Gravel Road}");
        if (close + 1 < content.size())
            return problem(spanOf(content.substr(content.find_first_not_of(" \t", close + 1), 1)),
                           "text after the directive; a directive stands alone on its line");
        const std::string_view inside = content.substr(1, close - 1);
        std::size_t nameEnd = 0;
        while (nameEnd < inside.size() && inside[nameEnd] != ':' && !isSpace(inside[nameEnd])) ++nameEnd;
        const std::string_view name = trimmed(inside.substr(0, nameEnd));
        if (name.empty()) return problem(where, "empty directive; write a name such as {title: …} or {start_of_verse}");
        std::string_view value = inside.substr(nameEnd);
        while (!value.empty() && isSpace(value.front())) value.remove_prefix(1);
        if (value.starts_with(':')) value.remove_prefix(1);
        value = trimmed(value);
        const TextSpan valueWhere = value.empty() ? spanOf(inside.substr(nameEnd, 0)) : spanOf(value);
        return Directive{lowered(name), value, where, spanOf(name), valueWhere};
    }

    Result<void> handleDirective(const Directive& d) {
        for (const Environment& env : kEnvironments) {
            if (d.name == "start_of_" + std::string(env.name) || (!env.shortStart.empty() && d.name == env.shortStart))
                return startSection(env, d);
            if (d.name == "end_of_" + std::string(env.name) || (!env.shortEnd.empty() && d.name == env.shortEnd))
                return endSection(env, d);
        }
        if (d.name == "start_of_tab" || d.name == "sot") {
            tab_ = d.where;
            return {};
        }
        if (d.name == "end_of_tab" || d.name == "eot") return problem(d.where, "{end_of_tab} without {start_of_tab}");
        if (d.name == "chorus") return repeatChorus(d);

        if (auto field = metadataField(d.name)) {
            if (d.value.empty())
                return problem(d.where, fmt::format("{{{}}} needs a value, like {{{}: …}}", d.name, d.name));
            if (*field == "title")
                chart_.title = d.value;
            else if (*field == "subtitle")
                chart_.subtitle = d.value;
            else if (*field == "artist")
                chart_.artist = d.value;
            else
                chart_.info.emplace_back(*field, d.value);
            return {};
        }
        for (std::string_view name : {"comment", "c", "comment_italic", "ci", "comment_box", "cb", "highlight"}) {
            if (d.name != name) continue;
            if (!d.value.empty()) (open_ ? open_->section.comments : chart_.comments).emplace_back(d.value);
            return {};
        }
        if (d.name == "key" || d.name == "tempo" || d.name == "time") return changeSetting(d);
        if (d.name == "capo") {
            auto capo = wholeNumber(d.value, 0, 24);
            if (!capo)
                return problem(d.valueWhere,
                               fmt::format("capo \"{}\" is not a fret; expected 0 to 24, like {{capo: 2}}", d.value));
            chart_.capo = *capo;
            return {};
        }
        if (d.name == "bars_per_chord" || d.name == "beats_per_chord") {
            auto count = wholeNumber(d.value, 1, 64);
            if (!count)
                return problem(d.valueWhere,
                               fmt::format("{} \"{}\" is not a chord length; expected a whole number from 1 to "
                                           "64, like {{{}: 2}}",
                                           d.name, d.value, d.name));
            chordLength_ = *count;
            chordLengthInBars_ = d.name == "bars_per_chord";
            return {};
        }
        std::vector<std::string_view> names(knownDirectives().begin(), knownDirectives().end());
        if (auto near = session::closestName(d.name, names))
            return problem(d.nameWhere, fmt::format("unknown directive \"{}\"; did you mean \"{}\"?", d.name, *near));
        return problem(d.nameWhere,
                       fmt::format("unknown directive \"{}\" (known: title, subtitle, artist, key, tempo, time, "
                                   "capo, comment, start_of_verse/chorus/bridge/intro/outro/part, chorus, "
                                   "bars_per_chord, …)",
                                   d.name));
    }

    Result<void> changeSetting(const Directive& d) {
        if (open_ && !open_->implicit)
            return problem(d.where, fmt::format("{{{}}} inside the {} opened at {}; change it between sections", d.name,
                                                describe(open_->section), placeText(open_->section.where)));
        if (auto closed = closeSection(); !closed) return closed;
        if (d.name == "key") {
            auto key = Key::parse(d.value);
            if (!key) return problem(d.valueWhere, key.error().message);
            key_ = *key;
            if (!chart_.key) chart_.key = *key;
            chart_.writtenKeys.push_back({d.valueWhere, *key, d.value.find(' ') == std::string_view::npos});
            return {};
        }
        if (d.name == "tempo") {
            std::string_view number = d.value;
            if (lowered(number).ends_with("bpm")) number = trimmed(number.substr(0, number.size() - 3));
            auto bpm = parseNumber(number);
            if (!bpm || *bpm < 20.0 || *bpm > 400.0)
                return problem(d.valueWhere,
                               fmt::format("tempo \"{}\" is not a tempo; expected beats per minute from 20 to "
                                           "400, like {{tempo: 92}}",
                                           d.value));
            tempo_ = *bpm;
            if (!chart_.tempo) chart_.tempo = *bpm;
            return {};
        }
        auto meter = parseMeter(d.value);
        if (!meter)
            return problem(d.valueWhere,
                           fmt::format("time \"{}\" is not a meter; expected beats per bar / note value, like "
                                       "4/4, 3/4 or 6/8",
                                       d.value));
        meter_ = *meter;
        return {};
    }

    static std::optional<session::Meter> parseMeter(std::string_view text) {
        const std::size_t slash = text.find('/');
        if (slash == std::string_view::npos) return std::nullopt;
        auto beats = wholeNumber(trimmed(text.substr(0, slash)), 1, 64);
        auto unit = wholeNumber(trimmed(text.substr(slash + 1)), 1, 64);
        if (!beats || !unit || (*unit & (*unit - 1)) != 0) return std::nullopt;
        return session::Meter{*beats, *unit};
    }

    // ---- sections ----

    Result<void> startSection(const Environment& env, const Directive& d) {
        if (open_ && !open_->implicit)
            return problem(d.where, fmt::format("{{start_of_{}}} inside the {} opened at {}; close that first with "
                                                "{{end_of_{}}}",
                                                env.name, describe(open_->section), placeText(open_->section.where),
                                                open_->environment));
        if (auto closed = closeSection(); !closed) return closed;
        std::string_view label = d.value;
        if (label.starts_with("label=")) {
            label.remove_prefix(6);
            if (label.size() >= 2 && (label.front() == '"' || label.front() == '\'') && label.back() == label.front())
                label = label.substr(1, label.size() - 2);
        }
        SectionKind kind = env.kind;
        if (kind == SectionKind::part)
            if (auto named = kindFromLabel(label)) kind = *named;
        open(kind, std::string(label), env.name, d.where, false);
        return {};
    }

    void open(SectionKind kind, std::string label, std::string_view environment, const TextSpan& where, bool implicit) {
        OpenSection section;
        section.section.kind = kind;
        section.section.label = std::move(label);
        section.section.key = key_;
        section.section.tempo = tempo_;
        section.section.meter = meter_;
        section.section.where = where;
        section.environment = environment;
        section.implicit = implicit;
        open_ = std::move(section);
    }

    Result<void> endSection(const Environment& env, const Directive& d) {
        if (!open_ || open_->implicit)
            return problem(d.where, fmt::format("{{end_of_{0}}} without {{start_of_{0}}}", env.name));
        if (open_->environment != env.name)
            return problem(d.where,
                           fmt::format("{{end_of_{}}} closes the {} opened at {}; write {{end_of_{}}}", env.name,
                                       describe(open_->section), placeText(open_->section.where), open_->environment));
        return closeSection();
    }

    /// Ends the open section, if any: its last bar is filled out, and it must have bars.
    Result<void> closeSection() {
        if (!open_) return {};
        completeBar();
        Section& section = open_->section;
        if (section.bars.empty()) {
            if (open_->implicit)
                return problem(section.where,
                               "lines outside any section have no chords, so no bars; put them in a "
                               "section such as {start_of_verse} … {end_of_verse} and add chords");
            return problem(section.where, fmt::format("{} has no bars; give it chords ([Am] over the lyrics) or a bar "
                                                      "line (| Am | F |)",
                                                      describe(section)));
        }
        if (section.kind == SectionKind::chorus && !section.repeatOf) lastChorus_ = chart_.sections.size();
        chart_.sections.push_back(std::move(section));
        open_.reset();
        return {};
    }

    Result<void> repeatChorus(const Directive& d) {
        if (open_ && !open_->implicit)
            return problem(d.where,
                           fmt::format("{{chorus}} inside the {} opened at {}; close it first with {{end_of_{}}}",
                                       describe(open_->section), placeText(open_->section.where), open_->environment));
        if (auto closed = closeSection(); !closed) return closed;
        if (!lastChorus_)
            return problem(d.where,
                           "{chorus} repeats the last chorus, but none came before; write one with "
                           "{start_of_chorus} … {end_of_chorus} first");
        Section repeat = chart_.sections[*lastChorus_];
        repeat.repeatOf = *lastChorus_;
        repeat.where = d.where;
        repeat.comments.clear();
        if (!d.value.empty()) repeat.label = d.value;
        chart_.sections.push_back(std::move(repeat));
        return {};
    }

    /// The section lines go into: the open one, or a new unlabelled part outside sections.
    OpenSection& target(const TextSpan& where) {
        if (!open_) open(SectionKind::part, "", "part", where, true);
        return *open_;
    }

    // ---- time ----

    int beatsPerBar() const { return open_->section.meter.beatsPerBar; }

    /// Lays `beats` of `chord` from the current position, tying it over bar lines. A held part
    /// that continues the bar's last chord lengthens it instead of adding an entry.
    void place(const Chord& chord, int beats, bool struck) {
        OpenSection& s = *open_;
        const int perBar = beatsPerBar();
        bool held = !struck;
        while (beats > 0) {
            const auto barIndex = static_cast<std::size_t>(s.position / perBar);
            const int beat = s.position % perBar;
            if (barIndex == s.section.bars.size()) s.section.bars.emplace_back();
            auto& chords = s.section.bars[barIndex].chords;
            const int take = std::min(beats, perBar - beat);
            if (held && !chords.empty() && chords.back().startBeat + chords.back().beats == beat)
                chords.back().beats += take;
            else
                chords.push_back({chord, beat, take, held});
            held = true;
            s.position += take;
            beats -= take;
        }
        s.last = chord;
    }

    /// Holds the sounding chord to the end of a part-filled bar.
    void completeBar() {
        if (!open_ || !open_->last) return;
        const int rest = open_->position % beatsPerBar();
        if (rest != 0) place(*open_->last, beatsPerBar() - rest, false);
    }

    /// Appends copies of bars [first, last): `%` and `x2`. The first copied chord is struck
    /// unless it is tied from the chord sounding right before the copy.
    void repeatBars(std::size_t first, std::size_t last) {
        OpenSection& s = *open_;
        for (std::size_t i = first; i < last; ++i) {
            Bar copy = s.section.bars[i];
            if (i == first && copy.chords.front().held && (!s.last || copy.chords.front().chord != *s.last))
                copy.chords.front().held = false;
            s.section.bars.push_back(copy);
            s.position += beatsPerBar();
            s.last = copy.chords.back().chord;
        }
    }

    Result<Chord> chordAt(std::string_view text) {
        const std::string_view symbol = trimmed(text);
        const TextSpan where = symbol.empty() ? spanOf(text) : spanOf(symbol);
        if (symbol.empty()) return problem(where, "empty chord []; write a chord inside the brackets, like [Am]");
        auto chord = Chord::parse(symbol);
        if (!chord) return problem(where, chord.error().message);
        chart_.writtenChords.push_back({where, *chord, key_});
        return *chord;
    }

    Result<void> readLyricLine() {
        std::string lyric;
        std::vector<Chord> chords;
        const std::string_view line = lineText_;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (c == '[') {
                const std::size_t close = line.find(']', i + 1);
                const std::size_t reopen = line.find('[', i + 1);
                if (close == std::string_view::npos || reopen < close)
                    return problem(spanAt(i, 1), "\"[\" is not closed; a chord is written in brackets, like [Am]");
                const std::string_view inside = line.substr(i + 1, close - i - 1);
                if (!inside.starts_with('*')) {  // [*Riff] is an annotation, not a chord
                    auto chord = chordAt(inside);
                    if (!chord) return std::unexpected(chord.error());
                    chords.push_back(*chord);
                }
                i = close;
            } else if (c == ']') {
                return problem(spanAt(i, 1), "\"]\" without \"[\"; a chord is written in brackets, like [Am]");
            } else if (c == '{') {
                return problem(spanAt(i, 1), "a directive stands alone on its line; put {…} on a line of its own");
            } else if (c == '}') {
                return problem(spanAt(i, 1), "\"}\" without \"{\"");
            } else {
                lyric += c;
            }
        }
        OpenSection& s = target(spanAt(byteInLine(trimmed(line)), 0));
        const int length = chordLengthInBars_ ? chordLength_ * beatsPerBar() : chordLength_;
        for (const Chord& chord : chords) place(chord, length, true);
        const std::string_view words = trimmed(lyric);
        if (!words.empty()) s.section.lyrics.emplace_back(lyric.substr(0, lyric.find_last_not_of(" \t") + 1));
        return {};
    }

    Result<std::vector<BarToken>> tokenizeBarLine(std::string_view content) const {
        std::vector<BarToken> tokens;
        const std::size_t start = byteInLine(content);
        std::size_t i = 0;
        while (i < content.size()) {
            const char c = content[i];
            if (isSpace(c)) {
                ++i;
            } else if (c == '|') {
                tokens.push_back({true, false, content.substr(i, 1), start + i});
                ++i;
            } else if (c == '[') {
                const std::size_t close = content.find(']', i + 1);
                const std::size_t reopen = content.find('[', i + 1);
                if (close == std::string_view::npos || reopen < close)
                    return problem(spanAt(start + i, 1),
                                   "\"[\" is not closed; a chord is written in brackets, like [Am]");
                tokens.push_back({false, true, content.substr(i + 1, close - i - 1), start + i + 1});
                i = close + 1;
            } else if (c == ']' || c == '{' || c == '}') {
                return problem(spanAt(start + i, 1),
                               fmt::format("\"{}\" does not belong in a bar line; write | Am . F . | C G |", c));
            } else {
                // A bare entry runs to the next space or bar line; a space inside parentheses
                // belongs to the chord (C7(b9 #11)).
                const std::size_t begin = i;
                int depth = 0;
                while (i < content.size() && content[i] != '|' && content[i] != '[' &&
                       (depth > 0 || !isSpace(content[i]))) {
                    depth += content[i] == '(' ? 1 : content[i] == ')' ? -1 : 0;
                    ++i;
                }
                tokens.push_back({false, false, content.substr(begin, i - begin), start + begin});
            }
        }
        return tokens;
    }

    /// "x3", "×3", "(x3)": how many times to play the line; nothing if the text is not that.
    static std::optional<int> repeatCount(std::string_view text) {
        if (text.starts_with('(') && text.ends_with(')')) text = text.substr(1, text.size() - 2);
        if (text.starts_with("x") || text.starts_with("X"))
            text.remove_prefix(1);
        else if (text.starts_with("\xC3\x97"))
            text.remove_prefix(2);  // ×
        else
            return std::nullopt;
        return wholeNumber(text, 1, 64);
    }

    Result<void> readBarLine(std::string_view content) {
        auto tokens = tokenizeBarLine(content);
        if (!tokens) return std::unexpected(tokens.error());
        OpenSection& s = target(spanAt(byteInLine(content), 0));
        completeBar();
        const std::size_t firstBar = s.section.bars.size();
        const int perBar = beatsPerBar();
        int times = 1;
        // Cells between bar lines; the text after the last `|` is a bar without its closing line, or x3.
        std::size_t i = 1;  // tokens[0] is the leading `|`
        while (i < tokens->size()) {
            std::vector<BarToken> cell;
            std::size_t j = i;
            while (j < tokens->size() && !(*tokens)[j].barLine) cell.push_back((*tokens)[j++]);
            const bool closed = j < tokens->size();
            const BarToken& before = (*tokens)[i - 1];
            i = j + 1;
            if (cell.empty()) {
                if (!closed) break;
                const std::size_t next = (*tokens)[j].at;
                if (next == before.at + 1) continue;  // `||`: a double bar line
                return problem(spanAt(before.at, 1),
                               "empty bar; write a chord, . to hold or % to repeat the bar before");
            }
            if (!closed && cell.size() == 1 && !cell[0].bracketed) {
                if (auto count = repeatCount(cell[0].text)) {
                    times = *count;
                    break;
                }
            }
            if (perBar % static_cast<int>(cell.size()) != 0) {
                std::string parts;
                for (int n = 1; n <= perBar; ++n)
                    if (perBar % n == 0) parts += (parts.empty() ? "" : ", ") + std::to_string(n);
                return problem(spanAt(cell[0].at, cell[0].text.size()),
                               fmt::format("{} entries in a bar of {}/{}; a bar splits into equal parts, so write {} "
                                           "entries (chords, or . to hold one)",
                                           cell.size(), perBar, s.section.meter.beatUnit, parts));
            }
            const int each = perBar / static_cast<int>(cell.size());
            for (const BarToken& token : cell) {
                const TextSpan where = spanAt(token.at, token.text.size());
                if (!token.bracketed && token.text == "%") {
                    if (cell.size() != 1)
                        return problem(where, "% repeats a whole bar, so it stands alone between bar lines");
                    if (s.section.bars.empty())
                        return problem(where, "% repeats the bar before, but this is the section's first bar");
                    repeatBars(s.section.bars.size() - 1, s.section.bars.size());
                } else if (!token.bracketed && (token.text == "." || token.text == "/")) {
                    if (!s.last)
                        return problem(where,
                                       fmt::format("\"{}\" holds the chord before it, but the {} has no chord yet",
                                                   token.text, describe(s.section)));
                    place(*s.last, each, false);
                } else {
                    auto chord = chordAt(token.text);
                    if (!chord) return std::unexpected(chord.error());
                    place(*chord, each, true);
                }
            }
        }
        const std::size_t lastBar = s.section.bars.size();
        for (int time = 1; time < times; ++time) repeatBars(firstBar, lastBar);
        return {};
    }

    std::string_view text_;
    Chart chart_;
    std::string_view lineText_;
    std::size_t lineOffset_ = 0;
    int lineNumber_ = 0;

    std::optional<Key> key_;
    std::optional<double> tempo_;
    session::Meter meter_;
    int chordLength_ = 1;
    bool chordLengthInBars_ = true;
    std::optional<OpenSection> open_;
    std::optional<TextSpan> tab_;
    std::optional<std::size_t> lastChorus_;
};

}  // namespace

Result<Chart> parseChordPro(std::string_view text, const std::string& fileName) {
    return ChartReader(text, fileName).read();
}

Result<std::string> readTextFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return fail(ErrorCode::fileNotFound, path.string() + ": no such file");
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorCode::fileUnreadable, path.string() + ": is a folder; give a ChordPro file (.cho)");
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::fileUnreadable, path.string() + ": cannot be opened for reading");
    std::stringstream contents;
    contents << in.rdbuf();
    if (in.bad()) return fail(ErrorCode::fileUnreadable, path.string() + ": cannot be read");
    return contents.str();
}

Result<Chart> loadChordPro(const std::filesystem::path& path) {
    auto text = readTextFile(path);
    if (!text) return std::unexpected(text.error());
    return parseChordPro(*text, path.string());
}

}  // namespace reel::compose
