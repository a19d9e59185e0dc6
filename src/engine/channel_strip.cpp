#include "engine/channel_strip.hpp"

#include <algorithm>

namespace reel::engine {

Result<void> ChannelStrip::prepare(std::vector<std::unique_ptr<dsp::Processor>> chain, int inputChannels,
                                   double sampleRate, int maxBlock, double pan, Decibels volume, PreFaderTap tap) {
    chain_ = std::move(chain);
    latency_ = 0;
    const dsp::ProcessSpec spec{sampleRate, maxBlock, inputChannels};
    for (auto& processor : chain_) {
        if (auto prepared = processor->prepare(spec); !prepared) return prepared;
        latency_ += processor->latency();
    }
    input_.resize(inputChannels, maxBlock);
    output_.resize(2, maxBlock);
    tapUsed_ = tap == PreFaderTap::used;
    if (tapUsed_) preFader_.resize(2, maxBlock);
    pan_ = inputChannels == 1 ? dsp::monoPanGains(pan) : dsp::stereoBalanceGains(pan);
    volumeGain_ = toGain(volume).value;
    volume_.prepare(static_cast<std::int64_t>(0.020 * sampleRate));
    volume_.setImmediate(volumeGain_);
    return {};
}

void ChannelStrip::process(std::int64_t numFrames) noexcept {
    AudioView in = input_.view(numFrames);
    for (auto& processor : chain_) processor->process(in);

    AudioView panned = (tapUsed_ ? preFader_ : output_).view(numFrames);
    const float left = static_cast<float>(pan_.left);
    const float right = static_cast<float>(pan_.right);
    const float* inLeft = in.channel(0);
    const float* inRight = in.channel(in.numChannels() - 1);  // mono: both sides from one channel
    float* outLeft = panned.channel(0);
    float* outRight = panned.channel(1);
    for (std::int64_t i = 0; i < numFrames; ++i) {
        outLeft[i] = inLeft[i] * left;
        outRight[i] = inRight[i] * right;
    }
    if (tapUsed_)
        for (int c = 0; c < 2; ++c) std::copy_n(preFader_.channel(c), numFrames, output_.channel(c));
    volume_.apply(output_.view(numFrames));
}

void ChannelStrip::reset() noexcept {
    for (auto& processor : chain_) processor->reset();
    volume_.setImmediate(volumeGain_);
}

}  // namespace reel::engine
