#include "io/resampling_reader.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>

#include "io/signal_checks.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::io;
using reel::test::readAll;

namespace {

std::filesystem::path writeSource(const std::string& name, const AudioBuffer& audio, int rate) {
    const auto dir = test::scratchDir("resampling-" + name);
    const auto path = dir / "source.wav";
    test::writeFile(path, audio, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return path;
}

// Music-like test content: a few partials and some noise, different on each channel.
AudioBuffer program(std::int64_t numFrames, double rate) {
    AudioBuffer out = test::noise(numFrames, 2, 0.05, 11);
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const double t = static_cast<double>(i) / rate;
        out.channel(0)[i] +=
            static_cast<float>(0.3 * std::sin(2 * M_PI * 220.0 * t) + 0.2 * std::sin(2 * M_PI * 3150.0 * t));
        out.channel(1)[i] +=
            static_cast<float>(0.4 * std::sin(2 * M_PI * 555.0 * t) + 0.1 * std::sin(2 * M_PI * 9000.0 * t));
    }
    return out;
}

TEST(ResamplingReader, Sine1kHzFrom44100To48000KeepsFrequencyLevelAndLength) {
    const auto path = writeSource("sine", test::sine(1000.0, 0.5, 44100.0, 2 * 44100, 2), 44100);
    auto reader = ResamplingReader::open(path, SampleRate{48000.0});
    ASSERT_TRUE(reader) << reader.error().message;
    ASSERT_EQ(reader->numFrames(), FrameCount{96000});
    EXPECT_EQ(reader->info().sampleRate, SampleRate{44100.0});  // the file's own rate

    AudioBuffer out(2, 100000);
    EXPECT_EQ(readAll(*reader, out, 1000), 96000);
    // The middle second; 1 kHz at 48 kHz is exactly 48 frames a period, so the RMS over whole
    // periods is A/√2 with no windowing error.
    for (int c = 0; c < 2; ++c) {
        const double levelDb = 20.0 * std::log10(test::rms(out.channel(c), 24000, 72000) / (0.5 / std::sqrt(2.0)));
        EXPECT_NEAR(levelDb, 0.0, 0.01) << "channel " << c;
        EXPECT_NEAR(test::zeroCrossingFrequency(out.channel(c), 24000, 72000, 48000.0), 1000.0, 0.01);
    }
}

TEST(ResamplingReader, ReturnsExactlyNumFramesForAnyLengthAndRatio) {
    for (auto [from, to] : {std::pair{44100, 48000}, {48000, 44100}, {96000, 44100}, {8000, 48000}}) {
        for (std::int64_t length : {1, 7, 1000, 44101}) {
            const auto path = writeSource("length", test::noise(length, 1, 0.5), from);
            auto reader = ResamplingReader::open(path, SampleRate{static_cast<double>(to)});
            ASSERT_TRUE(reader);
            const auto expected = std::llround(static_cast<double>(length) * to / from);
            EXPECT_EQ(reader->numFrames(), FrameCount{expected}) << length << " frames " << from << " -> " << to;
            AudioBuffer out(1, expected + 5000);
            EXPECT_EQ(readAll(*reader, out, 333), expected) << length << " frames " << from << " -> " << to;
            AudioBuffer more(1, 10);
            EXPECT_EQ(reader->read(more.view()).value(), 0);
        }
    }
}

TEST(ResamplingReader, PassesThroughBitExactAtTheFileRate) {
    AudioBuffer source = test::noise(20000, 2, 0.99, 4);
    const auto path = writeSource("same-rate", source, 48000);
    auto reader = ResamplingReader::open(path, SampleRate{48000.0});
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->numFrames(), FrameCount{20000});
    AudioBuffer out(2, 20000);
    ASSERT_EQ(readAll(*reader, out, 777), 20000);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 20000; ++i) ASSERT_EQ(out.channel(c)[i], source.channel(c)[i]);
}

// The clip player decodes same-rate sources straight into a track: Mix::add passes through
// to the file reader there; with a resampler in the way it is refused, not half done.
TEST(ResamplingReader, AddsIntoTheViewOnlyAtTheFileRate) {
    AudioBuffer source = test::noise(5000, 2, 0.5, 6);
    const auto path = writeSource("add", source, 48000);
    auto same = ResamplingReader::open(path, SampleRate{48000.0});
    ASSERT_TRUE(same);
    EXPECT_FALSE(same->resamples());
    AudioBuffer out(2, 5000);
    for (int c = 0; c < 2; ++c) std::fill_n(out.channel(c), 5000, 0.25f);
    ASSERT_EQ(same->read(out.view(), Mix::add).value(), 5000);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 5000; ++i) ASSERT_EQ(out.channel(c)[i], 0.25f + source.channel(c)[i]);

    auto resampling = ResamplingReader::open(path, SampleRate{44100.0});
    ASSERT_TRUE(resampling);
    EXPECT_TRUE(resampling->resamples());
    auto added = resampling->read(out.view(), Mix::add);
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, ErrorCode::invalidArgument);
}

TEST(ResamplingReader, SeekAtTheFileRateIsExact) {
    AudioBuffer stairs = test::staircase(9000, 2, 1.0f / 65536.0f, 0.5f);
    const auto path = writeSource("same-rate-seek", stairs, 48000);
    auto reader = ResamplingReader::open(path, SampleRate{48000.0});
    for (std::int64_t at : {4000, 0, 8999, 17}) {
        ASSERT_TRUE(reader->seek(FramePosition{at}));
        AudioBuffer out(2, 100);
        const auto got = reader->read(out.view()).value();
        ASSERT_EQ(got, std::min<std::int64_t>(100, 9000 - at));
        for (std::int64_t i = 0; i < got; ++i) ASSERT_EQ(out.channel(1)[i], stairs.channel(1)[at + i]);
    }
}

class SeekWhileResampling : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(SeekWhileResampling, ReadsWhatAReadFromTheStartReads) {
    const auto [from, to] = GetParam();
    const std::int64_t sourceFrames = 3 * from / 2;
    const auto path =
        writeSource("seek-" + std::to_string(from) + "-" + std::to_string(to), program(sourceFrames, from), from);
    auto reader = ResamplingReader::open(path, SampleRate{static_cast<double>(to)});
    ASSERT_TRUE(reader);
    const std::int64_t total = reader->numFrames().value;
    AudioBuffer whole(2, total);
    ASSERT_EQ(readAll(*reader, whole, 4096), total);

    double worst = 0.0;
    for (std::int64_t at : {std::int64_t{0}, std::int64_t{1}, std::int64_t{100}, std::int64_t{2047}, std::int64_t{5003},
                            total / 2, total - 3000, total - 1}) {
        ASSERT_TRUE(reader->seek(FramePosition{at}));
        AudioBuffer out(2, 2500);
        const auto got = readAll(*reader, out, 1000);
        ASSERT_EQ(got, std::min<std::int64_t>(2500, total - at)) << "after seek to " << at;
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < got; ++i)
                worst = std::max(worst, std::abs(double(out.channel(c)[i]) - whole.channel(c)[at + i]));
    }
    // 2^-20 ≈ -120 dBFS: below the 20-bit precision soxr's HQ setting promises.
    EXPECT_LT(worst, std::ldexp(1.0, -20)) << "worst difference " << worst;
}

INSTANTIATE_TEST_SUITE_P(ResamplingReader, SeekWhileResampling,
                         ::testing::Values(std::pair{44100, 48000}, std::pair{48000, 44100}, std::pair{96000, 44100},
                                           std::pair{22050, 48000}, std::pair{192000, 8000}, std::pair{8000, 96000}),
                         [](const auto& testParam) {
                             return "From" + std::to_string(testParam.param.first) + "To" +
                                    std::to_string(testParam.param.second);
                         });

TEST(ResamplingReader, SeekToTheEndThenReadReturnsNothing) {
    const auto path = writeSource("seek-end", test::noise(4410, 1, 0.5), 44100);
    auto reader = ResamplingReader::open(path, SampleRate{48000.0});
    ASSERT_TRUE(reader->seek(FramePosition{4800}));
    AudioBuffer out(1, 100);
    EXPECT_EQ(reader->read(out.view()).value(), 0);
    auto past = reader->seek(FramePosition{4801});
    ASSERT_FALSE(past);
    EXPECT_EQ(past.error().code, ErrorCode::invalidArgument);
    EXPECT_NE(past.error().message.find("source.wav"), std::string::npos);
}

TEST(ResamplingReader, ErrorsFromTheFileKeepTheirCodeAndName) {
    const auto dir = test::scratchDir("resampling-missing");
    auto missing = ResamplingReader::open(dir / "gone.wav", SampleRate{48000.0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::fileNotFound);
    EXPECT_NE(missing.error().message.find("gone.wav"), std::string::npos);

    AudioBuffer in = test::sine(440, 0.5, 44100, 20000, 1);
    in.channel(0)[15000] = NAN;
    test::writeFile(dir / "nan.wav", in, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto reader = ResamplingReader::open(dir / "nan.wav", SampleRate{48000.0});
    ASSERT_TRUE(reader);
    AudioBuffer out(1, 30000);
    auto r = reader->read(out.view());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::corruptData);
    EXPECT_NE(r.error().message.find("frame 15000, channel 1 is NaN"), std::string::npos) << r.error().message;
}

TEST(ResamplingReader, RejectsATargetRateThatIsNotPositive) {
    const auto path = writeSource("bad-rate", test::noise(100, 1, 0.5), 44100);
    EXPECT_EQ(ResamplingReader::open(path, SampleRate{0.0}).error().code, ErrorCode::invalidArgument);
}

}  // namespace
