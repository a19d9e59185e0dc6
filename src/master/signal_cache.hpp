#pragma once
// A temporary store on disk for a stream of audio that several passes re-read.
//
// The loudness loop runs the limiter several times over the same pre-limiter signal (EQ,
// stereo tool and compressor do not depend on the gains it searches). Computing that signal
// once and re-reading it keeps each probe to the limiter's own cost, and keeps the process's
// memory bounded: the store is a file, not RAM (DESIGN.md: memory does not grow with song
// length). The file is created in a chosen folder (the output's, which must be writable
// anyway) and unlinked at once, so it disappears when the store is destroyed or the process
// dies. Frames are stored interleaved as 32-bit floats, bit-exact.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"

namespace reel::master {

class SignalCache {
public:
    /// An empty store for `channels` channels, in `folder`.
    static Result<SignalCache> create(const std::filesystem::path& folder, int channels);
    SignalCache(SignalCache&&) noexcept;
    SignalCache& operator=(SignalCache&&) noexcept;
    ~SignalCache();

    /// Appends frames (channels as at create()).
    Result<void> append(AudioView frames);
    /// Starts reading from the first frame.
    void rewind() noexcept { readFrame_ = 0; }
    /// Reads up to out.numFrames() frames; returns how many (0 at the end).
    Result<std::int64_t> read(AudioView out);
    std::int64_t numFrames() const noexcept { return numFrames_; }

private:
    SignalCache() = default;
    int fd_ = -1;
    int channels_ = 0;
    std::int64_t numFrames_ = 0;
    std::int64_t readFrame_ = 0;
    std::vector<float> interleaved_;
};

}  // namespace reel::master
