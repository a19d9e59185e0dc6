#pragma once
// The session model: plain data loaded from session.yaml, the single source of truth.
//
// Everything here is resolved at load time: positions in seconds (bar:beat converted with
// tempo and meter), file paths absolute (relative paths are relative to the session file's
// folder), levels in typed units. Each element remembers where it was written so later
// stages can name the line in their errors.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace reel::session {

/// Where something was written: file, line and column, both counted from 1.
struct SourceLocation {
    std::filesystem::path file;
    int line = 0;
    int column = 0;
    /// "songs/a/song.yaml:14:12: " (the path as the user gave it) — the prefix of every message about this place.
    std::string prefix() const;
};

enum class FadeCurve { linear, equalPower };

struct Fade {
    Seconds length{0.0};
    FadeCurve curve = FadeCurve::linear;
};

/// A region of an audio file placed on a track. Audio files are never modified.
struct Clip {
    std::filesystem::path file;        // absolute
    Seconds at{0.0};                   // where the clip starts on the timeline
    Seconds from{0.0};                 // offset into the source where playback starts
    std::optional<Seconds> length;     // how much of the source plays; unset = to its end
    Decibels gain{0.0};
    Fade fadeIn;
    Fade fadeOut;
    SourceLocation where;
    std::string fileAsWritten;         // `file:` as the user wrote it, for messages
    SourceLocation fileWhere;          // where `file:`'s value is written
};

/// How a parameter was written: one value, a map, or a list of maps.
enum class ParamShape { scalar, map, list };

/// One parameter of a processor as written: its text (e.g. "-18dB") and its place.
struct ParamValue {
    std::string text;
    SourceLocation where;
    /// Nested values (lists or maps such as eq bands) keep their YAML structure: a map is
    /// one item, a list of maps one item per entry. Empty for a single value.
    std::vector<std::map<std::string, ParamValue>> items;
    ParamShape shape = ParamShape::scalar;
};

/// A processor in a chain, e.g. `- compressor: {threshold: -18dB, ratio: 3}`.
struct ProcessorConfig {
    std::string type;                          // "eq", "compressor", "gain", ...
    std::map<std::string, ParamValue> params;  // parameter name -> value as written
    SourceLocation where;
};

/// The instrument a track's MIDI clips play through, as written:
/// `instrument: {type: soundfont, soundfont: gm, program: 33, bank: 0}`. The type may be
/// left out when a `soundfont:` key says what it is. The parameters are checked (and a
/// relative SoundFont path resolved against the session's folder) by the instrument type
/// that reads them, as processors check theirs.
struct InstrumentConfig {
    std::string type;                          // "soundfont"
    std::map<std::string, ParamValue> params;  // every key but `type`, as written
    SourceLocation where;
};

/// A part of a MIDI file placed on a track, played through the track's instrument:
/// `{midi: parts/bass.mid, at: "1:1", track: 2, channel: 1, from: 2bars, length: 8bars,
/// gain: -3dB}`. The file's ticks are timed with the session's tempo (not the file's), so
/// parts follow the song. `from` and `length` are on the session's timeline too.
struct MidiClip {
    std::filesystem::path file;        // absolute
    Seconds at{0.0};                   // where the part's `from` point plays on the timeline
    std::optional<int> track;          // which track chunk of the file, from 1; unset = all
    std::optional<int> channel;        // which MIDI channel, 1 … 16; unset = all
    Seconds from{0.0};                 // offset into the part; notes starting before it are not played
    std::optional<Seconds> length;     // how much of the part plays; unset = to its end
    Decibels gain{0.0};
    SourceLocation where;
    std::string fileAsWritten;         // `midi:` as the user wrote it, for messages
    SourceLocation fileWhere;          // where `midi:`'s value is written
};

enum class SendTap { postFader, preFader };

/// How an automation lane moves from one point to the next.
///   linear:      a straight line in the parameter's unit (dB for levels, Hz, seconds, ...)
///   exponential: a straight line in amplitude for dB parameters (fast, fader-like fades);
///                geometric (straight in log) for positive units such as Hz and seconds
///   hold:        stays at the point's value until the next point (a step)
enum class AutomationCurve { linear, exponential, hold };

/// One breakpoint: where (resolved to seconds), the value as written (its unit is checked
/// by the engine, which knows the parameter), and the curve to the next point.
struct AutomationPoint {
    Seconds at{0.0};
    std::string value;
    AutomationCurve curve = AutomationCurve::linear;
    SourceLocation where;
};

/// A lane: which parameter (`volume`, `pan`, or `<processor>.<parameter>` such as
/// `compressor.threshold`; `eq[2].band1.gain` for the second eq of a chain) and its points
/// in time order. Before the first point the value is the first point's; after the last,
/// the last's.
struct AutomationLane {
    std::string param;
    std::vector<AutomationPoint> points;
    SourceLocation where;
};

struct Send {
    std::string to;     // bus name
    Decibels level{0.0};
    SendTap tap = SendTap::postFader;
    SourceLocation where;
};

struct Track {
    std::string name;
    std::vector<Clip> clips;
    std::vector<MidiClip> midiClips;               // `clips:` entries with a `midi:` key
    std::optional<InstrumentConfig> instrument;    // what the MIDI clips play through
    std::vector<ProcessorConfig> chain;
    std::vector<Send> sends;
    std::vector<AutomationLane> automation;
    Decibels volume{0.0};
    double pan = 0.0;  // -1 = hard left, 0 = centre, +1 = hard right
    bool mute = false;
    bool solo = false;
    SourceLocation where;
};

struct Bus {
    std::string name;
    std::vector<ProcessorConfig> chain;
    std::vector<Send> sends;  // bus-to-bus
    std::vector<AutomationLane> automation;
    Decibels volume{0.0};
    double pan = 0.0;
    SourceLocation where;
};

struct Master {
    std::vector<ProcessorConfig> chain;
    std::string target;  // delivery target name ("streaming"); used by `reel master`
    std::vector<AutomationLane> automation;
    Decibels volume{0.0};
    SourceLocation where;
};

struct Section {
    std::string name;
    int bars = 0;
    SourceLocation where;
};

struct Meter {
    int beatsPerBar = 4;
    int beatUnit = 4;  // the note value of one beat (4 = quarter)
};

struct Session {
    std::filesystem::path file;  // the session file, absolute
    int version = 1;             // `reel: 1`
    std::string title;
    SampleRate sampleRate{48000.0};
    double tempo = 120.0;        // beats per minute, a beat being meter.beatUnit
    Meter meter;
    std::string key;
    std::vector<Section> sections;
    std::vector<Track> tracks;
    std::vector<Bus> buses;
    Master master;

    /// The folder paths in the session are relative to.
    std::filesystem::path folder() const { return file.parent_path(); }
};

/// A chain entry's `sidechain: Kick`, if it has one.
const ParamValue* sidechainParam(const ProcessorConfig& config);

/// True if any chain of the session (tracks, buses, master) keys a sidechain from the track
/// called `name`.
bool keysASidechain(const Session& session, const std::string& name);

/// Seconds from the song's start to a bar:beat position at a tempo and meter.
Seconds barBeatToSeconds(int bar, double beat, double tempo, const Meter& meter);

}  // namespace reel::session
