#pragma once
// Reading ChordPro chord charts into a Chart, with errors at file:line:column.
//
// The dialect (a subset of ChordPro 6 plus a bar notation for timing):
//
//   Lines     `# …` is a comment; `{…}` is a directive and stands alone on its line; a line that
//             starts with `|` is a bar line; any other line is lyrics with chords in brackets,
//             `[Am]Walking on [F]gravel`, or chords alone, `[Am] [F] [C] [G]`. `[*text]` is an
//             annotation and is skipped. Columns count characters (UTF-8), tabs as one.
//   Metadata  {title: } {t: } {subtitle: } {st: } {artist: } {composer: } {lyricist: } {album: }
//             {year: } {copyright: } {key: Am} {tempo: 92} (beats per minute, 20–400, "bpm" may
//             follow) {time: 4/4} (1–64 beats over 1, 2, 4, 8, 16, 32 or 64) {capo: 2} (0–24).
//             A value follows a colon or a space: {title Gravel Road} works too. {key}, {tempo}
//             and {time} may change between sections; a section keeps the values it started with.
//   Comments  {comment: } {c: } {comment_italic: } {ci: } {comment_box: } {cb: } {highlight: }
//   Sections  {start_of_KIND} … {end_of_KIND} for KIND = verse, chorus, bridge, intro, prechorus,
//             instrumental, solo, interlude, outro, part; short forms {sov}/{eov}, {soc}/{eoc},
//             {sob}/{eob}. A label may follow: {start_of_verse: Verse 2} or label="Verse 2".
//             {start_of_part: Intro} takes its kind from the label's first word when it names one
//             (intro, verse, pre-chorus, chorus, refrain, bridge, instrumental, solo, interlude,
//             break, outro, ending, coda), else it is a "part". {chorus} (or {chorus: Last chorus})
//             repeats the last chorus. Sections do not nest. Lines with chords outside any section
//             form an unlabelled "part" that ends at the next section. {start_of_tab}/{sot} …
//             {end_of_tab}/{eot} hold tablature, which is kept out of the chart.
//
// Bar counting (what an arranger relies on):
//   * In lyric and chord-only lines each chord lasts one bar, or what the last
//     {bars_per_chord: N} or {beats_per_chord: N} said (N from 1 to 64; it holds until changed,
//     across sections). A chord longer than the bar's rest is tied into the next bar(s).
//   * A bar line lists bars between `|`s: `| Am . F . | C G | % |`. Each bar splits into equal
//     parts, one per entry, which must divide the meter's beats (4/4: 1, 2 or 4 entries; 6/8:
//     1, 2, 3 or 6). An entry is a chord (bare or in brackets), `.` or `/` to hold the chord before
//     for that part, or `%` alone to repeat the previous bar. `||` is a double bar line (no empty
//     bar between); the closing `|` of the last bar may be left out; `x3` after the last `|`
//     plays the line's bars three times.
//   * A bar line starts on a bar line: if lyric chords left a bar part-filled, its last chord is
//     held to the bar's end, as it is at a section's end.
//   * A lyric line without chords adds no time: chords set the time.
//
// Errors (parseError, each "file:line:column: what; what to write"): an unknown directive (with
// the closest known one), an unclosed `[` or `{`, a stray `]` or `}`, a chord that does not parse,
// a section opened and not closed or closed without being opened (or by the wrong end), a
// section without bars, a bad key, tempo, time, capo or chord length, a bar that does not divide
// the meter, `.` or `%` with nothing before them, {chorus} before any chorus, a chart without
// any chords.

#include <filesystem>
#include <string>
#include <string_view>

#include "compose/chordpro_chart.hpp"
#include "core/error.hpp"

namespace reel::compose {

/// Parses ChordPro text; `fileName` starts every error message ("song.cho:12:5: …").
Result<Chart> parseChordPro(std::string_view text, const std::string& fileName);

/// Reads and parses a ChordPro file. Errors: fileNotFound, fileUnreadable, parseError.
Result<Chart> loadChordPro(const std::filesystem::path& path);

/// A whole text file, as bytes (for rewriting a chart in place). Errors: fileNotFound, fileUnreadable.
Result<std::string> readTextFile(const std::filesystem::path& path);

}  // namespace reel::compose
