#pragma once
// What `reel arrange` leaves on disk: a song folder with the arrangement as data
// (arrangement.yaml, arrangement_file.hpp), one MIDI part per instrument (parts/<name>.mid),
// a session ready for `reel render` (session.yaml) and, from the caller, the chart.

#include <filesystem>
#include <string>
#include <vector>

#include "compose/arrangement.hpp"
#include "compose/style.hpp"
#include "core/error.hpp"

namespace reel::compose {

/// The session that plays the parts: one track per instrument (`instrument: {soundfont: gm, …}`,
/// or `{type: drumkit, kit: …}` for drums whose style names an installed kit,
/// its MIDI clip at 1:1, the style's chain, volume, pan and reverb send), a reverb bus,
/// a limiter on the master and the arrangement's sections.
std::string sessionYaml(const Arrangement& arrangement, const Style& style, const std::vector<const StyleInstrument*>& instruments);

/// "parts/<name>.mid" for an instrument name (lower case, other characters to dashes).
std::string partPath(const std::string& instrumentName);

/// A file to write: its path inside the song folder and its bytes.
struct SongFile {
    std::string path;
    std::string bytes;
};

/// All files of a song folder, built in memory: parts/*.mid, arrangement.yaml, session.yaml.
/// Errors: a part MIDI cannot hold (invalidArgument).
Result<std::vector<SongFile>> songFiles(const Arrangement& arrangement, const Style& style, const std::string& styleName);

/// Writes the files: a new folder is written whole under a temporary name and renamed into
/// place; into an existing folder each file goes to a temporary file renamed over the old.
/// Errors: ioError.
Result<void> writeSongFolder(const std::filesystem::path& folder, const std::vector<SongFile>& files);

}  // namespace reel::compose
