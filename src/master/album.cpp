#include "master/album.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "io/audio_file_reader.hpp"

namespace reel::master {

double tonalSpread(const std::vector<const BandSpectrum*>& spectra) {
    std::vector<BandLevels> relative;
    for (const auto* s : spectra)
        if (s->valid) relative.push_back(relativeLevels(s->mid));
    if (relative.size() < 2) return 0.0;
    double sum = 0.0;
    int bands = 0;
    for (std::size_t b = 0; b < static_cast<std::size_t>(kNumBands); ++b) {
        double mean = 0.0, count = 0.0;
        for (const auto& r : relative)
            if (std::isfinite(r[b])) {
                mean += r[b];
                count += 1.0;
            }
        if (count < 2.0) continue;
        mean /= count;
        double var = 0.0;
        for (const auto& r : relative)
            if (std::isfinite(r[b])) var += (r[b] - mean) * (r[b] - mean);
        sum += std::sqrt(var / count);
        ++bands;
    }
    return bands > 0 ? sum / bands : 0.0;
}

Result<AlbumResult> masterAlbum(const AlbumJob& job, const MasterProgress& progress) {
    if (job.inputs.size() < 2) return fail(ErrorCode::invalidArgument, "--album needs at least two songs");
    std::error_code ec;
    if (!std::filesystem::is_directory(job.outputFolder, ec))
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: with --album, -o names a folder that exists", job.outputFolder.string()));
    // Rates: all songs must share one unless --rate resamples them to one.
    std::vector<SampleRate> rates;
    for (const auto& input : job.inputs) {
        auto info = io::probeAudioFile(input);
        if (!info) return std::unexpected(info.error());
        rates.push_back(info->sampleRate);
    }
    if (!job.out.rate) {
        for (std::size_t i = 1; i < rates.size(); ++i)
            if (rates[i] != rates[0])
                return fail(ErrorCode::invalidArgument,
                            fmt::format("album songs have different sample rates ({}: {:.0f} Hz, {}: {:.0f} Hz); an album is "
                                        "delivered at one rate: give --rate 44100 (or 48000) to convert them",
                                        job.inputs[0].string(), rates[0].value, job.inputs[i].string(), rates[i].value));
    }
    // Two songs with the same file name would overwrite each other's master.
    for (std::size_t i = 0; i < job.inputs.size(); ++i)
        for (std::size_t k = i + 1; k < job.inputs.size(); ++k)
            if (job.inputs[i].stem() == job.inputs[k].stem())
                return fail(ErrorCode::invalidArgument,
                            fmt::format("{} and {} would both be written as {}{}; rename one", job.inputs[i].string(),
                                        job.inputs[k].string(), job.inputs[i].stem().string(), job.extension));

    std::vector<ProgramAnalysis> analyses;
    for (std::size_t i = 0; i < job.inputs.size(); ++i) {
        auto a = analyzeForMastering(job.inputs[i], job.out.rate, "", [&](double f) {
            if (progress) progress("analyzing album", (static_cast<double>(i) + f) / static_cast<double>(job.inputs.size()));
        });
        if (!a) return std::unexpected(a.error());
        analyses.push_back(std::move(*a));
    }
    std::vector<ProgramAnalysis> references;
    for (const auto& reference : job.settings.references) {
        auto a = analyzeForMastering(reference.path, analyses[0].sampleRate, "reference ");
        if (!a) return std::unexpected(a.error());
        references.push_back(std::move(*a));
    }

    AlbumResult album;
    // Album tonal balance: the mean of the songs' relative mid levels.
    BandLevels albumMid;
    for (std::size_t b = 0; b < albumMid.size(); ++b) {
        double sum = 0.0, count = 0.0;
        for (const auto& a : analyses) {
            const BandLevels rel = relativeLevels(a.spectrum.mid);
            if (a.spectrum.valid && std::isfinite(rel[b])) {
                sum += rel[b];
                count += 1.0;
            }
        }
        albumMid[b] = count > 0 ? sum / count : std::numeric_limits<double>::quiet_NaN();
    }
    // Loudness offsets by loudness range.
    std::vector<double> ranges;
    for (const auto& a : analyses) ranges.push_back(a.loudnessRangeLu ? a.loudnessRangeLu->value : 0.0);
    std::vector<double> sorted = ranges;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.size() % 2 ? sorted[sorted.size() / 2] : 0.5 * (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]);

    std::vector<const BandSpectrum*> spectraBefore;
    double minBefore = 1e9, maxBefore = -1e9;
    for (const auto& a : analyses) {
        spectraBefore.push_back(&a.spectrum);
        minBefore = std::min(minBefore, a.integratedLufs->value);
        maxBefore = std::max(maxBefore, a.integratedLufs->value);
    }
    album.loudnessSpreadBefore = maxBefore - minBefore;
    album.tonalSpreadBefore = tonalSpread(spectraBefore);

    for (std::size_t i = 0; i < analyses.size(); ++i) {
        MasterJob songJob;
        songJob.input = job.inputs[i];
        songJob.output = job.outputFolder / (job.inputs[i].stem().string() + job.extension);
        songJob.out = job.out;
        songJob.settings = job.settings;
        const double below = std::min(kMaxBelowLu, std::max(0.0, (ranges[i] - median) / 4.0));
        songJob.settings.target.integratedLufs = job.settings.target.integratedLufs - Decibels{std::round(below * 10.0) / 10.0};
        album.songTargets.push_back(songJob.settings.target.integratedLufs.value);
        MasteringPlan plan;
        if (job.profile) {
            plan = *job.profile;
            adaptProfileTo(plan, analyses[i]);
            plan.target.integratedLufs = songJob.settings.target.integratedLufs;
            if (job.settings.ceilingGiven) plan.target.ceilingDbtp = job.settings.target.ceilingDbtp;
            plan.limiterCeiling = plan.target.ceilingDbtp;
        } else {
            plan = planMastering(analyses[i], songJob.settings, references, albumMid);
        }
        if (below > 0.0)
            plan.notes.push_back(fmt::format("album: {:.1f} LU under the album target, for a loudness range {:.1f} LU wider "
                                             "than the album's median",
                                             below, ranges[i] - median));
        auto song = renderMaster(songJob, analyses[i], std::move(plan), references, [&](std::string_view stage, double f) {
            if (progress) progress(fmt::format("song {}/{}: {}", i + 1, analyses.size(), stage), f);
        });
        if (!song) return withContext(song.error(), job.inputs[i].string() + ": ");
        album.songs.push_back(std::move(*song));
    }
    std::vector<const BandSpectrum*> spectraAfter;
    double minAfter = 1e9, maxAfter = -1e9;
    for (const auto& s : album.songs) {
        spectraAfter.push_back(&s.after.spectrum);
        if (s.after.integratedLufs) {
            minAfter = std::min(minAfter, s.after.integratedLufs->value);
            maxAfter = std::max(maxAfter, s.after.integratedLufs->value);
        }
    }
    album.loudnessSpreadAfter = maxAfter - minAfter;
    album.tonalSpreadAfter = tonalSpread(spectraAfter);
    return album;
}

}  // namespace reel::master
