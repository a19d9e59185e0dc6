#include "io/audio_file_writer.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>

#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::io;

namespace {

std::set<std::string> filesIn(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.insert(entry.path().filename().string());
    return names;
}

std::string bytesOf(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

int storedFormat(const std::filesystem::path& path) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) return 0;
    sf_close(f);
    return info.format;
}

Result<void> writeAll(const std::filesystem::path& path, const WriteSpec& spec, AudioBuffer& audio,
                      std::int64_t* clipped = nullptr) {
    auto writer = AudioFileWriter::create(path, spec);
    if (!writer) return std::unexpected(writer.error());
    // Uneven blocks, as a render delivers them.
    for (std::int64_t begin = 0; begin < audio.numFrames(); begin += 1000) {
        auto ok = writer->write(audio.view().slice(begin, std::min<std::int64_t>(1000, audio.numFrames() - begin)));
        if (!ok) return ok;
    }
    if (clipped) *clipped = writer->clippedSamples();
    EXPECT_EQ(writer->framesWritten(), audio.numFrames());
    return writer->commit();
}

struct FormatCase {
    const char* name;
    FileType type;
    SampleFormat format;
    const char* extension;
    int sndfileFormat;
};

const FormatCase kFormats[] = {
    {"wav16", FileType::wav, SampleFormat::pcm16, ".wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
    {"wav24", FileType::wav, SampleFormat::pcm24, ".wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
    {"wavFloat", FileType::wav, SampleFormat::float32, ".wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
    {"flac16", FileType::flac, SampleFormat::pcm16, ".flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
    {"flac24", FileType::flac, SampleFormat::pcm24, ".flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24},
};

class RoundTrip : public ::testing::TestWithParam<FormatCase> {};

TEST_P(RoundTrip, GridAlignedSamplesComeBackExactly) {
    const FormatCase& f = GetParam();
    const auto dir = test::scratchDir(std::string("grid-") + f.name);
    const auto path = dir / (std::string("mix") + f.extension);
    const int bits = bitsOf(f.format);
    // Every sample a whole number of LSBs, from −full scale to one step below full scale.
    AudioBuffer audio = test::noise(10000, 2, 1.0, 21);
    const double steps = std::ldexp(1.0, f.format == SampleFormat::float32 ? 23 : bits - 1);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 10000; ++i)
            audio.channel(c)[i] =
                static_cast<float>(std::min(std::round(audio.channel(c)[i] * steps), steps - 1) / steps);
    audio.channel(0)[0] = -1.0f;
    audio.channel(1)[0] = static_cast<float>((steps - 1) / steps);

    std::int64_t clipped = -1;
    auto ok = writeAll(path, WriteSpec{f.type, f.format, SampleRate{44100.0}, 2}, audio, &clipped);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(clipped, 0);
    EXPECT_EQ(storedFormat(path), f.sndfileFormat);

    int rate = 0;
    AudioBuffer back = test::readFile(path, &rate);
    EXPECT_EQ(rate, 44100);
    ASSERT_EQ(back.numChannels(), 2);
    ASSERT_EQ(back.numFrames(), 10000);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < 10000; ++i) ASSERT_EQ(back.channel(c)[i], audio.channel(c)[i]) << i;
}

TEST_P(RoundTrip, OffGridSamplesComeBackWithinHalfAnLsb) {
    const FormatCase& f = GetParam();
    const auto dir = test::scratchDir(std::string("offgrid-") + f.name);
    const auto path = dir / (std::string("mix") + f.extension);
    AudioBuffer audio = test::noise(5000, 1, 0.999, 5);
    ASSERT_TRUE(writeAll(path, WriteSpec{f.type, f.format, SampleRate{48000.0}, 1}, audio));
    AudioBuffer back = test::readFile(path);
    ASSERT_EQ(back.numFrames(), 5000);
    const double halfLsb = f.format == SampleFormat::float32 ? 0.0 : std::ldexp(1.0, -(bitsOf(f.format) - 1)) / 2.0;
    for (std::int64_t i = 0; i < 5000; ++i)
        ASSERT_LE(std::abs(double(back.channel(0)[i]) - audio.channel(0)[i]), halfLsb) << i;
}

INSTANTIATE_TEST_SUITE_P(AudioFileWriter, RoundTrip, ::testing::ValuesIn(kFormats),
                         [](const auto& testParam) { return std::string(testParam.param.name); });

TEST(AudioFileWriter, SaturatesAtFullScaleAndCountsTheClippedSamples) {
    const auto dir = test::scratchDir("clip");
    AudioBuffer audio(1, 6);
    // +1.0 is one step beyond the largest 16-bit value (32767/32768); −1.0 is representable.
    const float values[] = {1.0f, -1.0f, 1.5f, -1.5f, 0.5f, std::numeric_limits<float>::infinity()};
    std::copy(std::begin(values), std::end(values), audio.channel(0));
    std::int64_t clipped = 0;
    ASSERT_TRUE(writeAll(dir / "mix.wav", WriteSpec{FileType::wav, SampleFormat::pcm16, SampleRate{48000.0}, 1}, audio,
                         &clipped));
    EXPECT_EQ(clipped, 4);
    AudioBuffer back = test::readFile(dir / "mix.wav");
    const float top = 32767.0f / 32768.0f;
    const float expected[] = {top, -1.0f, top, -1.0f, 0.5f, top};
    for (int i = 0; i < 6; ++i) EXPECT_EQ(back.channel(0)[i], expected[i]) << i;
}

// Stereo integer blocks take a vectorized float path (quantizeStereo*), mono ones the
// per-sample loop: the same integers and the same clip count from both, and both equal to
// round(x · 2^(bits−1)) half away from zero, saturated, computed in double, at 16 and
// 24 bits, for every half step from 0 to 300 steps and near full scale and its float
// neighbours (just under half a step rounded up to 1 in float before 2026-11-25, as a
// review found), the extremes, values far beyond full scale, infinities, subnormals and
// random samples. A value in the left channel goes into the right one negated and halved.
TEST(AudioFileWriter, StereoAndMonoQuantizeAlike) {
    const auto dir = test::scratchDir("quantize-paths");
    for (const auto& [format, bits] : {std::pair{SampleFormat::pcm16, 16}, std::pair{SampleFormat::pcm24, 24}}) {
        const float step = std::ldexp(1.0f, 1 - bits);
        std::vector<float> values = {0.0f,
                                     -0.0f,
                                     0.25f,
                                     -0.75f,
                                     1.0f - step,
                                     -1.0f,
                                     1.0f,
                                     -1.0f - step,
                                     3.0f,
                                     -1e30f,
                                     1e30f,
                                     std::numeric_limits<float>::infinity(),
                                     -std::numeric_limits<float>::infinity(),
                                     1e-30f,
                                     1e-40f};
        auto aroundHalf = [&](double steps) {
            float v = static_cast<float>((steps + 0.5) * step);
            for (int k = 0; k < 2; ++k) v = std::nextafter(v, 0.0f);
            for (int k = 0; k < 5; ++k, v = std::nextafter(v, 2.0f)) values.insert(values.end(), {v, -v});
        };
        for (int k = 0; k <= 300; ++k) aroundHalf(k);
        for (double k : {1000.0, 12345.0, std::ldexp(1.0, bits - 1) - 2.0, std::ldexp(1.0, bits - 1) - 1.0})
            aroundHalf(k);
        std::mt19937 random(bits);
        std::uniform_real_distribution<float> uniform(-1.2f, 1.2f);
        for (int k = 0; k < 2000; ++k) values.push_back(uniform(random));
        const auto n = static_cast<std::int64_t>(values.size());
        AudioBuffer stereo(2, n), left(1, n), right(1, n);
        for (std::int64_t i = 0; i < n; ++i) {
            const float v = values[static_cast<std::size_t>(i)];
            stereo.channel(0)[i] = left.channel(0)[i] = v;
            stereo.channel(1)[i] = right.channel(0)[i] = -v * 0.5f;
        }
        std::int64_t clippedStereo = -1, clippedLeft = -1, clippedRight = -1;
        const auto spec = [&](int channels) { return WriteSpec{FileType::wav, format, SampleRate{48000.0}, channels}; };
        ASSERT_TRUE(writeAll(dir / "stereo.wav", spec(2), stereo, &clippedStereo));
        ASSERT_TRUE(writeAll(dir / "left.wav", spec(1), left, &clippedLeft));
        ASSERT_TRUE(writeAll(dir / "right.wav", spec(1), right, &clippedRight));
        EXPECT_EQ(clippedStereo, clippedLeft + clippedRight) << bits << " bits";
        EXPECT_GE(clippedLeft, 7);  // at least 1, −1 − step, 3, ±1e30, ±inf
        const AudioBuffer s = test::readFile(dir / "stereo.wav"), l = test::readFile(dir / "left.wav"),
                          r = test::readFile(dir / "right.wav");
        const double scale = std::ldexp(1.0, bits - 1);
        auto exact = [&](float x) {  // the integer sample as the math has it, back as a float
            const double q = std::clamp(std::round(static_cast<double>(x) * scale), -scale, scale - 1.0);
            return static_cast<float>(q / scale);
        };
        for (std::int64_t i = 0; i < n; ++i) {
            ASSERT_EQ(l.channel(0)[i], exact(values[static_cast<std::size_t>(i)]))
                << bits << " bits, value " << values[static_cast<std::size_t>(i)];
            ASSERT_EQ(s.channel(0)[i], l.channel(0)[i])
                << bits << " bits, value " << values[static_cast<std::size_t>(i)];
            ASSERT_EQ(s.channel(1)[i], r.channel(0)[i])
                << bits << " bits, value " << -values[static_cast<std::size_t>(i)] * 0.5f;
        }
        // Half a step rounds away from zero; just under it, to zero.
        const AudioBuffer halves = [&] {
            AudioBuffer b(2, 2);
            b.channel(0)[0] = 0.5f * step;
            b.channel(0)[1] = std::nextafter(0.5f * step, 0.0f);
            b.channel(1)[0] = -0.5f * step;
            b.channel(1)[1] = -std::nextafter(0.5f * step, 0.0f);
            return b;
        }();
        AudioBuffer written = halves;
        ASSERT_TRUE(writeAll(dir / "halves.wav", spec(2), written));
        const AudioBuffer back = test::readFile(dir / "halves.wav");
        EXPECT_EQ(back.channel(0)[0], step);
        EXPECT_EQ(back.channel(0)[1], 0.0f);
        EXPECT_EQ(back.channel(1)[0], -step);
        EXPECT_EQ(back.channel(1)[1], 0.0f);
    }
}

TEST(AudioFileWriter, FloatKeepsSamplesBeyondFullScale) {
    const auto dir = test::scratchDir("float-over");
    AudioBuffer audio(1, 3);
    audio.channel(0)[0] = 1.5f;
    audio.channel(0)[1] = -2.25f;
    audio.channel(0)[2] = 1e-30f;
    std::int64_t clipped = -1;
    ASSERT_TRUE(writeAll(dir / "mix.wav", WriteSpec{FileType::wav, SampleFormat::float32, SampleRate{48000.0}, 1},
                         audio, &clipped));
    EXPECT_EQ(clipped, 0);
    AudioBuffer back = test::readFile(dir / "mix.wav");
    EXPECT_EQ(back.channel(0)[0], 1.5f);
    EXPECT_EQ(back.channel(0)[1], -2.25f);
    EXPECT_EQ(back.channel(0)[2], 1e-30f);
}

TEST(AudioFileWriter, NanSampleFailsTheWriteAndLeavesNoFile) {
    const auto dir = test::scratchDir("nan");
    {
        auto writer = AudioFileWriter::create(dir / "mix.wav",
                                              WriteSpec{FileType::wav, SampleFormat::pcm24, SampleRate{48000.0}, 2});
        ASSERT_TRUE(writer);
        AudioBuffer audio = test::sine(440, 0.5, 48000, 100, 2);
        audio.channel(1)[42] = std::numeric_limits<float>::quiet_NaN();
        auto r = writer->write(audio.view());
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::invalidArgument);
        EXPECT_NE(r.error().message.find("mix.wav: sample at frame 42, channel 2 is NaN"), std::string::npos)
            << r.error().message;
        EXPECT_FALSE(writer->commit());
    }
    EXPECT_TRUE(filesIn(dir).empty());
}

TEST(AudioFileWriter, AbandonedWriterLeavesNoFileInTheFolder) {
    const auto dir = test::scratchDir("abandoned");
    {
        auto writer = AudioFileWriter::create(dir / "mix.flac",
                                              WriteSpec{FileType::flac, SampleFormat::pcm16, SampleRate{48000.0}, 2});
        ASSERT_TRUE(writer);
        AudioBuffer audio = test::noise(5000, 2, 0.5);
        ASSERT_TRUE(writer->write(audio.view()));
        EXPECT_EQ(filesIn(dir).size(), 1u);  // the temporary file, while writing
    }
    EXPECT_TRUE(filesIn(dir).empty());
}

TEST(AudioFileWriter, WritesIntoAHiddenTemporaryFileAndReplacesTheTargetOnlyOnCommit) {
    const auto dir = test::scratchDir("replace");
    const auto target = dir / "mix.wav";
    test::writeText(target, "the previous mix");
    auto writer =
        AudioFileWriter::create(target, WriteSpec{FileType::wav, SampleFormat::pcm24, SampleRate{48000.0}, 2});
    ASSERT_TRUE(writer);
    AudioBuffer audio = test::sine(440, 0.5, 48000, 4800, 2);
    ASSERT_TRUE(writer->write(audio.view()));

    const auto during = filesIn(dir);
    ASSERT_EQ(during.size(), 2u);
    EXPECT_EQ(bytesOf(target), "the previous mix");
    const std::string temp = *std::find_if(during.begin(), during.end(), [](const auto& n) { return n != "mix.wav"; });
    EXPECT_EQ(temp.rfind(".mix.wav.reel-", 0), 0u) << temp;
    EXPECT_EQ(temp.substr(temp.size() - 4), ".tmp") << temp;

    ASSERT_TRUE(writer->commit());
    EXPECT_EQ(filesIn(dir), std::set<std::string>{"mix.wav"});
    EXPECT_EQ(test::readFile(target).numFrames(), 4800);
    EXPECT_FALSE(writer->write(audio.view()));  // committed: nothing more goes in
}

TEST(AudioFileWriter, AbandonedWriterLeavesTheExistingTargetAlone) {
    const auto dir = test::scratchDir("keep-old");
    const auto target = dir / "mix.wav";
    test::writeText(target, "the previous mix");
    {
        auto writer =
            AudioFileWriter::create(target, WriteSpec{FileType::wav, SampleFormat::pcm16, SampleRate{48000.0}, 1});
        AudioBuffer audio = test::noise(100, 1, 0.5);
        ASSERT_TRUE(writer->write(audio.view()));
    }
    EXPECT_EQ(filesIn(dir), std::set<std::string>{"mix.wav"});
    EXPECT_EQ(bytesOf(target), "the previous mix");
}

TEST(AudioFileWriter, TwoWritersToOneTargetUseDistinctTemporaryFiles) {
    const auto dir = test::scratchDir("two");
    const WriteSpec spec{FileType::wav, SampleFormat::pcm16, SampleRate{48000.0}, 1};
    auto a = AudioFileWriter::create(dir / "mix.wav", spec);
    auto b = AudioFileWriter::create(dir / "mix.wav", spec);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(filesIn(dir).size(), 2u);
}

TEST(AudioFileWriter, MissingFolderIsAClearError) {
    const auto dir = test::scratchDir("no-folder");
    auto writer = AudioFileWriter::create(dir / "renders" / "mix.wav",
                                          WriteSpec{FileType::wav, SampleFormat::pcm24, SampleRate{48000.0}, 2});
    ASSERT_FALSE(writer);
    EXPECT_EQ(writer.error().code, ErrorCode::ioError);
    EXPECT_NE(writer.error().message.find((dir / "renders").string() + " does not exist"), std::string::npos)
        << writer.error().message;
    EXPECT_TRUE(filesIn(dir).empty());
}

TEST(AudioFileWriter, RejectsFloatFlacAndBadSpecs) {
    const auto dir = test::scratchDir("bad-spec");
    auto flac = AudioFileWriter::create(dir / "mix.flac",
                                        WriteSpec{FileType::flac, SampleFormat::float32, SampleRate{48000.0}, 2});
    ASSERT_FALSE(flac);
    EXPECT_NE(flac.error().message.find("FLAC holds 16 or 24 bits; use --bits 16 or 24"), std::string::npos);
    EXPECT_EQ(
        AudioFileWriter::create(dir / "a.wav", WriteSpec{FileType::wav, SampleFormat::pcm16, SampleRate{48000.0}, 0})
            .error()
            .code,
        ErrorCode::invalidArgument);
    EXPECT_EQ(
        AudioFileWriter::create(dir / "a.wav", WriteSpec{FileType::wav, SampleFormat::pcm16, SampleRate{44100.5}, 2})
            .error()
            .code,
        ErrorCode::invalidArgument);
    EXPECT_TRUE(filesIn(dir).empty());
}

TEST(AudioFileWriter, RejectsABlockOfTheWrongChannelCount) {
    const auto dir = test::scratchDir("wrong-block");
    auto writer =
        AudioFileWriter::create(dir / "a.wav", WriteSpec{FileType::wav, SampleFormat::pcm16, SampleRate{48000.0}, 2});
    AudioBuffer mono(1, 10);
    EXPECT_EQ(writer->write(mono.view()).error().code, ErrorCode::invalidArgument);
}

TEST(AudioFileWriter, FileTypeComesFromTheExtensionInAnyCase) {
    EXPECT_EQ(fileTypeFromPath("out/mix.wav").value(), FileType::wav);
    EXPECT_EQ(fileTypeFromPath("out/MIX.WAV").value(), FileType::wav);
    EXPECT_EQ(fileTypeFromPath("mix.FlAc").value(), FileType::flac);
}

TEST(AudioFileWriter, UnsupportedExtensionIsRejectedNamingThePathAndTheChoices) {
    for (const char* name : {"out/mix.mp3", "out/mix", "out/mix.wav.bak"}) {
        auto type = fileTypeFromPath(name);
        ASSERT_FALSE(type) << name;
        EXPECT_EQ(type.error().code, ErrorCode::invalidArgument);
        EXPECT_EQ(type.error().message.rfind(std::string(name) + ": ", 0), 0u) << type.error().message;
        EXPECT_NE(type.error().message.find(".wav or .flac"), std::string::npos) << type.error().message;
    }
}

TEST(AudioFileWriter, BitsChooseTheSampleFormat) {
    EXPECT_EQ(sampleFormatFromBits(16, FileType::wav).value(), SampleFormat::pcm16);
    EXPECT_EQ(sampleFormatFromBits(24, FileType::flac).value(), SampleFormat::pcm24);
    EXPECT_EQ(sampleFormatFromBits(32, FileType::wav).value(), SampleFormat::float32);
    auto flac32 = sampleFormatFromBits(32, FileType::flac);
    ASSERT_FALSE(flac32);
    EXPECT_EQ(flac32.error().message, "FLAC holds 16 or 24 bits; use --bits 16 or 24");
    EXPECT_EQ(sampleFormatFromBits(20, FileType::wav).error().code, ErrorCode::invalidArgument);
    EXPECT_EQ(bitsOf(SampleFormat::pcm16), 16);
    EXPECT_EQ(bitsOf(SampleFormat::pcm24), 24);
    EXPECT_EQ(bitsOf(SampleFormat::float32), 32);
}

}  // namespace

// MP3 (for `reel master -o x.mp3`): LAME through libsndfile at 320 kbps CBR, from float samples;
// decoded (mpg123) it has the rate, channels and length written and the level of the input.
TEST(AudioFileWriter, WritesMp3At320KbpsFromFloatSamples) {
    const auto dir = test::scratchDir("writer-mp3");
    AudioBuffer audio = test::sine(1000.0, 0.5, 44100.0, 44100 * 4, 2);
    ASSERT_TRUE(writeAll(dir / "mix.mp3", WriteSpec{FileType::mp3, SampleFormat::float32, SampleRate{44100.0}, 2}, audio));
    EXPECT_EQ(storedFormat(dir / "mix.mp3"), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III);
    EXPECT_NEAR(static_cast<double>(std::filesystem::file_size(dir / "mix.mp3")) * 8.0 / 4.0 / 1000.0, 320.0, 10.0);  // kbps
    int rate = 0;
    const AudioBuffer decoded = test::readFile(dir / "mix.mp3", &rate);
    EXPECT_EQ(rate, 44100);
    EXPECT_EQ(decoded.numChannels(), 2);
    EXPECT_NEAR(static_cast<double>(decoded.numFrames()), 44100.0 * 4, 1152.0);  // within one MP3 frame
    float peak = 0.0f;
    for (std::int64_t i = 4410; i < decoded.numFrames() - 4410; ++i) peak = std::max(peak, std::fabs(decoded.channel(0)[i]));
    EXPECT_NEAR(peak, 0.5f, 0.01f);
    EXPECT_EQ(filesIn(dir), (std::set<std::string>{"mix.mp3"}));

    auto integer = AudioFileWriter::create(dir / "x.mp3", WriteSpec{FileType::mp3, SampleFormat::pcm16, SampleRate{44100.0}, 2});
    ASSERT_FALSE(integer);
    EXPECT_EQ(integer.error().code, ErrorCode::invalidArgument);
}
