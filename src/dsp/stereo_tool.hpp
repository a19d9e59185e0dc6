#pragma once
// Stereo tool: width, mid/side balance, mono bass and left/right balance, in mid/side.
//
//   M = (L+R)/2,  S = (L-R)/2
//   S ← HP_LR4(S) below `monoBelow` (optional)      — side content below f is removed
//   M ← gMid·M,  S ← gSide·width·S                  — (gMid, gSide) = balance law of midSide
//   L = (M+S)·gLeft,  R = (M-S)·gRight               — (gLeft, gRight) = balance law of balance
//
// width: 0 = mono (L == R exactly), 1 = unchanged (bit-exact), 2 = side doubled.
// midSide ∈ [-1, +1]: one knob that tilts the image toward the mid or the side, never
//   boosting: 0 leaves both, -1 keeps only the mid (like width 0), +1 keeps only the side;
//   in between the far component follows the unity-at-centre balance curve of pan_law.hpp
//   (midSide +0.5 → mid ×0.765, side ×1). Chosen over separate mid/side dB gains because
//   width already scales the side, and one balance control cannot make a level jump.
// monoBelow: Hz, 0 = off. The side passes a 4th-order Linkwitz-Riley high-pass (two
//   Butterworth biquads, RBJ cookbook; S. Linkwitz, "Active crossover networks for
//   non-coincident drivers", JAES 24(1), 1976): -6 dB at f, 24 dB/oct below. Its complement,
//   the LR4 low band, is what is removed, and LR4 low + high sum to an allpass, so the split
//   is clean. The mid is left untouched, so mono-compatible material (L == R) passes
//   bit-exact; the price is the LR4 phase on the side near f (the side at f is at -6 dB
//   and inverted relative to the mid), which is where that side content is being removed.
// balance ∈ [-1, +1]: stereoBalanceGains() of pan_law.hpp (unity at centre, the far side
//   fades on a cosine curve).
//
// All parameters glide over 20 ms (gains per sample; the mono-bass frequency along a log scale
// with the filters redesigned every 32 frames; turning mono-bass on or off crossfades the
// filtered side in or out). Latency 0. Only stereo (2-channel) audio is changed; other
// channel counts pass through. Math in double precision.
//
// Threads: prepare() allocates (a side buffer of maxBlock frames); process(), reset(),
// setParams() and setParameter() are real-time safe.

#include <cstdint>
#include <span>
#include <vector>

#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class StereoTool final : public Processor {
public:
    static constexpr std::int64_t kUpdateFrames = 32;

    struct Params {
        double width = 1.0;       // 0..2
        double midSide = 0.0;     // -1..+1
        Hertz monoBelow{0.0};     // 0 = off, else 10..1000 Hz
        double balance = 0.0;     // -1..+1
    };

    StereoTool() = default;
    explicit StereoTool(const Params& params) : params_(params) {}

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;

    /// width, mid_side, mono_below (Hz; 0 = off), balance.
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;

    /// The side path's response at frequencyHz as designed now: LR4 high-pass when mono
    /// bass is on, else 0 dB (the width and balance gains are not included).
    double sideResponseDb(double frequencyHz) const noexcept;

private:
    void applyTargets(bool immediate) noexcept;
    void designHighPass() noexcept;
    void processSpan(float* left, float* right, std::int64_t numFrames) noexcept;

    Params params_;
    double sampleRate_ = 48000.0;
    std::int64_t rampFrames_ = 960;
    SmoothedValue midGain_, sideGain_, leftGain_, rightGain_, monoMix_, logMonoFrequency_;
    Biquad highPass1_, highPass2_;
    std::vector<float> side_;
    std::int64_t gridPhase_ = 0;
};

}  // namespace reel::dsp
