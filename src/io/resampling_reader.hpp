#pragma once
// An audio file read at a chosen sample rate: AudioFileReader + Resampler, streaming.
//
// The engine's clip source. Positions and counts are in frames at the *target* rate.
// If the file is already at the target rate, no resampler is involved (bit-exact reads).

#include <filesystem>
#include <memory>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/audio_file_reader.hpp"

namespace reel::io {

class ResamplingReader {
public:
    static Result<ResamplingReader> open(const std::filesystem::path& path, SampleRate targetRate);
    ResamplingReader(ResamplingReader&&) noexcept;
    ResamplingReader& operator=(ResamplingReader&&) noexcept;
    ~ResamplingReader();

    const AudioFileInfo& info() const noexcept;
    /// Length of the file in frames at the target rate.
    FrameCount numFrames() const noexcept;

    /// True if the file's rate is not the target's (reads go through the resampler).
    bool resamples() const noexcept;
    /// Moves to a frame at the target rate.
    Result<void> seek(FramePosition frame);
    /// Fills out (channels = info().channels) with up to out.numFrames() frames at the target
    /// rate; returns frames produced (fewer only at the end). Errors as AudioFileReader::read.
    /// Mix::add (adds into out instead of writing over it) only where resamples() is false:
    /// the file is then decoded straight into out; with a resampler it is invalidArgument.
    Result<std::int64_t> read(AudioView out, Mix mix = Mix::replace);

private:
    struct State;
    explicit ResamplingReader(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace reel::io
