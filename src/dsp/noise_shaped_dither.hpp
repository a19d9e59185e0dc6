#pragma once
// Noise-shaped TPDF dither and rounding to a 16- or 24-bit grid, for integer file output.
//
// Method: error feedback around the quantizer with the dither inside the loop (Lipshitz,
// Vanderkooy & Wannamaker, "Minimally audible noise shaping", JAES 39(11), 1991; Wannamaker,
// "Psychoacoustically optimal noise shaping", JAES 40(7/8), 1992):
//
//     v[n] = x[n] − Σ_k h_k · e[n−k]          (x: input, e: past total errors)
//     y[n] = round(v[n] + d[n])               (d: TPDF dither, ±1 LSB triangular)
//     e[n] = y[n] − v[n]                      (dither + rounding error, |e| ≤ 1.5 LSB)
//
// so y = x + (1 − H(z))·e: the output error is the white TPDF error e shaped by the noise
// transfer function NTF(z) = 1 − Σ h_k z^−k. Because e is exactly the TPDF-dithered
// quantizer's error, its first two moments stay independent of the signal (Wannamaker,
// Lipshitz & Vanderkooy, "A theory of nonsubtractive dither", IEEE Trans. SP 48(2), 2000), and
// a fixed linear filter of it keeps that property: no distortion, no noise modulation, only a
// spectrum moved to where the ear is least sensitive. The loop is stable for any h because e
// is bounded (the rounding never saturates here; the writer does that).
//
// Filters (chosen by the sample rate at prepare()):
//   * below 64 kHz: the 9-coefficient E-weighted filter of Lipshitz et al. 1991 (designed at
//     44.1 kHz against the inverse of the 15-phon equal-loudness curve): noise lowered by up
//     to ~15 dB around 1–5 kHz and raised toward the top octave; used unchanged at 48 kHz,
//     where its shape moves up by 9 % (still above the ear's most sensitive region).
//   * 64 kHz and above: NTF = (1 − z^−1)², which moves the added noise above 20 kHz.
// Total noise power is larger than flat TPDF (the price of shaping), so its *audibility* is
// what drops; do not use it when the file will be processed further (use flat TPDF).
//
// Units: samples are linear full scale (±1.0); one LSB is 2^−(bits−1); the output lies
// exactly on the grid. Determinism: one SplitMix64 generator per channel (Steele, Lea &
// Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) with a fixed seed,
// so the same input gives the same bits for any block size; reset() reseeds and clears the
// error history. Threads: prepare() off the audio thread; process()
// and reset() real-time safe. Latency: 0.

#include <array>
#include <cstdint>

#include "core/units.hpp"
#include "dsp/processor.hpp"

namespace reel::dsp {

class NoiseShapedDither : public Processor {
public:
    static constexpr int kMaxOrder = 9;

    struct Params {
        int targetBits = 16;  // the integer format the output is meant for: 16 or 24
    };

    NoiseShapedDither() { reset(); }
    explicit NoiseShapedDither(const Params& params) : params_(params) { reset(); }

    /// Validates (16 or 24 bits; 1 to kMaxChannels channels), picks the filter for the
    /// rate and resets.
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// Adds shaped dither and rounds every sample to the grid, in place.
    void process(AudioView io) noexcept override;
    /// Reseeds the generators and clears the error history.
    void reset() noexcept override;

    /// The error-feedback coefficients h_1 … h_order in use (NTF = 1 − Σ h_k z^−k).
    int order() const noexcept { return order_; }
    double coefficient(int k) const noexcept { return h_[static_cast<std::size_t>(k - 1)]; }
    /// |NTF(e^jω)| in dB at `frequency`: how much the shaping raises (+) or lowers (−) the
    /// error's power density relative to flat TPDF dither.
    Decibels response(Hertz frequency) const noexcept;

private:
    Params params_;
    double sampleRate_ = 44100.0;
    int order_ = 0;
    std::array<double, kMaxOrder> h_{};
    std::array<std::uint64_t, kMaxChannels> state_{};
    std::array<std::array<double, kMaxOrder>, kMaxChannels> history_{};  // e[n−1] … e[n−order], in LSB
};

}  // namespace reel::dsp
