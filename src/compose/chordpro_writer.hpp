#pragma once
// Writing a (transposed) chart back as ChordPro: the original text with each chord symbol and
// {key} value replaced in place, so lyrics, comments, spacing and layout stay as the author
// wrote them. Chords come out in canonical spelling (chord.hpp); keys keep their form
// ("Am" stays short, "A minor" long).

#include <filesystem>
#include <string>
#include <string_view>

#include "compose/chordpro_chart.hpp"
#include "core/error.hpp"

namespace reel::compose {

/// `source` with the chart's written chords and keys put in their places. `chart` must come
/// from parsing `source` (possibly transposed since): its spans index into it.
std::string rewriteChordPro(std::string_view source, const Chart& chart);

/// Writes text to `path` through a temporary file beside it, renamed over the target only when
/// complete, so a failure leaves no half-written file. Errors: ioError.
Result<void> saveTextFile(const std::filesystem::path& path, std::string_view text);

}  // namespace reel::compose
