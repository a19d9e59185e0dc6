#pragma once
// A song's chord chart as read from ChordPro: metadata, and sections made of bars whose chords
// sit on beats — what an arranger needs to know which chord sounds on every beat.
//
// Time: bars are counted as chordpro_parser.hpp describes; beats are the meter's beats (a 6/8
// bar has six), and the tempo counts the same beats per minute, as the session file does.
// Everything here is plain data; nothing prints or throws.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compose/chord.hpp"
#include "compose/key.hpp"
#include "session/session.hpp"

namespace reel::compose {

/// A place in a ChordPro text: line and column from 1 (columns count characters, not bytes),
/// and the bytes it covers in the whole text (for rewriting chords in place).
struct TextSpan {
    int line = 0;
    int column = 0;
    std::size_t offset = 0;
    std::size_t length = 0;
};

enum class SectionKind { intro, verse, prechorus, chorus, bridge, instrumental, solo, interlude, outro, part };

/// "intro", "verse", "prechorus", "chorus", … "part" (also the ChordPro environment names).
std::string_view sectionKindName(SectionKind kind) noexcept;

/// A chord in a bar: when it starts, how long it lasts there, and whether it is struck.
struct BarChord {
    Chord chord;
    int startBeat = 0;  // beats after the bar line: 0 is the downbeat
    int beats = 1;      // how long it sounds within this bar
    bool held = false;  // continues the chord sounding before it (tied over a bar line or a "."), not struck again
};

/// One bar: its chords in time order, together covering every beat of the bar.
struct Bar {
    std::vector<BarChord> chords;
    /// The chord sounding on `beat` (0-based; beats past the end give the last chord).
    const BarChord& at(int beat) const;
};

struct Section {
    SectionKind kind = SectionKind::part;
    std::string label;  // as written ({start_of_verse: Verse 2}); may be empty
    std::vector<Bar> bars;
    std::vector<std::string> lyrics;      // lyric lines with the chords taken out
    std::vector<std::string> comments;    // {comment: …} lines inside the section
    std::optional<Key> key;               // the key in effect when the section starts
    std::optional<double> tempo;          // beats per minute in effect
    session::Meter meter;                 // in effect
    std::optional<std::size_t> repeatOf;  // for {chorus}: the index of the chorus it repeats
    TextSpan where;                       // its opening directive (or first line, outside any section)

    int beats() const noexcept { return static_cast<int>(bars.size()) * meter.beatsPerBar; }
    /// The label if written, else the kind with a capital ("Verse").
    std::string title() const;
};

/// A chord symbol as written in the file, and the key in effect there (for spelling on transposition).
struct WrittenChord {
    TextSpan where;
    Chord chord;
    std::optional<Key> key;
};

/// A {key: …} value as written; `shortForm` when written like a chord ("Am" rather than "A minor").
struct WrittenKey {
    TextSpan where;
    Key key;
    bool shortForm = true;
};

struct Chart {
    std::string file;  // the name errors use, as the caller gave it
    std::string title, subtitle, artist;
    std::vector<std::pair<std::string, std::string>> info;  // composer, lyricist, album, year, copyright, in file order
    // The key, tempo and meter the song starts in (those of its first section); a key or tempo
    // given only after the first section stands for the song when its start has none.
    std::optional<Key> key;
    std::optional<double> tempo;  // beats per minute
    session::Meter meter;         // 4/4 when no {time} is given
    int capo = 0;
    std::vector<Section> sections;
    std::vector<std::string> comments;        // {comment: …} lines outside sections
    std::vector<WrittenChord> writtenChords;  // every chord symbol in the file, in file order
    std::vector<WrittenKey> writtenKeys;      // every {key} value, in file order

    int totalBars() const;
    /// Length at the sections' tempos; nothing if a section has no tempo.
    std::optional<double> durationSeconds() const;
    /// The key to analyse and transpose in: {key}, else the one assumed from the first chord
    /// (its root, minor when the chord is); nothing for a chart without chords.
    std::optional<Key> analysisKey() const;
};

/// The chart moved by `semitones`: keys to their conventional spelling, chords by the spelled
/// interval between old and new key (transpose.hpp), so a round trip returns the chart exactly.
Chart transposeChart(const Chart& chart, int semitones);
/// The chart moved so that its key's tonic becomes `tonic`, spelled as given (its mode stays),
/// unless that spelling needs more than seven sharps or flats (Gb minor): then the usual one.
/// A chart without key or chords is returned as it is.
Chart transposeChartTo(const Chart& chart, const Note& tonic);

}  // namespace reel::compose
