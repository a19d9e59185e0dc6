#include "io/audio_file_reader.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "io/signal_checks.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::io;
using reel::test::readAll;

namespace {

// The number that follows `marker` in a message (-1 if the marker is missing).
std::int64_t numberAfter(const std::string& message, const std::string& marker) {
    const auto at = message.find(marker);
    return at == std::string::npos ? -1 : std::stoll(message.substr(at + marker.size()));
}

// --- lossless formats: every decoded sample equals the stored integer / 2^(bits-1) ---------

struct IntCase {
    const char* name;
    int format;
    int bits;
    const char* extension;
    const char* container;
    const char* encoding;
};

class ReadsIntegerFormat : public ::testing::TestWithParam<std::tuple<IntCase, int>> {};

TEST_P(ReadsIntegerFormat, EverySampleIsTheStoredIntegerOverFullScale) {
    const auto& [format, channels] = GetParam();
    const auto dir = test::scratchDir(std::string("int-") + format.name + std::to_string(channels));
    const auto path = dir / (std::string("take") + format.extension);
    const std::int64_t numFrames = 10007;  // not a multiple of the reader's block
    const double fullScale = std::ldexp(1.0, format.bits - 1);

    // A different sine per channel (proves the de-interleaving), touching both full-scale ends.
    std::vector<std::int32_t> stored(static_cast<std::size_t>(numFrames * channels));
    for (std::int64_t i = 0; i < numFrames; ++i)
        for (int c = 0; c < channels; ++c) {
            const double x = std::sin(2.0 * M_PI * (440.0 * (c + 1)) * static_cast<double>(i) / 44100.0);
            stored[static_cast<std::size_t>(i * channels + c)] =
                static_cast<std::int32_t>(std::clamp(std::round(x * fullScale), -fullScale, fullScale - 1.0));
        }
    test::writeIntFile(path, stored, channels, 44100, format.bits, format.format);

    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->info().channels, channels);
    EXPECT_EQ(reader->info().sampleRate, SampleRate{44100.0});
    EXPECT_EQ(reader->info().numFrames, FrameCount{numFrames});
    EXPECT_EQ(reader->info().container, format.container);
    EXPECT_EQ(reader->info().encoding, format.encoding);

    AudioBuffer out(channels, numFrames + 10);
    EXPECT_EQ(readAll(*reader, out, 1000), numFrames);
    for (int c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < numFrames; ++i) {
            const auto q = static_cast<float>(stored[static_cast<std::size_t>(i * channels + c)]);
            ASSERT_EQ(out.channel(c)[i], static_cast<float>(q / fullScale)) << "frame " << i << ", channel " << c;
        }
}

const IntCase kIntCases[] = {
    {"wav16", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16, ".wav", "WAV", "PCM 16-bit"},
    {"wav24", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 24, ".wav", "WAV", "PCM 24-bit"},
    {"wav32", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 32, ".wav", "WAV", "PCM 32-bit"},
    {"aiff16", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 16, ".aiff", "AIFF", "PCM 16-bit"},
    {"aiff24", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 24, ".aiff", "AIFF", "PCM 24-bit"},
    {"flac16", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16, ".flac", "FLAC", "PCM 16-bit"},
    {"flac24", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 24, ".flac", "FLAC", "PCM 24-bit"},
};

INSTANTIATE_TEST_SUITE_P(AudioFileReader, ReadsIntegerFormat,
                         ::testing::Combine(::testing::ValuesIn(kIntCases), ::testing::Values(1, 2)),
                         [](const auto& testParam) {
                             return std::string(std::get<0>(testParam.param).name) +
                                    (std::get<1>(testParam.param) == 1 ? "Mono" : "Stereo");
                         });

// --- float formats: values come back unchanged -----------------------------------------------

class ReadsFloatFormat : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(ReadsFloatFormat, SamplesComeBackUnchanged) {
    const auto& [format, channels] = GetParam();
    const auto dir = test::scratchDir("float-" + std::to_string(format) + "-" + std::to_string(channels));
    const auto path = dir / "take.wav";
    // Beyond full scale on purpose: float files may hold it and the reader must not clip.
    AudioBuffer in = test::noise(5000, channels, 1.5, 7);
    test::writeFile(path, in, 48000, format);

    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    AudioBuffer out(channels, 5000);
    EXPECT_EQ(readAll(*reader, out, 4096), 5000);
    for (int c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < 5000; ++i) ASSERT_EQ(out.channel(c)[i], in.channel(c)[i]);
}

INSTANTIATE_TEST_SUITE_P(AudioFileReader, ReadsFloatFormat,
                         ::testing::Combine(::testing::Values(SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                                                              SF_FORMAT_WAV | SF_FORMAT_DOUBLE),
                                            ::testing::Values(1, 2)),
                         [](const auto& testParam) {
                             return std::string((std::get<0>(testParam.param) & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT
                                                    ? "wavFloat32"
                                                    : "wavFloat64") +
                                    (std::get<1>(testParam.param) == 1 ? "Mono" : "Stereo");
                         });

TEST(AudioFileReader, ReportsFloatEncodings) {
    const auto dir = test::scratchDir("float-names");
    test::writeFile(dir / "f.wav", test::sine(100, 0.5, 48000, 100, 1), 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    test::writeFile(dir / "d.wav", test::sine(100, 0.5, 48000, 100, 1), 48000, SF_FORMAT_WAV | SF_FORMAT_DOUBLE);
    EXPECT_EQ(probeAudioFile(dir / "f.wav")->encoding, "float 32-bit");
    EXPECT_EQ(probeAudioFile(dir / "d.wav")->encoding, "float 64-bit");
}

// --- lossy formats: frequency and level survive ----------------------------------------------

class ReadsLossyFormat : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(ReadsLossyFormat, KeepsFrequencyAndLevelOfASine) {
    const auto& [format, channels] = GetParam();
    const bool mp3 = (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
    const auto dir = test::scratchDir(std::string(mp3 ? "mp3-" : "ogg-") + std::to_string(channels));
    const auto path = dir / (mp3 ? "take.mp3" : "take.ogg");
    const std::int64_t numFrames = 2 * 44100;
    // Channel 2 is half the level of channel 1, so a swap or a mixdown would show.
    AudioBuffer in = test::sine(1000.0, 0.5, 44100, numFrames, channels);
    if (channels == 2)
        for (std::int64_t i = 0; i < numFrames; ++i) in.channel(1)[i] *= 0.5f;
    try {
        test::writeFile(path, in, 44100, format);
    } catch (const std::exception& e) {
        GTEST_SKIP() << "this libsndfile cannot write " << (mp3 ? "MP3" : "Ogg Vorbis") << ": " << e.what();
    }
    if (std::filesystem::file_size(path) < 1000) GTEST_SKIP() << "this libsndfile wrote an empty " << path;

    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->info().container, mp3 ? "MP3" : "OGG");
    EXPECT_EQ(reader->info().encoding, mp3 ? "MPEG layer III" : "Vorbis");
    AudioBuffer out(channels, numFrames + 4096);
    const std::int64_t got = readAll(*reader, out, 1024);
    EXPECT_NEAR(static_cast<double>(got), static_cast<double>(numFrames), 2000.0);

    // The middle second: away from encoder delay and the final frame's padding.
    const std::int64_t begin = 22050, end = 66150;
    EXPECT_NEAR(test::zeroCrossingFrequency(out.channel(0), begin, end, 44100), 1000.0, 0.5);
    const double expectedDb = 20.0 * std::log10(0.5 / std::sqrt(2.0));
    EXPECT_NEAR(20.0 * std::log10(test::rms(out.channel(0), begin, end)), expectedDb, 0.5);
    if (channels == 2) {
        EXPECT_NEAR(20.0 * std::log10(test::rms(out.channel(1), begin, end)), expectedDb - 6.02, 0.5);
    }
}

INSTANTIATE_TEST_SUITE_P(
    AudioFileReader, ReadsLossyFormat,
    ::testing::Combine(::testing::Values(SF_FORMAT_OGG | SF_FORMAT_VORBIS, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III),
                       ::testing::Values(1, 2)),
    [](const auto& testParam) {
        return std::string((std::get<0>(testParam.param) & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG ? "oggVorbis" : "mp3") +
               (std::get<1>(testParam.param) == 1 ? "Mono" : "Stereo");
    });

TEST(AudioFileReader, CutMp3EndsEarlyWithoutATruncationError) {
    // Compressed formats get no length check: their frame counts may be estimates.
    const auto dir = test::scratchDir("mp3-cut");
    const auto path = dir / "take.mp3";
    try {
        test::writeFile(path, test::sine(1000.0, 0.5, 44100, 44100, 2), 44100,
                        SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
    } catch (const std::exception& e) {
        GTEST_SKIP() << "this libsndfile cannot write MP3: " << e.what();
    }
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    AudioBuffer out(2, 50000);
    auto got = reader->read(out.view());
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_LT(*got, 44100);
    EXPECT_GT(*got, 10000);
}

// --- seeking --------------------------------------------------------------------------------

TEST(AudioFileReader, SeekThenReadReturnsTheFramesFromThere) {
    const auto dir = test::scratchDir("seek");
    const auto path = dir / "stairs.wav";
    const std::int64_t numFrames = 10000;
    // Sample value = frame index / 2^16 (+1/4 on channel 2): exact in float and in the file.
    AudioBuffer stairs = test::staircase(numFrames, 2, 1.0f / 65536.0f, 0.25f);
    test::writeFile(path, stairs, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader);

    for (std::int64_t at : {5000, 0, 1, 4095, 4096, 9999, 123}) {
        ASSERT_TRUE(reader->seek(FramePosition{at}));
        AudioBuffer out(2, 300);
        auto got = reader->read(out.view());
        ASSERT_TRUE(got);
        ASSERT_EQ(*got, std::min<std::int64_t>(300, numFrames - at));
        for (std::int64_t i = 0; i < *got; ++i) {
            ASSERT_EQ(out.channel(0)[i], stairs.channel(0)[at + i]) << "after seek to " << at;
            ASSERT_EQ(out.channel(1)[i], stairs.channel(1)[at + i]) << "after seek to " << at;
        }
    }
    ASSERT_TRUE(reader->seek(FramePosition{numFrames}));
    AudioBuffer out(2, 10);
    EXPECT_EQ(reader->read(out.view()).value(), 0);
}

TEST(AudioFileReader, SeekPastTheEndIsAnError) {
    const auto dir = test::scratchDir("seek-past");
    test::writeFile(dir / "a.wav", test::sine(100, 0.5, 48000, 100, 1), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    auto reader = AudioFileReader::open(dir / "a.wav");
    ASSERT_TRUE(reader);
    auto r = reader->seek(FramePosition{101});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalidArgument);
    EXPECT_NE(r.error().message.find("a.wav"), std::string::npos);
    EXPECT_FALSE(reader->seek(FramePosition{-1}));
}

TEST(AudioFileReader, BlockSizeDoesNotChangeWhatIsRead) {
    const auto dir = test::scratchDir("blocks");
    const auto path = dir / "n.flac";
    AudioBuffer in = test::noise(9000, 2, 0.9, 3);
    test::writeFile(path, in, 48000, SF_FORMAT_FLAC | SF_FORMAT_PCM_24);
    AudioBuffer whole(2, 9000);
    {
        auto reader = AudioFileReader::open(path);
        ASSERT_EQ(readAll(*reader, whole, 9000), 9000);
    }
    for (std::int64_t block : {1, 7, 4095, 4097}) {
        auto reader = AudioFileReader::open(path);
        AudioBuffer out(2, 9000);
        ASSERT_EQ(readAll(*reader, out, block), 9000);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < 9000; ++i) ASSERT_EQ(out.channel(c)[i], whole.channel(c)[i]) << block;
    }
}

// --- Mix::add: the decoded samples are added to what the view holds ---------------------------

class AddsIntoTheView : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(AddsIntoTheView, EachSampleIsWhatWasTherePlusWhatReplacingReads) {
    // Every decode path: raw 16/24-bit WAV (decoded here), 32-bit and float WAV and FLAC
    // (converted by libsndfile, float checked for NaN/Inf).
    const auto& [format, channels] = GetParam();
    const auto dir = test::scratchDir("add-" + std::to_string(format) + "-" + std::to_string(channels));
    const auto path = dir / ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC ? "take.flac" : "take.wav");
    constexpr std::int64_t kFrames = 9001;  // past two of the reader's blocks, and not a multiple of 1000
    test::writeFile(path, test::noise(kFrames, channels, 0.9, 11), 48000, format);
    AudioBuffer replaced(channels, kFrames);
    {
        auto reader = AudioFileReader::open(path);
        ASSERT_TRUE(reader) << reader.error().message;
        ASSERT_EQ(readAll(*reader, replaced, 4096), kFrames);
    }
    // Frames past the end of the file stay as they were.
    const AudioBuffer before = test::staircase(kFrames + 10, channels, 1.0f / 1024.0f, 0.5f);
    AudioBuffer mixed = before;
    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    std::int64_t total = 0;
    while (true) {
        auto got = reader->read(mixed.view().slice(total, std::min<std::int64_t>(1000, kFrames + 10 - total)), Mix::add);
        ASSERT_TRUE(got) << got.error().message;
        if (*got == 0) break;
        total += *got;
    }
    EXPECT_EQ(total, kFrames);
    for (int c = 0; c < channels; ++c) {
        for (std::int64_t i = 0; i < kFrames; ++i)
            ASSERT_EQ(mixed.channel(c)[i], before.channel(c)[i] + replaced.channel(c)[i]) << "frame " << i << ", channel " << c;
        for (std::int64_t i = kFrames; i < kFrames + 10; ++i) ASSERT_EQ(mixed.channel(c)[i], before.channel(c)[i]);
    }
}

INSTANTIATE_TEST_SUITE_P(AudioFileReader, AddsIntoTheView,
                         ::testing::Combine(::testing::Values(SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_WAV | SF_FORMAT_PCM_24,
                                                              SF_FORMAT_WAV | SF_FORMAT_PCM_32, SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                                                              SF_FORMAT_FLAC | SF_FORMAT_PCM_24),
                                            ::testing::Values(1, 2)),
                         [](const auto& testParam) {
                             const int format = std::get<0>(testParam.param);
                             std::string name = (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC ? "flac" : "wav";
                             switch (format & SF_FORMAT_SUBMASK) {
                                 case SF_FORMAT_PCM_16: name += "16"; break;
                                 case SF_FORMAT_PCM_24: name += "24"; break;
                                 case SF_FORMAT_PCM_32: name += "32"; break;
                                 default: name += "Float32"; break;
                             }
                             return name + (std::get<1>(testParam.param) == 1 ? "Mono" : "Stereo");
                         });

TEST(AudioFileReader, ReadIntoTheWrongChannelCountIsAnError) {
    const auto dir = test::scratchDir("wrong-channels");
    test::writeFile(dir / "a.wav", test::sine(100, 0.5, 48000, 100, 2), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    auto reader = AudioFileReader::open(dir / "a.wav");
    AudioBuffer mono(1, 100);
    auto r = reader->read(mono.view());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalidArgument);
}

TEST(AudioFileReader, ProbeReadsTheHeader) {
    const auto dir = test::scratchDir("probe");
    test::writeFile(dir / "a.aiff", test::sine(100, 0.5, 96000, 48000, 2), 96000, SF_FORMAT_AIFF | SF_FORMAT_PCM_24);
    auto info = probeAudioFile(dir / "a.aiff");
    ASSERT_TRUE(info) << info.error().message;
    EXPECT_EQ(info->path, dir / "a.aiff");
    EXPECT_EQ(info->channels, 2);
    EXPECT_EQ(info->sampleRate, SampleRate{96000.0});
    EXPECT_EQ(info->numFrames, FrameCount{48000});
    EXPECT_DOUBLE_EQ(info->duration().value, 0.5);
    EXPECT_EQ(info->container, "AIFF");
    EXPECT_EQ(info->encoding, "PCM 24-bit");
}

// --- bad input: the right code, and a message naming the file -------------------------------

void expectError(const std::filesystem::path& path, ErrorCode code, const std::string& says) {
    auto r = AudioFileReader::open(path);
    ASSERT_FALSE(r) << path << " opened";
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().message.rfind(path.string() + ": ", 0), 0u) << r.error().message;
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
    auto p = probeAudioFile(path);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, code);
}

TEST(AudioFileReader, MissingFileIsFileNotFound) {
    const auto dir = test::scratchDir("missing");
    expectError(dir / "vox.wav", ErrorCode::fileNotFound, "file not found");
}

TEST(AudioFileReader, FolderIsUnreadable) {
    const auto dir = test::scratchDir("folder");
    std::filesystem::create_directory(dir / "takes.wav");
    expectError(dir / "takes.wav", ErrorCode::fileUnreadable, "is a folder");
}

TEST(AudioFileReader, TextRenamedWavIsAnUnsupportedFormat) {
    const auto dir = test::scratchDir("text");
    test::writeText(dir / "vox.wav", "title: not audio\nthis is a session file saved under the wrong name\n");
    expectError(dir / "vox.wav", ErrorCode::formatUnsupported,
                "not an audio file libsndfile can read (expected WAV, AIFF, FLAC, Ogg Vorbis or MP3)");
}

TEST(AudioFileReader, GarbageNamedMp3IsAnUnsupportedFormat) {
    const auto dir = test::scratchDir("garbage");
    std::string bytes(4000, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919u) >> 3);
    test::writeText(dir / "song.mp3", bytes);
    expectError(dir / "song.mp3", ErrorCode::formatUnsupported, "expected WAV");
}

TEST(AudioFileReader, EmptyFileIsAnUnsupportedFormat) {
    const auto dir = test::scratchDir("empty");
    test::writeText(dir / "vox.wav", "");
    expectError(dir / "vox.wav", ErrorCode::formatUnsupported, "empty (0 bytes)");
}

TEST(AudioFileReader, MoreChannelsThanReelCarriesIsUnsupported) {
    const auto dir = test::scratchDir("wide");
    SF_INFO info{};
    info.samplerate = 48000;
    info.channels = 10;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open((dir / "array.wav").c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    std::vector<float> frames(100 * 10, 0.1f);
    sf_writef_float(f, frames.data(), 100);
    sf_close(f);
    expectError(dir / "array.wav", ErrorCode::formatUnsupported, "has 10 channels; Reel reads at most 8");
}

// A valid file of 48000 frames with the second half of its bytes cut off.
class Truncated : public ::testing::TestWithParam<std::tuple<int, const char*>> {};

TEST_P(Truncated, ReadingPastTheDataIsCorruptDataNamingHeaderAndDataEnd) {
    const auto& [format, extension] = GetParam();
    const auto dir = test::scratchDir(std::string("truncated") + extension);
    const auto path = dir / (std::string("vox") + extension);
    test::writeFile(path, test::noise(48000, 2, 0.5, 5), 48000, format);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);

    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(reader->info().numFrames, FrameCount{48000});  // what the header says
    AudioBuffer out(2, 48000);
    auto r = reader->read(out.view());
    ASSERT_FALSE(r) << "read " << *r << " frames without an error";
    EXPECT_EQ(r.error().code, ErrorCode::corruptData);
    const std::string& m = r.error().message;
    EXPECT_EQ(m.rfind(path.string() + ": truncated: header says 48000 frames, data ends at frame ", 0), 0u) << m;
    const std::int64_t end = numberAfter(m, "data ends at frame ");
    EXPECT_GT(end, 10000) << m;
    EXPECT_LT(end, 48000) << m;
}

INSTANTIATE_TEST_SUITE_P(AudioFileReader, Truncated,
                         ::testing::Values(std::tuple{SF_FORMAT_WAV | SF_FORMAT_PCM_16, ".wav"},
                                           std::tuple{SF_FORMAT_AIFF | SF_FORMAT_PCM_24, ".aiff"},
                                           std::tuple{SF_FORMAT_FLAC | SF_FORMAT_PCM_16, ".flac"}),
                         [](const auto& testParam) { return std::string(std::get<1>(testParam.param) + 1); });

TEST(AudioFileReader, TruncatedWavReportsTheExactFrameWhereDataEnds) {
    const auto dir = test::scratchDir("truncated-exact");
    const auto path = dir / "vox.wav";
    test::writeFile(path, test::noise(1000, 2, 0.5, 5), 48000, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto size = std::filesystem::file_size(path);      // 44-byte header + 4 bytes per frame
    std::filesystem::resize_file(path, size - 4 * 600 - 2);  // 399 whole frames and half of one left
    auto reader = AudioFileReader::open(path);
    ASSERT_TRUE(reader);
    AudioBuffer out(2, 300);
    ASSERT_EQ(reader->read(out.view()).value(), 300);  // the frames that are there read fine
    auto r = reader->read(out.view());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, path.string() + ": truncated: header says 1000 frames, data ends at frame 399");
    EXPECT_EQ(reader->seek(FramePosition{800}).error().code, ErrorCode::corruptData);
}

class NonFinite : public ::testing::TestWithParam<float> {};

TEST_P(NonFinite, SampleIsCorruptDataNamingFrameAndChannel) {
    const auto dir = test::scratchDir("nonfinite");
    const auto path = dir / "vox.wav";
    AudioBuffer in = test::sine(440, 0.5, 48000, 5000, 2);
    in.channel(1)[1234] = GetParam();
    test::writeFile(path, in, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const std::string what = std::isnan(GetParam()) ? "NaN" : "infinite";
    for (const Mix mix : {Mix::replace, Mix::add}) {
        auto reader = AudioFileReader::open(path);
        ASSERT_TRUE(reader);
        AudioBuffer out(2, 1000);
        ASSERT_EQ(reader->read(out.view(), mix).value(), 1000);  // frames before it read fine
        auto r = reader->read(out.view(), mix);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::corruptData);
        EXPECT_EQ(r.error().message,
                  path.string() + ": sample at frame 1234, channel 2 is " + what + "; the source is corrupt");
    }
}

INSTANTIATE_TEST_SUITE_P(AudioFileReader, NonFinite,
                         ::testing::Values(std::numeric_limits<float>::quiet_NaN(),
                                           std::numeric_limits<float>::infinity(),
                                           -std::numeric_limits<float>::infinity()),
                         [](const auto& testParam) {
                             if (std::isnan(testParam.param)) return std::string("NaN");
                             return std::string(testParam.param > 0 ? "PlusInf" : "MinusInf");
                         });

TEST(AudioFileReader, MovedReaderKeepsReading) {
    const auto dir = test::scratchDir("moved");
    AudioBuffer stairs = test::staircase(100, 1);
    test::writeFile(dir / "a.wav", stairs, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto opened = AudioFileReader::open(dir / "a.wav");
    AudioFileReader reader = std::move(*opened);
    AudioBuffer out(1, 100);
    ASSERT_EQ(reader.read(out.view()).value(), 100);
    EXPECT_EQ(out.channel(0)[99], stairs.channel(0)[99]);
}

}  // namespace
