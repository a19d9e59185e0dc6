#pragma once
// Feed-forward compressor with soft knee, peak or RMS detection, stereo link, lookahead and
// an external, filterable sidechain.
//
// Signal flow (Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design — A
// Tutorial and Analysis", JAES 60(6), 2012, the log-domain feed-forward design they
// recommend):
//   key (own input, or the sidechain) → optional high-pass → level in dB (peak, or RMS over a
//   10 ms window) → stereo link → static curve (threshold, ratio, quadratic soft knee; eq. 4)
//   → attack/release smoothing of the gain reduction in dB (smooth *branching* peak detector,
//   eq. 17) → + make-up gain → linear gain, applied to the input delayed by the lookahead.
//
// Units and conventions:
//   threshold, knee, makeup in dB; ratio a plain number (1 = off, 100 ≈ limiting); knee is
//   the full width of the knee, centred on the threshold. attack and release in seconds,
//   as 63 % time constants: after a level step, the gain reduction (in dB) covers 63 % of its
//   change in `attack` (growing) or `release` (shrinking). link in [0, 1] (0 = channels
//   independent, 1 = every channel gets the gain of the loudest). sidechain highpass in Hz,
//   0 = off. Peak detection reads a sample's |x|; RMS detection reads the RMS over 10 ms (a
//   full-scale sine is −3.01 dB RMS).
//   Auto make-up adds −curve(0 dB): what the curve takes from a 0 dB detector level, so
//   full-scale material comes out at full scale; e.g. threshold −18 dB, ratio 3, hard knee
//   gives +12 dB (compensating the curve at 0 dB is the usual automatic make-up). In auto
//   mode a makeup value set through setParameter() adds to the automatic amount.
//
// Latency: lookahead frames (rounded); the gain reacts to the undelayed key, so reduction
// starts `lookahead` before the material that causes it comes out. Lookahead and detection
// are fixed at prepare() (they change the latency and the detector's memory).
//
// Smoothing: threshold, ratio (as 1 − 1/ratio), knee, makeup and link glide linearly over
// 20 ms; attack and release take effect at once (they only bend the envelope, which stays
// continuous); the key filter glides.
//
// Speed: the block loops (the key's level in dB, dB to linear gain, applying the gain) are
// compiled for SSE2, AVX2 and AVX2 with FMA, picked from the CPU at run time. SSE2 and AVX2
// do the same float operations (no FMA), so the same bits. With FMA the envelope's step and
// the log/exp polynomials are fused, which moves gains by a few float ulps (at most 2.5e-6 dB
// in the settings compared on 2026-11-24): a render is bit-identical on any one machine, and
// on two machines only if both have or both lack AVX2 with FMA (core/cpu_features.hpp). A stereo pair with one shared
// gain reads the lookahead delay inside the pass that applies the gain.
//
// Threads: prepare() off the audio thread; process(), reset(), setParams(), setParameter()
// and setSidechain() are real-time safe. gainReductionDb() reads the last process() call.

#include <array>

#include "core/cpu_features.hpp"
#include "core/units.hpp"
#include "dsp/fast_log_exp.hpp"
#include "dsp/key_detector.hpp"
#include "dsp/keyed_dynamics.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class MakeupMode { manual, automatic };
/// Where a dynamics processor's key comes from.
enum class Keying { input, external };

class Compressor final : public Processor {
public:
    struct Params {
        Decibels threshold{-18.0};
        double ratio = 4.0;
        Decibels knee{6.0};
        Seconds attack{0.010};
        Seconds release{0.150};
        Decibels makeup{0.0};
        MakeupMode makeupMode = MakeupMode::manual;
        LevelDetection detection = LevelDetection::peak;
        double link = 1.0;
        Seconds lookahead{0.0};
        Keying keying = Keying::input;
        Hertz sidechainHighpass{0.0};  // 0 = off
    };

    /// Indices into parameters().
    enum Parameter : int { threshold, ratio, knee, attack, release, makeup, link, sidechainHighpass };
    /// The automatable parameters (also the ranges the session reader checks).
    static std::span<const ParameterInfo> parameterInfo() noexcept;
    /// The longest lookahead accepted, in seconds.
    static constexpr double kMaxLookaheadSeconds = 0.020;

    Compressor() = default;
    explicit Compressor(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// New settings (clamped to the ranges of parameterInfo()); they glide. Lookahead and
    /// detection take effect at the next prepare().
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int latency() const noexcept override { return keyed_.lookaheadFrames; }

    std::span<const ParameterInfo> parameters() const noexcept override { return parameterInfo(); }
    void setParameter(int index, double value) noexcept override;
    bool acceptsSidechain() const noexcept override { return params_.keying == Keying::external; }
    void setSidechain(AudioView key) noexcept override { keyed_.sidechain.set(key); }

    /// Which vector code runs (see VectorWidth: widest differs from the others in the last
    /// bits where the CPU has FMA; baseline and avx2 give the same bits).
    void setVectorWidth(VectorWidth width) noexcept;

    /// The largest gain reduction of the last process() call, in dB (≥ 0; make-up excluded).
    double gainReductionDb() const noexcept { return gainReductionDb_; }

    /// The static curve: gain in dB (make-up included) for a steady detector level in dB.
    static double staticGainDb(const Params& params, double levelDb) noexcept;

private:
    template <Fma fma>
    void processChunkBody(AudioView io, AudioView key) noexcept;
    void processChunkBaseline(AudioView io, AudioView key) noexcept;
    void processChunkAvx2(AudioView io, AudioView key) noexcept;
    void processChunkAvx2Fma(AudioView io, AudioView key) noexcept;
    void applyTargets(bool immediate) noexcept;

    Params params_;
    ProcessSpec spec_;
    KeyedDynamics keyed_;
    SmoothedValue threshold_, slope_, knee_, makeup_;
    bool prepared_ = false;
    VectorCode code_ = vectorCodeFor(VectorWidth::widest);
    double gainReductionDb_ = 0.0;
};

}  // namespace reel::dsp
