#pragma once
// Saturation: drive into a static curve, oversampled so the harmonics it makes do not fold
// back as aliases.
//
//   out = output · ((1 − mix) · dry + mix · curve(drive · in))     (linear mix; dry delayed
//                                                                     to line up with wet)
// Curves (all with slope 1 at 0, so drive 0 dB leaves quiet signals at their level):
//   tape  tanh(x): the odd-symmetric soft clip that is the usual memoryless stand-in for tape
//         and transformer saturation (Zölzer (ed.), "DAFX", 2nd ed., 2011, §4.3.2); odd
//         harmonics only; output within ±1.
//   tube  (tanh(x + b) − tanh b) / (1 − tanh² b), b = 0.3: a biased tanh, the standard way to
//         get a triode stage's asymmetry and its even harmonics (Pakarinen & Yeh, "A review of
//         digital techniques for modeling vacuum-tube guitar amplifiers", Computer Music
//         Journal 33(2), 2009, §3.1). Saturates at +0.77 and −1.41; the DC that asymmetry
//         makes is removed by a 5 Hz first-order high-pass on the wet signal.
//   hard  clamp(x, −1, 1): odd harmonics falling only as 1/n, the hardest case for aliasing.
//
// Anti-aliasing: the curve runs at 2–16× the rate (Oversampler, default 16×) and, when
// oversampled, through first-order antiderivative anti-aliasing (ADAA: Parker, Zavalishin &
// Le Bivic, "Reducing the aliasing of nonlinear waveshaping using continuous-time
// convolution", DAFx-16, 2016; Bilbao, Esqueda, Parker & Välimäki, "Antiderivative
// antialiasing for memoryless nonlinearities", IEEE SPL 24(7), 2017):
//   y[n] = (F(x[n]) − F(x[n−1])) / (x[n] − x[n−1]),  F' = curve,
// which turns the harmonics beyond the top rate's Nyquist, the ones oversampling alone
// cannot stop, into a low-passed continuous-time result. Together they keep aliases of a
// −6 dBFS 5 kHz sine clipped hard with +36 dB of drive below −80 dBFS at 44.1 and 48 kHz
// (tests/dsp/saturation_test.cpp). ADAA delays by half a top-rate sample and averages two
// top-rate samples (−0.03 dB at 20 kHz at 16×); the oversampler absorbs the half sample.
// With oversampling off the curve is applied directly (no ADAA, latency 0): it aliases.
//
// Latency: oversampler.latency() frames (138 at 16×); the dry path is delayed to match.
// Parameters glide over 20 ms. Threads: prepare() allocates; process(), reset(),
// setParams() and setParameter() are real-time safe.

#include <array>
#include <span>
#include <vector>

#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "dsp/fixed_delay.hpp"
#include "dsp/oversampler.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class SaturationCurve { tape, tube, hard };
/// How much the curve is oversampled: off (1×), 2×, 4×, 8× or 16×.
enum class Oversampling { off = 1, x2 = 2, x4 = 4, x8 = 8, x16 = 16 };

class Saturation final : public Processor {
public:
    struct Params {
        SaturationCurve curve = SaturationCurve::tape;
        Decibels drive{6.0};   // gain into the curve
        Decibels output{0.0};  // gain after the mix
        double mix = 1.0;      // 0 = dry, 1 = wet (linear crossfade)
        Oversampling oversampling = Oversampling::x16;  // read by prepare() (it sets the latency)
    };
    enum Parameter { kDrive, kOutput, kMix };

    Saturation() = default;
    explicit Saturation(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override { return oversampler_.latency(); }
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;
    /// Glides to new levels and switches curve; a new `oversampling` waits for prepare().
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }

    /// The static curve y = f(x) (what the processor converges to for slow, quiet inputs).
    static double curve(SaturationCurve curve, double x) noexcept;

private:
    struct ShaperState {
        double previousX = 0.0;  // last top-rate input, for ADAA
        double previousF = 0.0;  // F(previousX)
    };
    void shape(float* x, std::int64_t numFrames, ShaperState& state) const noexcept;
    void resetShapers() noexcept;

    Params params_;
    ProcessSpec spec_;
    Oversampler oversampler_;
    FixedDelay dryDelay_;
    AudioBuffer dry_;
    Biquad dcBlocker_;
    SmoothedValue drive_, output_, mix_;  // linear gains and the mix ratio
    std::array<ShaperState, kMaxChannels> shapers_{};
    bool refreshShapers_ = false;  // the curve changed: recompute F(previousX) before use
};

}  // namespace reel::dsp
