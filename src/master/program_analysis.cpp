#include "master/program_analysis.hpp"

#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>

#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "analysis/true_peak_meter.hpp"
#include "core/audio_buffer.hpp"
#include "core/thread_pool.hpp"
#include "io/resampling_reader.hpp"

namespace reel::master {
namespace {

constexpr std::int64_t kBlockFrames = 65536;

std::unique_ptr<ThreadPool> makePool() {
    try {
        return std::make_unique<ThreadPool>(2);
    } catch (const std::exception&) {
        return nullptr;  // only a speed-up: run on the caller's thread
    }
}

}  // namespace

Result<ProgramAnalysis> analyzeProgram(const std::filesystem::path& path, std::optional<SampleRate> rate,
                                       const std::function<void(double)>& progress) {
    auto info = io::probeAudioFile(path);
    if (!info) return std::unexpected(info.error());
    const SampleRate at = rate.value_or(info->sampleRate);
    auto reader = io::ResamplingReader::open(path, at);
    if (!reader) return std::unexpected(reader.error());
    const int channels = info->channels;
    if (auto ok = analysis::LoudnessMeter::checkFormat(at, channels); !ok) return withContext(ok.error(), path.string() + ": ");

    ProgramAnalysis result;
    result.path = path;
    result.fileRate = info->sampleRate;
    result.sampleRate = at;
    result.channels = channels;
    result.floatFile = info->encoding.find("float") != std::string::npos || info->encoding.find("Float") != std::string::npos;

    analysis::LoudnessMeter loudness(at, channels);
    analysis::TruePeakMeter truePeak(at, channels);
    analysis::LevelStats levels(channels);
    BandSpectrumAnalyzer spectrum(at, channels);
    const std::int64_t step = std::llround(at.value / 10.0);  // the meter's 100 ms grid
    std::int64_t untilStep = step;
    const double undefined = std::numeric_limits<double>::quiet_NaN();

    std::array<AudioBuffer, 2> blocks{AudioBuffer(channels, kBlockFrames), AudioBuffer(channels, kBlockFrames)};
    const std::unique_ptr<ThreadPool> pool = makePool();
    const double expected = static_cast<double>(reader->numFrames().value);

    Result<std::int64_t> got = reader->read(blocks[0].view());
    std::int64_t framesRead = 0;
    for (std::size_t current = 0; got && *got > 0; current ^= 1) {
        const AudioView block = blocks[current].view(*got);
        Result<std::int64_t> next = 0;
        auto task = [&](std::size_t index) {
            if (index == 0) {
                // Loudness in pieces that end on the 100 ms grid, to read short-term loudness there.
                for (std::int64_t done = 0; done < block.numFrames();) {
                    const std::int64_t n = std::min(untilStep, block.numFrames() - done);
                    loudness.process(block.slice(done, n));
                    done += n;
                    untilStep -= n;
                    if (untilStep == 0) {
                        untilStep = step;
                        const auto st = loudness.shortTermLufs();
                        result.shortTermLufs.push(st ? st->value : undefined);
                    }
                }
                next = reader->read(blocks[current ^ 1].view());
            } else {
                truePeak.process(block);
                levels.process(block);
                spectrum.process(block);
            }
        };
        if (pool) pool->parallelFor(2, task);
        else {
            task(0);
            task(1);
        }
        framesRead += *got;
        if (progress && expected > 0) progress(std::min(1.0, static_cast<double>(framesRead) / expected));
        got = std::move(next);
    }
    if (!got) return std::unexpected(got.error());

    result.frames = FrameCount{framesRead};
    result.duration = toSeconds(result.frames, at);
    result.integratedLufs = loudness.integratedLufs();
    result.loudnessRangeLu = loudness.loudnessRangeLu();
    result.shortTermMaxLufs = loudness.shortTermMaxLufs();
    result.momentaryMaxLufs = loudness.momentaryMaxLufs();
    result.truePeakDbtp = truePeak.truePeakDbtp();
    result.samplePeakDbfs = levels.samplePeakDbfs();
    result.rmsDbfs = levels.rmsDbfs();
    result.dcOffset = levels.dcOffset();
    result.clippedSamples = levels.clippedSamples();
    result.spectrum = spectrum.result();
    return result;
}

}  // namespace reel::master
