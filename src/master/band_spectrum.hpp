#pragma once
// Long-term average spectrum in 1/3-octave bands, of the mid (L+R)/2 and side (L−R)/2.
//
// What the mastering decisions and the report look at: how a mix's energy is spread over
// frequency, on the scale people hear it (1/3 octave, ISO 266 / IEC 61260-1 base-10 centres
// 1000·10^(k/10) Hz, k = −17 … 13: 20 Hz … 20 kHz, 31 bands, edges at centre·10^(±1/20)).
//
// Method: Welch's averaged periodogram (P. Welch, "The use of fast Fourier transform for the
// estimation of power spectra", IEEE Trans. Audio Electroacoust. 15(2), 1967) with Hann
// windows of N frames, N the power of two nearest 0.37 s (16384 at 44.1/48 kHz, a 2.7–2.9 Hz
// bin, fine enough for the 20 Hz band, 4.6 Hz wide), hop N/2. A bin's power is split between
// the bands its width overlaps, in proportion to the overlap. Powers are scaled so that the
// bands of the whole spectrum add up to the signal's mean square (Parseval): a sine of peak
// amplitude 1 reads −3.01 dB in its band, white noise spreads its power in proportion to
// band width. Only whole windows are analysed: a programme shorter than N frames has no
// spectrum (valid = false), and the last < N/2 frames are not looked at.
// Mono input: side is −inf (all zeros), mid = the channel.
// Memory: O(N); process() may run on any one thread at a time; FFTW plans are made under
// dsp::fftwPlannerMutex().

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/units.hpp"
#include "dsp/real_fft.hpp"

namespace reel::master {

inline constexpr int kNumBands = 31;

/// Centre frequency of band b (0 = 20 Hz … 30 = 20 kHz), the IEC 61260-1 exact value.
double bandCentreHz(int band) noexcept;
/// The nominal label of band b ("20", "1k", "12.5k").
const char* bandLabel(int band) noexcept;

/// Levels per band in dB (mean square, full-scale sine = −3.01 dB); −inf where empty,
/// NaN where the band centre lies above 0.95 × Nyquist (a band straddling Nyquist is measured up to it).
using BandLevels = std::array<double, kNumBands>;

struct BandSpectrum {
    BandLevels mid{};
    BandLevels side{};
    bool valid = false;  // false when the programme was too short for one window
};

class BandSpectrumAnalyzer {
public:
    /// Prepares for a rate and 1 … kMaxChannels channels (only the first two are used).
    BandSpectrumAnalyzer(SampleRate rate, int channels);
    BandSpectrumAnalyzer(const BandSpectrumAnalyzer&) = delete;
    BandSpectrumAnalyzer& operator=(const BandSpectrumAnalyzer&) = delete;

    /// Adds frames.
    void process(AudioView audio) noexcept;
    /// The average so far.
    BandSpectrum result() const;
    /// FFT length in frames.
    std::int64_t windowFrames() const noexcept { return size_; }

private:
    void analyzeWindow() noexcept;

    SampleRate rate_;
    int channels_ = 0;
    std::int64_t size_ = 0;
    std::int64_t hop_ = 0;
    std::vector<float> window_;
    std::vector<float> midRing_, sideRing_;  // the last size_ frames, in order
    std::int64_t filled_ = 0;                // frames in the rings
    std::int64_t sinceLast_ = 0;             // frames since the last analysed window
    std::vector<double> midPower_, sidePower_;  // summed |X|² per bin
    std::int64_t windows_ = 0;
    double windowPower_ = 0.0;               // Σ w²
    std::unique_ptr<dsp::RealFft> fft_;
};

/// Mean-square power of a set of band levels (dB) summed over the bands that exist, in dB.
double totalLevelDb(const BandLevels& levels) noexcept;

}  // namespace reel::master
