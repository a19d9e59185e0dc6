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
///
/// Every channel starts on a 4 KiB page boundary. x86 cores guess that a load depends on an
/// earlier store when their addresses agree in the low 12 bits, so a loop that reads one
/// buffer and writes another whose start is a little further on within the page (a store
/// stream just ahead of a load stream, modulo 4 KiB) waits on its stores (4K aliasing). Two
/// buffers of one size allocated one after the other did exactly that (a track's input and
/// its panned copy were 16 bytes apart): the pan pass cost 1.5 % to 10 % of a 16-track
/// render depending on where the heap put them (2026-11-25). Starts spread over the page
/// (tried next) cannot keep every pair of streams either equal or far apart; starts that
/// agree in the low 12 bits can: a loop reading and writing frame i of its channels then
/// compares each load only with stores to other frames' addresses. Copies keep the layout
/// but not the alignment.
class AudioBuffer {
public:
    AudioBuffer() = default;
    AudioBuffer(int numChannels, std::int64_t numFrames) { resize(numChannels, numFrames); }

    void resize(int numChannels, std::int64_t numFrames) {
        assert(numChannels >= 0 && numChannels <= kMaxChannels);
        numChannels_ = numChannels;
        numFrames_ = numFrames;
        // Channel c at c·stride_ floats from the first page boundary in data_: the frames
        // rounded up to whole pages.
        stride_ = (static_cast<std::size_t>(numFrames) + kPageFloats - 1) / kPageFloats * kPageFloats;
        data_.assign(static_cast<std::size_t>(numChannels) * stride_ + kPageFloats, 0.0f);
        const auto address = reinterpret_cast<std::uintptr_t>(data_.data()) / sizeof(float);
        offset_ = (kPageFloats - address % kPageFloats) % kPageFloats;
    }

    int numChannels() const noexcept { return numChannels_; }
    std::int64_t numFrames() const noexcept { return numFrames_; }
    float* channel(int c) noexcept { return data_.data() + offset_ + static_cast<std::size_t>(c) * stride_; }
    const float* channel(int c) const noexcept {
        return data_.data() + offset_ + static_cast<std::size_t>(c) * stride_;
    }

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
    static constexpr std::size_t kPageFloats = 4096 / sizeof(float);

    std::vector<float> data_;
    std::size_t offset_ = 0;  // where channel 0 starts in data_
    std::size_t stride_ = 0;  // floats from one channel's start to the next
    int numChannels_ = 0;
    std::int64_t numFrames_ = 0;
};

}  // namespace reel
