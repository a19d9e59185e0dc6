#include "analysis/mix_report.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analysis/level_stats.hpp"
#include "analysis/loudness_meter.hpp"
#include "analysis/mix_dynamics.hpp"
#include "analysis/mix_level_scan.hpp"
#include "analysis/mix_sibilance.hpp"
#include "analysis/mix_spectrum.hpp"
#include "analysis/mix_stereo_scan.hpp"
#include "analysis/true_peak_meter.hpp"

namespace reel::analysis {
namespace {

void append(std::vector<MixIssue>& to, std::vector<MixIssue> from) {
    for (auto& issue : from) to.push_back(std::move(issue));
}

}  // namespace

int MixReport::count(Severity severity) const noexcept {
    return static_cast<int>(std::count_if(issues.begin(), issues.end(), [&](const MixIssue& i) { return i.severity == severity; }));
}

Result<MixReport> reportMixIssues(const std::filesystem::path& path, const std::function<void(double fraction)>& progress) {
    auto reader = openForAnalysis(path);
    if (!reader) return std::unexpected(reader.error());
    const SampleRate rate = reader->info().sampleRate;
    const int channels = reader->info().channels;

    LoudnessMeter loudness(rate, channels);
    TruePeakMeter truePeak(rate, channels);
    LevelStats levels(channels, clipLevelOf(reader->info().encoding));
    LevelScan levelScan(rate, channels);
    StereoScan stereoScan(rate, channels);
    SibilanceDetector sibilance(rate);
    MixSpectrum spectrum(rate, channels);

    // With the decoding: the K-weighted family (loudness, stereo energies, sibilance); alongside:
    // peaks, levels and the spectrum. (On a 44.1 kHz stereo file the two take about as long.)
    const auto framesRead = streamBlocks(
        *reader,
        [&](AudioView block) {
            loudness.process(block);
            for (std::int64_t done = 0; done < block.numFrames();) {
                const std::int64_t n = std::min(StereoScan::kChunk, block.numFrames() - done);
                stereoScan.process(block.slice(done, n));
                sibilance.process(stereoScan.kWeightedMid(), n);
                done += n;
            }
        },
        [&](AudioView block) {
            truePeak.process(block);
            levels.process(block);
            levelScan.process(block);
            spectrum.process(block);
        },
        progress);
    if (!framesRead) return std::unexpected(framesRead.error());
    levelScan.finish();
    stereoScan.finish();
    sibilance.finish();
    spectrum.finish();

    MixReport report;
    const FileAnalysis& a = report.analysis = fileAnalysisOf(loudness, truePeak, levels, FrameCount{*framesRead}, rate, channels);

    MixProgram program;
    program.rate = rate;
    program.channels = channels;
    program.frames = *framesRead;
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
