#pragma once
// An arranging style, read from a data file (examples/styles/pop.yaml): the tempo range, the
// band (instruments with their GM programs, parts and mix), drum patterns as step grids, bass
// and comping rhythms, humanize bounds and the energy of each section kind.
//
// Step grids: a string of one character per step, spread evenly over one bar (16 characters
// in 4/4 are sixteenth notes). '.' or '-' is a rest; drums: 'x' hit, 'X' accent, 'g' ghost;
// bass: 'x' root, 'o' root an octave up, 'f' fifth, 'a' approach note to the next chord's root
// (a half step below it); comping: 'x' strike, 'X' accented strike.
//
// Errors (parseError, invalidArgument) say "pop.yaml:12:7: what; what to write".

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace reel::compose {

/// What an instrument plays in an arrangement.
enum class PartRole { drums, bass, comping, pad, melody };

/// "drums", "bass", "comping", "pad", "melody".
const char* partRoleName(PartRole role) noexcept;

/// One drum pattern: a step grid per drum sound ("kick", "snare", "hat", "open_hat", "ride",
/// "crash", "tom_high", "tom_mid", "tom_low", "rim", "clap", "shaker", "tambourine").
struct DrumPattern {
    double minEnergy = 0.0;  // used in sections at least this energetic (the highest that fits wins)
    std::map<std::string, std::string> grids;
};

struct StyleInstrument {
    std::string name;   // the track name ("Bass")
    PartRole role = PartRole::comping;
    int program = 0;    // GM program 0 … 127 (drums: the SoundFont's kit)
    double minEnergy = 0.0;      // plays in sections at least this energetic
    std::vector<int> range;      // lowest and highest MIDI note of its voicings (comping, pad, melody)
    double volumeDb = -6.0;
    double pan = 0.0;            // -1 … +1
    std::optional<double> reverbDb;  // send level to the reverb bus; none = no send
    std::string chainYaml;       // the track's chain as a YAML flow sequence ("" = none)
    std::string kit = {};        // drums: a Hydrogen kit for the drumkit instrument ("" = the SoundFont's)
};

struct Humanize {
    double timingMs = 0.0;  // each note moves by at most this much, either way
    int velocity = 0;       // each velocity moves by at most this much, either way
};

struct Style {
    std::string name;
    std::string file;  // as given, for messages
    double tempoMin = 60.0, tempoMax = 180.0, tempoDefault = 100.0;
    std::vector<StyleInstrument> instruments;
    std::vector<DrumPattern> drumPatterns;  // by rising minEnergy
    DrumPattern fill;                       // the last bar of a section that leads into another
    std::string bassRhythm = "x.......x.......";
    double bassGate = 0.9;                  // note length as a fraction of the gap to the next hit
    std::string compRhythm = "x.......x.......";
    double compGate = 0.9;
    Humanize humanize;
    std::map<std::string, double> energy;   // section kind ("verse", "chorus", "break", …) -> 0 … 1
    std::string reverbYaml = "{reverb: {size: 0.6, decay: 1.8s, predelay: 20ms}}";

    /// Energy for a section kind: the style's, else a default by kind.
    double energyFor(const std::string& kind) const;
};

/// The GM percussion key of a drum sound name, nothing for an unknown name.
std::optional<int> drumKey(const std::string& name);

/// Parses a style from YAML text; `fileName` starts the error messages.
Result<Style> parseStyle(const std::string& text, const std::string& fileName);
/// Reads a style file. Errors: fileNotFound, fileUnreadable, parseError, invalidArgument.
Result<Style> loadStyle(const std::filesystem::path& path);

}  // namespace reel::compose
