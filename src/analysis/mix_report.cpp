#include "analysis/mix_report.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>

#include <fmt/format.h>

#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "analysis/mix_dynamics.hpp"
#include "analysis/mix_level_scan.hpp"
#include "analysis/mix_sibilance.hpp"
#include "analysis/mix_spectrum.hpp"
#include "analysis/mix_stereo_scan.hpp"
#include "analysis/true_peak_meter.hpp"
#include "core/audio_buffer.hpp"
#include "core/thread_pool.hpp"
#include "io/audio_file_reader.hpp"

namespace reel::analysis {
namespace {

// As analyzeFile: large enough that handing a block to the other thread costs nothing
// measurable, small enough to bound memory (8 channels × 64 k floats × 2 buffers = 4 MiB).
constexpr std::int64_t kBlockFrames = 65536;

std::unique_ptr<ThreadPool> makePool() {
    try {
        return std::make_unique<ThreadPool>(2);
    } catch (const std::exception&) {
        return nullptr;  // only a speed-up: run on the caller's thread
    }
}

void append(std::vector<MixIssue>& to, std::vector<MixIssue> from) {
    for (auto& issue : from) to.push_back(std::move(issue));
}

}  // namespace

int MixReport::count(Severity severity) const noexcept {
    return static_cast<int>(std::count_if(issues.begin(), issues.end(), [&](const MixIssue& i) { return i.severity == severity; }));
}

Result<MixReport> reportMixIssues(const std::filesystem::path& path, const std::function<void(double fraction)>& progress) {
    auto reader = io::AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    const io::AudioFileInfo info = reader->info();
    if (auto ok = LoudnessMeter::checkFormat(info.sampleRate, info.channels); !ok)
        return withContext(ok.error(), path.string() + ": ");
    const SampleRate rate = info.sampleRate;
    const int channels = info.channels;

    LoudnessMeter loudness(rate, channels);
    TruePeakMeter truePeak(rate, channels);
    LevelStats levels(channels);
    LevelScan levelScan(rate, channels);
    StereoScan stereoScan(rate, channels);
    SibilanceDetector sibilance(rate);
    MixSpectrum spectrum(rate, channels);

    std::array<AudioBuffer, 2> blocks{AudioBuffer(channels, kBlockFrames), AudioBuffer(channels, kBlockFrames)};
    const std::unique_ptr<ThreadPool> pool = makePool();

    Result<std::int64_t> got = reader->read(blocks[0].view());
    std::int64_t framesRead = 0;
    for (std::size_t current = 0; got && *got > 0; current ^= 1) {
        const AudioView block = blocks[current].view(*got);
        Result<std::int64_t> next = 0;
        // Task 0: the K-weighted family (loudness, stereo energies, sibilance), then decoding the
        // next block into the other buffer, which no task of this round reads. Task 1: peaks,
        // levels and the spectrum. (On a 44.1 kHz stereo file the two take about as long.)
        auto task = [&](std::size_t index) {
            if (index == 0) {
                loudness.process(block);
                for (std::int64_t done = 0; done < block.numFrames();) {
                    const std::int64_t n = std::min(StereoScan::kChunk, block.numFrames() - done);
                    stereoScan.process(block.slice(done, n));
                    sibilance.process(stereoScan.kWeightedMid(), n);
                    done += n;
                }
                next = reader->read(blocks[current ^ 1].view());
            } else {
                truePeak.process(block);
                levels.process(block);
                levelScan.process(block);
                spectrum.process(block);
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
    levelScan.finish();
    stereoScan.finish();
    sibilance.finish();
    spectrum.finish();

    MixReport report;
    FileAnalysis& a = report.analysis;
    a.integratedLufs = loudness.integratedLufs();
    a.loudnessRangeLu = loudness.loudnessRangeLu();
    a.momentaryMaxLufs = loudness.momentaryMaxLufs();
    a.shortTermMaxLufs = loudness.shortTermMaxLufs();
    a.truePeakDbtp = truePeak.truePeakDbtp();
    a.samplePeakDbfs = levels.samplePeakDbfs();
    a.rmsDbfs = levels.rmsDbfs();
    a.dcOffset = levels.dcOffset();
    a.clippedSamples = levels.clippedSamples();
    a.duration = toSeconds(FrameCount{framesRead}, rate);
    a.sampleRate = rate;
    a.channels = channels;

    MixProgram program;
    program.rate = rate;
    program.channels = channels;
    program.frames = framesRead;
    if (a.integratedLufs) program.integratedLufs = a.integratedLufs->value;
    if (a.loudnessRangeLu) program.loudnessRangeLu = a.loudnessRangeLu->value;
    if (a.truePeakDbtp) program.truePeakDbtp = a.truePeakDbtp->value;
    program.audibleStart = levelScan.audibleStart();
    program.audibleEnd = levelScan.audibleEnd();

    append(report.issues, levelIssues(levelScan, program));
    if (program.audible()) {
        append(report.issues, stereoIssues(stereoScan, program, bandFoldDown(spectrum, program)));
        append(report.issues, spectralIssues(spectrum, program));
        append(report.issues, sibilanceIssues(sibilance, program));
        append(report.issues, dynamicsIssues(stereoScan, levelScan, spectrum, program));
    }
    std::stable_sort(report.issues.begin(), report.issues.end(), [](const MixIssue& x, const MixIssue& y) {
        if (x.severity != y.severity) return x.severity > y.severity;
        return x.kind < y.kind;
    });

    // What could not be checked, so "no issue" is never mistaken for "checked and fine".
    auto skip = [&](MixIssueKind kind, std::string reason) { report.skipped.push_back({kind, std::move(reason)}); };
    if (channels != 2) {
        const std::string reason = channels == 1 ? "mono file" : fmt::format("{} channels (stereo checks need 2)", channels);
        for (auto kind : {MixIssueKind::phase, MixIssueKind::monoFoldDown, MixIssueKind::wideLowEnd, MixIssueKind::imbalance,
                          MixIssueKind::fakeStereo})
            skip(kind, reason);
    }
    if (!sibilance.enabled()) skip(MixIssueKind::sibilance, "sample rate below 22 kHz");
    if (program.audible() && spectrum.windows() < 4)
        for (auto kind : {MixIssueKind::boomy, MixIssueKind::muddy, MixIssueKind::harsh, MixIssueKind::bandLimited})
            skip(kind, "too short for a long-term spectrum (about 1 s needed)");
    if (program.audible() && !program.integratedLufs)
        for (auto kind : {MixIssueKind::overCompressed, MixIssueKind::noisyFloor})
            skip(kind, "integrated loudness undefined (too short or too quiet)");
    return report;
}

}  // namespace reel::analysis
