#pragma once
// Split-band de-esser: turns down only the highs, and only while the sibilance band is loud.
//
// Detection: the input (all channels, linked: the loudest decides) through a band-pass on
// the sibilance band — a Butterworth high-pass at the band's lower edge and a Butterworth
// low-pass at its upper edge (RBJ cookbook biquads) — then an RMS level over 3 ms (short
// enough to catch an "s", long enough to hold a few periods at 5 kHz), a compressor curve
// (threshold, ratio, fixed 6 dB soft knee; Giannoulis, Massberg & Reiss, JAES 2012, eq. 4)
// capped at `reduction`, and attack/release smoothing of the reduction in dB (their smooth
// branching detector, 63 % time constants).
//
// The band: `frequency` is its geometric centre; the edges are frequency / 1.342 and
// frequency × 1.342 (±0.42 octave), so the default 6.7 kHz covers 5–9 kHz. The upper edge
// stays under 0.49 × the sample rate.
//
// Split: a linear-phase FIR low-pass (LinearPhaseLowpass: windowed sinc, 1 ms half length,
// ~2.7 kHz transition) whose stop band starts at the band's lower edge; the high band is
// the input delayed to match minus the low band, and the output is
//     delayed − (1 − g)·(delayed − low),    g = the linear gain of the reduction.
// The two bands sum back to the delayed input by construction, so with no reduction (g = 1)
// the output is bit-identical to the input, 1 ms later. Because the bands are in phase, the
// highs are cut by exactly the detector's reduction from the band's lower edge up (for
// bands whose lower edge is above ~2.7 kHz; lower bands keep the cut-off at half the edge)
// and the cut fades to nothing across the transition below it. (An IIR split x − LP(x)
// would cut up to ~2 dB deeper than asked above its cut-off, where the low band's phase lag
// makes the bands interfere.)
// The detector hears the undelayed input, so the gain also moves 1 ms ahead of the audio.
//
// listen: outputs the filtered detection band (delayed like the audio) instead of the audio,
// to hear what triggers.
//
// Units: frequency in Hz; threshold and reduction in dB (reduction ≤ 0, the most it turns
// the highs down); ratio plain; attack and release in seconds. Latency: 1 ms (the split's
// delay, rounded to frames). frequency, threshold, ratio and reduction glide over 20 ms (the
// split is redesigned every 32 frames while the frequency glides); attack and release apply
// at once.
//
// Threads: prepare() off the audio thread; process(), reset(), setParams(), setParameter()
// are real-time safe.

#include "core/units.hpp"
#include "dsp/gain_reduction_smoother.hpp"
#include "dsp/linear_phase_lowpass.hpp"
#include "dsp/key_detector.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class Listen { off, band };

class DeEsser final : public Processor {
public:
    struct Params {
        Hertz frequency{6708.0};
        Decibels threshold{-30.0};
        double ratio = 10.0;
        Decibels reduction{-8.0};
        Seconds attack{0.001};
        Seconds release{0.060};
        Listen listen = Listen::off;
    };
    /// Indices into parameters().
    enum Parameter : int { frequency, threshold, ratio, reduction, attack, release };
    static std::span<const ParameterInfo> parameterInfo() noexcept;
    /// The band's edges are frequency divided and multiplied by this (√(9/5)).
    static constexpr double kBandHalfWidth = 1.3416407864998738;
    static constexpr double kKneeDb = 6.0;
    static constexpr double kRmsWindowSeconds = 0.003;
    /// Half the split filter's length: its delay and the processor's latency.
    static constexpr double kSplitDelaySeconds = 0.001;

    DeEsser() { setParams({}); }
    explicit DeEsser(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override { return split_.delay(); }

    std::span<const ParameterInfo> parameters() const noexcept override { return parameterInfo(); }
    void setParameter(int index, double value) noexcept override;

    /// The largest reduction of the high band in the last process() call, in dB (≥ 0).
    double gainReductionDb() const noexcept { return gainReductionDb_; }

private:
    void processChunk(AudioView io) noexcept;
    void applyTargets(bool immediate) noexcept;
    void designSplit() noexcept;

    Params params_;
    ProcessSpec spec_;
    KeyDetector detector_;
    LinearPhaseLowpass split_;  // the low band
    std::int64_t frame_ = 0;    // counts frames, for the split's redesign grid while it glides
    SmoothedValue splitHz_, threshold_, slope_, reduction_;
    GainReductionSmoother smoother_;
    bool prepared_ = false;
    double gainReductionDb_ = 0.0;
};

}  // namespace reel::dsp
