#pragma once
// The arrangement as a file the user edits and arranges again from (`reel arrange --from`).
//
// arrangement.yaml:
//   arrangement: 1
//   style: pop            # a style name or a .yaml path (relative to this file's folder)
//   seed: 1               # humanize seed: the same seed gives the same notes
//   title: Gravel Road
//   key: A minor
//   tempo: 92
//   meter: 4/4
//   sections:             # in playing order; edit names, bars, energy and instruments freely
//     - {name: Intro, kind: intro, energy: 0.35, energy_to: 0.35, instruments: [Drums, Bass],
//        bars: "| Am | F | C | G . . . |"}
// `bars` uses the ChordPro bar-line notation (chordpro_parser.hpp): entries split a bar equally,
// "." holds the chord before.

#include <filesystem>
#include <string>

#include "compose/arrangement.hpp"
#include "core/error.hpp"

namespace reel::compose {

/// `text` as a double-quoted YAML scalar (quotes and backslashes escaped), for the files
/// the arranger writes.
std::string quoted(const std::string& text);

/// The arrangement as written in arrangement.yaml; `style` is recorded as given.
std::string arrangementYaml(const Arrangement& arrangement, const std::string& style);

/// An arrangement file read back, and the style it names.
struct ArrangementFile {
    Arrangement arrangement;
    std::string style;
};
/// Reads arrangement.yaml. Errors (parseError) name file:line:column.
Result<ArrangementFile> loadArrangement(const std::filesystem::path& path);

}  // namespace reel::compose
