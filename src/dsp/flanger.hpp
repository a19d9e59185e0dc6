#pragma once
// Flanger: a short delay (0.1–10 ms) swept by an LFO, fed back and mixed with the dry signal,
// so the comb filter's notches sweep (Dattorro, "Effect Design Part 2", JAES 45(10), 1997;
// Zölzer (ed.), "DAFX", 2nd ed., 2011, §2.6.2).
//
// The delay sweeps sinusoidally between `delay` and `delay + depth` (ModulatedDelay) at
// `rate`. Feedback in (−0.95, 0.95): positive deepens the peaks at multiples of 1/delay,
// negative at the odd multiples of 1/(2·delay); the loop stays stable because the Lagrange
// read never gains above 1. Mix is a linear dry/wet crossfade (50 % gives full-depth
// notches). Latency 0; the tail is the time the feedback takes to decay 60 dB.
// Parameters glide (delay, depth, spread 50 ms; feedback, mix 20 ms).
// Threads: prepare() allocates; everything else is real-time safe.

#include <span>

#include "core/units.hpp"
#include "dsp/modulated_delay.hpp"
#include "dsp/processor.hpp"

namespace reel::dsp {

class Flanger final : public Processor {
public:
    struct Params {
        Hertz rate{0.25};
        Seconds depth{0.002};
        Seconds delay{0.001};
        double feedback = 0.5;        // ratio, −0.95 to 0.95
        double mix = 0.5;             // 0 = dry, 1 = wet
        double spreadDegrees = 90.0;  // LFO phase offset between neighbouring channels, 0–180
    };
    enum Parameter { kRate, kDepth, kDelay, kFeedback, kMix, kSpread };

    Flanger() = default;
    explicit Flanger(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override { core_.process(io); }
    void reset() noexcept override { core_.reset(); }
    double tailSeconds() const noexcept override;
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }

private:
    ModulatedDelay::Settings settings() const noexcept;
    Params params_;
    ModulatedDelay core_;
};

}  // namespace reel::dsp
