#pragma once
// `reel analyze FILE`: the loudness, peak and level figures of one audio file.
//
// The file is streamed in 64 k-frame blocks; memory does not grow with its length (the gating
// stores are fixed-size, see gating_histogram.hpp). Loudness (BS.1770-4, EBU Tech 3341/3342),
// true peak (BS.1770-4 Annex 2) and sample statistics are measured in one pass on two threads:
// one measures true peak and sample statistics of a block while the other measures its
// loudness and decodes the next block. Each meter sees the same frames in the same order, so
// results do not depend on timing or thread count.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/audio_file_reader.hpp"

namespace reel::analysis {

class LoudnessMeter;
class TruePeakMeter;
class LevelStats;

/// What `reel analyze` reports. Undefined values (silence, too short) are nullopt.
struct FileAnalysis {
    std::optional<Decibels> integratedLufs;    // BS.1770-4 gated, LUFS
    std::optional<Decibels> loudnessRangeLu;   // EBU Tech 3342, LU
    std::optional<Decibels> momentaryMaxLufs;  // max over 400 ms windows on a 5 ms grid, LUFS
    std::optional<Decibels> shortTermMaxLufs;  // max over 3 s windows on a 5 ms grid, LUFS
    std::optional<Decibels> truePeakDbtp;      // BS.1770-4 Annex 2, all channels, dBTP
    std::optional<Decibels> samplePeakDbfs;    // max |x|, dBFS
    std::optional<Decibels> rmsDbfs;           // all samples of all channels; full-scale sine = -3.01
    std::optional<double> dcOffset;            // channel mean of largest magnitude, signed, linear
    std::int64_t clippedSamples = 0;           // samples with |x| ≥ 1.0, all channels
    Seconds duration;                          // frames / sample rate
    SampleRate sampleRate;
    int channels = 0;
};

/// Analyzes a file, reporting progress (0 … 1) after each block when `progress` is set.
/// Errors name the file: those of io::AudioFileReader (not found, unreadable, unsupported,
/// corrupt data with the frame), or formatUnsupported for a rate or channel count that
/// cannot be loudness-metered.
Result<FileAnalysis> analyzeFile(const std::filesystem::path& path,
                                 const std::function<void(double fraction)>& progress = {});

// The pieces analyzeFile is made of, shared with the mix report (mix_report.hpp), which
// measures the same figures in the same pass.

/// Opens a file for measuring: the errors of analyzeFile's opening, the file named in each.
Result<io::AudioFileReader> openForAnalysis(const std::filesystem::path& path);

/// Streams the rest of a file in 64 k-frame blocks on two threads. For each block, in frame
/// order, `withDecode(block)` runs on one thread, which then decodes the next block (into a
/// second buffer that no task of the round reads), while `alongside(block)` runs on the other.
/// Each callback sees every frame once, in order, so results do not depend on timing; if no
/// thread can be started, both run on the caller's thread. Progress (0 … 1) after each block.
/// Returns the frames streamed, or the reader's error.
Result<std::int64_t> streamBlocks(io::AudioFileReader& reader, const std::function<void(AudioView block)>& withDecode,
                                  const std::function<void(AudioView block)>& alongside,
                                  const std::function<void(double fraction)>& progress);

/// The figures of finished meters that saw `numFrames` frames of the stream.
FileAnalysis fileAnalysisOf(const LoudnessMeter& loudness, const TruePeakMeter& truePeak, const LevelStats& levels,
                            FrameCount numFrames, SampleRate rate, int channels);

}  // namespace reel::analysis
