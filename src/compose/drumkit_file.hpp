#pragma once
// A Hydrogen drum kit as its drumkit.xml describes it: the kit's name and licence, and its
// instruments (kick, snare, …), each with velocity layers of recorded one-shots.
//
// Hydrogen (hydrogen-music.org) kits are what Debian's `hydrogen-drumkits` installs under
// /usr/share/hydrogen/data/drumkits/<Kit>/drumkit.xml. Three layouts of the file are read:
// layers directly in <instrument> (0.9.3 … 0.9.6), layers inside <instrumentComponent>
// (0.9.7 and later; all components are merged) and a lone <filename> in <instrument>
// (the oldest kits: one layer for every velocity). Tags Reel does not use (filters, ADSR,
// FX sends, MIDI out) are ignored; absent values take Hydrogen's defaults.
//
// Only the description is read here; the samples are decoded by DrumkitInstrument.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reel::compose {

/// One recorded sample of an instrument and the velocities it plays.
struct DrumkitLayer {
    double minVelocity = 0.0;     // 0 … 1 (MIDI velocity / 127), inclusive
    double maxVelocity = 1.0;     // 0 … 1, inclusive
    double gain = 1.0;            // linear
    double pitchSemitones = 0.0;  // played faster or slower (varispeed), not time-stretched
    std::filesystem::path file;   // absolute (the XML names it relative to the kit's folder)
};

/// One sound of the kit ("Kick", "Hi Hat Closed"), Hydrogen's <instrument>.
struct DrumkitSound {
    int id = 0;
    std::string name;
    double volume = 1.0;     // linear; Hydrogen's fader
    double gain = 1.0;       // linear; Hydrogen's instrument gain, multiplied with the volume
    double panLeft = 1.0;    // linear gain of the left output (Hydrogen's pan_L; 1,1 = centre)
    double panRight = 1.0;   // linear gain of the right output (pan_R)
    int muteGroup = -1;      // a hit stops the other sounds of its group; -1 = none
    std::vector<DrumkitLayer> layers;  // as written; may be empty (an unused slot of the kit)
};

struct DrumkitFile {
    std::filesystem::path path;  // the drumkit.xml
    std::string name;            // <name>
    std::string author;          // <author>
    std::string license;         // <license>, "" if the kit states none
    std::vector<DrumkitSound> sounds;

    /// Reads a drumkit.xml. Errors: fileNotFound, fileUnreadable; parseError (not XML,
    /// or no <drumkit_info>) and corruptData (a number that does not parse, a layer without
    /// a file, velocities outside 0 … 1 or min above max), each "path:line: what".
    static Result<DrumkitFile> load(const std::filesystem::path& path);
    /// Parses drumkit.xml text; `path` names the file in messages and its folder is where
    /// the sample file names start.
    static Result<DrumkitFile> parse(std::string_view text, const std::filesystem::path& path);
};

/// Where kit names are looked up, in order: $REEL_DRUMKITS if set (and only it), else
/// Hydrogen's system folder /usr/share/hydrogen/data/drumkits and the user's
/// ~/.hydrogen/data/drumkits.
std::vector<std::filesystem::path> drumkitSearchFolders();

/// The drumkit.xml a session's `kit:` names: a path (relative to `sessionFolder`) to a
/// drumkit.xml or to its folder, else a kit folder name in drumkitSearchFolders() (exact,
/// then ignoring case). Errors (fileNotFound) list the kits installed and suggest the
/// nearest name.
Result<std::filesystem::path> resolveDrumkit(std::string_view written, const std::filesystem::path& sessionFolder);

}  // namespace reel::compose
