#pragma once
// The spectral family of mix-report detectors: boomy / muddy / harsh bands against a
// reference curve, a too-wide low end, the per-octave mono fold-down loss, band-limited
// (upsampled or lossy) sources; and the spectral flatness the noisy-floor detector reads.
//
// Method: Welch's averaged periodogram (Welch 1967) of the mid M = (L+R)/2 and side
// S = (L−R)/2 (mono: M = the channel, S = 0; more than two channels: M = their mean, S = 0),
// periodic Hann windows of N frames, N the power of two nearest 0.37 s (16 384 at 44.1 and
// 48 kHz: 2.7–2.9 Hz bins), hop N/2. Kept:
//  - the long-term average power per bin of M and S (for the cutoff of a band-limited source);
//  - per 3 s segment, the power in each 1/3-octave band (IEC 61260-1 base-10 centres,
//    20 Hz … 20 kHz, 31 bands; a bin's power shared between bands by overlap), so a tonal
//    finding can say *where* in the song it holds, in a bounded timeline;
//  - per window, the spectral flatness (geometric / arithmetic mean of the power of M + S)
//    over 1 kHz … min(12 kHz, 0.9 · Nyquist): about 0.56 for white noise, under 0.1 for
//    tonal music.
// Levels are scaled so a full-scale sine reads −3.01 dB in its band (Parseval, window power
// divided out). The same measurement as master/band_spectrum.hpp, plus what the report needs
// (bins, segments, flatness); see docs/mix-report.md on the duplication.
// FFTW plans are made and destroyed under dsp::fftwPlannerMutex(). Memory: O(N) plus the
// bounded timelines. Threads: one at a time per instance; process() does not allocate.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/mix_issue.hpp"
#include "analysis/mix_stereo_scan.hpp"
#include "analysis/mix_timeline.hpp"
#include "core/audio_buffer.hpp"
#include "core/units.hpp"
#include "dsp/real_fft.hpp"

namespace reel::analysis {

inline constexpr int kMixBands = 31;

/// Centre of 1/3-octave band b (0 = 20 Hz … 30 = 20 kHz): 1000 · 10^((b − 17) / 10) Hz.
double mixBandCentreHz(int band) noexcept;

/// The reference tonal balance of a finished pop/rock mix, in dB per 1/3-octave band energy
/// relative to an arbitrary level: flat from 40 to 100 Hz (−6 dB/octave below 40 Hz), −3.5
/// dB/octave from 100 Hz to 10 kHz, −9 dB/octave above 10 kHz. A smooth reading of the long-
/// term average spectra of commercial recordings reported by Pestana, Ma, Reiss, Barbosa &
/// Black ("Spectral characteristics of popular commercial recordings 1950–2010", AES 135th
/// Convention, 2013), the same curve reel master corrects toward; our rounding, not their data.
double referenceCurveDb(double frequencyHz) noexcept;

class MixSpectrum {
public:
    struct Segment {
        std::array<float, kMixBands> mid{};   // Σ over windows of band power
        std::array<float, kMixBands> side{};
        float windows = 0.0f;
        static Segment merge(const Segment& a, const Segment& b) noexcept;
    };
    struct Flatness {
        float sum = 0.0f;    // Σ flatness of the windows
        float windows = 0.0f;
        static Flatness merge(const Flatness& a, const Flatness& b) noexcept;
    };

    MixSpectrum(SampleRate rate, int channels);
    MixSpectrum(const MixSpectrum&) = delete;
    MixSpectrum& operator=(const MixSpectrum&) = delete;

    /// Adds frames.
    void process(AudioView audio) noexcept;
    /// Stores the last partial segment; call once after the last process().
    void finish();

    std::int64_t windowFrames() const noexcept { return size_; }
    std::int64_t hopFrames() const noexcept { return hop_; }
    std::int64_t windows() const noexcept { return windows_; }
    SampleRate sampleRate() const noexcept { return rate_; }
    bool stereo() const noexcept { return channels_ == 2; }

    /// Long-term band levels (dB, full-scale sine = −3.01) of mid and side; NaN for bands
    /// above 0.95 · Nyquist or when no window was analysed.
    std::array<double, kMixBands> midLevels() const;
    std::array<double, kMixBands> sideLevels() const;
    /// Long-term average power per bin of M + S (scaled like the bands), bins 0 … N/2.
    std::vector<double> binPower() const;
    const MixTimeline<Segment>& segments() const noexcept { return segments_; }
    std::int64_t segmentFrames() const noexcept { return segmentFrames_; }
    /// Flatness of the windows whose centre lies in [from, to); nullopt if none.
    std::optional<double> meanFlatness(std::int64_t from, std::int64_t to) const;

private:
    void analyzeWindow() noexcept;
    std::array<double, kMixBands> levelsOf(const std::vector<double>& power) const;

    SampleRate rate_;
    int channels_ = 0;
    std::int64_t size_ = 0;
    std::int64_t hop_ = 0;
    std::vector<float> window_;
    double windowPower_ = 0.0;
    std::vector<float> midRing_, sideRing_;  // the last size_ frames, oldest first from ringAt_
    std::int64_t ringAt_ = 0;    // where the next frame goes = the oldest frame once full
    std::int64_t framesIn_ = 0;
    std::vector<double> midPower_, sidePower_;  // Σ |X|² per bin over windows
    std::vector<float> binMid_, binSide_;       // |X|² of the current window
    // Band b takes bins [bandFirst_[b], bandFirst_[b] + bandWeights_[b].size()) with weights.
    std::array<std::size_t, kMixBands> bandFirst_{};
    std::array<std::vector<float>, kMixBands> bandWeights_{};
    std::size_t flatFirst_ = 0, flatLast_ = 0;  // bins of the flatness range
    std::int64_t windows_ = 0;

    std::int64_t segmentFrames_ = 0;
    std::int64_t segmentIndex_ = 0;
    Segment segment_{};
    MixTimeline<Segment> segments_;
    MixTimeline<Flatness> flatness_;

    std::unique_ptr<dsp::RealFft> fft_;
};

/// Boomy, muddy and harsh bands; the wide low end; band-limited sources.
std::vector<MixIssue> spectralIssues(const MixSpectrum& spectrum, const MixProgram& program);

/// The octave that loses most when summed to mono, if the programme is stereo and has one
/// worth naming (nullopt otherwise); stereoIssues() turns it into the fold-down issue.
std::optional<BandFoldDown> bandFoldDown(const MixSpectrum& spectrum, const MixProgram& program);

}  // namespace reel::analysis
