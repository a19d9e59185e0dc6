#pragma once
// Convolution reverb: the input convolved with a measured (or designed) impulse response.
//
// A mono IR is applied to both channels; a stereo IR's left channel to the left input and
// its right to the right (a mono io uses the IR's first channel). The IR arrives as an
// AudioBuffer already at the session's rate (the engine loads and resamples the file).
// Convolution is PartitionedConvolver's: zero latency, any block size, bit-identical output
// however the stream is cut.
//
//   wet = gain · (IR ∗ predelayed input);   out = (1 − mix)·dry + mix·wet
//
// Mix and gain glide per frame over 20 ms; predelay glides over 250 ms (GlidingDelay;
// growing by more than 125 ms, over twice its growth).
// Latency 0. Tail: the IR's length plus the predelay. Threads: prepare() allocates and plans
// FFTW; everything else is real-time safe.

#include <memory>
#include <span>
#include <vector>

#include "core/units.hpp"
#include "dsp/gliding_delay.hpp"
#include "dsp/partitioned_convolver.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class ConvolutionReverb final : public Processor {
public:
    struct Params {
        double mix = 0.3;       // 0..1 wet share (written 0–100 % in the session)
        Seconds predelay{0.0};  // 0–500 ms before the IR starts
        Decibels gain{0.0};     // on the wet, −60..+24 dB
    };
    enum ParameterIndex { kMix, kPredelay, kGain };

    /// `impulseResponse`: 1 or 2 channels, at the rate prepare() will be given.
    ConvolutionReverb(AudioBuffer impulseResponse, const Params& params);
    explicit ConvolutionReverb(AudioBuffer impulseResponse);

    /// Fails if the IR has no frames or more than 2 channels.
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    double tailSeconds() const noexcept override;
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;

private:
    static constexpr std::int64_t kChunk = 64;

    void applyParams(bool immediate) noexcept;

    AudioBuffer ir_;
    Params params_;
    double sampleRate_ = 48000.0;
    bool prepared_ = false;
    std::vector<PartitionedConvolver> convolvers_;  // one per processed channel (≤ 2)
    GlidingDelay predelay_;
    SmoothedValue mix_, gain_;
};

}  // namespace reel::dsp
