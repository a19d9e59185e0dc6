#pragma once
// The part tracks, buses and the master share: a chain of processors, then pan, then the
// fader (volume). Mono input is panned with the constant-power law; stereo input with the
// balance law (dsp/pan_law.hpp). Output is always stereo.
//
// Taps for sends: preFader() is after the chain and the pan, before the volume;
// postFader() is the strip's output.

#include <memory>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "dsp/pan_law.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_gain.hpp"

namespace reel::engine {

enum class PreFaderTap { unused, used };

class ChannelStrip {
public:
    ChannelStrip() = default;
    /// inputChannels: 1 or 2. Prepares every processor of the chain for the block size.
    Result<void> prepare(std::vector<std::unique_ptr<dsp::Processor>> chain, int inputChannels, double sampleRate,
                         int maxBlock, double pan, Decibels volume, PreFaderTap tap);

    /// The buffer to fill with input before process(); channels = inputChannels.
    AudioView input(std::int64_t numFrames) noexcept { return input_.view(numFrames); }
    /// Runs chain, pan and fader over the first numFrames frames of input().
    void process(std::int64_t numFrames) noexcept;

    AudioView preFader(std::int64_t numFrames) noexcept { return (tapUsed_ ? preFader_ : output_).view(numFrames); }
    AudioView postFader(std::int64_t numFrames) noexcept { return output_.view(numFrames); }

    /// Sum of the chain's latencies, in frames.
    int latency() const noexcept { return latency_; }
    int inputChannels() const noexcept { return input_.numChannels(); }
    void reset() noexcept;

private:
    std::vector<std::unique_ptr<dsp::Processor>> chain_;
    AudioBuffer input_;
    AudioBuffer preFader_;
    AudioBuffer output_;
    dsp::PanGains pan_;
    dsp::SmoothedGain volume_;
    double volumeGain_ = 1.0;
    int latency_ = 0;
    bool tapUsed_ = false;
};

}  // namespace reel::engine
