#pragma once
// `reel master`: analysis → decisions → chain → verification, looped until the targets hold.
//
// Passes over the audio (each streams in 64 k-frame blocks; memory does not grow with length):
//   1. analyze the mix (and the references) at the processing rate;
//   2. decide the chain (planMastering, or a profile);
//   3. the pre-limiter chain (EQ, stereo, compression) once, into an unlinked temporary file
//      together with the limiter's true-peak detection, measuring its loudness;
//   4. write, speculatively: drive = target − that loudness, no trim; a master that limits
//      little lands within 0.05 LU and is kept (no probe at all). Otherwise that write is the
//      first probe: the drive moves (secant steps) until the loudness lands within reach of a
//      trim gain after the limiter — a pure gain moves integrated loudness by exactly its own
//      dB, so the trim makes the result exact — or until the intensity's limiting limit is
//      reached (then the target is reported unreachable, by how much), and the file is
//      written again. Each write measures the exact samples written; if the true peak is above
//      the ceiling (the limiter's inter-sample residue, or dither), the limiter's working
//      ceiling is lowered by the excess and the job goes back to probing; only a file that
//      meets the ceiling is renamed into place;
//   5. verify: re-read the written file and prove it holds exactly the samples the write pass
//      measured (a 64-bit hash of their bits); if it does not, measure the file again. For a
//      lossy file (MP3) the file is decoded and measured, and if its true peak is above the
//      ceiling the limiter's ceiling is lowered by the excess and the encode redone.
// The limiter's true-peak detection (4× oversampling) runs once, on the pre-limiter signal,
// and is cached with it; every later pass scales the cached peaks by its drive.
// Everything is deterministic: the same input and options give the same bits.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/mix_report.hpp"
#include "core/error.hpp"
#include "io/audio_file_writer.hpp"
#include "master/mastering_plan.hpp"
#include "master/program_analysis.hpp"
#include "master/time_series.hpp"

namespace reel::master {

/// How integer output is dithered. automatic: noise-shaped at 16 bits (where the noise floor
/// can be heard), flat TPDF at 24; float and MP3 output are never dithered.
enum class DitherMode { automatic, none, tpdf, shaped };

/// How the master is stored.
struct OutputSpec {
    io::FileType type = io::FileType::wav;
    io::SampleFormat format = io::SampleFormat::pcm24;  // mp3: float32 (the encoder's input)
    std::optional<SampleRate> rate;  // nullopt: the input's rate
    DitherMode dither = DitherMode::automatic;
};

/// How the "after" measurement was tied to the written file.
enum class Verification {
    hash,     // the write pass measured the samples; the file read back hashes to the same bits
    reread,   // the file read back differed (e.g. saturated samples): measured again from the file
    decoded,  // lossy output: the encoded file decoded and measured (true peak after decoding)
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
    /// Whether the "after" includes the spectrum (reports and albums need it; a bare master
    /// does not, and skipping it saves a little of the write pass).
    MeasureSpectrum afterSpectrum = MeasureSpectrum::yes;
    /// Whether to check the mix for problems (analysis::reportMixIssues: one more pass over
    /// the input) so the report can point them out; reports ask for it.
    bool checkMix = false;
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
    int bits = 24;             // 32: float; mp3 output reports 32 (the encoder's input)
    bool dithered = false;
    DitherMode dither = DitherMode::none;  // what was applied: none, tpdf or shaped
    Verification verification = Verification::hash;
    int writes = 0;            // files written (more than 1: the ceiling was lowered and the job redone)
    double ceilingLoweredDb = 0.0;  // how far the limiter's ceiling was lowered after measuring the output
    std::optional<analysis::MixReport> mixIssues;  // what is wrong with the mix (MasterJob::checkMix)
};

/// "none", "tpdf", "shaped", "automatic".
std::string_view toString(DitherMode mode);
/// Parses --dither: tpdf, shaped, none.
Result<DitherMode> parseDitherMode(std::string_view text);

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
