#include "core/note_value.hpp"

#include <charconv>
#include <string>

namespace reel {
namespace {

Error badNoteValue(std::string_view text, const std::string& why) {
    return Error{ErrorCode::parseError, "\"" + std::string(text) + "\" is not a note value (" + why +
                                            "); write it like 1/4, 1/8. (dotted) or 1/8t (triplet)"};
}

/// Reads a whole positive number filling all of `s`.
bool wholeNumber(std::string_view s, int& out) {
    if (s.empty()) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size() && out >= 1;
}

}  // namespace

bool looksLikeNoteValue(std::string_view text) { return text.find('/') != std::string_view::npos; }

Result<NoteValue> parseNoteValue(std::string_view text) {
    std::string_view s = text;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);

    double modifier = 1.0;
    if (s.ends_with("..")) {
        modifier = 1.75;
        s.remove_suffix(2);
    } else if (s.ends_with('.')) {
        modifier = 1.5;
        s.remove_suffix(1);
    } else if (s.ends_with('t') || s.ends_with('T')) {
        modifier = 2.0 / 3.0;
        s.remove_suffix(1);
    }
    const auto slash = s.find('/');
    if (slash == std::string_view::npos) return std::unexpected(badNoteValue(text, "no '/'"));
    int numerator = 0, denominator = 0;
    if (!wholeNumber(s.substr(0, slash), numerator) || !wholeNumber(s.substr(slash + 1), denominator))
        return std::unexpected(badNoteValue(text, "expected whole numbers on both sides of '/'"));
    if (denominator > 128 || (denominator & (denominator - 1)) != 0)
        return std::unexpected(badNoteValue(text, "the note must be 1, 2, 4, 8, 16, 32, 64 or 128"));
    return NoteValue{modifier * numerator / denominator};
}

Seconds noteValueSeconds(NoteValue value, double tempo, int beatUnit) {
    return Seconds{value.wholeNotes * beatUnit * 60.0 / tempo};
}

}  // namespace reel
