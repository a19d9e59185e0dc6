#pragma once
// Reading one clip: `{file: audio/vox.wav, at: "5:1", from: 2.5s, length: 12s, gain: -1.5dB,
// fade_in: 10ms, fade_out: {length: 40ms, curve: equal_power}, fade_curve: linear}`.
//
// Checks what the text alone can tell (units, signs, fades within a given length); whether
// the audio file exists and is long enough is validateSources()'s job.

#include <filesystem>

#include "core/error.hpp"
#include "session/map_reader.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// What a clip needs from the rest of the session to be read.
struct ClipContext {
    std::filesystem::path folder;  // absolute: relative `file:` paths start here
    double tempo = 120.0;          // for bar:beat positions
    Meter meter;
};

/// Where any clip (audio or MIDI) plays from and where it starts: the file under `fileKey`
/// (resolved against the session's folder), as written and where, and `at`.
struct ClipPlacement {
    std::filesystem::path file;  // absolute
    std::string fileAsWritten;
    SourceLocation fileWhere;
    Seconds at{0.0};
};

/// Reads `fileKey` (required, non-empty; `fileHint` says what to write when it is missing)
/// and `at` (required) from a clip's map.
Result<ClipPlacement> readClipPlacement(MapReader& map, const ClipContext& context, const char* fileKey,
                                        const char* fileHint);

/// Reads a clip map; `file` and `at` are required.
Result<Clip> readClip(const YamlField& field, const ClipContext& context);

}  // namespace reel::session
