#pragma once
// A temporary store on disk for a stream of audio that several passes re-read.
//
// The loudness loop runs the limiter several times over the same pre-limiter signal (EQ,
// stereo tool and compressor do not depend on the gains it searches). Computing that signal
// once and re-reading it keeps each probe to the limiter's own cost, and keeps the process's
// memory bounded: the store is a file, not RAM (DESIGN.md: memory does not grow with song
// length). The file is created in a chosen folder (the output's, which must be writable
// anyway) and unlinked at once, so it disappears when the store is destroyed or the process
// dies. Frames are stored as 32-bit floats, bit-exact, block by block with each channel's
// samples contiguous: pwritev/preadv move them straight between the file and the planar
// buffers, with no interleaving copy. read() returns the blocks as append() was given them.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <cstddef>
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
    void rewind() noexcept {
        readFrame_ = 0;
        readBlock_ = 0;
    }
    /// Reads the next appended block (its frame count must fit out.numFrames(), else an
    /// internal error); returns how many frames (0 at the end).
    Result<std::int64_t> read(AudioView out);
    std::int64_t numFrames() const noexcept { return numFrames_; }

private:
    SignalCache() = default;
    int fd_ = -1;
    int channels_ = 0;
    std::int64_t numFrames_ = 0;
    std::int64_t readFrame_ = 0;
    std::size_t readBlock_ = 0;
    std::vector<std::int64_t> blocks_;  // frames of each appended block (8 bytes per block)
};

}  // namespace reel::master
