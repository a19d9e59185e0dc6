#include "master/master_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>

#include "analysis/loudness_meter.hpp"
#include "core/thread_pool.hpp"
#include "dsp/noise_shaped_dither.hpp"
#include "dsp/tpdf_dither.hpp"
#include "io/audio_file_reader.hpp"
#include "io/resampling_reader.hpp"
#include "master/block_pipeline.hpp"
#include "master/mastering_chain.hpp"
#include "master/signal_cache.hpp"

namespace reel::master {
namespace {

constexpr std::int64_t kBlockFrames = 65536;
constexpr double kMinDurationSeconds = 3.0;
constexpr double kQuietestLufs = -50.0;     // below this a mix is treated as near-silent
constexpr double kMostlyClipped = 0.25;     // fraction of samples at full scale
constexpr double kAimAbove = 0.1;           // probes aim this far above the target; the trim takes it off
constexpr double kAcceptAbove = 0.4;        // a probe up to this far above the target is trimmed down
constexpr double kFirstMargin = 0.02;       // the limiter's working ceiling starts this far under the ceiling
constexpr int kMaxProbes = 10;
constexpr int kMaxWrites = 4;
constexpr int kMaxLossyWrites = 6;
// An MP3 encoder moves peaks by amounts that vary from one encode to the next; lowering the
// ceiling by the excess alone would often need another try, so each retry adds this much.
constexpr double kLossyStep = 0.1;
// A speculative first write (no probe) is kept if its loudness is this close to the target.
constexpr double kSpeculativeSlack = 0.05;
// A lossy file's loudness may differ from the target by this much before it is encoded again
// (well inside the ±0.1 LU guarantee, so a second encode lands within it).
constexpr double kLossyLoudnessSlack = 0.05;
constexpr double kMp3MaxRate = 48000.0;  // MPEG-1 Layer III: 32, 44.1 and 48 kHz (and MPEG-2's lower rates)

std::unique_ptr<ThreadPool> makePool() {
    // The pool is only a speed-up; if no thread can be started, everything runs on the caller's.
    try {
        return std::make_unique<ThreadPool>(2);
    } catch (const std::exception&) {
        return nullptr;
    }
}

/// Gain reduction per 100 ms step (the largest within it), summarized over the song.
class ReductionMeter {
public:
    void add(double db) noexcept { current_ = std::max(current_, db); }
    void endStep() {
        stats_.series.push(current_);
        stats_.maxDb = std::max(stats_.maxDb, current_);
        sum_ += current_;
        above_ += current_ > 1.0 ? 1 : 0;
        ++steps_;
        current_ = 0.0;
    }
    GainReductionStats finish() {
        stats_.meanDb = steps_ > 0 ? sum_ / static_cast<double>(steps_) : 0.0;
        stats_.percentAbove1Db = steps_ > 0 ? 100.0 * static_cast<double>(above_) / static_cast<double>(steps_) : 0.0;
        return std::move(stats_);
    }

private:
    GainReductionStats stats_;
    double current_ = 0.0, sum_ = 0.0;
    std::int64_t steps_ = 0, above_ = 0;
};

/// Calls `process` on the pieces of a block cut at the 100 ms grid counted from the start
/// of the stream (`untilStep` carries the position across blocks), and `endStep` at each
/// grid point: gain-reduction statistics then do not depend on block sizes.
template <class Process, class EndStep>
void onStepGrid(AudioView block, std::int64_t step, std::int64_t& untilStep, Process&& process, EndStep&& endStep) {
    for (std::int64_t done = 0; done < block.numFrames();) {
        const std::int64_t n = std::min(untilStep, block.numFrames() - done);
        process(block.slice(done, n));
        done += n;
        untilStep -= n;
        if (untilStep == 0) {
            untilStep = step;
            endStep();
        }
    }
}

/// What a limiter pass measured on its output.
struct Measured {
    double loudness = -std::numeric_limits<double>::infinity();
    double truePeak = -std::numeric_limits<double>::infinity();
    double peakIntoLimiter = -std::numeric_limits<double>::infinity();
    GainReductionStats limiter;
};

/// Integrated loudness and true peak of what the sink sees. TruePeakScan gives exactly
/// analysis::TruePeakMeter's value but interpolates only where a new maximum is possible.
struct OutputMeters {
    analysis::LoudnessMeter loudness;
    TruePeakScan truePeak;
    OutputMeters(SampleRate rate, int channels) : loudness(rate, channels), truePeak(rate, channels) {}
    void fill(Measured& m) const {
        if (auto l = loudness.integratedLufs()) m.loudness = l->value;
        if (auto p = truePeak.truePeakDbtp()) m.truePeak = p->value;
    }
};

/// The first `channels` channels of a pipeline block's view: the audio. The pipeline's blocks
/// carry one more channel after the audio, the true peaks the limiter's detector reports for
/// each frame of the pre-limiter signal (TruePeakDetector), cached with the audio.
AudioView audioOf(AudioView all, int channels) {
    std::array<float*, kMaxChannels> pointers{};
    for (int c = 0; c < channels; ++c) pointers[static_cast<std::size_t>(c)] = all.channel(c);
    return AudioView(pointers, channels, all.numFrames());
}

/// The limiter as a pipeline stage: processes on the 100 ms grid, records gain reduction,
/// and marks the first `latency` frames of the stream for the later stages to skip.
struct LimiterStage {
    LimiterChain& chain;
    int channels;
    std::int64_t step;
    std::int64_t untilStep;
    std::int64_t toSkip;
    ReductionMeter reduction;

    LimiterStage(LimiterChain& c, int numChannels, std::int64_t stepFrames, std::int64_t latency)
        : chain(c), channels(numChannels), step(stepFrames), untilStep(stepFrames), toSkip(latency) {}

    Result<void> operator()(PipelineBlock& block) {
        const AudioView all = block.all();
        const float* peaks = all.channel(channels);
        const float* first = all.channel(0);
        onStepGrid(
            audioOf(all, channels), step, untilStep, [&](AudioView piece) {
                chain.process(piece, peaks + (piece.channel(0) - first));
                reduction.add(chain.reductionDb());
            },
            [&] { reduction.endStep(); });
        block.skip = std::min(toSkip, block.frames);
        toSkip -= block.skip;
        return {};
    }
};

/// Removes a file when it goes out of scope, unless released.
class RemoveOnExit {
public:
    explicit RemoveOnExit(std::filesystem::path path) : path_(std::move(path)) {}
    ~RemoveOnExit() {
        std::error_code ec;
        if (!path_.empty()) std::filesystem::remove(path_, ec);
    }
    RemoveOnExit(const RemoveOnExit&) = delete;
    RemoveOnExit& operator=(const RemoveOnExit&) = delete;
    void release() noexcept { path_.clear(); }

private:
    std::filesystem::path path_;
};

/// The dither a job applies, after resolving `automatic`.
DitherMode ditherFor(const OutputSpec& out) {
    if (out.format == io::SampleFormat::float32 || out.type == io::FileType::mp3) return DitherMode::none;
    if (out.dither != DitherMode::automatic) return out.dither;
    return out.format == io::SampleFormat::pcm16 ? DitherMode::shaped : DitherMode::tpdf;
}

/// MP3 cannot hold rates above 48 kHz: say so before any work, with the way out.
Result<void> checkOutputRate(const OutputSpec& out, SampleRate rate, const std::filesystem::path& output) {
    if (out.type == io::FileType::mp3 && rate.value > kMp3MaxRate)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: MP3 holds at most 48 kHz and the master would be at {:.0f} Hz; add --rate 48000 or "
                                "--rate 44100, or write .wav/.flac",
                                output.string(), rate.value));
    return {};
}

/// A unique hidden name beside `path` (".NAME.reel-XXXXXX.EXT"), reserved as an empty file.
Result<std::filesystem::path> hiddenSibling(const std::filesystem::path& path) {
    const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const std::string extension = path.extension().string();
    std::string pattern = (folder / ("." + path.stem().string() + ".reel-XXXXXX" + extension)).string();
    const int fd = ::mkstemps(pattern.data(), static_cast<int>(extension.size()));
    if (fd < 0)
        return fail(ErrorCode::ioError, fmt::format("{}: cannot create a temporary file in {}: {}", path.string(), folder.string(),
                                                    std::strerror(errno)));
    ::close(fd);
    return std::filesystem::path(pattern);
}

std::string describeTarget(const DeliveryTarget& target) {
    return fmt::format("{:.1f} LUFS / {:.1f} dBTP", target.integratedLufs.value, target.ceilingDbtp.value);
}

}  // namespace

std::string_view toString(DitherMode mode) {
    switch (mode) {
        case DitherMode::automatic: return "automatic";
        case DitherMode::none: return "none";
        case DitherMode::tpdf: return "tpdf";
        case DitherMode::shaped: return "shaped";
    }
    return "none";
}

Result<DitherMode> parseDitherMode(std::string_view text) {
    if (text == "tpdf") return DitherMode::tpdf;
    if (text == "shaped") return DitherMode::shaped;
    if (text == "none") return DitherMode::none;
    return fail(ErrorCode::invalidArgument,
                fmt::format("--dither \"{}\": expected tpdf (flat), shaped (noise-shaped, quieter to the ear) or none", text));
}

Result<ProgramAnalysis> analyzeForMastering(const std::filesystem::path& path, std::optional<SampleRate> rate,
                                            std::string_view role, const std::function<void(double)>& progress) {
    auto info = io::probeAudioFile(path);
    if (!info) return std::unexpected(info.error());
    const std::string name = fmt::format("{}{}", role, path.string());
    if (info->channels > 2)
        return fail(ErrorCode::formatUnsupported,
                    fmt::format("{}: has {} channels; mastering takes a mono or stereo mix (fold surround down first)", name,
                                info->channels));
    auto analysis = analyzeProgram(path, rate, progress);
    if (!analysis) return std::unexpected(analysis.error());
    if (analysis->duration.value < kMinDurationSeconds)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: is {:.2f} s long; mastering needs at least {:.0f} s (short-term loudness, EBU Tech 3341, "
                                "is measured over 3 s windows, and integrated loudness is not meaningful on less)",
                                name, analysis->duration.value, kMinDurationSeconds));
    if (!analysis->samplePeakDbfs)
        return fail(ErrorCode::invalidArgument, fmt::format("{}: is digital silence; there is nothing to master", name));
    if (!analysis->integratedLufs || analysis->integratedLufs->value < kQuietestLufs)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: is near-silent (integrated loudness {}, peak {:.1f} dBFS); mastering it would mostly "
                                "raise noise. Check the export (muted master, wrong file); mixes below {:.0f} LUFS are refused",
                                name, analysis->integratedLufs ? fmt::format("{:.1f} LUFS", analysis->integratedLufs->value) : "below -70 LUFS",
                                analysis->samplePeakDbfs->value, kQuietestLufs));
    // In a float file, samples beyond 1.0 are overs the master will bring down, not clipping.
    if (!analysis->hasFloatOvers() && analysis->clippedFraction() > kMostlyClipped)
        return fail(ErrorCode::corruptData,
                    fmt::format("{}: is nothing but clipping ({:.0f}% of its samples are at full scale); there is no "
                                "programme left to master. Export the mix again with lower master gain",
                                name, analysis->clippedFraction() * 100.0));
    return analysis;
}

Result<MasterResult> renderMaster(const MasterJob& job, ProgramAnalysis before, MasteringPlan plan,
                                  std::vector<ProgramAnalysis> references, const MasterProgress& progress) {
    MasterResult result;
    result.input = job.input;
    result.output = job.output;
    const SampleRate rate = before.sampleRate;
    const int channels = before.channels;
    const int lanes = channels + 1;  // the audio and its cached true peaks
    const DeliveryTarget target = plan.target;
    const double T = target.integratedLufs.value;
    const double C = target.ceilingDbtp.value;
    const bool lossy = job.out.type == io::FileType::mp3;
    if (auto ok = checkOutputRate(job.out, rate, job.output); !ok) return std::unexpected(ok.error());
    const std::unique_ptr<ThreadPool> pool = makePool();
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    const double expectedFrames = static_cast<double>(std::max<std::int64_t>(1, before.frames.value));

    if (before.clippedSamples > 0 && before.hasFloatOvers())
        result.warnings.push_back(fmt::format("the mix has {} samples above full scale (peak {:+.1f} dBFS); in a float file that "
                                              "is recoverable, and the master brings them under the ceiling",
                                              before.clippedSamples, before.samplePeakDbfs ? before.samplePeakDbfs->value : 0.0));
    else if (before.clippedSamples > 0)
        result.warnings.push_back(fmt::format("the mix has {} clipped samples ({:.3f}% at full scale); the clipping itself "
                                              "cannot be undone, only kept from getting worse",
                                              before.clippedSamples, before.clippedFraction() * 100.0));
    if (channels == 1) result.warnings.push_back("mono input: mastered as mono (stereo width and mid/side EQ do not apply)");

    const std::int64_t step = std::llround(rate.value / 10.0);  // 100 ms: the gain-reduction grid
    auto pre = PreLimiterChain::create(plan, rate, channels, static_cast<int>(step));
    if (!pre) return withContext(pre.error(), job.input.string() + ": ");
    auto limiter = LimiterChain::create(plan, rate, channels, static_cast<int>(step));
    if (!limiter) return withContext(limiter.error(), job.input.string() + ": ");
    const std::int64_t latency = (*pre)->latency() + (*limiter)->latency();
    const std::filesystem::path folder = job.output.has_parent_path() ? job.output.parent_path() : std::filesystem::path(".");
    auto cache = SignalCache::create(folder, lanes);
    if (!cache) return std::unexpected(cache.error());

    // The margin under the ceiling that the limiter and the trim keep, for what happens after
    // them (dither, rounding to the file's grid, a lossy encoder) and for the limiter's
    // inter-sample residue.
    double margin = kFirstMargin;
    double ceilingLimiter = C - margin;
    double drive = T - before.integratedLufs->value;

    // --- 3a. The pre-limiter chain, once, into the cache with its true peaks.
    std::optional<double> preLimiterLufs;
    double peakIntoLimiter = -std::numeric_limits<double>::infinity();  // dBTP, at drive 0 dB
    {
        auto reader = io::ResamplingReader::open(job.input, rate);
        if (!reader) return std::unexpected(reader.error());
        bool inputDone = false;
        std::int64_t flushLeft = latency, framesIn = 0;
        PreLimiterChain& chain = **pre;
        // The limiter's true-peak detection, done here once for all passes. Frames too quiet to
        // need limiting at any drive the loudness loop can accept (the intensity's limiting
        // allowance, + 1 dB, below the highest peak) are not oversampled: they report their own
        // |x|, which, like their true peak, stays under the limiter's threshold, so the limiter's
        // output is unchanged (true_peak_detector.hpp).
        TruePeakDetector detector;
        if (auto ok = detector.prepare({rate.value, static_cast<int>(kBlockFrames), channels}); !ok)
            return std::unexpected(ok.error());
        detector.setSkipFraction(static_cast<float>(toGain(Decibels{-(plan.maxLimiting.value + 1.0)}).value));
        std::vector<PipelineStage> stages;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              const AudioView space = audioOf(block.buffer.view(), channels);
                              std::int64_t got = 0;
                              if (!inputDone) {
                                  auto read = reader->read(space);
                                  if (!read) return std::unexpected(read.error());
                                  got = *read;
                                  framesIn += got;
                                  inputDone = got < space.numFrames();
                              }
                              if (inputDone && flushLeft > 0 && got < space.numFrames()) {
                                  const std::int64_t n = std::min(flushLeft, space.numFrames() - got);
                                  space.slice(got, n).clear();
                                  got += n;
                                  flushLeft -= n;
                              }
                              block.frames = got;
                              if (got > 0 && chain.eqActive() && chain.midSide()) PreLimiterChain::encodeMidSide(audioOf(block.all(), channels));
                              report("mastering", std::min(1.0, static_cast<double>(framesIn) / expectedFrames));
                              return {};
                          },
                          0});
        // The two channels' equalizers run on the two threads.
        if (chain.eqActive())
            for (int c = channels - 1; c >= 0; --c)
                stages.push_back({[&chain, c](PipelineBlock& block) -> Result<void> {
                                      chain.processEq(c, block.buffer.channel(c), block.frames);
                                      return {};
                                  },
                                  c == 1 ? 1 : 0});
        ReductionMeter compression;
        std::int64_t untilStep = step;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              onStepGrid(
                                  audioOf(block.all(), channels), step, untilStep, [&](AudioView piece) {
                                      chain.processDynamics(piece);
                                      compression.add(chain.compressorReductionDb());
                                  },
                                  [&] { compression.endStep(); });
                              return {};
                          },
                          0});
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              const AudioView all = block.all();
                              detector.process(audioOf(all, channels), all.channel(channels));
                              return {};
                          },
                          1});
        SignalCache& store = *cache;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> { return store.append(block.all()); }, 1});
        // The loudness the limiter will be fed (at drive 0 dB): the first guess of the drive.
        analysis::LoudnessMeter loudness(rate, channels);
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              loudness.process(audioOf(block.all(), channels));
                              return {};
                          },
                          1});
        if (auto ok = runPipeline(stages, lanes, kBlockFrames, pool.get()); !ok) return std::unexpected(ok.error());
        ++result.passes;
        if (auto l = loudness.integratedLufs()) preLimiterLufs = l->value;
        peakIntoLimiter = detector.maxPeak() > 0.0f ? 20.0 * std::log10(static_cast<double>(detector.maxPeak()))
                                                    : -std::numeric_limits<double>::infinity();
        result.compressor = compression.finish();
    }

    // A limiter pass over the cache: the limiter, then the `sinks` (each a pipeline stage on
    // the compensated output, in order, on the given thread group).
    using Sink = std::pair<std::function<Result<void>(AudioView)>, int>;
    auto limiterPass = [&](double driveDb, double trimDb, const std::vector<Sink>& sinks, std::string_view stage,
                           Measured& measured) -> Result<void> {
        (*limiter)->setGains(Decibels{driveDb}, Decibels{ceilingLimiter}, Decibels{trimDb});
        (*limiter)->reset();
        cache->rewind();
        LimiterStage limiting(**limiter, channels, step, latency);
        std::int64_t framesRead = 0;
        std::vector<PipelineStage> stages;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              auto read = cache->read(block.buffer.view());
                              if (!read) return std::unexpected(read.error());
                              block.frames = *read;
                              framesRead += *read;
                              report(stage, std::min(1.0, static_cast<double>(framesRead) / expectedFrames));
                              return {};
                          },
                          0});
        stages.push_back({std::ref(limiting), 0});
        for (const Sink& sink : sinks)
            stages.push_back({[&sink, channels](PipelineBlock& block) -> Result<void> { return sink.first(audioOf(block.view(), channels)); },
                              sink.second});
        if (auto ok = runPipeline(stages, lanes, kBlockFrames, pool.get()); !ok) return ok;
        ++result.passes;
        measured.peakIntoLimiter = (*limiter)->peakIntoLimiterDbtp();
        measured.limiter = limiting.reduction.finish();
        return {};
    };

    // --- 3b. Probes: move the drive until the loudness is within reach of the trim.
    double trim = 0.0;
    bool reachable = true;
    const DitherMode dither = ditherFor(job.out);
    int maxWrites = lossy ? kMaxLossyWrites : kMaxWrites;
    std::optional<Measured> pending;
    // How much a lossy encode lowered the integrated loudness (mostly the encoder's low-pass
    // near 20 kHz, which K-weighting counts): the limiter's output aims this much higher.
    double encoderLoss = 0.0;
    // The first write is speculative: at the drive that brings the pre-limiter loudness to the
    // target, with no trim. A master that limits little lands within kSpeculativeSlack of the
    // target, and is then accepted as it is: no probe pass at all. Otherwise that write serves
    // as the first probe. (Not for lossy files, whose loudness is known only after decoding.)
    bool speculative = !lossy && preLimiterLufs.has_value();
    if (preLimiterLufs) drive = T - *preLimiterLufs;
    if (speculative && drive > ceilingLimiter + plan.maxLimiting.value - peakIntoLimiter) speculative = false;
    while (true) {
        bool havePrevious = false;
        double previousDrive = 0.0, previousLoudness = 0.0;
        bool accepted = speculative;
        if (speculative) {
            trim = 0.0;
            reachable = true;
        }
        for (int probe = 0; probe < kMaxProbes && !accepted; ++probe) {
            Measured m;
            if (pending) {
                m = std::move(*pending);
                pending.reset();
            } else {
                OutputMeters meters(rate, channels);
                auto ok = limiterPass(drive, 0.0,
                                      {{[&](AudioView block) -> Result<void> {
                                            meters.loudness.process(block);
                                            return {};
                                        },
                                        1},
                                       {[&](AudioView block) -> Result<void> {
                                            meters.truePeak.process(block);
                                            return {};
                                        },
                                        0}},
                                      "mastering", m);
                if (!ok) return std::unexpected(ok.error());
                meters.fill(m);
            }
            const double headroom = C - margin - m.truePeak;
            const double need = T + encoderLoss - m.loudness;
            // The drive at which the deepest limiting reaches the intensity's limit.
            const double peakBeforeDrive = m.peakIntoLimiter - drive;
            const double driveLimit = ceilingLimiter + plan.maxLimiting.value - peakBeforeDrive;
            if (drive > driveLimit + 1e-6) {
                // Over the intensity's limiting: come back to the limit and measure again.
                drive = driveLimit;
                havePrevious = false;
                continue;
            }
            if (need <= headroom && need >= -kAcceptAbove) {
                trim = need;
                reachable = true;
                accepted = true;
                break;
            }
            if (need > headroom && drive >= driveLimit - 1e-6) {
                trim = std::max(0.0, headroom);
                reachable = false;
                accepted = true;
                break;
            }
            // Secant step toward the aim; before two points exist, assume the limiter keeps
            // 70% of a gain change once it works (1:1 while it does not).
            double slope = m.limiter.maxDb > 0.5 ? 0.7 : 1.0;
            if (havePrevious && std::fabs(drive - previousDrive) > 1e-6)
                slope = (m.loudness - previousLoudness) / (drive - previousDrive);
            slope = std::clamp(slope, 0.1, 1.0);
            havePrevious = true;
            previousDrive = drive;
            previousLoudness = m.loudness;
            double next = drive + (need + kAimAbove) / slope;
            next = std::min(next, driveLimit);
            if (std::fabs(next - drive) < 1e-4) next = drive + (need > 0 ? 0.01 : -0.01);
            drive = next;
        }
        if (!accepted) {
            // Never seen in practice: report it honestly rather than loop forever.
            trim = 0.0;
            reachable = false;
        }

        // --- 4. Write (into a temporary file; renamed only when the ceiling holds). A lossy
        // file is written under a hidden name first, decoded and measured, and renamed to the
        // output only if its decoded true peak holds.
        std::filesystem::path writeTo = job.output;
        if (lossy) {
            auto name = hiddenSibling(job.output);
            if (!name) return std::unexpected(name.error());
            writeTo = *name;
        }
        RemoveOnExit encoded(lossy ? writeTo : std::filesystem::path());
        io::WriteSpec spec{job.out.type, job.out.format, rate, channels};
        auto writer = io::AudioFileWriter::create(writeTo, spec);
        if (!writer) return std::unexpected(writer.error());
        const int bits = io::bitsOf(job.out.format);
        dsp::TpdfDither flat({bits == 16 || bits == 24 ? bits : 24});
        dsp::NoiseShapedDither shaped({bits == 16 || bits == 24 ? bits : 24});
        const dsp::ProcessSpec ditherSpec{rate.value, static_cast<int>(kBlockFrames), channels};
        if (dither == DitherMode::tpdf)
            if (auto ok = flat.prepare(ditherSpec); !ok) return std::unexpected(ok.error());
        if (dither == DitherMode::shaped)
            if (auto ok = shaped.prepare(ditherSpec); !ok) return std::unexpected(ok.error());
        // The write pass measures exactly the samples it hands to the writer (all of the
        // report's "after", spectrum included), unless the file is lossy: then only the
        // decoded file counts.
        ProgramMeter written(rate, channels, job.afterSpectrum);
        std::vector<Sink> sinks;
        sinks.push_back({[&](AudioView block) -> Result<void> {
                             if (dither == DitherMode::tpdf) flat.process(block);
                             if (dither == DitherMode::shaped) shaped.process(block);
                             return {};
                         },
                         1});
        if (!lossy) {
            sinks.push_back({[&](AudioView block) -> Result<void> {
                                 written.processLoudness(block);
                                 return {};
                             },
                             0});
            sinks.push_back({[&](AudioView block) -> Result<void> {
                                 written.processLevels(block);
                                 return {};
                             },
                             1});
        }
        sinks.push_back({[&](AudioView block) -> Result<void> { return writer->write(block); }, lossy ? 0 : 1});
        Measured m;
        auto ok = limiterPass(drive, trim, sinks, "writing", m);
        if (!ok) return std::unexpected(ok.error());
        ++result.writes;

        ProgramAnalysis after;
        after.path = job.output;
        after.fileRate = rate;
        after.sampleRate = rate;
        after.channels = channels;
        after.floatFile = job.out.format == io::SampleFormat::float32 && !lossy;
        if (lossy) {
            if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
            auto decoded = analyzeProgram(writeTo, std::nullopt, [&](double f) { report("verifying", f); });
            if (!decoded) return std::unexpected(decoded.error());
            after = std::move(*decoded);
            after.path = job.output;
            result.verification = Verification::decoded;
        } else {
            written.finish(after);
            result.verification = Verification::hash;
        }
        if (after.truePeakDbtp) m.truePeak = after.truePeakDbtp->value;
        if (speculative) {
            speculative = false;
            if (after.integratedLufs) m.loudness = after.integratedLufs->value;
            if (!(std::fabs(m.loudness - T) <= kSpeculativeSlack && m.truePeak <= C)) {
                pending = std::move(m);  // the first probe; the writer's destructor removes the file
                ++maxWrites;              // it does not count against the ceiling's retries
                continue;
            }
        }
        const double decodedLoudness = after.integratedLufs ? after.integratedLufs->value : T;
        if (lossy && reachable && std::fabs(decodedLoudness - T) > kLossyLoudnessSlack && result.writes < maxWrites) {
            // The encode moved the loudness: aim the limiter's output higher (or lower) by as
            // much and encode again; the peak is checked again on that encode.
            encoderLoss += T - decodedLoudness;
            if (m.truePeak > C) {
                const double lower = (m.truePeak - C) + kLossyStep;
                margin += lower;
                result.ceilingLoweredDb += lower;
                ceilingLimiter = C - margin;
            }
            continue;
        }
        if (m.truePeak > C && result.writes < maxWrites) {
            // The inter-sample residue of the limiter, dither or the encoder crossed the
            // ceiling: lower the limiter's working ceiling by the excess (and a little) and land
            // the loudness again. The writer's destructor removes an uncommitted temporary file.
            const double lower = (m.truePeak - C) + (lossy ? kLossyStep : 0.02);
            margin += lower;
            result.ceilingLoweredDb += lower;
            ceilingLimiter = C - margin;
            continue;
        }
        if (m.truePeak > C)
            return fail(ErrorCode::internal,
                        fmt::format("{}: could not keep the true peak under {:.2f} dBTP (reached {:.3f} after {} tries); nothing "
                                    "was written",
                                    job.input.string(), C, m.truePeak, result.writes));
        if (lossy) {
            std::error_code ec;
            // The reserved name was private (rw-------); the master gets the usual rw-r--r--.
            std::filesystem::permissions(writeTo,
                                         std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                             std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                                         ec);
            std::filesystem::rename(writeTo, job.output, ec);
            if (ec)
                return fail(ErrorCode::ioError, fmt::format("{}: cannot put the encoded file in place: {}", job.output.string(), ec.message()));
            encoded.release();
        } else {
            if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
            // --- 5. Verify: the file read back must hold the measured samples, bit for bit.
            report("verifying", 0.0);
            auto hash = hashFile(job.output);
            if (!hash) return std::unexpected(hash.error());
            if (*hash != written.hash()) {
                auto reread = analyzeProgram(job.output, std::nullopt, [&](double f) { report("verifying", f); });
                if (!reread) return std::unexpected(reread.error());
                after = std::move(*reread);
                result.verification = Verification::reread;
            }
            report("verifying", 1.0);
        }
        result.after = std::move(after);
        result.limiter = std::move(m.limiter);
        result.dither = dither;
        result.dithered = dither != DitherMode::none;
        result.bits = bits;
        break;
    }
    plan.drive = Decibels{drive};
    plan.trim = Decibels{trim};
    plan.limiterCeiling = Decibels{ceilingLimiter};

    const double achieved = result.after.integratedLufs ? result.after.integratedLufs->value : -std::numeric_limits<double>::infinity();
    const double peak = result.after.truePeakDbtp ? result.after.truePeakDbtp->value : -std::numeric_limits<double>::infinity();
    result.loudnessReached = reachable && std::fabs(achieved - T) <= 0.1;
    result.shortfallLu = T - achieved;
    if (!reachable) {
        result.warnings.push_back(fmt::format(
            "target {} not reached: the master is at {:.1f} LUFS, {:.1f} LU short. Getting there would take more than the "
            "{:.0f} dB of peak limiting that --intensity {} allows (the mix's peaks are {:.1f} LU above its loudness). Use "
            "--intensity high, a lower --lufs, or a higher --ceiling",
            describeTarget(target), achieved, T - achieved, plan.maxLimiting.value, toString(plan.settings.intensity),
            before.plr() ? before.plr()->value : 0.0));
    } else if (!result.loudnessReached) {
        result.warnings.push_back(fmt::format("integrated loudness {:.2f} LUFS is {:.2f} LU from the target {:.1f} LUFS{}", achieved,
                                              achieved - T, T, lossy ? " (after MP3 encoding)" : ""));
    }
    if (lossy && result.writes > 1)
        result.warnings.push_back(fmt::format("the MP3 encoder raised the true peak above the ceiling: encoded {} times, the "
                                              "limiter's ceiling lowered by {:.2f} dB in all",
                                              result.writes, result.ceilingLoweredDb));
    if (peak > C)
        result.warnings.push_back(fmt::format("true peak {:.2f} dBTP of the written file is above the ceiling {:.1f} dBTP", peak, C));

    result.before = std::move(before);
    result.references = std::move(references);
    result.midEqResponse = equalizerResponse(plan.midEq, rate);
    result.sideEqResponse = plan.midSide ? equalizerResponse(plan.sideEq, rate) : result.midEqResponse;
    result.plan = std::move(plan);
    return result;
}

Result<MasterResult> masterFile(const MasterJob& job, const MasterProgress& progress) {
    std::error_code ec;
    if (std::filesystem::exists(job.output, ec) && std::filesystem::equivalent(job.input, job.output, ec))
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: the output would overwrite the mix; sources are never modified", job.output.string()));
    if (auto ok = checkDeliveryTarget(job.settings.target); !ok) return std::unexpected(ok.error());
    auto report = [&](std::string_view stage) {
        return [&progress, stage](double f) {
            if (progress) progress(stage, f);
        };
    };
    auto before = analyzeForMastering(job.input, job.out.rate, "", report("analyzing"));
    if (!before) return std::unexpected(before.error());
    std::optional<analysis::MixReport> mixIssues;
    if (job.checkMix) {
        auto checked = analysis::reportMixIssues(job.input, report("checking the mix"));
        if (!checked) return std::unexpected(checked.error());
        mixIssues = std::move(*checked);
    }
    std::vector<ProgramAnalysis> references;
    for (const auto& reference : job.settings.references) {
        if (std::filesystem::exists(job.output, ec) && std::filesystem::equivalent(reference.path, job.output, ec))
            return fail(ErrorCode::invalidArgument,
                        fmt::format("{}: the output would overwrite a reference", job.output.string()));
        auto analysis = analyzeForMastering(reference.path, before->sampleRate, "reference ", report("analyzing references"));
        if (!analysis) return std::unexpected(analysis.error());
        if (!analysis->spectrum.valid)
            return fail(ErrorCode::invalidArgument,
                        fmt::format("reference {}: too short for a spectrum", reference.path.string()));
        references.push_back(std::move(*analysis));
    }
    MasteringPlan plan;
    if (job.profile) {
        plan = *job.profile;
        adaptProfileTo(plan, *before);
        // A target given on the command line wins over the profile's.
        if (job.settings.loudnessGiven) plan.target.integratedLufs = job.settings.target.integratedLufs;
        if (job.settings.ceilingGiven) plan.target.ceilingDbtp = job.settings.target.ceilingDbtp;
        plan.limiterCeiling = plan.target.ceilingDbtp;
    } else {
        plan = planMastering(*before, job.settings, references, job.albumMid);
    }
    auto result = renderMaster(job, std::move(*before), std::move(plan), std::move(references), progress);
    if (result) result->mixIssues = std::move(mixIssues);
    return result;
}

}  // namespace reel::master
