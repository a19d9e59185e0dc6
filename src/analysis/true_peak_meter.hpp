#pragma once
// True-peak level per ITU-R BS.1770-4 Annex 2: the highest magnitude of the signal
// oversampled by a polyphase FIR interpolator.
//
// Interpolator: a Kaiser-windowed sinc of 16 taps per phase (sinc_interpolator.hpp; Annex 2
// allows any interpolator of at least 4×, and its own printed example reads up to 0.24 dB off,
// see there). Below 96 kHz it evaluates 4× (the samples and 3 phases at 1/4, 1/2, 3/4 of a
// sample), from 96 kHz 2× (the samples and the half-way phase), from 192 kHz 1× (the samples),
// as libebur128 does. Since the samples themselves are among the instants, a true peak never
// reads below the sample peak. Accuracy on steady sines up to 0.3·fs: −0.08 / +0.01 dB; the
// EBU Tech 3341 cases 15–19 read within their +0.2 / −0.4 dB tolerance.
//
// Output: dBTP = 20·log10(peak), over all channels (the LFE included: it is converted too).
// The interpolator starts from silence and is not flushed at the end: the instants between the
// last 8 samples and the silence after the stream are not examined.
// Units: linear full scale in, dBTP out. Latency: none reported (only a maximum is kept).
// Threads: one thread at a time per instance; process() and reset() are real-time safe.
// Speed: the inner loop is a plain loop over a contiguous float array that GCC vectorizes,
// with the coefficients as compile-time constants.

#include <array>
#include <optional>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

/// The instants a true-peak measurement evaluates, frame by frame: for each input frame the
/// largest magnitude among the sample and the selected interpolated phases (4× below 96 kHz,
/// 2× below 192 kHz, else the samples only), keeping kTaps − 1 samples of history per channel
/// so consecutive calls continue the stream. Shared by TruePeakMeter (which keeps the maximum)
/// and the mix report's level scan (which needs to know *where* the overs are).
/// The phases of frame i estimate the signal kDelayFrames earlier (sinc_interpolator.hpp).
/// Threads: one at a time per instance; framePeaks() and reset() are real-time safe.
class InterpolatedPeaks {
public:
    static constexpr std::int64_t kChunk = 2048;  // most frames per framePeaks() call
    static constexpr std::int64_t kDelayFrames = 7;  // sinc_interpolator::kTaps / 2 − 1

    /// Prepares for 1 – kMaxChannels channels (allocates (kChunk + 15) floats per channel).
    InterpolatedPeaks(SampleRate rate, int channels);

    /// Writes out[i] for the n ≤ kChunk next frames of one channel.
    void framePeaks(int channel, const float* in, std::int64_t n, float* out) noexcept;
    /// Forgets the history (the stream restarts from silence).
    void reset() noexcept;
    /// Oversampling factor used at this rate: 4, 2 or 1.
    int oversampling() const noexcept { return oversampling_; }

private:
    static constexpr int kHistory = 15;  // sinc_interpolator::kTaps − 1
    int oversampling_ = 4;
    std::vector<float> scratch_;  // per channel: kHistory samples of history, then a chunk
};

class TruePeakMeter {
public:
    /// Prepares a meter for 1 – kMaxChannels channels (allocates 8 kB per channel and 8 kB).
    TruePeakMeter(SampleRate rate, int channels);

    /// Measures the next frames; audio.numChannels() must equal channels().
    void process(AudioView audio) noexcept;
    /// Forgets the peaks and the interpolator history.
    void reset() noexcept;

    /// Highest true peak over all channels (dBTP); nullopt while everything was digital silence.
    std::optional<Decibels> truePeakDbtp() const noexcept;
    /// Highest true peak of one channel, linear (1.0 = full scale).
    float truePeak(int channel) const noexcept { return peaks_[static_cast<std::size_t>(channel)]; }
    /// Oversampling factor used at this rate: 4, 2 or 1.
    int oversampling() const noexcept { return interpolated_.oversampling(); }
    int channels() const noexcept { return channels_; }

private:
    int channels_ = 0;
    std::array<float, kMaxChannels> peaks_{};
    InterpolatedPeaks interpolated_;
    std::vector<float> chunkPeaks_;   // per frame: the largest magnitude of its phases
};

}  // namespace reel::analysis
