#pragma once
// Downward expander and noise gate: turns material below a threshold further down.
//
// One class, two presets: an expander (ratio 2 by default: every dB under the threshold
// becomes 2 dB under) and a gate, the same curve with a 100:1 ratio so anything under the
// threshold drops straight to the range floor. Both share the compressor's pieces (Giannoulis,
// Massberg & Reiss, JAES 60(6), 2012): key → optional high-pass → peak or RMS (10 ms) level →
// stereo link → static curve (below the threshold, slope ratio − 1 in dB per dB, quadratic
// soft knee mirrored from eq. 4, never more than `range` of attenuation) → attack/hold/
// release smoothing of the attenuation in dB (smooth branching detector, eq. 17) → applied to
// the input delayed by the lookahead.
//
// Units and conventions: threshold, knee and range in dB (range ≤ 0: the most attenuation,
// e.g. −80 dB); ratio a plain number (1 = off). attack = how fast the gain opens when the
// level rises, release = how fast it closes, both 63 % time constants of the attenuation in
// dB; hold = how long the gain stays where it is after the level falls before the release
// begins (the gate does not chatter on a waveform's dips). link in [0, 1]; sidechain
// high-pass in Hz, 0 = off. Latency: lookahead frames.
//
// Smoothing: threshold, ratio (as ratio − 1), knee, range and link glide over 20 ms; attack,
// hold and release take effect at once (the envelope stays continuous).
//
// Threads: prepare() off the audio thread; process(), reset(), setParams(), setParameter()
// and setSidechain() are real-time safe.

#include <array>

#include "core/units.hpp"
#include "dsp/compressor.hpp"

namespace reel::dsp {

class DownwardExpander final : public Processor {
public:
    enum class Kind { expander, gate };
    struct Params {
        Decibels threshold{-40.0};
        double ratio = 2.0;
        Decibels range{-80.0};
        Decibels knee{0.0};
        Seconds attack{0.005};
        Seconds hold{0.0};
        Seconds release{0.100};
        double link = 1.0;
        LevelDetection detection = LevelDetection::peak;
        Seconds lookahead{0.0};
        Keying keying = Keying::input;
        Hertz sidechainHighpass{0.0};  // 0 = off
    };
    /// The defaults of each kind: expander as in Params; gate threshold −50 dB, ratio 100,
    /// attack 1 ms, hold 10 ms, release 100 ms.
    static Params defaults(Kind kind) noexcept;

    /// Indices into parameters().
    enum Parameter : int { threshold, ratio, range, knee, attack, hold, release, link, sidechainHighpass };
    /// The automatable parameters of a kind (the defaults differ; the ranges do not).
    static std::span<const ParameterInfo> parameterInfo(Kind kind) noexcept;

    explicit DownwardExpander(Kind kind = Kind::expander) : kind_(kind) { setParams(defaults(kind)); }
    DownwardExpander(Kind kind, const Params& params) : kind_(kind) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// New settings (clamped to the ranges); they glide. Lookahead and detection take effect
    /// at the next prepare().
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    Kind kind() const noexcept { return kind_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override { return keyed_.lookaheadFrames; }

    std::span<const ParameterInfo> parameters() const noexcept override { return parameterInfo(kind_); }
    void setParameter(int index, double value) noexcept override;
    bool acceptsSidechain() const noexcept override { return params_.keying == Keying::external; }
    void setSidechain(AudioView key) noexcept override { keyed_.sidechain.set(key); }

    /// The largest attenuation of the last process() call, in dB (≥ 0).
    double gainReductionDb() const noexcept { return gainReductionDb_; }
    /// The static curve: gain in dB (≤ 0) for a steady detector level in dB.
    static double staticGainDb(const Params& params, double levelDb) noexcept;

private:
    void processChunk(AudioView io, AudioView key) noexcept;
    void applyTargets(bool immediate) noexcept;

    Kind kind_;
    Params params_;
    ProcessSpec spec_;
    KeyedDynamics keyed_;
    SmoothedValue threshold_, slope_, knee_, range_;
    bool prepared_ = false;
    double gainReductionDb_ = 0.0;
};

}  // namespace reel::dsp
