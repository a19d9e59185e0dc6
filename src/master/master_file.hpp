#pragma once
// `reel master`: analysis → decisions → chain → verification, looped until the targets hold.
//
// Passes over the audio (each streams in 64 k-frame blocks; memory does not grow with length):
//   1. analyze the mix (and the references) at the processing rate;
//   2. decide the chain (planMastering, or a profile);
//   3. probe: run the chain with a drive gain into the limiter and measure the output's
//      loudness and true peak, adjusting the drive (secant steps) until the loudness lands
//      within reach of a trim gain after the limiter — a pure gain moves integrated loudness
//      by exactly its own dB, so the trim makes the result exact — or until the intensity's
//      limiting limit is reached (then the target is reported unreachable, by how much);
//   4. write: chain + trim + dither into a temporary file, measuring the exact samples
//      written; if the true peak is above the ceiling (the limiter's inter-sample residue,
//      or dither), the limiter's working ceiling is lowered by the excess and the job goes
//      back to 3; only a file that meets the ceiling is renamed into place;
//   5. verify: re-read the written file and measure it again (the "after" of the report).
// Everything is deterministic: the same input and options give the same bits.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/audio_file_writer.hpp"
#include "master/mastering_plan.hpp"
#include "master/program_analysis.hpp"
#include "master/time_series.hpp"

namespace reel::master {

/// How the master is stored.
struct OutputSpec {
    io::FileType type = io::FileType::wav;
    io::SampleFormat format = io::SampleFormat::pcm24;
    std::optional<SampleRate> rate;  // nullopt: the input's rate
};

/// Gain reduction of one dynamics stage over the song.
struct GainReductionStats {
    double maxDb = 0.0;
    double meanDb = 0.0;           // mean of the per-100 ms maxima
    double percentAbove1Db = 0.0;  // of the 100 ms steps, those reducing more than 1 dB
    TimeSeries series{0.1, Merge::keepLarger};
};

struct MasterJob {
    std::filesystem::path input;
    std::filesystem::path output;
    OutputSpec out;
    MasterSettings settings;
    std::optional<MasteringPlan> profile;  // --profile: decisions to reuse
    std::optional<BandLevels> albumMid;    // --album: the album's tonal balance to lean toward
};

struct MasterResult {
    std::filesystem::path input, output;
    ProgramAnalysis before;
    ProgramAnalysis after;
    std::vector<ProgramAnalysis> references;
    MasteringPlan plan;
    GainReductionStats limiter, compressor;
    BandLevels midEqResponse{}, sideEqResponse{};  // of the applied EQ, dB per band
    bool loudnessReached = true;
    double shortfallLu = 0.0;  // target − achieved, when unreachable
    std::vector<std::string> warnings;
    int passes = 0;            // probe and write passes (analysis and verification not counted)
    int bits = 24;
    bool dithered = false;
};

/// Progress: which stage, and how far through it (0 … 1).
using MasterProgress = std::function<void(std::string_view stage, double fraction)>;

/// Analyzes a programme for mastering and refuses what cannot be mastered, naming the file
/// (`role` is "" for the mix, "reference " for a reference): silence, near-silence, less
/// than 3 s, nothing but clipping, more than two channels.
Result<ProgramAnalysis> analyzeForMastering(const std::filesystem::path& path, std::optional<SampleRate> rate,
                                            std::string_view role, const std::function<void(double)>& progress = {});

/// Masters one file (all passes). Errors leave no output file.
Result<MasterResult> masterFile(const MasterJob& job, const MasterProgress& progress = {});

/// The later passes, for a mix already analyzed and a plan already made (album mode).
Result<MasterResult> renderMaster(const MasterJob& job, ProgramAnalysis before, MasteringPlan plan,
                                  std::vector<ProgramAnalysis> references, const MasterProgress& progress = {});

}  // namespace reel::master
