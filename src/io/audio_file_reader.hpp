#pragma once
// Streaming decode of audio files (libsndfile) into planar float, at the file's own rate.
//
// Reads WAV (16/24/32-bit int, 32/64 float), AIFF, FLAC, Ogg Vorbis and MP3, any channel
// count up to kMaxChannels. Memory does not grow with the file: read() fills one block.
// Every error names the file; decode errors also name the frame where they happened.
// Not thread-safe per instance; separate instances may be used on separate threads.

#include <filesystem>
#include <memory>
#include <string>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::io {

/// What a file holds, read from its header.
struct AudioFileInfo {
    std::filesystem::path path;
    SampleRate sampleRate;
    int channels = 0;
    FrameCount numFrames;     // frames as the header states them
    std::string container;    // "WAV", "AIFF", "FLAC", "OGG", "MP3", ...
    std::string encoding;     // "PCM 16-bit", "PCM 24-bit", "float 32-bit", "Vorbis", ...
    bool integerSamples = false;  // PCM, µ-law, A-law: read() never gives NaN, ±Inf, -0 or a subnormal
    Seconds duration() const { return toSeconds(numFrames, sampleRate); }
};

/// Reads the header of an audio file. Errors: fileNotFound, fileUnreadable, formatUnsupported.
Result<AudioFileInfo> probeAudioFile(const std::filesystem::path& path);

/// What read() does with what the caller's view holds: overwrite it, or add the file's
/// samples to it (mixing a source into a block in the same pass that decodes it).
enum class Mix { replace, add };

class AudioFileReader {
public:
    /// Opens a file for streaming. Same errors as probeAudioFile().
    static Result<AudioFileReader> open(const std::filesystem::path& path);

    AudioFileReader(AudioFileReader&&) noexcept;
    AudioFileReader& operator=(AudioFileReader&&) noexcept;
    ~AudioFileReader();

    const AudioFileInfo& info() const noexcept;

    /// Moves the read position to a frame (0 = start). Error if past the end or not seekable.
    Result<void> seek(FramePosition frame);

    /// Decodes up to out.numFrames() frames into out (out.numChannels() must equal
    /// info().channels), replacing or adding to its samples. Returns the frames read: fewer
    /// than asked only at the end of the file, 0 after it; frames past those are left as they
    /// were. Fails with corruptData, naming the file and frame, on a decode error, a file
    /// shorter than its header says (truncated), or a NaN/Inf sample.
    Result<std::int64_t> read(AudioView out, Mix mix = Mix::replace);

private:
    struct State;
    explicit AudioFileReader(std::unique_ptr<State> state);
    template <Mix mix>
    Result<std::int64_t> readAs(AudioView out);
    std::unique_ptr<State> state_;
};

}  // namespace reel::io
