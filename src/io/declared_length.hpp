#pragma once
// The frame count a WAV or AIFF header declares, read from its chunks (internal to io/).
//
// libsndfile quietly shortens a WAV or AIFF whose data chunk runs past the end of the file
// (it logs "should be ..." and reports the frames that are there), so a truncated take would
// read as a shorter, valid one. AudioFileReader compares this count with libsndfile's to
// report the truncation instead ("nothing silently wrong", DESIGN.md).

#include <cstdint>
#include <filesystem>
#include <optional>

namespace reel::io::detail {

/// Frames a RIFF/RF64 WAV (data chunk size / block align) or an AIFF/AIFC (COMM frame count)
/// declares; nullopt for other containers, unreadable headers, and WAVs whose data size is
/// 0 or 0xFFFFFFFF (the "length unknown" marks streaming recorders write).
std::optional<std::int64_t> declaredFrames(const std::filesystem::path& path);

}  // namespace reel::io::detail
