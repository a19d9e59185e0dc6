#include "dsp/fixed_delay.hpp"

#include <algorithm>

namespace reel::dsp {

Result<void> FixedDelay::prepare(const ProcessSpec& spec) {
    if (delayFrames_ < 0) return fail(ErrorCode::invalidArgument, "delay must not be negative");
    channels_ = spec.channels;
    rings_.assign(static_cast<std::size_t>(spec.channels), std::vector<float>(static_cast<std::size_t>(delayFrames_), 0.0f));
    writeIndex_ = 0;
    return {};
}

void FixedDelay::process(AudioView io) noexcept {
    if (delayFrames_ == 0) return;
    const std::size_t size = static_cast<std::size_t>(delayFrames_);
    std::size_t index = writeIndex_;
    for (int c = 0; c < io.numChannels() && c < channels_; ++c) {
        float* x = io.channel(c);
        std::vector<float>& ring = rings_[static_cast<std::size_t>(c)];
        index = writeIndex_;
        for (std::int64_t i = 0; i < io.numFrames(); ++i) {
            std::swap(x[i], ring[index]);  // out = the sample from delayFrames ago; store the new one
            if (++index == size) index = 0;
        }
    }
    writeIndex_ = index;
}

void FixedDelay::reset() noexcept {
    for (auto& ring : rings_) std::fill(ring.begin(), ring.end(), 0.0f);
    writeIndex_ = 0;
}

}  // namespace reel::dsp
