#pragma once
// Oversampling by 2, 4, 8 or 16 for nonlinear processing (saturation), as a cascade of
// linear-phase FIR stages that each double or halve the rate.
//
// Design (Crochiere & Rabiner, "Multirate Digital Signal Processing", 1983, ch. 5: multistage
// decimation and interpolation; Kaiser-windowed sinc filters, Oppenheim & Schafer,
// "Discrete-Time Signal Processing", 3rd ed., §7.6, with β = 0.1102 (A − 8.7) and
// N ≈ (A − 8) / (2.285 Δω)):
//   - stage 1 (fs ↔ 2 fs) carries the steep filter: flat to 0.45 fs and ≥ 100 dB down from
//     0.5 fs, so nothing above the base Nyquist folds back anywhere into the base band, and
//     the images of the input are gone before the nonlinearity sees them;
//   - later stages only have to keep the band below 0.5 fs clean, so they are short
//     half-band filters (every other tap zero) with the same stopband.
// Each stage runs in polyphase form (no multiply by the stuffed zeros, no output that is
// thrown away, no multiply by a half-band's zero taps), a block at a time. Upsampling
// scales by 2 per stage, so a unity-gain sine stays unity gain.
//
// Latency: the round trip (upsample, then downsample) is a whole number of base frames,
// reported by latency(). To make it whole, the top decimator gets a few frames of extra
// delay at the top rate. A caller whose own top-rate processing delays by half a sample (a
// first-order antiderivative anti-aliased nonlinearity does) says so with
// TopRateDelay::halfSample: the top decimator then uses an even-length filter whose
// half-sample delay completes it, and latency() includes it.
//
// Threads: prepare() allocates; upsample(), downsample() and reset() are real-time safe.

#include <array>
#include <cstdint>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"

namespace reel::dsp {

/// Delay the caller's processing at the top rate adds, in top-rate samples.
enum class TopRateDelay { none, halfSample };

/// A Kaiser-windowed sinc low-pass: `numTaps` taps (odd or even; centre (numTaps-1)/2),
/// cutoff in cycles per sample (0.25 = half Nyquist), Kaiser β; normalised to unity DC gain.
std::vector<double> kaiserLowPass(int numTaps, double cutoff, double beta);

class Oversampler {
public:
    static constexpr int kMaxFactor = 16;

    /// factor: 1 (pass-through), 2, 4, 8 or 16; maxBlock in base frames.
    [[nodiscard]] Result<void> prepare(int factor, int channels, int maxBlock, TopRateDelay topDelay = TopRateDelay::none);
    /// Clears the filter histories.
    void reset() noexcept;

    int factor() const noexcept { return factor_; }
    /// The round trip's delay in base frames (whole), including the caller's top-rate delay.
    int latency() const noexcept { return latency_; }

    /// Interpolates a block to the top rate; the view (numFrames · factor frames, owned by
    /// the oversampler, valid until the next call) may be processed in place. With factor 1
    /// it is `in` itself.
    AudioView upsample(AudioView in) noexcept;
    /// Decimates the top-rate block left by the last upsample() into `out` (same frame count
    /// as that upsample()'s input; may be the same memory as it).
    void downsample(AudioView out) noexcept;

private:
    /// One polyphase branch: y[m] = Σ_t taps[t] · x[m − offset − t], leading and trailing
    /// zeros dropped (a half-band branch is often a single tap).
    struct Branch {
        std::vector<float> taps;
        int offset = 0;
        int span() const noexcept { return offset + static_cast<int>(taps.size()); }
    };
    /// A channel's input history followed by room for one block: [history | block], so each
    /// branch reads one contiguous run per tap.
    struct Line {
        std::vector<float> samples;
    };
    struct Stage {
        std::array<Branch, 2> up;    // outputs 2m and 2m+1 from the low-rate input
        std::array<Branch, 2> down;  // from the high-rate input's even and odd samples
        int upHistory = 0;           // low-rate samples each channel keeps
        int downHistory = 0;         // per phase, high-rate samples each channel keeps
        std::array<Line, kMaxChannels> upLine;
        std::array<Line, kMaxChannels> evenLine, oddLine;
    };

    /// acc[m] += Σ_t taps[t] · x[m − offset − t] for m < numFrames, where x[0] is the
    /// first new sample (history before it). Taps outermost: the inner loop vectorizes
    /// without reordering any sum, so every output adds its terms in the same order
    /// whatever the block size.
    static void accumulate(const Branch& branch, const float* x, float* acc, std::int64_t numFrames) noexcept;

    int factor_ = 1;
    int stages_ = 0;
    int channels_ = 0;
    int latency_ = 0;
    std::vector<Stage> stage_;
    std::vector<AudioBuffer> rateBuffer_;  // rateBuffer_[k]: the signal at 2^(k+1) × base rate
    std::vector<float> scratch0_, scratch1_;  // branch sums, maxBlock · factor / 2 frames
    AudioView top_;
};

}  // namespace reel::dsp
