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

// Every channel starts on a page boundary, whatever the frame count, so a loop that reads
// frame i of one buffer and writes frame i of another never has a load match an earlier
// store in the address bits the CPU compares first (4K aliasing: the render's pan pass ran
// up to 6× slower when a track's input and output were 16 bytes apart within the page, and
// staggered starts still put two streams 64 bytes apart, 2026-11-25).
TEST(AudioBuffer, EveryChannelStartsOnAPageBoundary) {
    for (std::int64_t frames : {1, 224, 256, 480, 512, 1000, 1024, 1520, 4096, 44100}) {
        std::vector<AudioBuffer> buffers;
        for (int i = 0; i < 3; ++i) buffers.emplace_back(2, frames);
        for (auto& b : buffers)
            for (int c = 0; c < 2; ++c) ASSERT_EQ(placeInPage(b.channel(c)), 0) << frames << " frames, channel " << c;
        // The channels do not overlap.
        EXPECT_GE(buffers[0].channel(1) - buffers[0].channel(0), frames);
    }
}
