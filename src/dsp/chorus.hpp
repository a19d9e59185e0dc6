#pragma once
// Chorus: one modulated delay voice per channel, mixed with the dry signal, the LFO phase
// offset between channels widening the image (Dattorro, "Effect Design Part 2: Delay-Line
// Modulation and Chorus", JAES 45(10), 1997: a 5–30 ms delay swept by a slow LFO).
//
// The delay sweeps sinusoidally between `delay` and `delay + depth` (ModulatedDelay) at
// `rate`; no feedback. Mix is a linear dry/wet crossfade. Latency 0; the tail is the
// longest delay. Parameters glide (delay, depth, spread 50 ms; mix 20 ms).
// Threads: prepare() allocates; everything else is real-time safe.

#include <span>

#include "core/units.hpp"
#include "dsp/modulated_delay.hpp"
#include "dsp/processor.hpp"

namespace reel::dsp {

class Chorus final : public Processor {
public:
    struct Params {
        Hertz rate{0.8};
        Seconds depth{0.003};
        Seconds delay{0.012};
        double mix = 0.5;             // 0 = dry, 1 = wet
        double spreadDegrees = 90.0;  // LFO phase offset between neighbouring channels, 0–180
    };
    enum Parameter { kRate, kDepth, kDelay, kMix, kSpread };

    Chorus() = default;
    explicit Chorus(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override { core_.process(io); }
    void reset() noexcept override { core_.reset(); }
    double tailSeconds() const noexcept override { return params_.delay.value + params_.depth.value; }
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
