// `reel chart SONG.cho [--transpose N | --key KEY] [-o OUT.cho] [--json]`: a chord chart checked,
// printed bar by bar with Roman numerals, and transposed on request.
#include "cli/chart_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>

#include "compose/chordpro_parser.hpp"
#include "compose/chordpro_writer.hpp"
#include "compose/roman_numeral.hpp"
#include "core/json_writer.hpp"

namespace reel::cli {
namespace {

using compose::Bar;
using compose::Chart;
using compose::Key;
using compose::Section;

const char* kHelp =
    "Usage: reel chart SONG.cho [--transpose N | --key KEY] [-o OUT.cho] [--json]\n\n"
    "Checks a ChordPro chord chart and prints it: title, key, tempo, meter, every section with\n"
    "its bars (chords on their beats, Roman numerals in the key underneath), the total bars and\n"
    "the duration at the tempo. A mistake is reported as file:line:column with what to write.\n\n"
    "Bars: in lyrics ([Am]Walking on [F]gravel) and chord-only lines ([Am] [F]) each chord is one\n"
    "bar, or as long as {bars_per_chord: N} / {beats_per_chord: N} says. A line starting with |\n"
    "lists bars: | Am . F . | C G | % | x2 — each bar splits into equal parts, one per entry;\n"
    ". or / holds the chord before, % repeats the previous bar, x2 after the last | plays the\n"
    "line twice. Sections: {start_of_verse: Verse 1} ... {end_of_verse} (also chorus, bridge,\n"
    "intro, prechorus, instrumental, solo, interlude, outro, part; {sov} {soc} {sob} ...),\n"
    "{chorus} repeats the last chorus.\n\n"
    "Options:\n"
    "  --transpose N     move the chart N semitones (-24 to 24; +2 is up a whole tone). Keys take\n"
    "                    their usual spelling (flats in flat keys); moving back restores the chart\n"
    "  --key KEY         move the chart into KEY (G, Bb, F#m, \"C# minor\"); the mode stays the\n"
    "                    chart's, and the tonic is spelled as you write it\n"
    "  -o, --output FILE write the chart, transposed if asked, as ChordPro to FILE: the original\n"
    "                    text with its chords and {key} replaced (written whole or not at all)\n"
    "  --json            print the chart as JSON (beats counted from 1, bars from 1 across the song)\n\n"
    "Exit status: 0 the chart is fine, 1 it has errors (or the output cannot be written),\n"
    "2 bad usage.\n\n"
    "Examples:\n"
    "  reel chart examples/songs/gravel-road.cho\n"
    "  reel chart song.cho --transpose +2\n"
    "  reel chart song.cho --key G -o song-in-g.cho\n"
    "  reel chart song.cho --json\n";

/// "+2", "-3", "5": semitones from -24 to 24.
Result<int> parseSemitones(const std::string& text) {
    std::string_view digits = text;
    if (digits.starts_with('+')) digits.remove_prefix(1);
    int semitones = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), semitones);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || semitones < -24 ||
        semitones > 24)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("--transpose \"{}\": expected semitones from -24 to 24, like +2 or -3", text));
    return semitones;
}

std::string meterText(const session::Meter& meter) { return fmt::format("{}/{}", meter.beatsPerBar, meter.beatUnit); }

std::string clock(double seconds) {
    const int minutes = static_cast<int>(seconds / 60.0);
    return fmt::format("{}:{:04.1f}", minutes, seconds - 60.0 * minutes);
}

std::string tempoText(double bpm) { return fmt::format("{:g}", bpm); }

/// The key a section's numerals are counted in.
std::optional<Key> sectionKey(const Section& section, const Chart& chart) {
    return section.key ? section.key : chart.analysisKey();
}

/// A bar as bar notation: "Am", "Am F", "Am . . F", ". F" (a held chord is "."). Entries of equal
/// length are written once each; otherwise one per beat.
std::string cellText(const Bar& bar, int beatsPerBar, const std::function<std::string(const compose::Chord&)>& name) {
    auto entry = [&](const compose::BarChord& c) { return c.held ? std::string(".") : name(c.chord); };
    const bool even =
        std::ranges::all_of(bar.chords, [&](const auto& c) { return c.beats == bar.chords.front().beats; });
    std::string text;
    if (even) {
        for (const auto& c : bar.chords) text += (text.empty() ? "" : " ") + entry(c);
        return text;
    }
    for (int beat = 0; beat < beatsPerBar; ++beat) {
        auto starts = std::ranges::find_if(bar.chords, [&](const auto& c) { return c.startBeat == beat; });
        text += (text.empty() ? "" : " ") + (starts != bar.chords.end() ? entry(*starts) : std::string("."));
    }
    return text;
}

/// Characters in UTF-8 text (° and ø are two bytes but one column).
std::size_t displayWidth(const std::string& text) {
    return static_cast<std::size_t>(
        std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string padded(const std::string& text, std::size_t width) {
    return text + std::string(width > displayWidth(text) ? width - displayWidth(text) : 0, ' ');
}

void printChart(const Chart& chart, const std::string& transposition) {
    const auto key = chart.analysisKey();
    std::string heading = chart.title.empty() ? chart.file : chart.title;
    if (!chart.subtitle.empty()) heading += " (" + chart.subtitle + ")";
    if (!chart.artist.empty()) heading += " by " + chart.artist;
    printLine(heading);
    std::string keyText = !key        ? "no key"
                          : chart.key ? "key " + key->toString()
                                      : "key " + key->toString() + " (assumed from the first chord)";
    std::string summary =
        fmt::format("{}, {}, {}: {} bars", keyText, chart.tempo ? tempoText(*chart.tempo) + " bpm" : "no tempo",
                    meterText(chart.meter), chart.totalBars());
    if (auto seconds = chart.durationSeconds()) summary += ", " + clock(*seconds);
    printLine(summary);
    if (chart.capo > 0) printLine(fmt::format("capo {}", chart.capo));
    if (!transposition.empty()) printLine(transposition);

    // One width for every cell of the chart, so bars line up from section to section.
    std::size_t width = 4;
    for (const Section& section : chart.sections) {
        const auto inKey = sectionKey(section, chart);
        for (const Bar& bar : section.bars) {
            width = std::max(width, displayWidth(cellText(bar, section.meter.beatsPerBar,
                                                          [](const auto& c) { return c.toString(); })));
            if (inKey)
                width = std::max(width, displayWidth(cellText(bar, section.meter.beatsPerBar, [&](const auto& c) {
                                     return compose::romanNumeral(c, *inKey);
                                 })));
        }
    }
    constexpr std::size_t kBarsPerLine = 4;
    int firstBar = 1;
    for (std::size_t s = 0; s < chart.sections.size(); ++s) {
        const Section& section = chart.sections[s];
        const auto inKey = sectionKey(section, chart);
        const int count = static_cast<int>(section.bars.size());
        std::string title = fmt::format("\n{} \"{}\": {} bar{} (bars {}-{})", compose::sectionKindName(section.kind),
                                        section.title(), count, count == 1 ? "" : "s", firstBar, firstBar + count - 1);
        if (section.repeatOf) title += fmt::format(", repeats \"{}\"", chart.sections[*section.repeatOf].title());
        if (section.key && chart.key && *section.key != *chart.key) title += ", in " + section.key->toString();
        if (section.tempo && chart.tempo && *section.tempo != *chart.tempo)
            title += ", " + tempoText(*section.tempo) + " bpm";
        if (section.meter.beatsPerBar != chart.meter.beatsPerBar || section.meter.beatUnit != chart.meter.beatUnit)
            title += ", " + meterText(section.meter);
        printLine(title);
        for (std::size_t b = 0; b < section.bars.size(); b += kBarsPerLine) {
            std::string chords = fmt::format("{:>6} |", firstBar + static_cast<int>(b));
            std::string numerals = "       |";
            for (std::size_t i = b; i < std::min(section.bars.size(), b + kBarsPerLine); ++i) {
                const Bar& bar = section.bars[i];
                chords += " " +
                          padded(cellText(bar, section.meter.beatsPerBar, [](const auto& c) { return c.toString(); }),
                                 width) +
                          " |";
                if (inKey)
                    numerals += " " +
                                padded(cellText(bar, section.meter.beatsPerBar,
                                                [&](const auto& c) { return compose::romanNumeral(c, *inKey); }),
                                       width) +
                                " |";
            }
            printLine(chords);
            if (inKey) printLine(numerals);
        }
        firstBar += count;
    }
}

void printJson(const Chart& chart, int semitones, const std::optional<std::string>& output) {
    JsonWriter json;
    json.beginObject();
    json.key("file").value(chart.file);
    json.key("title").value(chart.title);
    json.key("subtitle").value(chart.subtitle);
    json.key("artist").value(chart.artist);
    const auto key = chart.analysisKey();
    json.key("key");
    if (key)
        json.value(key->toString());
    else
        json.null();
    json.key("key_assumed").value(!chart.key.has_value() && key.has_value());
    json.key("tempo_bpm").value(chart.tempo, 2);
    json.key("meter").value(meterText(chart.meter));
    json.key("capo").value(chart.capo);
    json.key("transposed_semitones").value(semitones);
    json.key("bars").value(chart.totalBars());
    json.key("duration_s").value(chart.durationSeconds(), 3);
    json.key("sections").beginArray();
    int barNumber = 1;
    for (const Section& section : chart.sections) {
        const auto inKey = sectionKey(section, chart);
        json.beginObject();
        json.key("kind").value(compose::sectionKindName(section.kind));
        json.key("label").value(section.label);
        json.key("line").value(section.where.line);
        json.key("repeat_of");
        if (section.repeatOf)
            json.value(static_cast<std::int64_t>(*section.repeatOf));
        else
            json.null();
        json.key("key");
        if (inKey)
            json.value(inKey->toString());
        else
            json.null();
        json.key("tempo_bpm").value(section.tempo, 2);
        json.key("meter").value(meterText(section.meter));
        json.key("first_bar").value(barNumber);
        json.key("bars").beginArray();
        for (const Bar& bar : section.bars) {
            json.beginObject();
            json.key("bar").value(barNumber++);
            json.key("chords").beginArray();
            for (const auto& c : bar.chords) {
                json.beginObject();
                json.key("beat").value(c.startBeat + 1);
                json.key("beats").value(c.beats);
                json.key("chord").value(c.chord.toString());
                json.key("held").value(c.held);
                json.key("roman");
                if (inKey)
                    json.value(compose::romanNumeral(c.chord, *inKey));
                else
                    json.null();
                json.key("notes").beginArray();
                for (const auto& note : c.chord.notes()) json.value(note.toString());
                json.endArray();
                json.key("bass");
                if (c.chord.bass)
                    json.value(c.chord.bass->toString());
                else
                    json.null();
                json.endObject();
            }
            json.endArray();
            json.endObject();
        }
        json.endArray();
        json.key("lyrics").beginArray();
        for (const auto& line : section.lyrics) json.value(line);
        json.endArray();
        json.key("comments").beginArray();
        for (const auto& line : section.comments) json.value(line);
        json.endArray();
        json.endObject();
    }
    json.endArray();
    json.key("output");
    if (output)
        json.value(*output);
    else
        json.null();
    json.endObject();
    printLine(json.str());
}

ExitStatus runChart(const Arguments& args, const OutputMode& mode) {
    const std::string name = "chart";
    if (args.positionals().size() != 1)
        return report(name, {ErrorCode::invalidArgument, "expected one ChordPro file (SONG.cho)"}, mode,
                      ExitStatus::usage);
    const std::string path = args.positionals()[0];
    if (args.has("transpose") && args.has("key"))
        return report(name, {ErrorCode::invalidArgument, "give --transpose or --key, not both"}, mode,
                      ExitStatus::usage);
    std::optional<int> semitones;
    if (auto text = args.value("transpose")) {
        auto parsed = parseSemitones(*text);
        if (!parsed) return report(name, parsed.error(), mode, ExitStatus::usage);
        semitones = *parsed;
    }
    std::optional<Key> target;
    bool modeNamed = false;
    if (auto text = args.value("key")) {
        auto parsed = Key::parse(*text);
        if (!parsed)
            return report(name, {ErrorCode::invalidArgument, "--key: " + parsed.error().message}, mode,
                          ExitStatus::usage);
        target = *parsed;
        auto tonic = compose::readNote(*text);
        modeNamed = tonic && tonic->length != text->size();
    }
    const auto output = args.value("output");
    if (output) {
        std::error_code ec;
        if (std::filesystem::exists(*output, ec) && std::filesystem::equivalent(*output, path, ec))
            return report(name,
                          {ErrorCode::invalidArgument, fmt::format("{}: output would overwrite the chart; write to "
                                                                   "another file",
                                                                   *output)},
                          mode, ExitStatus::usage);
    }

    auto source = compose::readTextFile(path);
    if (!source) return report(name, source.error(), mode, ExitStatus::failed);
    auto chart = compose::parseChordPro(*source, path);
    if (!chart) return report(name, chart.error(), mode, ExitStatus::failed);

    const auto original = chart->analysisKey();
    Chart shown = *chart;
    int moved = 0;
    if (target && original) {
        if (modeNamed && target->mode != original->mode)
            return report(name,
                          {ErrorCode::invalidArgument,
                           fmt::format("--key {}: the chart is in {}; transposing keeps the mode, so write --key {} "
                                       "or --key {}",
                                       target->toString(), original->toString(), target->tonic.toString(),
                                       Key{target->tonic, original->mode}.toString())},
                          mode, ExitStatus::usage);
        shown = compose::transposeChartTo(*chart, target->tonic);
        moved = compose::wrapPitchClass(target->tonic.pitchClass() - original->tonic.pitchClass());
        if (moved > 6) moved -= 12;  // the nearer way, for the report; the spelling comes from the key
    } else if (semitones && original) {
        shown = compose::transposeChart(*chart, *semitones);
        moved = *semitones;
    }
    std::string transposition;
    if ((target || semitones) && original)
        transposition = fmt::format("transposed {:+d} semitone{}: {} -> {}", moved, std::abs(moved) == 1 ? "" : "s",
                                    original->toString(), shown.analysisKey()->toString());

    if (output) {
        if (auto saved = compose::saveTextFile(*output, compose::rewriteChordPro(*source, shown)); !saved)
            return report(name, saved.error(), mode, ExitStatus::failed);
    }
    if (mode.json) {
        printJson(shown, moved, output);
    } else {
        printChart(shown, transposition);
        if (output && !mode.quiet) printLine(fmt::format("\nwrote {}", *output));
    }
    return ExitStatus::ok;
}

}  // namespace

Command chartCommand() {
    return {"chart",
            "check, print and transpose a ChordPro chord chart",
            kHelp,
            {{"transpose", 0, true}, {"key", 0, true}, {"output", 'o', true}},
            runChart};
}

}  // namespace reel::cli
