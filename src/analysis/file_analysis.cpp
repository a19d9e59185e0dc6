#include "analysis/file_analysis.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>

#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "analysis/true_peak_meter.hpp"
#include "core/audio_buffer.hpp"
#include "core/thread_pool.hpp"
#include "io/audio_file_reader.hpp"

namespace reel::analysis {
namespace {

// Frames decoded per block: large enough that handing a block to the second thread costs
// nothing measurable, small enough (8 channels × 64 k floats × 2 buffers = 4 MiB) to bound memory.
constexpr std::int64_t kBlockFrames = 65536;

// The pool is only a speed-up; if no thread can be started, everything runs on the caller's.
std::unique_ptr<ThreadPool> makePool() {
    try {
        return std::make_unique<ThreadPool>(2);
    } catch (const std::exception&) {
        return nullptr;
    }
}

}  // namespace

Result<io::AudioFileReader> openForAnalysis(const std::filesystem::path& path) {
    auto reader = io::AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    if (auto ok = LoudnessMeter::checkFormat(reader->info().sampleRate, reader->info().channels); !ok)
        return std::unexpected(withContext(ok.error(), path.string() + ": "));
    return reader;
}

Result<std::int64_t> streamBlocks(io::AudioFileReader& reader, const std::function<void(AudioView block)>& withDecode,
                                  const std::function<void(AudioView block)>& alongside,
                                  const std::function<void(double fraction)>& progress) {
    const io::AudioFileInfo info = reader.info();
    std::array<AudioBuffer, 2> blocks{AudioBuffer(info.channels, kBlockFrames), AudioBuffer(info.channels, kBlockFrames)};
    const std::unique_ptr<ThreadPool> pool = makePool();

    Result<std::int64_t> got = reader.read(blocks[0].view());
    std::int64_t framesRead = 0;
    for (std::size_t current = 0; got && *got > 0; current ^= 1) {
        const AudioView block = blocks[current].view(*got);
        Result<std::int64_t> next = 0;
        auto task = [&](std::size_t index) {
            if (index == 0) {
                withDecode(block);
                next = reader.read(blocks[current ^ 1].view());
            } else {
                alongside(block);
            }
        };
        if (pool) {
            pool->parallelFor(2, task);
        } else {
            task(0);
            task(1);
        }
        framesRead += *got;
        if (progress && info.numFrames.value > 0)
            progress(std::min(1.0, static_cast<double>(framesRead) / static_cast<double>(info.numFrames.value)));
        got = std::move(next);
    }
    if (!got) return std::unexpected(got.error());
    if (progress) progress(1.0);
    return framesRead;
}

FileAnalysis fileAnalysisOf(const LoudnessMeter& loudness, const TruePeakMeter& truePeak, const LevelStats& levels,
                            FrameCount numFrames, SampleRate rate, int channels) {
    FileAnalysis result;
    result.integratedLufs = loudness.integratedLufs();
    result.loudnessRangeLu = loudness.loudnessRangeLu();
    result.momentaryMaxLufs = loudness.momentaryMaxLufs();
    result.shortTermMaxLufs = loudness.shortTermMaxLufs();
    result.truePeakDbtp = truePeak.truePeakDbtp();
    result.samplePeakDbfs = levels.samplePeakDbfs();
    result.rmsDbfs = levels.rmsDbfs();
    result.dcOffset = levels.dcOffset();
    result.clippedSamples = levels.clippedSamples();
    result.duration = toSeconds(numFrames, rate);
    result.sampleRate = rate;
    result.channels = channels;
    return result;
}

Result<FileAnalysis> analyzeFile(const std::filesystem::path& path,
                                 const std::function<void(double fraction)>& progress) {
    auto reader = openForAnalysis(path);
    if (!reader) return std::unexpected(reader.error());
    const io::AudioFileInfo info = reader->info();
    LoudnessMeter loudness(info.sampleRate, info.channels);
    TruePeakMeter truePeak(info.sampleRate, info.channels);
    LevelStats levels(info.channels, clipLevelOf(info.encoding));
    // Loudness on the decoding thread, true peak and levels on the other: measured on a
    // 44.1 kHz stereo file, the two sides then take about the same time.
    const auto frames = streamBlocks(
        *reader, [&](AudioView block) { loudness.process(block); },
        [&](AudioView block) {
            truePeak.process(block);
            levels.process(block);
        },
        progress);
    if (!frames) return std::unexpected(frames.error());
    return fileAnalysisOf(loudness, truePeak, levels, FrameCount{*frames}, info.sampleRate, info.channels);
}

}  // namespace reel::analysis
