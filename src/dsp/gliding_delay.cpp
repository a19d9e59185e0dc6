#include "dsp/gliding_delay.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace reel::dsp {

void GlidingDelay::prepare(int channels, std::int64_t maxDelayFrames, std::int64_t glideFrames) {
    channels_ = std::clamp(channels, 0, kMaxChannels);
    maxDelay_ = std::max<std::int64_t>(maxDelayFrames, 0);
    // Room for the longest delay, one chunk written ahead of its read, and the second
    // interpolation tap.
    size_ = std::bit_ceil(static_cast<std::size_t>(maxDelay_ + kChunk + 2));
    mask_ = size_ - 1;
    buffer_.assign(size_ * static_cast<std::size_t>(channels_), 0.0f);
    write_ = 0;
    lastFramePending_ = false;
    glideFrames_ = std::max<std::int64_t>(glideFrames, 1);
    delay_.prepare(glideFrames_, 0.0);
}

void GlidingDelay::setDelay(double frames) noexcept {
    const double target = std::clamp(std::round(frames), 0.0, static_cast<double>(maxDelay_));
    if (target == delay_.target()) return;  // (a reverb sets it again with every other parameter)
    storeLastFrame();                       // the first glide frame's older tap
    // At most half a frame per frame while the delay grows (see the header).
    const double growth = target - delay_.current();
    delay_.setTarget(target, std::max(glideFrames_, static_cast<std::int64_t>(std::ceil(2.0 * growth))));
}

void GlidingDelay::setDelayImmediate(double frames) noexcept {
    std::fill(buffer_.begin(), buffer_.end(), 0.0f);
    lastFramePending_ = false;
    delay_.setImmediate(std::clamp(std::round(frames), 0.0, static_cast<double>(maxDelay_)));
}

void GlidingDelay::reset() noexcept {
    std::fill(buffer_.begin(), buffer_.end(), 0.0f);
    write_ = 0;
    lastFramePending_ = false;
    delay_.setImmediate(delay_.target());
}

void GlidingDelay::process(AudioView io) noexcept {
    if (channels_ == 0) return;
    const int channels = std::min(io.numChannels(), channels_);
    AudioView view = io;
    if (channels < io.numChannels()) {
        std::array<float*, kMaxChannels> ptrs{};
        for (int c = 0; c < channels; ++c) ptrs[static_cast<std::size_t>(c)] = io.channel(c);
        view = AudioView{ptrs, channels, io.numFrames()};
    }
    for (std::int64_t start = 0; start < view.numFrames(); start += kChunk) {
        const AudioView chunk = view.slice(start, std::min(kChunk, view.numFrames() - start));
        if (delay_.isSmoothing())
            processGliding(chunk);
        else
            processSteady(chunk, static_cast<std::int64_t>(delay_.current()));
    }
}

void GlidingDelay::remember(AudioView input) noexcept {
    // A glide away from 0 grows at most half a frame per frame, so its reads reach back only
    // to the frame before it starts: that one frame is all the line keeps.
    const auto n = static_cast<std::size_t>(input.numFrames());
    if (n == 0) return;
    lastFrameChannels_ = std::min(input.numChannels(), channels_);
    for (int c = 0; c < lastFrameChannels_; ++c) lastFrame_[static_cast<std::size_t>(c)] = input.channel(c)[n - 1];
    lastFramePending_ = true;
    write_ = (write_ + n) & mask_;
}

void GlidingDelay::storeLastFrame() noexcept {
    if (!lastFramePending_) return;
    const std::size_t slot = (write_ - 1) & mask_;
    for (int c = 0; c < lastFrameChannels_; ++c)
        buffer_[static_cast<std::size_t>(c) * size_ + slot] = lastFrame_[static_cast<std::size_t>(c)];
    lastFramePending_ = false;
}

void GlidingDelay::processSteady(AudioView io, std::int64_t delayFrames) noexcept {
    // At 0 the output is the input and the line keeps only what a glide can read back.
    if (delayFrames == 0) {
        remember(io);
        return;
    }
    // Write first, then read: a delay shorter than the chunk reads frames just written.
    const std::size_t n = static_cast<std::size_t>(io.numFrames());  // ≤ kChunk < size_
    const std::size_t read = (write_ - static_cast<std::size_t>(delayFrames)) & mask_;
    const std::size_t firstWrite = std::min(n, size_ - write_);
    const std::size_t firstRead = std::min(n, size_ - read);
    for (int c = 0; c < io.numChannels(); ++c) {
        float* ring = buffer_.data() + static_cast<std::size_t>(c) * size_;
        float* x = io.channel(c);
        std::copy_n(x, firstWrite, ring + write_);
        std::copy_n(x + firstWrite, n - firstWrite, ring);
        std::copy_n(ring + read, firstRead, x);
        std::copy_n(ring, n - firstRead, x + firstRead);
    }
    write_ = (write_ + n) & mask_;
}

void GlidingDelay::processGliding(AudioView io) noexcept {
    for (std::int64_t i = 0; i < io.numFrames(); ++i) {
        const double d = delay_.next();
        const double whole = std::floor(d);
        const float frac = static_cast<float>(d - whole);
        // x[n - d] between the frames n - floor(d) (newer) and n - floor(d) - 1 (older).
        const std::size_t newer = (write_ - static_cast<std::size_t>(whole)) & mask_;
        const std::size_t older = (newer - 1) & mask_;
        for (int c = 0; c < io.numChannels(); ++c) {
            float* ring = buffer_.data() + static_cast<std::size_t>(c) * size_;
            float* x = io.channel(c);
            ring[write_] = x[i];
            x[i] = ring[newer] + frac * (ring[older] - ring[newer]);
        }
        write_ = (write_ + 1) & mask_;
    }
}

}  // namespace reel::dsp
