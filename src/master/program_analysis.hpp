#pragma once
// Everything mastering measures about a programme (a mix, a reference, a finished master),
// in one streaming pass over its file.
//
// Loudness (BS.1770-4 integrated, EBU Tech 3342 LRA, short-term and momentary maxima), true
// peak (BS.1770-4 Annex 2, 4× below 96 kHz), sample statistics (analysis::LevelStats), the
// 1/3-octave mid/side spectrum (band_spectrum.hpp) and short-term loudness every 100 ms for
// the report's picture. The file is read at `rate` (resampled at the edge when it differs,
// io::ResamplingReader), so a programme is measured as the mastering chain will see it.
// Memory is bounded (64 k-frame blocks, fixed-size meters, a capped time series).
// Two threads share the work; every meter sees the same frames in the same order, so results
// do not depend on timing.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "master/band_spectrum.hpp"
#include "master/time_series.hpp"

namespace reel::master {

struct ProgramAnalysis {
    std::filesystem::path path;
    SampleRate fileRate;      // the rate stored in the file
    SampleRate sampleRate;    // the rate it was measured at
    int channels = 0;
    FrameCount frames;        // at sampleRate
    Seconds duration;

    std::optional<Decibels> integratedLufs;
    std::optional<Decibels> loudnessRangeLu;
    std::optional<Decibels> shortTermMaxLufs;
    std::optional<Decibels> momentaryMaxLufs;
    std::optional<Decibels> truePeakDbtp;
    std::optional<Decibels> samplePeakDbfs;
    std::optional<Decibels> rmsDbfs;
    std::optional<double> dcOffset;   // linear, signed, largest channel mean
    std::int64_t clippedSamples = 0;  // at full scale (|x| ≥ 1.0; integer files: the highest code), all channels
    bool floatFile = false;           // samples stored as floats: above 1.0 is headroom, not clipping

    BandSpectrum spectrum;
    TimeSeries shortTermLufs{0.1, Merge::keepFirst};  // NaN where undefined (first 3 s, silence)

    /// Peak-to-loudness ratio, true peak − integrated loudness (LU); AES TD1008 uses it as
    /// the measure of how much dynamics a master keeps.
    std::optional<Decibels> plr() const {
        if (!truePeakDbtp || !integratedLufs) return std::nullopt;
        return *truePeakDbtp - *integratedLufs;
    }
    /// True when samples beyond full scale are float overs (recoverable), not clipping: a float
    /// file whose peak is above 1.0. (A float file flat at exactly ±1.0 was clipped before.)
    bool hasFloatOvers() const {
        return floatFile && samplePeakDbfs && samplePeakDbfs->value > 0.001;
    }
    /// Fraction of all samples at or beyond full scale.
    double clippedFraction() const {
        const double samples = static_cast<double>(frames.value) * channels;
        return samples > 0 ? static_cast<double>(clippedSamples) / samples : 0.0;
    }
};

/// Whether a ProgramMeter also measures the spectrum (the costliest part after loudness; the
/// write pass needs it only for a report or an album's tonal spread).
enum class MeasureSpectrum { no, yes };

/// Whether a ProgramMeter hashes the samples (the write pass does, to prove the file read
/// back is what it measured; an analysis has nothing to prove).
enum class HashSamples { no, yes };

/// The meters of a ProgramAnalysis, fed block by block: the analysis pass and the write pass
/// of the mastering loop share them (the write pass measures exactly the samples it hands
/// to the writer). Two halves that may run on two threads at once, each seeing every block
/// in order: processLoudness() (loudness, and short-term loudness on the 100 ms grid) and
/// processLevels() (true peak, sample statistics, spectrum, and a 64-bit hash of the sample
/// bits, by which a file read back is proven to hold exactly what was measured).
class ProgramMeter {
public:
    /// Precondition: analysis::LoudnessMeter::checkFormat(rate, channels) succeeds.
    ProgramMeter(SampleRate rate, int channels, MeasureSpectrum spectrum, HashSamples hash = HashSamples::yes);
    ~ProgramMeter();
    ProgramMeter(const ProgramMeter&) = delete;
    ProgramMeter& operator=(const ProgramMeter&) = delete;

    /// Samples with |x| ≥ `level` count as clipped (default 1.0). For an integer file the
    /// highest positive code is (2^(b−1) − 1)/2^(b−1), not 1.0: a 16-bit export clipped by its
    /// encoder sits at 32767/32768, which a 1.0 threshold would miss.
    void setClipLevel(float level) noexcept;
    void processLoudness(AudioView block);
    void processLevels(AudioView block) noexcept;
    /// Fills the measured fields of `into` (frames, duration, loudness, peaks, levels,
    /// spectrum, the short-term series); path, rates and channels are left as they are.
    void finish(ProgramAnalysis& into) const;
    /// FNV-1a over the samples' float bits, channel-major per block boundary-free: each
    /// channel keeps its own hash, combined at the end.
    std::uint64_t hash() const noexcept;

private:
    struct Meters;
    std::unique_ptr<Meters> meters_;
};

/// The hash ProgramMeter::hash() gives, of a file read back at its own rate (errors: those
/// of io::AudioFileReader).
Result<std::uint64_t> hashFile(const std::filesystem::path& path);

/// Measures a file at `rate` (nullopt: the file's own rate). Errors name the file: those of
/// io::AudioFileReader / ResamplingReader, and formatUnsupported for more than 8 channels.
Result<ProgramAnalysis> analyzeProgram(const std::filesystem::path& path, std::optional<SampleRate> rate = std::nullopt,
                                       const std::function<void(double)>& progress = {});

}  // namespace reel::master
