#pragma once
// Planar 32-bit float audio: AudioBuffer owns it, AudioView points into it.
//
// Internal audio is 32-bit float, planar (DESIGN.md). A view is a small value holding one
// pointer per channel, so processors take it by value and sub-views never allocate.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <vector>

namespace reel {

/// The most channels one buffer carries (7.1 fits; 5.1 is the widest format Reel analyzes).
inline constexpr int kMaxChannels = 8;

/// A non-owning window onto planar float audio: `channel(c)[frame]`.
class AudioView {
public:
    AudioView() = default;
    AudioView(const std::array<float*, kMaxChannels>& channels, int numChannels, std::int64_t numFrames)
        : channels_(channels), numChannels_(numChannels), numFrames_(numFrames) {}

    int numChannels() const noexcept { return numChannels_; }
    std::int64_t numFrames() const noexcept { return numFrames_; }
    float* channel(int c) const noexcept { return channels_[static_cast<std::size_t>(c)]; }

    /// The frames [start, start + count) of this view, all channels.
    AudioView slice(std::int64_t start, std::int64_t count) const noexcept {
        assert(start >= 0 && start + count <= numFrames_);
        auto moved = channels_;
        for (int c = 0; c < numChannels_; ++c) moved[static_cast<std::size_t>(c)] += start;
        return AudioView{moved, numChannels_, count};
    }

    /// Sets every sample to zero.
    void clear() const noexcept {
        for (int c = 0; c < numChannels_; ++c) std::fill_n(channel(c), numFrames_, 0.0f);
    }

private:
    std::array<float*, kMaxChannels> channels_{};
    int numChannels_ = 0;
    std::int64_t numFrames_ = 0;
};

/// Owns planar float audio of a fixed channel count and frame capacity.
/// Allocates only in the constructor and resize(); never on the audio thread.
class AudioBuffer {
public:
    AudioBuffer() = default;
    AudioBuffer(int numChannels, std::int64_t numFrames) { resize(numChannels, numFrames); }

    void resize(int numChannels, std::int64_t numFrames) {
        assert(numChannels >= 0 && numChannels <= kMaxChannels);
        numChannels_ = numChannels;
        numFrames_ = numFrames;
        data_.assign(static_cast<std::size_t>(numChannels) * static_cast<std::size_t>(numFrames), 0.0f);
    }

    int numChannels() const noexcept { return numChannels_; }
    std::int64_t numFrames() const noexcept { return numFrames_; }
    float* channel(int c) noexcept { return data_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(numFrames_); }
    const float* channel(int c) const noexcept { return data_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(numFrames_); }

    /// A view of all channels and frames.
    AudioView view() noexcept { return view(numFrames_); }
    /// A view of all channels and the first numFrames frames.
    AudioView view(std::int64_t numFrames) noexcept {
        assert(numFrames <= numFrames_);
        std::array<float*, kMaxChannels> ptrs{};
        for (int c = 0; c < numChannels_; ++c) ptrs[static_cast<std::size_t>(c)] = channel(c);
        return AudioView{ptrs, numChannels_, numFrames};
    }

private:
    std::vector<float> data_;
    int numChannels_ = 0;
    std::int64_t numFrames_ = 0;
};

}  // namespace reel
