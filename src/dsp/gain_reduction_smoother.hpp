#pragma once
// Ballistics of a gain reduction: attack, release and hold, applied in the log domain.
//
// The smoother follows a target gain reduction r (dB, ≥ 0: how much to turn down) with the
// "smooth branching peak detector" of Giannoulis, Massberg & Reiss, "Digital Dynamic Range
// Compressor Design — A Tutorial and Analysis", JAES 60(6), 2012 (eq. 17), placed in the log
// domain after the gain computer (their recommended arrangement):
//     y[n] = αg·y[n−1] + (1 − αg)·r[n]   if r[n] > y[n−1]   (reduction grows)
//     y[n] = αs·y[n−1] + (1 − αs)·r[n]   otherwise          (reduction shrinks)
//     α = exp(−1 / (τ · fs))
// so a step of the target is reached to 63 % (1 − 1/e) in exactly τ: the time constants are
// 63 % times, for the attack and the release alike (the "decoupled" variant would stretch
// the release by the attack filter). Which branch is the attack depends on the processor: a
// compressor's reduction grows on attack; a gate's reduction grows on release (closing).
//
// Hold: when the reduction wants to grow, it first waits `holdFrames` frames (restarted each
// time the target falls back to or below the current value): a gate stays open that long
// after the signal drops below its threshold, so it does not chatter on a waveform's dips.
//
// Value type, real-time safe, no allocation.

#include <array>
#include <cmath>
#include <cstdint>

#include "dsp/fast_log_exp.hpp"

namespace reel::dsp {

class GainReductionSmoother {
public:
    /// The one-pole coefficient for a 63 % time constant; 0 s (or less) gives 0: no smoothing.
    static double coefficient(double timeConstantSeconds, double sampleRate) noexcept {
        return timeConstantSeconds > 0.0 ? std::exp(-1.0 / (timeConstantSeconds * sampleRate)) : 0.0;
    }

    /// grow/shrink: coefficients from coefficient(); holdFrames ≥ 0. Takes effect at once:
    /// a change of ballistics bends the envelope but never makes it jump.
    void setBallistics(double grow, double shrink, std::int64_t holdFrames) noexcept {
        coefficients_ = {shrink, grow};
        holdFrames_ = holdFrames > 0 ? holdFrames : 0;
        if (holdLeft_ > holdFrames_) holdLeft_ = holdFrames_;
    }

    /// Back to no reduction, no hold pending.
    void reset() noexcept {
        value_ = 0.0;
        holdLeft_ = 0;
    }

    /// Advances one frame toward `targetDb` and returns the smoothed reduction in dB.
    double next(double targetDb) noexcept {
        // Branch-free in the grow/shrink choice (the coefficient is picked by index, the hold
        // counter by a select): a peak-detecting compressor flips between the two at audio
        // rate, where a branch would be mispredicted about every other frame.
        const bool grows = targetDb > value_;
        if (grows && holdLeft_ > 0) {
            --holdLeft_;
            return value_;
        }
        holdLeft_ = grows ? holdLeft_ : holdFrames_;
        const double a = coefficients_[grows ? 1 : 0];
        value_ = a * value_ + (1.0 - a) * targetDb;
        // A release toward 0 dB decays geometrically into the denormal range after a minute
        // or two; below 1e-30 dB the reduction is exactly nothing.
        if (!grows && value_ < 1e-30) value_ = targetDb > 0.0 ? targetDb : 0.0;
        return value_;
    }

    /// next() for ballistics without hold (holdFrames 0), with a shorter dependency chain,
    /// for a per-frame loop whose speed is that chain: both candidate steps are computed and
    /// the right one is their max (attack no slower than release) or min. Why that is the
    /// branch's choice: step_grow − step_shrink = (α_s − α_g)·(r − y), whose sign is that of
    /// r − y when α_g ≤ α_s. The two agree but where r and y are so close that both steps
    /// round to within an ulp of each other. Call settle() after the block.
    /// With Fma::yes (for a caller compiled for FMA) each candidate step is one fused
    /// multiply-add, α·y + ((1 − α)·r) rounded once: the chain from one frame's value to the
    /// next is fma + max (6 cycles on this project's AMD EPYC: 4 + 2) instead of multiply +
    /// add + max (8).
    template <Fma fma = Fma::no>
    double nextWithoutHold(double targetDb) noexcept {
        const double grow = multiplyAdd<fma>(coefficients_[1], value_, (1.0 - coefficients_[1]) * targetDb);
        const double shrink = multiplyAdd<fma>(coefficients_[0], value_, (1.0 - coefficients_[0]) * targetDb);
        if (coefficients_[1] <= coefficients_[0])  // the same way every frame: predicted
            value_ = grow > shrink ? grow : shrink;
        else
            value_ = grow < shrink ? grow : shrink;
        return value_;
    }
    /// After a block of nextWithoutHold(): next()'s floor, once per block (a release needs
    /// minutes to get from 1e-30 dB into the denormals, far longer than a block).
    void settle() noexcept {
        if (value_ < 1e-30) value_ = 0.0;
    }

    double value() const noexcept { return value_; }
    friend bool operator==(const GainReductionSmoother&, const GainReductionSmoother&) = default;

private:
    double value_ = 0.0;
    std::array<double, 2> coefficients_{};  // shrink, grow: indexed by "the reduction grows"
    std::int64_t holdFrames_ = 0;
    std::int64_t holdLeft_ = 0;
};

}  // namespace reel::dsp
