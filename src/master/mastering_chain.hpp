#pragma once
// The mastering chain a plan describes, in two parts that the passes run separately:
//
//   PreLimiterChain:  tonal EQ (mid and side, or left and right) → stereo tool (width, mono
//                     bass) → compressor (broadband, or three LR4 bands: multiband_compressor.hpp).
//                     Run once; its output is cached.
//   LimiterChain:     drive gain → true-peak limiter → trim gain.
//                     Run by every loudness probe and by the write pass. Its limiter is fed
//                     the true peaks of the pre-limiter signal, detected once by a
//                     TruePeakDetector in the pass that makes that signal and cached beside
//                     it (CachedPeakDetector): the peak of drive·x is drive times the peak of
//                     x, so no later pass oversamples again.
//
// built from the dsp/ processors (Equalizer, StereoTool, Compressor, Limiter) with the
// true-peak detector of true_peak_detector.hpp. Stages the plan leaves neutral are skipped,
// so they cost nothing and change no bit. The EQ runs per channel (processEq), so a pass can
// give the two channels to two threads. Dither is not part of the chain: the writer side adds
// it, after the last gain.
// Latency: the compressor's lookahead (pre) + the limiter's lookahead + 15 frames (limiter);
// the passes compensate (drop that many frames at the start, flush as many at the end).
// Threads: create() and set*() off the processing thread; process*() are real-time safe.

#include <memory>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "dsp/compressor.hpp"
#include "dsp/equalizer.hpp"
#include "dsp/limiter.hpp"
#include "dsp/stereo_tool.hpp"
#include "master/mastering_plan.hpp"
#include "master/multiband_compressor.hpp"
#include "master/true_peak_detector.hpp"

namespace reel::master {

class PreLimiterChain {
public:
    /// For `channels` (1 or 2) at `rate`, blocks of at most maxBlock frames.
    static Result<std::unique_ptr<PreLimiterChain>> create(const MasteringPlan& plan, SampleRate rate, int channels, int maxBlock);

    /// Whether the EQ does anything; whether it runs on mid/side (then the caller encodes
    /// M = (L+R)/2, S = (L−R)/2 into channels 0/1 before processEq and processDynamics decodes).
    bool eqActive() const noexcept { return eqActive_; }
    bool midSide() const noexcept { return midSide_; }
    /// Encodes left/right into mid/side in place (only when midSide()).
    static void encodeMidSide(AudioView io) noexcept;
    /// Runs channel `channel`'s equalizer on one channel's samples, in place.
    void processEq(int channel, float* samples, std::int64_t numFrames) noexcept;
    /// Decodes mid/side (if used), then the stereo tool and the compressor, in place.
    void processDynamics(AudioView io) noexcept;
    int latency() const noexcept;
    /// The compressor's largest gain reduction in the last processDynamics() call, dB ≥ 0.
    double compressorReductionDb() const noexcept {
        return compress_ ? compressor_.gainReductionDb() : multiband_ ? multibandCompressor_.gainReductionDb() : 0.0;
    }
    bool compresses() const noexcept { return compress_ || multiband_; }
    void reset() noexcept;

private:
    PreLimiterChain() = default;
    int channels_ = 2;
    bool midSide_ = false;
    bool eqActive_ = false;
    bool stereoActive_ = false;
    bool compress_ = false;
    std::array<dsp::Equalizer, 2> eq_;
    dsp::StereoTool stereo_;
    dsp::Compressor compressor_;
    bool multiband_ = false;
    MultibandCompressor multibandCompressor_;
};

class LimiterChain {
public:
    static Result<std::unique_ptr<LimiterChain>> create(const MasteringPlan& plan, SampleRate rate, int channels, int maxBlock);

    /// The gains the loudness loop tries; take effect at the next reset().
    void setGains(Decibels drive, Decibels limiterCeiling, Decibels trim) noexcept;
    /// Back to silence: envelopes, delays and the peak memory cleared.
    void reset() noexcept;
    /// Processes in place; io.numFrames() ≤ maxBlock. `peaks` holds, for each frame of io,
    /// what a TruePeakDetector reported for the undriven signal (the drive is applied here).
    void process(AudioView io, const float* peaks) noexcept;
    int latency() const noexcept { return limiter_->latency(); }
    /// Gain reduction of the last process() call, dB ≥ 0 (largest within the call).
    double reductionDb() const noexcept { return limiter_->gainReductionDb(); }
    /// The highest true peak that reached the limiter since reset() (after the drive), dBTP.
    double peakIntoLimiterDbtp() const noexcept;

private:
    LimiterChain() = default;
    std::unique_ptr<dsp::Limiter> limiter_;
    CachedPeakDetector* detector_ = nullptr;  // owned by limiter_
    float drive_ = 1.0f;
    float trim_ = 1.0f;
};

}  // namespace reel::master
