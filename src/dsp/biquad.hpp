#pragma once
// A second-order IIR section: coefficients, their exact frequency response, and a
// per-channel runner in transposed direct form II with double-precision state.
//
// The TDF-II update runs in its state-space form (substituting out = b0·x + s0):
//   out = b0·x + s0,  s0' = (b1 − a1·b0)·x + s1 − a1·s0,  s1' = (b2 − a2·b0)·x − a2·s0
// (e.g. J. O. Smith, "Introduction to Digital Filters", 2007, appendix G on state-space
// forms). Same filter; why: each sample's feedback path is then one multiply and one add
// away from the previous state instead of waiting on the output first (add, multiply, two
// adds), which halves the latency that bounds a section's speed.
//
// The cascades (processCascade, processCascadePair) also have a fused version, for CPUs with
// AVX2 and FMA (picked at run time; CascadeCode::baseline forces the other). It substitutes
// s1 out of the same update, so the feedback runs through s0 alone:
//   s0[n+1] = −a1·s0[n] − a2·s0[n−1] + bHat1·x[n] + bHat2·x[n−1]
// computed as fma(−a1, s0[n], fma(−a2, s0[n−1], fma(bHat1, x[n], bHat2·x[n−1]))), with
// out = fma(b0, x, s0): the newest state is one fused multiply-add (4 cycles) from the next,
// where the baseline's is a multiply and an add (6 on Zen 4). Its state is s0, the s0 of one
// frame earlier and bHat2 times the input of one frame earlier; each channel keeps that next
// to (s0, s1), and either code carries on from what the other left (after new coefficients
// the fused code starts from s1, as TDF-II does). Its doubles differ from the baseline's in
// the last bits only, which seldom changes a float output (biquad_cascade_test.cpp bounds
// it); each code gives the same bits however a signal is split into blocks.
//
// Coefficients are normalised so a0 = 1:
//   H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)
// Designs for the common shapes follow R. Bristow-Johnson, "Cookbook formulae for audio EQ
// biquad filter coefficients" (the RBJ cookbook); processors that need better behaviour
// near Nyquist (matched designs) build BiquadCoefficients themselves.

#include <array>
#include <complex>
#include <span>

#include "core/audio_buffer.hpp"

namespace reel::dsp {

struct BiquadCoefficients {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;

    bool operator==(const BiquadCoefficients&) const = default;

    /// The exact complex response at frequencyHz for a sample rate: H(e^{jω}).
    std::complex<double> response(double frequencyHz, double sampleRate) const noexcept;
    /// |H| in dB at frequencyHz.
    double magnitudeDb(double frequencyHz, double sampleRate) const noexcept;

    // RBJ cookbook designs. frequency in Hz, q dimensionless, gainDb in dB.
    static BiquadCoefficients lowPass(double frequency, double q, double sampleRate);
    static BiquadCoefficients highPass(double frequency, double q, double sampleRate);
    static BiquadCoefficients bandPass(double frequency, double q, double sampleRate);  // 0 dB peak
    static BiquadCoefficients notch(double frequency, double q, double sampleRate);
    static BiquadCoefficients allPass(double frequency, double q, double sampleRate);
    static BiquadCoefficients peaking(double frequency, double q, double gainDb, double sampleRate);
    static BiquadCoefficients lowShelf(double frequency, double q, double gainDb, double sampleRate);
    static BiquadCoefficients highShelf(double frequency, double q, double gainDb, double sampleRate);
    /// First-order sections (b2 = a2 = 0), bilinear transform of 1/(1+s) and s/(1+s).
    static BiquadCoefficients firstOrderLowPass(double frequency, double sampleRate);
    static BiquadCoefficients firstOrderHighPass(double frequency, double sampleRate);
};

/// Runs one set of coefficients over up to kMaxChannels channels, keeping each channel's
/// state. process() is real-time safe. Coefficients may change between blocks; the state then
/// carries on as transposed direct form II does (s1 as the old coefficients left it).
class Biquad {
public:
    void setCoefficients(const BiquadCoefficients& c) noexcept {
        if (c == c_) return;
        c_ = c;
        for (auto& s : state_) s.fusedStateCurrent = false;  // bHat2TimesPreviousInput has the old bHat2
    }
    const BiquadCoefficients& coefficients() const noexcept { return c_; }
    /// The state-space input gains b1 − a1·b0 and b2 − a2·b0 (see the top of the file).
    double bHat1() const noexcept { return c_.b1 - c_.a1 * c_.b0; }
    double bHat2() const noexcept { return c_.b2 - c_.a2 * c_.b0; }
    void reset() noexcept { state_ = {}; }

    /// Filters one sample of one channel.
    float processSample(int channel, float x) noexcept {
        auto& s = state_[static_cast<std::size_t>(channel)];
        const double in = x;
        const double s0 = s.s0;
        const double out = c_.b0 * in + s0;
        s.s0 = (bHat1() * in + s.s1) - c_.a1 * s0;
        s.s1 = bHat2() * in - c_.a2 * s0;
        s.fusedStateCurrent = false;
        return static_cast<float>(out);
    }
    /// Filters a block of one channel in place (baseline code: the reference the fused
    /// cascades are tested against).
    void processChannel(int channel, float* x, std::int64_t numFrames) noexcept;
    /// Filters every channel of a block in place.
    void process(AudioView io) noexcept {
        for (int c = 0; c < io.numChannels(); ++c) processChannel(c, io.channel(c), io.numFrames());
    }

private:
    friend struct CascadeAccess;  // the cascades in biquad.cpp
    /// One channel's state, in the two forms the top of the file describes.
    struct ChannelState {
        double s0 = 0.0, s1 = 0.0;  // TDF-II (baseline code)
        // With s0, the fused code's: s0 one frame earlier, and bHat2 times the input one frame
        // earlier (the product its next step adds in, so it need not keep the input).
        double previousS0 = 0.0, bHat2TimesPreviousInput = 0.0;
        bool fusedStateCurrent = true;  // false: continue from s0, s1 (baseline code ran last, or new coefficients)
    };
    BiquadCoefficients c_;
    std::array<ChannelState, kMaxChannels> state_{};
};

/// Which code a cascade runs: the fastest the CPU has (the default: fused AVX2 + FMA where
/// present) or the x86-64 baseline (SSE2, separate multiplies and adds). They differ in the
/// last bits (see the top of the file); tests compare them.
enum class CascadeCode { fastest, baseline };

/// Runs a cascade of sections over one channel in place. Each section's output is rounded
/// to float before the next, as running processChannel() section after section does; with
/// CascadeCode::baseline the result is exactly those bits. Up to four sections advance
/// together sample by sample: their recurrences are independent, so the CPU overlaps them
/// instead of waiting on one section's feedback latency at a time (the fused code puts the
/// four in the lanes of one AVX register).
void processCascade(std::span<Biquad* const> sections, int channel, float* x, std::int64_t numFrames,
                    CascadeCode code = CascadeCode::fastest) noexcept;

/// processCascade() of two channels at once (firstChannel into x0, the next into x1), the
/// same bits as processCascade() on each. The fused code holds two sections × two channels
/// in one AVX register, the second section a few frames behind the first (see biquad.cpp):
/// on Zen 4, 1.7× the baseline's speed for two sections, 2.3× for four.
void processCascadePair(std::span<Biquad* const> sections, int firstChannel, float* x0, float* x1,
                        std::int64_t numFrames, CascadeCode code = CascadeCode::fastest) noexcept;

}  // namespace reel::dsp
