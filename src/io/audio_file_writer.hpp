#pragma once
// Writes audio files safely: into a temporary file beside the target, renamed on commit().
//
// A writer destroyed without commit() removes its temporary file, so a failed job leaves
// nothing half-written (DESIGN.md, "nothing is lost"). Input must already be on the
// target's quantization grid for integer formats (see dsp::TpdfDither); the writer rounds
// to the nearest step and saturates at full scale, counting the samples it had to clip.

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::io {

/// mp3: MPEG-1 Layer III through libsndfile's LAME encoder, 320 kbps CBR, from float samples
/// (SampleFormat::float32); not chosen by fileTypeFromPath (commands opt in to lossy output).
enum class FileType { wav, flac, mp3 };
enum class SampleFormat { pcm16, pcm24, float32 };

/// Bits of the format (16, 24, 32).
int bitsOf(SampleFormat format);
/// The file type an output path asks for by its extension (.wav, .flac); error otherwise.
Result<FileType> fileTypeFromPath(const std::filesystem::path& path);
/// The sample format for a --bits value (16, 24, 32 = float) and file type (FLAC: 16, 24).
Result<SampleFormat> sampleFormatFromBits(int bits, FileType type);

struct WriteSpec {
    FileType type = FileType::wav;
    SampleFormat format = SampleFormat::pcm24;
    SampleRate sampleRate;
    int channels = 2;
};

class AudioFileWriter {
public:
    /// Creates the temporary file next to `path`. The parent folder must exist.
    static Result<AudioFileWriter> create(const std::filesystem::path& path, const WriteSpec& spec);
    AudioFileWriter(AudioFileWriter&&) noexcept;
    AudioFileWriter& operator=(AudioFileWriter&&) noexcept;
    /// Removes the temporary file if commit() was not reached.
    ~AudioFileWriter();

    /// Appends a block (channels = spec.channels).
    Result<void> write(AudioView block);
    /// Finishes the file and renames it over `path`.
    Result<void> commit();

    /// Samples that were beyond full scale and saturated so far.
    std::int64_t clippedSamples() const noexcept;
    std::int64_t framesWritten() const noexcept;

private:
    struct State;
    explicit AudioFileWriter(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace reel::io
