#pragma once
// Lookahead brickwall peak limiter: no output sample peak above the ceiling, with a gain
// that ramps smoothly instead of stepping.
//
// Method (order-statistics smoothing of Hämäläinen, "Smoothing of the control signal without
// clipped output in digital peak limiters", DAFx 2002; arranged as in G. Luff, "Designing a
// straightforward limiter", Signalsmith Audio blog, 2022):
//   1. the detector gives each frame's peak p (swappable: sample peak now, true peak later);
//      the gain that frame needs is g = min(1, ceiling / p);
//   2. release: the gain follows drops at once and recovers toward 1 as a one-pole with a
//      63 % time constant `release` (linear gain domain);
//   3. hold: the minimum over the last D + 1 frames, D = the lookahead in frames;
//   4. smoothing: two moving averages in cascade, lengths B1 + B2 = D + 2 (a triangle-like
//      kernel spanning D + 1 frames, so the gain moves along an S-shaped ramp with no step);
//   5. the audio is delayed by D (plus the detector's latency) and multiplied by the gain.
// Why nothing passes the ceiling: every tap of the smoothing kernel reads a held value that
// includes the gain frame n − D needs (the hold spans the whole kernel), and the taps are
// positive and sum to 1, so the averaged gain is never above what that frame needs. Gains
// aim 1e-5 (0.0001 dB) under the ceiling so float rounding cannot cross it.
//
// All channels get the same gain (the peak is the max over channels): limiting never moves
// the stereo image. Units: ceiling in dB (a sample-peak level, ≤ 0 dBFS), release and
// lookahead in seconds. Latency: lookahead frames + the detector's latency. A lookahead of 0
// gives an instant (clipping-like) gain change; a few ms is what makes it clean.
//
// Smoothing of parameters: the ceiling glides over 20 ms (a change reaches the output with
// the audio it applies to, after the latency); release takes effect at once; lookahead is
// fixed at prepare() (it sets the latency).
//
// Threads: prepare() off the audio thread; process(), reset(), setParams(), setParameter()
// are real-time safe.

#include <memory>

#include "core/units.hpp"
#include "dsp/fixed_delay.hpp"
#include "dsp/moving_average.hpp"
#include "dsp/peak_detector.hpp"
#include "dsp/processor.hpp"
#include "dsp/sliding_minimum.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class Limiter final : public Processor {
public:
    struct Params {
        Decibels ceiling{-1.0};
        Seconds release{0.050};
        Seconds lookahead{0.002};
    };
    /// Indices into parameters().
    enum Parameter : int { ceiling, release };
    static std::span<const ParameterInfo> parameterInfo() noexcept;
    static constexpr double kMaxLookaheadSeconds = 0.020;

    /// A limiter with the default settings and a sample-peak detector.
    Limiter();
    /// A limiter with a sample-peak detector, or with `detector` (e.g. a true-peak one).
    explicit Limiter(const Params& params, std::unique_ptr<PeakDetector> detector = nullptr);

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// New settings (clamped); the ceiling glides; lookahead waits for the next prepare().
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override { return latency_; }

    std::span<const ParameterInfo> parameters() const noexcept override { return parameterInfo(); }
    void setParameter(int index, double value) noexcept override;

    /// The largest gain reduction of the last process() call, in dB (≥ 0).
    double gainReductionDb() const noexcept { return gainReductionDb_; }

private:
    void processChunk(AudioView io) noexcept;
    void applyTargets(bool immediate) noexcept;

    Params params_;
    std::unique_ptr<PeakDetector> detector_;
    ProcessSpec spec_;
    FixedDelay delay_;
    SlidingMinimum hold_;
    MovingAverage smooth1_, smooth2_;
    SmoothedValue ceilingDb_;
    AudioBuffer gains_;  // one channel: the detector's peaks, then the gains
    double ceilingGain_ = 1.0;
    double releaseCoefficient_ = 0.0;
    double released_ = 1.0;
    int latency_ = 0;
    bool prepared_ = false;
    double gainReductionDb_ = 0.0;
};

}  // namespace reel::dsp
