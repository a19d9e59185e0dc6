#pragma once
// A linear-phase FIR low-pass that also hands back its input delayed by the filter's own
// delay, so low + (delayed − low) is the delayed input exactly: a complementary two-band
// split with no phase difference between the bands.
//
// Design: windowed sinc (Blackman window), 2·D + 1 symmetric taps, normalised to unity gain
// at DC; the cut-off is the −6 dB point and the transition spans about 5.5·fs / (2D + 1) Hz
// centred on it, with ≥ 74 dB of stop-band attenuation (A. V. Oppenheim & R. W. Schafer,
// Discrete-Time Signal Processing, 3rd ed., §7.5, window method; Table 7.2 for the
// Blackman window's transition width and attenuation). Because the taps are symmetric, the
// high band delayed − low has zero phase relative to the low band: a gain g on the high band
// gives a magnitude between g and 1 everywhere, exactly g in the stop band — unlike an IIR
// split x − LP(x), whose phase lag makes the bands interfere near the cut-off.
//
// Latency: D frames. prepare() allocates; setCutoff() (no allocation, ~2·D sin calls),
// process() and reset() are real-time safe.

#include <cstdint>
#include <vector>

namespace reel::dsp {

class LinearPhaseLowpass {
public:
    /// Allocates history for `channels` and a kernel of 2·halfLength + 1 taps.
    void prepare(int channels, int halfLength);
    /// Designs the kernel for a −6 dB cut-off in Hz (clamped to (0, 0.49·fs)).
    void setCutoff(double hz, double sampleRate) noexcept;
    /// Clears the history.
    void reset() noexcept;
    /// The filter's delay in frames (D).
    int delay() const noexcept { return halfLength_; }
    /// Width of the transition band in Hz for a half length at a rate (Blackman window).
    static double transitionHz(int halfLength, double sampleRate) noexcept {
        return 5.5 * sampleRate / static_cast<double>(2 * halfLength + 1);
    }

    /// Pushes one sample of `channel`; sets `low` to the low-passed signal and `delayed` to
    /// the input from delay() frames ago.
    void process(int channel, float x, float& low, float& delayed) noexcept {
        float* history = histories_.data() + static_cast<std::size_t>(channel) * 2 * padded_;
        history[write_[static_cast<std::size_t>(channel)]] = x;
        history[write_[static_cast<std::size_t>(channel)] + padded_] = x;
        // The last `padded_` inputs, oldest first, sit contiguously from write + 1.
        const float* window = history + write_[static_cast<std::size_t>(channel)] + 1;
        if (++write_[static_cast<std::size_t>(channel)] == padded_) write_[static_cast<std::size_t>(channel)] = 0;
        // Eight independent partial sums: the compiler vectorises them without reordering a
        // single sum, so the result is the same whatever the build's vector width.
        float partial[8] = {};
        for (std::size_t k = 0; k < padded_; k += 8)
            for (std::size_t j = 0; j < 8; ++j) partial[j] += taps_[k + j] * window[k + j];
        low = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        delayed = window[padded_ - 1 - static_cast<std::size_t>(halfLength_)];
    }

private:
    int halfLength_ = 0;
    std::size_t padded_ = 8;  // 2D + 1 rounded up to a multiple of 8 (leading taps zero)
    int channels_ = 0;
    std::vector<float> taps_;
    std::vector<float> window_;  // the Blackman window, fixed by the length
    std::vector<float> histories_;
    std::vector<std::size_t> write_;
};

}  // namespace reel::dsp
