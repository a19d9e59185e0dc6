#pragma once
// True-peak level per ITU-R BS.1770-4 Annex 2: the highest magnitude of the signal
// oversampled by a polyphase FIR interpolator.
//
// Interpolator: the order-48 filter whose coefficients Annex 2 prints, as 4 phases of 12 taps.
// Below 96 kHz all 4 phases are evaluated (4× oversampling); from 96 kHz phases 0 and 2 only
// (2×: they interpolate half a sample apart); from 192 kHz none (1×), as libebur128 does.
// The filter is symmetric with an even length, so its phases land at 1/8, 3/8, 5/8 and 7/8 of
// a sample; the original samples are checked as well, so a true peak never reads below the
// sample peak. Accuracy: the printed coefficients are rounded to 1/8192, which makes phases 1
// and 2 ripple by ±0.22 dB over the band; a steady tone reads at most 0.22 dB high, and the
// EBU Tech 3341 cases 15–19 read within their +0.2 / −0.4 dB tolerance.
//
// Output: dBTP = 20·log10(peak), over all channels (the LFE included: it is converted too).
// The interpolator starts from silence and is not flushed at the end: interpolated values
// between the last 6 samples and the silence after the stream are not examined.
// Units: linear full scale in, dBTP out. Latency: none reported (only a maximum is kept).
// Threads: one thread at a time per instance; process() and reset() are real-time safe.
// Speed: the inner loop is a plain loop over a contiguous float array that GCC vectorizes.

#include <array>
#include <optional>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

class TruePeakMeter {
public:
    /// Prepares a meter for 1 – kMaxChannels channels (allocates ~17 kB per channel).
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
    int oversampling() const noexcept { return oversampling_; }
    int channels() const noexcept { return channels_; }

    static constexpr int kTaps = 12;     // per phase
    static constexpr int kPhases = 4;    // of the Annex 2 filter
    /// The interpolator of BS.1770-4 Annex 2: coefficient k of phase p is h[4k + p].
    static const std::array<std::array<float, kTaps>, kPhases>& annex2Coefficients();

private:
    static constexpr std::int64_t kChunk = 2048;  // frames interpolated per inner loop
    static constexpr int kHistory = kTaps - 1;

    float peakOfChunk(const float* withHistory, std::int64_t numFrames) noexcept;

    int channels_ = 0;
    int oversampling_ = 4;
    std::array<float, kMaxChannels> peaks_{};
    std::vector<float> scratch_;      // per channel: kHistory samples of history, then a chunk
    std::vector<float> chunkPeaks_;   // per frame: the largest magnitude of its phases
};

}  // namespace reel::analysis
