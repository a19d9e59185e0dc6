#include "master/master_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>

#include "analysis/loudness_meter.hpp"
#include "analysis/true_peak_meter.hpp"
#include "core/thread_pool.hpp"
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

/// Integrated loudness and true peak of what the sink sees.
struct OutputMeters {
    analysis::LoudnessMeter loudness;
    analysis::TruePeakMeter truePeak;
    OutputMeters(SampleRate rate, int channels) : loudness(rate, channels), truePeak(rate, channels) {}
    void process(AudioView block) {
        loudness.process(block);
        truePeak.process(block);
    }
    void fill(Measured& m) const {
        if (auto l = loudness.integratedLufs()) m.loudness = l->value;
        if (auto p = truePeak.truePeakDbtp()) m.truePeak = p->value;
    }
};

/// The limiter as a pipeline stage: processes on the 100 ms grid, records gain reduction,
/// and marks the first `latency` frames of the stream for the later stages to skip.
struct LimiterStage {
    LimiterChain& chain;
    std::int64_t step;
    std::int64_t untilStep;
    std::int64_t toSkip;
    ReductionMeter reduction;

    LimiterStage(LimiterChain& c, std::int64_t stepFrames, std::int64_t latency)
        : chain(c), step(stepFrames), untilStep(stepFrames), toSkip(latency) {}

    Result<void> operator()(PipelineBlock& block) {
        onStepGrid(
            block.all(), step, untilStep, [&](AudioView piece) {
                chain.process(piece);
                reduction.add(chain.reductionDb());
            },
            [&] { reduction.endStep(); });
        block.skip = std::min(toSkip, block.frames);
        toSkip -= block.skip;
        return {};
    }
};

std::string describeTarget(const DeliveryTarget& target) {
    return fmt::format("{:.1f} LUFS / {:.1f} dBTP", target.integratedLufs.value, target.ceilingDbtp.value);
}

}  // namespace

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
    const DeliveryTarget target = plan.target;
    const double T = target.integratedLufs.value;
    const double C = target.ceilingDbtp.value;
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
    auto cache = SignalCache::create(folder, channels);
    if (!cache) return std::unexpected(cache.error());

    // The margin under the ceiling that the limiter and the trim keep, for what happens after
    // them (dither, rounding to the file's grid) and for the limiter's inter-sample residue.
    double margin = kFirstMargin;
    double ceilingLimiter = C - margin;
    double drive = T - before.integratedLufs->value;

    // --- 3a. The pre-limiter chain, once, into the cache; the first probe rides along.
    Measured first;
    {
        auto reader = io::ResamplingReader::open(job.input, rate);
        if (!reader) return std::unexpected(reader.error());
        bool inputDone = false;
        std::int64_t flushLeft = latency, framesIn = 0;
        PreLimiterChain& chain = **pre;
        std::vector<PipelineStage> stages;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              const AudioView space = block.buffer.view();
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
                              if (got > 0 && chain.eqActive() && chain.midSide()) PreLimiterChain::encodeMidSide(block.all());
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
        SignalCache& store = *cache;
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              onStepGrid(
                                  block.all(), step, untilStep, [&](AudioView piece) {
                                      chain.processDynamics(piece);
                                      compression.add(chain.compressorReductionDb());
                                  },
                                  [&] { compression.endStep(); });
                              return store.append(block.all());
                          },
                          0});
        (*limiter)->setGains(Decibels{drive}, Decibels{ceilingLimiter}, Decibels{0.0});
        (*limiter)->reset();
        LimiterStage limiting(**limiter, step, latency);
        stages.push_back({std::ref(limiting), 1});
        OutputMeters meters(rate, channels);
        stages.push_back({[&](PipelineBlock& block) -> Result<void> {
                              meters.process(block.view());
                              return {};
                          },
                          1});
        if (auto ok = runPipeline(stages, channels, kBlockFrames, pool.get()); !ok) return std::unexpected(ok.error());
        ++result.passes;
        meters.fill(first);
        first.peakIntoLimiter = (*limiter)->peakIntoLimiterDbtp();
        first.limiter = limiting.reduction.finish();
        result.compressor = compression.finish();
    }

    // A limiter pass over the cache: the limiter and then `sink` on the compensated output.
    auto limiterPass = [&](double driveDb, double trimDb, const std::function<Result<void>(AudioView)>& sink,
                           std::string_view stage, Measured& measured) -> Result<void> {
        (*limiter)->setGains(Decibels{driveDb}, Decibels{ceilingLimiter}, Decibels{trimDb});
        (*limiter)->reset();
        cache->rewind();
        LimiterStage limiting(**limiter, step, latency);
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
        stages.push_back({[&](PipelineBlock& block) -> Result<void> { return sink(block.view()); }, 1});
        if (auto ok = runPipeline(stages, channels, kBlockFrames, pool.get()); !ok) return ok;
        ++result.passes;
        measured.peakIntoLimiter = (*limiter)->peakIntoLimiterDbtp();
        measured.limiter = limiting.reduction.finish();
        return {};
    };

    // --- 3b. Probes: move the drive until the loudness is within reach of the trim.
    double trim = 0.0;
    bool reachable = true;
    int writes = 0;
    std::optional<Measured> pending = std::move(first);
    while (true) {
        bool havePrevious = false;
        double previousDrive = 0.0, previousLoudness = 0.0;
        bool accepted = false;
        for (int probe = 0; probe < kMaxProbes && !accepted; ++probe) {
            Measured m;
            if (pending) {
                m = std::move(*pending);
                pending.reset();
            } else {
                OutputMeters meters(rate, channels);
                auto ok = limiterPass(drive, 0.0, [&](AudioView block) -> Result<void> {
                    meters.process(block);
                    return {};
                }, "mastering", m);
                if (!ok) return std::unexpected(ok.error());
                meters.fill(m);
            }
            const double headroom = C - margin - m.truePeak;
            const double need = T - m.loudness;
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

        // --- 4. Write (into a temporary file; renamed only when the ceiling holds).
        io::WriteSpec spec{job.out.type, job.out.format, rate, channels};
        auto writer = io::AudioFileWriter::create(job.output, spec);
        if (!writer) return std::unexpected(writer.error());
        const bool dither = job.out.format != io::SampleFormat::float32;
        dsp::TpdfDither ditherer({io::bitsOf(job.out.format)});
        if (dither)
            if (auto ok = ditherer.prepare({rate.value, static_cast<int>(kBlockFrames), channels}); !ok)
                return std::unexpected(ok.error());
        OutputMeters meters(rate, channels);
        Measured m;
        auto ok = limiterPass(drive, trim, [&](AudioView block) -> Result<void> {
            if (dither) ditherer.process(block);
            meters.process(block);
            return writer->write(block);
        }, "writing", m);
        if (!ok) return std::unexpected(ok.error());
        ++writes;
        meters.fill(m);
        if (m.truePeak > C && writes < kMaxWrites) {
            // The inter-sample residue of the limiter, or dither, crossed the ceiling: lower the
            // limiter's working ceiling by the excess (and a little) and land the loudness again.
            margin += (m.truePeak - C) + 0.02;
            ceilingLimiter = C - margin;
            continue;  // the writer's destructor removes the temporary file
        }
        if (m.truePeak > C)
            return fail(ErrorCode::internal,
                        fmt::format("{}: could not keep the true peak under {:.2f} dBTP (reached {:.3f}); nothing was written",
                                    job.input.string(), C, m.truePeak));
        if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
        result.limiter = std::move(m.limiter);
        result.dithered = dither;
        result.bits = io::bitsOf(job.out.format);
        break;
    }
    plan.drive = Decibels{drive};
    plan.trim = Decibels{trim};
    plan.limiterCeiling = Decibels{ceilingLimiter};

    // --- 5. Verify: read the file back and measure it as anyone else would.
    auto after = analyzeProgram(job.output, std::nullopt, [&](double f) { report("verifying", f); });
    if (!after) return std::unexpected(after.error());
    result.after = std::move(*after);
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
        result.warnings.push_back(fmt::format("integrated loudness {:.2f} LUFS is {:.2f} LU from the target {:.1f} LUFS", achieved,
                                              achieved - T, T));
    }
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
    return renderMaster(job, std::move(*before), std::move(plan), std::move(references), progress);
}

}  // namespace reel::master
