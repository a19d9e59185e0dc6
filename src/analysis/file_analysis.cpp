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

Result<FileAnalysis> analyzeFile(const std::filesystem::path& path,
                                 const std::function<void(double fraction)>& progress) {
    auto reader = io::AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    const io::AudioFileInfo info = reader->info();
    if (auto ok = LoudnessMeter::checkFormat(info.sampleRate, info.channels); !ok)
        return withContext(ok.error(), path.string() + ": ");

    LoudnessMeter loudness(info.sampleRate, info.channels);
    TruePeakMeter truePeak(info.sampleRate, info.channels);
    LevelStats levels(info.channels);
    std::array<AudioBuffer, 2> blocks{AudioBuffer(info.channels, kBlockFrames),
                                      AudioBuffer(info.channels, kBlockFrames)};
    const std::unique_ptr<ThreadPool> pool = makePool();

    Result<std::int64_t> got = reader->read(blocks[0].view());
    std::int64_t framesRead = 0;
    for (std::size_t current = 0; got && *got > 0; current ^= 1) {
        const AudioView block = blocks[current].view(*got);
        Result<std::int64_t> next = 0;
        // Task 0 measures true peak and levels; task 1 measures loudness, then decodes the next
        // block into the other buffer, which no task of this round reads. (Measured on a 44.1 kHz
        // stereo file, the two tasks then take about the same time.)
        auto task = [&](std::size_t index) {
            if (index == 0) {
                truePeak.process(block);
                levels.process(block);
            } else {
                loudness.process(block);
                next = reader->read(blocks[current ^ 1].view());
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
    result.duration = toSeconds(FrameCount{framesRead}, info.sampleRate);
    result.sampleRate = info.sampleRate;
    result.channels = info.channels;
    return result;
}

}  // namespace reel::analysis
