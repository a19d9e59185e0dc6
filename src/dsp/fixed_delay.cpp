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
    const int channels = std::min(io.numChannels(), channels_);
    if (delayFrames_ == 0 || channels <= 0) return;
    // Out = the sample from delayFrames ago, in = stored in its place: a swap, done in runs
    // up to the ring's end (which vectorize) rather than frame by frame.
    forEachRun(io.numFrames(), [&](std::int64_t first, std::int64_t count, std::size_t slot) {
        for (int c = 0; c < channels; ++c) {
            float* x = io.channel(c) + first;
            std::swap_ranges(x, x + count, ring(c) + slot);
        }
    });
}

void FixedDelay::reset() noexcept {
    for (auto& ring : rings_) std::fill(ring.begin(), ring.end(), 0.0f);
    writeIndex_ = 0;
}

}  // namespace reel::dsp
