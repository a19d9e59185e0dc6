#pragma once
// Loading session.yaml into the model of session.hpp, with errors that name the place:
// "song.yaml:14:12: gain \"-6\" has no unit; write -6dB".
//
// Loading stops at the first problem, reported in file order where the schema allows
// (one clear message beats a cascade caused by the first). Errors carry the path as the
// caller gave it; the model holds absolute paths. Nothing here prints or throws.

#include <filesystem>

#include "core/error.hpp"
#include "session/session.hpp"

namespace reel::session {

/// The session format versions this code reads (`reel: 1`).
inline constexpr int kSessionFormatVersion = 1;

/// Reads and checks a session file without touching its audio: YAML syntax, known keys
/// (a misspelt one gets "did you mean ...?"), required keys, value types and units,
/// ranges, unique track/bus names and sends to existing buses. Bar:beat positions become
/// seconds, clip paths absolute (relative ones start at the session file's folder).
/// Errors: fileNotFound, fileUnreadable, parseError (syntax, units), invalidSession.
Result<Session> loadSession(const std::filesystem::path& path);

/// Opens every clip's audio file (each file once, however many clips use it) and checks
/// that it exists, decodes, and holds the clip: `from` before its end, `from` + `length`
/// within it, fades no longer than the clip. Errors are located at the clip's `file:`
/// (missing or unreadable audio: fileNotFound, or io's own code) or the clip (lengths:
/// invalidSession).
Result<void> validateSources(const Session& session);

/// loadSession() then validateSources(): a session ready to render.
Result<Session> openSession(const std::filesystem::path& path);

}  // namespace reel::session
