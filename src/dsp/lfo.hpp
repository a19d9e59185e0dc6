#pragma once
// A sine low-frequency oscillator for modulation effects (chorus, flanger, phaser).
//
// The phase is a double in cycles [0, 1), advanced once per frame, so it never drifts and
// the output is the same for any block size. A rate change keeps the phase continuous, so
// the modulation bends without a jump (no smoothing needed). Channels read the same phase
// with their own offset (stereo spread). Rate 0 freezes the LFO at its current phase.
//
// Threads: everything is real-time safe; prepare() only stores the rate.

#include <cmath>
#include <numbers>

namespace reel::dsp {

class Lfo {
public:
    void prepare(double sampleRate) noexcept {
        sampleRate_ = sampleRate;
        increment_ = rateHz_ / sampleRate_;
    }
    /// Sets the rate in Hz (≥ 0); the phase carries on from where it is.
    void setRate(double rateHz) noexcept {
        rateHz_ = rateHz > 0.0 ? rateHz : 0.0;
        increment_ = rateHz_ / sampleRate_;
    }
    double rate() const noexcept { return rateHz_; }
    /// Restarts at `phaseCycles` (0 = the sine's upward zero crossing).
    void reset(double phaseCycles = 0.0) noexcept { phase_ = phaseCycles - std::floor(phaseCycles); }
    /// sin(2π (phase + offsetCycles)), in [-1, 1].
    double sine(double offsetCycles = 0.0) const noexcept {
        return std::sin(2.0 * std::numbers::pi * (phase_ + offsetCycles));
    }
    /// Moves on by one frame.
    void advance() noexcept {
        phase_ += increment_;
        if (phase_ >= 1.0) phase_ -= 1.0;
    }
    double phase() const noexcept { return phase_; }

private:
    double sampleRate_ = 48000.0;
    double rateHz_ = 1.0;
    double increment_ = 1.0 / 48000.0;
    double phase_ = 0.0;
};

}  // namespace reel::dsp
