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
    const auto numFrames = static_cast<std::size_t>(io.numFrames());
    std::size_t index = writeIndex_;
    for (int c = 0; c < io.numChannels() && c < channels_; ++c) {
        float* x = io.channel(c);
        float* ring = rings_[static_cast<std::size_t>(c)].data();
        index = writeIndex_;
        // Out = the sample from delayFrames ago, in = stored in its place: a swap, done in
        // runs up to the ring's end (which vectorize) rather than frame by frame.
        for (std::size_t done = 0; done < numFrames;) {
            const std::size_t run = std::min(numFrames - done, size - index);
            std::swap_ranges(x + done, x + done + run, ring + index);
            done += run;
            index += run;
            if (index == size) index = 0;
        }
    }
    writeIndex_ = index;
}

void FixedDelay::reset() noexcept {
    for (auto& ring : rings_) std::fill(ring.begin(), ring.end(), 0.0f);
    writeIndex_ = 0;
}

}  // namespace reel::dsp
