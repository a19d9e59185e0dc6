#include "core/audio_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

using namespace reel;

namespace {
/// Where a pointer falls within its 4 KiB page, in bytes.
std::int64_t placeInPage(const float* p) {
    return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(p) % 4096);
}

/// How far apart two places within a page are, around the page (0–2048 bytes).
std::int64_t distanceInPage(std::int64_t a, std::int64_t b) {
    const std::int64_t d = (a - b + 4096) % 4096;
    return d < 4096 - d ? d : 4096 - d;
}
}  // namespace

TEST(AudioBuffer, ChannelsHoldTheirFramesApartAndStartCleared) {
    AudioBuffer buffer(3, 1000);
    for (int c = 0; c < 3; ++c) {
        EXPECT_TRUE(std::all_of(buffer.channel(c), buffer.channel(c) + 1000, [](float v) { return v == 0.0f; }));
        std::fill_n(buffer.channel(c), 1000, static_cast<float>(c + 1));
    }
    for (int c = 0; c < 3; ++c)
        EXPECT_TRUE(std::all_of(buffer.channel(c), buffer.channel(c) + 1000,
                                [&](float v) { return v == static_cast<float>(c + 1); }));
    const AudioView view = buffer.view(10);
    EXPECT_EQ(view.numFrames(), 10);
    EXPECT_EQ(view.channel(2), buffer.channel(2));
}

// The channels of a buffer, and of two buffers allocated one after the other (a track's
// input and its output), start far apart within the 4 KiB page, so a loop that reads one
// and writes another never has a load match an earlier store in the address bits the CPU
// compares first (4K aliasing: the render's pan pass ran up to 6× slower when they were
// 16 bytes apart) — for any frame count and wherever the buffers fall in the cycle of
// places (a review found channels 0 bytes apart at 1520 frames and a pair 64 bytes apart
// where the first version's counter wrapped).
TEST(AudioBuffer, ChannelStartsAreStaggeredAcrossThePage) {
    for (std::int64_t frames : {1, 224, 256, 480, 512, 1000, 1520, 4096, 44100}) {
        std::vector<AudioBuffer> buffers;
        buffers.reserve(66);
        for (int i = 0; i < 66; ++i) buffers.emplace_back(2, frames);  // every place, and the wrap
        for (std::size_t b = 0; b + 1 < buffers.size(); ++b) {
            std::vector<std::int64_t> places;
            for (std::size_t k = b; k < b + 2; ++k)
                for (int c = 0; c < 2; ++c) {
                    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(buffers[k].channel(c)) % 64, 0u)
                        << "a cache line's start";
                    places.push_back(placeInPage(buffers[k].channel(c)));
                }
            for (std::size_t i = 0; i < places.size(); ++i)
                for (std::size_t j = i + 1; j < places.size(); ++j)
                    ASSERT_GE(distanceInPage(places[i], places[j]), 512)
                        << frames << " frames, buffers " << b << " and " << b + 1 << ", starts " << i << " and " << j;
        }
    }
}
