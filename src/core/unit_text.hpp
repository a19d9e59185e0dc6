#pragma once
// Parsing text with units ("-6dB", "250ms", "12.5s", "1kHz", "9:2.5"): the one place it lives.
//
// Errors carry no location; callers (session loader, CLI) prefix the file:line:column.

#include <string_view>

#include "core/error.hpp"
#include "core/units.hpp"

namespace reel {

/// A musical position: bar 1, beat 1 is the start of the song; beats may be fractional.
struct BarBeat {
    int bar = 1;
    double beat = 1.0;
};

/// Parses a plain decimal number ("-1.5", "3e2"); no unit allowed.
Result<double> parseNumber(std::string_view text);
/// Parses a level: "-6dB", "+1.5 dB". A bare number is an error that says to write the unit.
Result<Decibels> parseDecibels(std::string_view text);
/// Parses a duration: "250ms", "12.5s", "1.2 s".
Result<Seconds> parseSeconds(std::string_view text);
/// Parses a frequency: "80Hz", "2.5kHz".
Result<Hertz> parseHertz(std::string_view text);
/// Parses "bar:beat" ("9:1", "9:2.5"); bar ≥ 1, beat ≥ 1.
Result<BarBeat> parseBarBeat(std::string_view text);
/// True if the text looks like bar:beat rather than a duration.
bool looksLikeBarBeat(std::string_view text);

}  // namespace reel
