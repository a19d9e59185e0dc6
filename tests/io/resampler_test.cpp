#include "io/resampler.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "io/signal_checks.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::io;

namespace {

// Feeds `in` in blocks of `blockFrames`, then flushes; returns all output.
std::vector<std::vector<float>> convert(Resampler& r, AudioBuffer& in, std::int64_t blockFrames) {
    const int channels = in.numChannels();
    std::vector<std::vector<float>> out(static_cast<std::size_t>(channels));
    AudioBuffer chunk(channels, 1000);
    auto keep = [&](std::int64_t made) {
        for (int c = 0; c < channels; ++c)
            out[static_cast<std::size_t>(c)].insert(out[static_cast<std::size_t>(c)].end(), chunk.channel(c),
                                                    chunk.channel(c) + made);
    };
    for (std::int64_t begin = 0; begin < in.numFrames(); begin += blockFrames) {
        AudioView block = in.view().slice(begin, std::min(blockFrames, in.numFrames() - begin));
        while (block.numFrames() > 0) {
            auto p = r.process(block, chunk.view());
            EXPECT_TRUE(p);
            keep(p->outputMade);
            block = block.slice(p->inputUsed, block.numFrames() - p->inputUsed);
        }
    }
    for (;;) {
        auto p = r.process(AudioView{}, chunk.view());
        EXPECT_TRUE(p);
        if (p->outputMade == 0) break;
        keep(p->outputMade);
    }
    return out;
}

TEST(Resampler, OutputLengthFollowsTheRatioAfterTheFlush) {
    for (auto [inRate, outRate] :
         {std::pair{44100.0, 48000.0}, {48000.0, 44100.0}, {96000.0, 48000.0}, {22050.0, 48000.0}}) {
        auto r = Resampler::create(inRate, outRate, 2);
        ASSERT_TRUE(r) << r.error().message;
        AudioBuffer in = test::noise(30000, 2, 0.5);
        auto out = convert(*r, in, 4096);
        const double expected = 30000.0 * outRate / inRate;
        EXPECT_NEAR(static_cast<double>(out[0].size()), expected, 1.0) << inRate << " -> " << outRate;
    }
}

TEST(Resampler, KeepsA1kHzSineAtItsFrequencyAndLevel) {
    auto r = Resampler::create(44100.0, 48000.0, 1);
    ASSERT_TRUE(r);
    AudioBuffer in = test::sine(1000.0, 0.5, 44100.0, 44100, 1);
    auto out = convert(*r, in, 1000);
    ASSERT_EQ(out[0].size(), 48000u);
    // 1 kHz at 48 kHz is exactly 48 frames a period: the RMS over whole periods is A/√2.
    const double rmsDb = 20.0 * std::log10(test::rms(out[0].data(), 12000, 36000) / (0.5 / std::sqrt(2.0)));
    EXPECT_NEAR(rmsDb, 0.0, 0.01);
    EXPECT_NEAR(test::zeroCrossingFrequency(out[0].data(), 12000, 36000, 48000.0), 1000.0, 0.01);
}

TEST(Resampler, BlockSizeDoesNotChangeTheOutput) {
    AudioBuffer in = test::noise(20000, 2, 0.5, 9);
    auto reference = Resampler::create(44100.0, 48000.0, 2);
    auto whole = convert(*reference, in, 20000);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        auto r = Resampler::create(44100.0, 48000.0, 2);
        auto out = convert(*r, in, block);
        ASSERT_EQ(out[0].size(), whole[0].size()) << block;
        for (int c = 0; c < 2; ++c)
            for (std::size_t i = 0; i < out[0].size(); ++i)
                ASSERT_NEAR(out[static_cast<std::size_t>(c)][i], whole[static_cast<std::size_t>(c)][i], 1e-6f)
                    << "block " << block << ", frame " << i;
    }
}

TEST(Resampler, KeepsChannelsApart) {
    auto r = Resampler::create(48000.0, 44100.0, 2);
    AudioBuffer in(2, 9600);
    for (std::int64_t i = 0; i < 9600; ++i) {
        in.channel(0)[i] = 0.25f;
        in.channel(1)[i] = -0.5f;
    }
    auto out = convert(*r, in, 4096);
    // Away from the edges, where the filter sees the step from silence, DC passes unchanged.
    for (std::size_t i = 2000; i < 6000; ++i) {
        ASSERT_NEAR(out[0][i], 0.25f, 1e-4f);
        ASSERT_NEAR(out[1][i], -0.5f, 1e-4f);
    }
}

TEST(Resampler, ResetStartsAFreshStream) {
    AudioBuffer first = test::noise(5000, 1, 0.5, 1);
    AudioBuffer second = test::noise(5000, 1, 0.5, 2);
    auto used = Resampler::create(44100.0, 48000.0, 1);
    convert(*used, first, 4096);
    ASSERT_TRUE(used->reset());
    auto afterReset = convert(*used, second, 4096);
    auto fresh = Resampler::create(44100.0, 48000.0, 1);
    auto expected = convert(*fresh, second, 4096);
    ASSERT_EQ(afterReset[0].size(), expected[0].size());
    for (std::size_t i = 0; i < expected[0].size(); ++i) ASSERT_EQ(afterReset[0][i], expected[0][i]) << i;
}

TEST(Resampler, RejectsBadRatesAndChannelCounts) {
    EXPECT_EQ(Resampler::create(0.0, 48000.0, 2).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(Resampler::create(44100.0, -1.0, 2).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(Resampler::create(44100.0, NAN, 2).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(Resampler::create(44100.0, 48000.0, 0).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(Resampler::create(44100.0, 48000.0, kMaxChannels + 1).error().code, ErrorCode::invalidArgument);
}

TEST(Resampler, RejectsBuffersOfTheWrongChannelCount) {
    auto r = Resampler::create(44100.0, 48000.0, 2);
    AudioBuffer mono(1, 100);
    AudioBuffer stereo(2, 100);
    EXPECT_EQ(r->process(mono.view(), stereo.view()).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(r->process(stereo.view(), mono.view()).error().code, ErrorCode::invalidArgument);
}

}  // namespace
