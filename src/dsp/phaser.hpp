#pragma once
// Phaser: a cascade of first-order allpass sections whose common break frequency an LFO
// sweeps, with feedback, mixed with the dry signal so the cascade's phase makes notches.
//
// Each section is A(z) = (a + z⁻¹) / (1 + a z⁻¹), a = (tan(π fc/fs) − 1) / (tan(π fc/fs) + 1)
// (the bilinear first-order allpass: −90° at fc; Zölzer (ed.), "DAFX", 2nd ed., 2011,
// §2.2.3 and §2.6.4 on phasers; Smith, "Physical Audio Signal Processing", "Phasing with
// first-order allpass filters"). With N sections and feedback g (taken one frame late):
//   wet = A^N / (1 − g z⁻¹ A^N),   H = (1 − mix) + mix · wet   (linear mix),
// so at mix 50 % and no feedback the notches sit where N·∠A = −π (mod 2π): N/2 notches for
// even N. response() gives H exactly for the LFO's current position.
//
// Sweep: fc_c(t) = frequency · 2^(2 · depth · sin(2π (φ(t) + c · spread/360))), so depth 1
// sweeps ±2 octaves around `frequency` (clamped to 10 Hz … 0.45 fs); rate 0 freezes the
// LFO. The coefficients follow the LFO every frame.
// Smoothing: frequency (in octaves), depth and spread glide over 50 ms, feedback and mix
// over 20 ms; a change of `stages` crossfades from the old cascade output to the new one
// over 20 ms (the cascade runs far enough for both meanwhile).
// Latency 0; tailSeconds() is an upper bound on the time the allpass poles and the feedback
// take to decay 60 dB (2.5–6 times the measured decay: it assumes the slowest pole and the
// longest trip round the loop). Threads: prepare() may fail but allocates nothing; the
// rest is real-time safe.

#include <array>
#include <complex>
#include <span>

#include "core/units.hpp"
#include "dsp/lfo.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class Phaser final : public Processor {
public:
    static constexpr int kMaxStages = 12;
    struct Params {
        Hertz rate{0.3};
        Hertz frequency{800.0};     // centre of the sweep
        double depth = 0.5;         // 0–1; 1 sweeps ±2 octaves
        int stages = 6;             // 1–12 allpass sections
        double feedback = 0.0;      // ratio, −0.95 to 0.95
        double mix = 0.5;           // 0 = dry, 1 = wet
        double spreadDegrees = 90.0;  // LFO phase offset between neighbouring channels, 0–180
    };
    enum Parameter { kRate, kFrequency, kDepth, kStages, kFeedback, kMix, kSpread };

    Phaser() = default;
    explicit Phaser(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    double tailSeconds() const noexcept override;
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }

    /// Channel c's allpass break frequency at the LFO's current position (settled params).
    double breakFrequency(int channel) const noexcept;
    /// The exact response H(e^{jω}) of channel c for the LFO frozen where it is now.
    std::complex<double> response(double frequencyHz, int channel = 0) const noexcept;

private:
    double allpassCoefficient(double fc) const noexcept;

    Params params_;
    double sampleRate_ = 48000.0;
    int channels_ = 0;
    Lfo lfo_;
    SmoothedValue octave_, depth_, spread_, feedback_, mix_, stageFade_;
    int stagesFrom_ = 6, stagesTo_ = 6;  // the crossfade between cascade lengths
    std::array<std::array<double, kMaxStages>, kMaxChannels> state_{};
    std::array<double, kMaxChannels> lastOutput_{};  // the wet output one frame ago (feedback)
};

}  // namespace reel::dsp
