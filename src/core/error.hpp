#pragma once
// Error values and Result<T>: how every folder reports failure without exceptions.
//
// No exception crosses a folder boundary (STYLE.md); third-party throws are caught at the
// edge and turned into an Error whose message says what failed, where, and what to do.

#include <expected>
#include <string>
#include <utility>

namespace reel {

/// What kind of failure; the CLI maps these to exit codes, the server to HTTP statuses.
enum class ErrorCode {
    invalidArgument,  // bad usage or a bad value given by the caller
    fileNotFound,     // a named file does not exist
    fileUnreadable,   // exists but cannot be opened or read
    formatUnsupported,// not an audio format we can decode / encode
    corruptData,      // decodes, but the content is broken (truncated, NaN samples, ...)
    parseError,       // text (YAML, a unit) that does not parse
    invalidSession,   // parses, but the session is inconsistent (negative length, ...)
    ioError,          // writing or renaming failed
    internal,         // a bug: should never reach a user
};

/// A failure: a code for programs and a message for people ("file:line:col: what; fix").
struct Error {
    ErrorCode code;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

/// Shorthand for `return fail(ErrorCode::x, "message")` in functions returning Result<T>.
[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
    return std::unexpected<Error>(Error{code, std::move(message)});
}

/// Prefixes an error's message with its context ("song.yaml: " + message), keeping the code.
[[nodiscard]] inline std::unexpected<Error> withContext(const Error& error, const std::string& context) {
    return std::unexpected<Error>(Error{error.code, context + error.message});
}

}  // namespace reel
