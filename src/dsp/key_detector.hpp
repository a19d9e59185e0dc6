#pragma once
// The detector side of a dynamics processor: from a key signal to a level in dB per frame.
//
// The key is the processor's own input or an external sidechain (the engine's routing of
// `sidechain: Kick`). It passes an optional high-pass and an optional low-pass (RBJ
// cookbook biquads, Butterworth Q = 1/√2, so a compressor's key ignores the bass, or a
// de-esser's key hears only the sibilance band), then the LevelDetector (peak or RMS), then
// stereo linking:
//   level_c = own_c + link · (max − own_c)     (in dB; link 0 = independent, 1 = fully linked)
// where own_c is the level of the key channel feeding output channel c (the last key channel
// for output channels beyond the key's) and max is the loudest key channel. With link = 1
// every output channel gets exactly the same level, so the gain downstream is identical.
// Linking::full computes that shared level once (one output channel) for speed.
//
// Filter frequencies and the link glide over 20 ms when changed (the coefficients are
// recomputed every frame while a frequency glides); 0 Hz switches a filter off at once.
//
// Speed: process() is compiled for SSE2, AVX2 and AVX2 with FMA, picked from the CPU at run
// time (its block loops, the loudest x² and the dB conversion, take eight floats per
// instruction with AVX2). SSE2 and AVX2 do the same float operations (no FMA), so the same
// levels to the bit; with FMA the log's polynomial is evaluated fused (lnApprox<Fma::yes>,
// as accurate), which moves a level by an ulp or two of its float: other bits than the
// baseline's, by far less than anything audible (compressor_test.cpp bounds the compressor's
// output; measured on 2026-11-24 the expander and de-esser moved by at most 1.8e-6 and
// 8.2e-6 dB).
//
// prepare() allocates; process(), reset() and the setters are real-time safe.

#include "core/audio_buffer.hpp"
#include "core/cpu_features.hpp"
#include "dsp/biquad.hpp"
#include "dsp/fast_log_exp.hpp"
#include "dsp/level_detector.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class Linking { perChannel, full };
/// Which vector code a processor's block loops run: the widest the CPU has (the default:
/// AVX2, with FMA where present), AVX2 without FMA, or the x86-64 baseline (SSE2). avx2 and
/// baseline give the same bits; widest may differ from them in the last bits where it fuses
/// multiply-adds (core/cpu_features.hpp), and each processor's tests bound that.
enum class VectorWidth { widest, avx2, baseline };
/// The build of a block loop that runs: the x86-64 baseline, AVX2, or AVX2 with FMA.
enum class VectorCode { baseline, avx2, avx2Fma };
/// The code for `width` on this CPU.
inline VectorCode vectorCodeFor(VectorWidth width) noexcept {
    if (width == VectorWidth::widest && cpuHasAvx2Fma()) return VectorCode::avx2Fma;
    if (width != VectorWidth::baseline && cpuHasAvx2()) return VectorCode::avx2;
    return VectorCode::baseline;
}

class KeyDetector {
public:
    struct Setup {
        double sampleRate = 48000.0;
        int maxBlock = 4096;
        int keyChannels = 2;  // the widest key accepted (≤ kMaxChannels)
        int outChannels = 2;  // the widest set of levels returned (≤ kMaxChannels)
        LevelDetection detection = LevelDetection::peak;
        double rmsWindowSeconds = LevelDetector::kDefaultRmsWindowSeconds;
    };

    /// Allocates for the setup and starts at the current settings with no glide.
    void prepare(const Setup& setup);
    /// Clears filter and detector state; pending glides jump to their targets.
    void reset() noexcept;

    /// link in [0, 1]; glides.
    void setLink(double fraction) noexcept;
    /// High-pass corner on the key in Hz; 0 = off. Glides between frequencies.
    void setHighpass(double hz) noexcept;
    /// Low-pass corner on the key in Hz; 0 = off. Glides between frequencies.
    void setLowpass(double hz) noexcept;
    /// Which vector code process() runs (for tests; see VectorWidth).
    void setVectorWidth(VectorWidth width) noexcept { code_ = vectorCodeFor(width); }
    /// True when the link is exactly 1 and not gliding, so Linking::full gives every
    /// output channel's level.
    bool fullyLinked() const noexcept { return !link_.isSmoothing() && link_.current() >= 1.0; }

    /// Detects the levels (dB) of key's frames: outChannels channels (1 for Linking::full),
    /// key.numFrames() ≤ maxBlock frames, in a buffer owned here and valid until the next
    /// call. If `listen` has channels, the filtered key is written there too (it may be the
    /// key itself: each sample is read before it is overwritten).
    AudioView process(AudioView key, int outChannels, Linking linking, AudioView listen = {}) noexcept;

private:
    struct Corner {
        SmoothedValue hz;
        bool on = false;
        Biquad filter;
    };
    template <Fma fma>
    AudioView processBody(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept;
    AudioView processBaseline(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept;
    AudioView processAvx2(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept;
    AudioView processAvx2Fma(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept;
    void setCorner(Corner& corner, double hz) noexcept;
    void design(Corner& corner, bool highpass) noexcept;

    Setup setup_;
    LevelDetector detector_;
    SmoothedValue link_;
    Corner highpass_;
    Corner lowpass_;
    AudioBuffer levels_;
    VectorCode code_ = vectorCodeFor(VectorWidth::widest);
    double linkTarget_ = 1.0;
    double highpassTarget_ = 0.0;
    double lowpassTarget_ = 0.0;
};

}  // namespace reel::dsp
