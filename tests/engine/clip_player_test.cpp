#include "engine/clip_player.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <bit>

#include "engine/engine_test_support.hpp"
#include "io/audio_file_reader.hpp"

using namespace reel;
using namespace reel::test;

namespace {

constexpr double kRate = 48000.0;
constexpr std::int64_t kBlock = 100;

session::Clip clipFrames(const std::filesystem::path& file, std::int64_t at, std::int64_t from, std::int64_t length) {
    session::Clip clip = clipOf(file, static_cast<double>(at) / kRate);
    clip.from = Seconds{static_cast<double>(from) / kRate};
    clip.length = Seconds{static_cast<double>(length) / kRate};
    return clip;
}

AudioBuffer decodeWhole(const std::filesystem::path& file) {
    auto reader = io::AudioFileReader::open(file);
    EXPECT_TRUE(reader) << reader.error().message;
    AudioBuffer whole(reader->info().channels, reader->info().numFrames.value);
    EXPECT_EQ(reader->read(whole.view()).value(), whole.numFrames());
    return whole;
}

/// Plays `clip` block by block onto `track` (which holds what the track had before).
Result<void> playOnto(AudioBuffer& track, const session::Clip& clip) {
    auto player = engine::ClipPlayer::create(clip, SampleRate{kRate});
    if (!player) return std::unexpected(player.error());
    AudioBuffer scratch(2, kBlock);
    for (std::int64_t start = 0; start < track.numFrames(); start += kBlock) {
        const std::int64_t n = std::min(kBlock, track.numFrames() - start);
        if (auto added = player->addTo(track.view().slice(start, n), FramePosition{start}, scratch); !added) return added;
    }
    return {};
}

}  // namespace

TEST(ClipPlayer, GainAndFadesApplyFrameExactlyAcrossBlocksAndAddOntoTheTrack) {
    // 100-frame blocks; the fades end and start mid-block, so blocks inside the fades, blocks
    // across their edges and blocks in the unity middle (decoded straight into the track)
    // meet. Every frame is checked against the envelope applied to the whole source at once.
    const auto dir = scratchDir("clip-player-envelope");
    const auto file = dir / "take.wav";
    writeFile(file, noise(3000, 2, 0.9, 4), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    const AudioBuffer source = decodeWhole(file);
    constexpr std::int64_t kAt = 480, kFrom = 96, kLength = 2000, kFadeIn = 250, kFadeOut = 130;
    for (const double gainDb : {0.0, -6.0}) {
        session::Clip clip = clipFrames(file, kAt, kFrom, kLength);
        clip.gain = Decibels{gainDb};
        clip.fadeIn = {Seconds{kFadeIn / kRate}, session::FadeCurve::linear};
        clip.fadeOut = {Seconds{kFadeOut / kRate}, session::FadeCurve::equalPower};
        const AudioBuffer before = staircase(2700, 2, 1.0f / 4096.0f, 0.25f);
        AudioBuffer track = before;
        ASSERT_TRUE(playOnto(track, clip));

        const engine::FadeEnvelope envelope(toGain(clip.gain).value, kLength, kFadeIn, clip.fadeIn.curve, kFadeOut,
                                            clip.fadeOut.curve);
        for (int c = 0; c < 2; ++c) {
            std::vector<float> played(source.channel(c) + kFrom, source.channel(c) + kFrom + kLength);
            envelope.apply(played.data(), 0, kLength);
            for (std::int64_t t = 0; t < track.numFrames(); ++t) {
                const bool inClip = t >= kAt && t < kAt + kLength;
                const float expected = before.channel(c)[t] + (inClip ? played[static_cast<std::size_t>(t - kAt)] : 0.0f);
                ASSERT_EQ(track.channel(c)[t], expected) << gainDb << " dB, frame " << t << ", channel " << c;
            }
        }
    }
}

TEST(ClipPlayer, MonoSourceAtUnityFeedsBothSidesOfAStereoTrack) {
    const auto dir = scratchDir("clip-player-mono");
    const auto file = dir / "mono.wav";
    writeFile(file, noise(1000, 1, 0.9, 5), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const AudioBuffer source = decodeWhole(file);
    const AudioBuffer before = staircase(1000, 2, 1.0f / 4096.0f, 0.25f);
    AudioBuffer track = before;
    ASSERT_TRUE(playOnto(track, clipFrames(file, 0, 0, 1000)));
    for (int c = 0; c < 2; ++c)
        for (std::int64_t t = 0; t < 1000; ++t)
            ASSERT_EQ(track.channel(c)[t], before.channel(c)[t] + source.channel(0)[t]) << "frame " << t << ", channel " << c;
}

TEST(ClipPlayer, TruncatedSourceAtUnityIsAnErrorNamingTheClipAndWhereTheDataEnds) {
    const auto dir = scratchDir("clip-player-truncated");
    const auto file = dir / "cut.wav";
    writeFile(file, noise(1000, 2, 0.5, 6), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 6 * 600);  // 400 whole frames left
    AudioBuffer track(2, 1000);
    auto played = playOnto(track, clipOf(file, 0.0));
    ASSERT_FALSE(played);
    EXPECT_EQ(played.error().code, ErrorCode::corruptData);
    EXPECT_EQ(played.error().message,
              "test.yaml:1:1: " + file.string() + ": truncated: header says 1000 frames, data ends at frame 400");
}

TEST(ClipPlayer, WritingOverATrackGivesTheBitsOfClearingItAndAdding) {
    // writeTo() lets the engine skip clearing a track for its first clip. Over leftover audio
    // it must give exactly what clearing and addTo() give: silence around the clip (which
    // starts and ends mid-block), and +0 where the clip has -0 (a float source's own -0, or a
    // negative sample times a fade's 0), which silence plus the sample turns into.
    const auto dir = scratchDir("clip-player-write");
    AudioBuffer audio = noise(1000, 2, 0.9, 8);
    for (int c = 0; c < 2; ++c) {
        audio.channel(c)[0] = -0.25f;  // the first frame of the faded clips
        for (std::int64_t i = 3; i < 1000; i += 50) audio.channel(c)[i] = -0.0f;
    }
    writeFile(dir / "int.wav", audio, static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_PCM_24);
    writeFile(dir / "float.wav", audio, static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    writeFile(dir / "mono.wav", noise(1000, 1, 0.9, 9), static_cast<int>(kRate), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    struct Case {
        const char* file;
        double fadeSeconds;
    };
    for (const Case c : {Case{"int.wav", 0.0}, Case{"float.wav", 0.0}, Case{"int.wav", 0.002}, Case{"float.wav", 0.002},
                         Case{"mono.wav", 0.0}}) {
        session::Clip clip = clipFrames(dir / c.file, 130, 0, 500);
        clip.fadeIn.length = clip.fadeOut.length = Seconds{c.fadeSeconds};
        auto writing = engine::ClipPlayer::create(clip, SampleRate{kRate});
        auto adding = engine::ClipPlayer::create(clip, SampleRate{kRate});
        ASSERT_TRUE(writing && adding);
        AudioBuffer written(2, kBlock), added(2, kBlock), scratch(2, kBlock);
        for (std::int64_t start = 0; start < 800; start += kBlock) {
            for (int ch = 0; ch < 2; ++ch) std::fill_n(written.channel(ch), kBlock, 7.0f);  // the last block's audio
            ASSERT_TRUE(writing->writeTo(written.view(), FramePosition{start}, scratch));
            added.view().clear();
            ASSERT_TRUE(adding->addTo(added.view(), FramePosition{start}, scratch));
            for (int ch = 0; ch < 2; ++ch)
                for (std::int64_t i = 0; i < kBlock; ++i)
                    ASSERT_EQ(std::bit_cast<std::uint32_t>(written.channel(ch)[i]),
                              std::bit_cast<std::uint32_t>(added.channel(ch)[i]))
                        << c.file << " fades " << c.fadeSeconds << "s, frame " << start + i << ", channel " << ch;
        }
    }
}

// Where the clip player may decode straight into the track: only where apply() would leave
// the samples as they are.
TEST(FadeEnvelope, LeavesUnchangedExactlyBetweenTheFadesAtUnityGain) {
    const engine::FadeEnvelope envelope(1.0, 1000, 100, session::FadeCurve::linear, 200, session::FadeCurve::equalPower);
    EXPECT_TRUE(envelope.leavesUnchanged(100, 700));   // frames 100..799: between the fades
    EXPECT_FALSE(envelope.leavesUnchanged(99, 10));    // frame 99 is the fade-in's last
    EXPECT_FALSE(envelope.leavesUnchanged(700, 101));  // frame 800 is the fade-out's first
    for (std::int64_t k : {100, 450, 799}) EXPECT_EQ(envelope.gainAt(k), 1.0) << k;
    EXPECT_LT(envelope.gainAt(99), 1.0);
    EXPECT_LT(envelope.gainAt(800), 1.0);
    const engine::FadeEnvelope quieter(0.5, 1000, 0, session::FadeCurve::linear, 0, session::FadeCurve::linear);
    EXPECT_FALSE(quieter.leavesUnchanged(0, 1000));  // a clip gain is applied everywhere
    const engine::FadeEnvelope plain(1.0, 1000, 0, session::FadeCurve::linear, 0, session::FadeCurve::linear);
    EXPECT_TRUE(plain.leavesUnchanged(0, 1000));
}
