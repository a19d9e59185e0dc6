#include "master/program_analysis.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>

#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "core/audio_buffer.hpp"
#include "core/thread_pool.hpp"
#include "io/audio_file_reader.hpp"
#include "io/resampling_reader.hpp"
#include "master/true_peak_detector.hpp"

namespace reel::master {
namespace {

constexpr std::int64_t kBlockFrames = 65536;
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;  // FNV-1a, 64 bits (Fowler, Noll, Vo)
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

inline std::uint64_t fnv(std::uint64_t h, float x) noexcept {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return (h ^ bits) * kFnvPrime;
}

std::unique_ptr<ThreadPool> makePool() {
    try {
        return std::make_unique<ThreadPool>(2);
    } catch (const std::exception&) {
        return nullptr;  // only a speed-up: run on the caller's thread
    }
}

}  // namespace

struct ProgramMeter::Meters {
    analysis::LoudnessMeter loudness;
    TruePeakScan truePeak;
    analysis::LevelStats levels;
    std::unique_ptr<BandSpectrumAnalyzer> spectrum;
    TimeSeries shortTerm{0.1, Merge::keepFirst};
    std::int64_t step = 0, untilStep = 0, frames = 0;
    SampleRate rate;
    std::array<std::uint64_t, kMaxChannels> hashes{};
    float clipLevel = 1.0f;
    bool hashing = true;
    std::int64_t clipped = 0;

    Meters(SampleRate r, int channels)
        : loudness(r, channels), truePeak(r, channels), levels(channels), step(std::llround(r.value / 10.0)), untilStep(step),
          rate(r) {
        hashes.fill(kFnvOffset);
    }
};

ProgramMeter::ProgramMeter(SampleRate rate, int channels, MeasureSpectrum spectrum, HashSamples hash)
    : meters_(std::make_unique<Meters>(rate, channels)) {
    meters_->hashing = hash == HashSamples::yes;
    if (spectrum == MeasureSpectrum::yes) meters_->spectrum = std::make_unique<BandSpectrumAnalyzer>(rate, channels);
}

ProgramMeter::~ProgramMeter() = default;

void ProgramMeter::processLoudness(AudioView block) {
    Meters& m = *meters_;
    const double undefined = std::numeric_limits<double>::quiet_NaN();
    // Loudness in pieces that end on the 100 ms grid, to read short-term loudness there.
    for (std::int64_t done = 0; done < block.numFrames();) {
        const std::int64_t n = std::min(m.untilStep, block.numFrames() - done);
        m.loudness.process(block.slice(done, n));
        done += n;
        m.untilStep -= n;
        if (m.untilStep == 0) {
            m.untilStep = m.step;
            const auto st = m.loudness.shortTermLufs();
            m.shortTerm.push(st ? st->value : undefined);
        }
    }
}

void ProgramMeter::setClipLevel(float level) noexcept { meters_->clipLevel = level; }

void ProgramMeter::processLevels(AudioView block) noexcept {
    Meters& m = *meters_;
    m.truePeak.process(block);
    m.levels.process(block);
    for (int c = 0; c < block.numChannels(); ++c) {
        const float* x = block.channel(c);
        std::int64_t count = 0;
        for (std::int64_t i = 0; i < block.numFrames(); ++i) count += std::fabs(x[i]) >= m.clipLevel ? 1 : 0;
        m.clipped += count;
    }
    if (m.spectrum) m.spectrum->process(block);
    for (int c = 0; c < block.numChannels() && m.hashing; ++c) {
        std::uint64_t h = m.hashes[static_cast<std::size_t>(c)];
        const float* x = block.channel(c);
        for (std::int64_t i = 0; i < block.numFrames(); ++i) h = fnv(h, x[i]);
        m.hashes[static_cast<std::size_t>(c)] = h;
    }
    m.frames += block.numFrames();
}

std::uint64_t ProgramMeter::hash() const noexcept {
    std::uint64_t h = kFnvOffset;
    for (std::uint64_t part : meters_->hashes) h = (h ^ part) * kFnvPrime;
    return h;
}

void ProgramMeter::finish(ProgramAnalysis& result) const {
    const Meters& m = *meters_;
    result.frames = FrameCount{m.frames};
    result.duration = toSeconds(result.frames, m.rate);
    result.integratedLufs = m.loudness.integratedLufs();
    result.loudnessRangeLu = m.loudness.loudnessRangeLu();
    result.shortTermMaxLufs = m.loudness.shortTermMaxLufs();
    result.momentaryMaxLufs = m.loudness.momentaryMaxLufs();
    result.truePeakDbtp = m.truePeak.truePeakDbtp();
    result.samplePeakDbfs = m.levels.samplePeakDbfs();
    result.rmsDbfs = m.levels.rmsDbfs();
    result.dcOffset = m.levels.dcOffset();
    result.clippedSamples = m.clipped;
    if (m.spectrum) result.spectrum = m.spectrum->result();
    result.shortTermLufs = m.shortTerm;
}

Result<std::uint64_t> hashFile(const std::filesystem::path& path) {
    auto reader = io::AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    const int channels = reader->info().channels;
    AudioBuffer block(channels, kBlockFrames);
    std::array<std::uint64_t, kMaxChannels> hashes{};
    hashes.fill(kFnvOffset);
    while (true) {
        auto got = reader->read(block.view());
        if (!got) return std::unexpected(got.error());
        if (*got == 0) break;
        for (int c = 0; c < channels; ++c) {
            std::uint64_t h = hashes[static_cast<std::size_t>(c)];
            const float* x = block.channel(c);
            for (std::int64_t i = 0; i < *got; ++i) h = fnv(h, x[i]);
            hashes[static_cast<std::size_t>(c)] = h;
        }
    }
    std::uint64_t h = kFnvOffset;
    for (std::uint64_t part : hashes) h = (h ^ part) * kFnvPrime;
    return h;
}

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

    ProgramMeter meter(at, channels, MeasureSpectrum::yes, HashSamples::no);
    // "PCM 16-bit" etc.: the highest code of b bits is full scale (read at the file's own rate;
    // resampled, the samples are no longer codes).
    if (at.value == info->sampleRate.value) meter.setClipLevel(analysis::clipLevelOf(info->encoding));
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
                meter.processLoudness(block);
                next = reader->read(blocks[current ^ 1].view());
            } else {
                meter.processLevels(block);
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
    meter.finish(result);
    return result;
}

}  // namespace reel::master
