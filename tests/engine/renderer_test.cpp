#include <sndfile.h>

#include <array>
#include <cmath>
#include <cstring>
#include <numbers>

#include "dsp/fixed_delay.hpp"
#include "engine/engine_test_support.hpp"

using namespace reel;
using namespace reel::test;

namespace {

constexpr int kRate = 48000;
constexpr float kStep = 1.0f / 65536.0f;  // staircase: sample value = frame index · kStep

std::filesystem::path staircaseFile(const std::filesystem::path& dir, std::int64_t frames, int channels = 1) {
    auto path = dir / ("stairs" + std::to_string(channels) + ".wav");
    writeFile(path, staircase(frames, channels, kStep, 0.25f), kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return path;
}

std::filesystem::path constantFile(const std::filesystem::path& dir, const std::string& name, float value, std::int64_t frames) {
    AudioBuffer audio(1, frames);
    std::fill_n(audio.channel(0), frames, value);
    auto path = dir / name;
    writeFile(path, audio, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return path;
}

const double kCentre = std::cos(std::numbers::pi / 4.0);  // constant-power pan at centre: -3.01 dB

}  // namespace

TEST(Renderer, PlacesTrimmedClipAtItsFrameExactly) {
    auto dir = scratchDir("renderer-place");
    auto file = staircaseFile(dir, 10000);
    auto clip = clipOf(file, 100.0 / kRate);
    clip.from = Seconds{500.0 / kRate};
    clip.length = Seconds{1000.0 / kRate};
    auto mix = renderAll(sessionAt(kRate, {trackOf("stairs", {clip})}));
    ASSERT_EQ(mix.numFrames(), 1100);
    for (std::int64_t i = 0; i < 100; ++i) ASSERT_EQ(mix.channel(0)[i], 0.0f) << i;
    for (std::int64_t i = 0; i < 1000; ++i) {
        const double source = static_cast<double>(500 + i) * kStep;
        ASSERT_NEAR(mix.channel(0)[100 + i], source * kCentre, 1e-6) << i;
        ASSERT_NEAR(mix.channel(1)[100 + i], source * kCentre, 1e-6) << i;
    }
}

TEST(Renderer, LinearFadesRampFromAndToExactZero) {
    auto dir = scratchDir("renderer-fades");
    auto file = constantFile(dir, "one.wav", 1.0f, 4800);
    auto clip = clipOf(file, 0.0);
    clip.fadeIn = {Seconds{100.0 / kRate}, session::FadeCurve::linear};
    clip.fadeOut = {Seconds{200.0 / kRate}, session::FadeCurve::linear};
    auto track = trackOf("one", {clip});
    track.pan = -1.0;  // hard left: gain 1 on the left
    auto mix = renderAll(sessionAt(kRate, {track}));
    ASSERT_EQ(mix.numFrames(), 4800);
    for (int k = 0; k < 100; ++k) ASSERT_NEAR(mix.channel(0)[k], k / 100.0, 1e-6) << k;
    EXPECT_NEAR(mix.channel(0)[2400], 1.0, 1e-6);
    for (int k = 4600; k < 4800; ++k) ASSERT_NEAR(mix.channel(0)[k], (4799 - k) / 200.0, 1e-6) << k;
    EXPECT_EQ(mix.channel(1)[2400], 0.0f);  // hard left leaves nothing on the right
}

TEST(Renderer, EqualPowerFadeFollowsTheSineCurve) {
    auto dir = scratchDir("renderer-eqpower");
    auto file = constantFile(dir, "one.wav", 1.0f, 4800);
    auto clip = clipOf(file, 0.0);
    clip.fadeIn = {Seconds{480.0 / kRate}, session::FadeCurve::equalPower};
    auto track = trackOf("one", {clip});
    track.pan = -1.0;
    auto mix = renderAll(sessionAt(kRate, {track}));
    for (int k = 0; k < 480; k += 17) ASSERT_NEAR(mix.channel(0)[k], std::sin(k / 480.0 * std::numbers::pi / 2), 1e-6);
}

TEST(Renderer, ClipGainAndTrackVolumeMultiply) {
    auto dir = scratchDir("renderer-gain");
    auto file = constantFile(dir, "half.wav", 0.5f, 1000);
    auto clip = clipOf(file, 0.0);
    clip.gain = Decibels{-6.0};
    auto track = trackOf("half", {clip});
    track.volume = Decibels{+3.0};
    track.pan = 1.0;
    auto mix = renderAll(sessionAt(kRate, {track}));
    EXPECT_NEAR(mix.channel(1)[500], 0.5 * std::pow(10.0, -3.0 / 20.0), 1e-6);
    EXPECT_EQ(mix.channel(0)[500], 0.0f);
}

TEST(Renderer, MasterAddsItsTracksOneAfterAnotherInTrackOrder) {
    // Seven tracks into the master (the sum goes four taps per pass, then three): the result
    // must be the float sum taken one track after another. The values make any other order
    // or grouping round differently: 1 + 3e-8 rounds back to 1 each time, then 1 − 1 = 0
    // leaves only the last 3e-8, where summing the small ones first would keep 1.2e-7.
    auto dir = scratchDir("renderer-sum-order");
    const std::array<float, 7> values = {1.0f, 3e-8f, 3e-8f, 3e-8f, 3e-8f, -1.0f, 3e-8f};
    std::vector<session::Track> tracks;
    for (std::size_t t = 0; t < values.size(); ++t) {
        const std::string name = "t" + std::to_string(t);
        auto track = trackOf(name, {clipOf(constantFile(dir, name + ".wav", values[t], 1000), 0.0)});
        track.pan = -1.0;  // hard left: gain 1 on the left
        tracks.push_back(track);
    }
    auto mix = renderAll(sessionAt(kRate, tracks));
    float expected = 0.0f;
    for (float v : values) expected += v;
    EXPECT_EQ(expected, 3e-8f);
    EXPECT_EQ(mix.channel(0)[500], expected);
    EXPECT_EQ(mix.channel(1)[500], 0.0f);
}

TEST(Renderer, MonoPanIsConstantPower) {
    auto dir = scratchDir("renderer-pan");
    auto file = constantFile(dir, "one.wav", 1.0f, 100);
    for (double pan : {-1.0, -0.5, 0.0, 0.3, 1.0}) {
        auto track = trackOf("one", {clipOf(file, 0.0)});
        track.pan = pan;
        auto mix = renderAll(sessionAt(kRate, {track}));
        const double l = mix.channel(0)[50], r = mix.channel(1)[50];
        EXPECT_NEAR(l * l + r * r, 1.0, 1e-6) << pan;
        EXPECT_NEAR(l, std::cos((pan + 1) * std::numbers::pi / 4), 1e-6) << pan;
    }
}

TEST(Renderer, StereoSourceCentredPassesUnchanged) {
    auto dir = scratchDir("renderer-stereo");
    auto file = staircaseFile(dir, 2000, 2);  // right channel carries +0.25
    auto mix = renderAll(sessionAt(kRate, {trackOf("st", {clipOf(file, 0.0)})}));
    for (std::int64_t i = 0; i < 2000; i += 7) {
        ASSERT_FLOAT_EQ(mix.channel(0)[i], static_cast<float>(i) * kStep);
        ASSERT_FLOAT_EQ(mix.channel(1)[i], static_cast<float>(i) * kStep + 0.25f);
    }
}

TEST(Renderer, MuteSilencesAndSoloIsolates) {
    auto dir = scratchDir("renderer-mute");
    auto a = constantFile(dir, "a.wav", 0.25f, 100);
    auto b = constantFile(dir, "b.wav", 0.5f, 100);
    auto ta = trackOf("a", {clipOf(a, 0.0)});
    auto tb = trackOf("b", {clipOf(b, 0.0)});
    ta.pan = tb.pan = -1.0;
    tb.mute = true;
    EXPECT_NEAR(renderAll(sessionAt(kRate, {ta, tb})).channel(0)[10], 0.25, 1e-7);
    tb.mute = false;
    tb.solo = true;
    EXPECT_NEAR(renderAll(sessionAt(kRate, {ta, tb})).channel(0)[10], 0.5, 1e-7);
    tb.solo = false;
    EXPECT_NEAR(renderAll(sessionAt(kRate, {ta, tb})).channel(0)[10], 0.75, 1e-7);
}

TEST(Renderer, OutputIsBitIdenticalForAnyThreadCountAndBlockSize) {
    auto dir = scratchDir("renderer-determinism");
    std::vector<session::Track> tracks;
    for (int t = 0; t < 9; ++t) {
        auto path = dir / ("n" + std::to_string(t) + ".wav");
        writeFile(path, noise(30000 + 1000 * t, 1 + t % 2, 0.3, static_cast<unsigned>(t + 1)), kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
        auto clip = clipOf(path, 0.01 * t);
        clip.fadeIn.length = Seconds{0.05};
        auto track = trackOf("t" + std::to_string(t), {clip});
        track.pan = -0.8 + 0.2 * t;
        track.volume = Decibels{-1.0 * t};
        tracks.push_back(track);
    }
    auto s = sessionAt(kRate, tracks);
    auto reference = renderAll(s, {1, 4096});
    for (auto [threads, block] : std::vector<std::pair<int, int>>{{2, 4096}, {4, 4096}, {3, 1000}}) {
        auto other = renderAll(s, {threads, block});
        ASSERT_EQ(other.numFrames(), reference.numFrames());
        for (int c = 0; c < 2; ++c)
            ASSERT_EQ(0, std::memcmp(other.channel(c), reference.channel(c), sizeof(float) * reference.numFrames()))
                << threads << " threads, block " << block;
    }
}

// The paths the pipelined render changed: sends (pre and post fader) read the tracks'
// previous block, a bus feeds a bus, a bus and the master are keyed by tracks, a compressor's
// lookahead is delay-compensated, 24-bit stems decode straight into their tracks. Whatever
// the threads and blocks, the same bits.
TEST(Renderer, RoutedSessionIsBitIdenticalForAnyThreadCountAndBlockSize) {
    auto dir = scratchDir("renderer-routed-determinism");
    auto param = [](std::string text) { return session::ParamValue{std::move(text), {}, {}}; };
    auto keyedCompressor = [&](const std::string& key) {
        return session::ProcessorConfig{"compressor", {{"threshold", param("-30dB")}, {"sidechain", param(key)}}, {}};
    };
    std::vector<session::Track> tracks;
    for (int t = 0; t < 6; ++t) {
        auto path = dir / ("p" + std::to_string(t) + ".wav");
        writeFile(path, noise(20000 + 700 * t, 1 + t % 2, 0.4, static_cast<unsigned>(t + 11)), kRate,
                  SF_FORMAT_WAV | SF_FORMAT_PCM_24);
        auto clip = clipOf(path, 0.003 * t);
        if (t == 2) clip.fadeOut.length = Seconds{0.1};
        auto track = trackOf("t" + std::to_string(t), {clip});
        track.pan = -0.5 + 0.2 * t;
        tracks.push_back(track);
    }
    tracks[0].chain.push_back({"compressor", {{"lookahead", param("5ms")}, {"threshold", param("-20dB")}}, {}});
    tracks[1].sends.push_back({"Verb", Decibels{-3.0}, session::SendTap::preFader, {}});
    tracks[2].sends.push_back({"Verb", Decibels{-6.0}, session::SendTap::postFader, {}});
    tracks[0].sends.push_back({"Verb", Decibels{-6.0}, session::SendTap::postFader, {}});
    auto s = sessionAt(kRate, tracks);
    session::Bus verb;
    verb.name = "Verb";
    verb.chain.push_back({"reverb", {{"mix", param("100%")}, {"size", param("0.3")}}, {}});
    verb.sends.push_back({"Duck", Decibels{0.0}, session::SendTap::postFader, {}});
    session::Bus duck;
    duck.name = "Duck";
    duck.chain.push_back(keyedCompressor("t4"));
    s.buses = {verb, duck};
    s.master.chain.push_back(keyedCompressor("t5"));

    auto reference = renderAll(s, {1, 4096});
    for (auto [threads, block] : std::vector<std::pair<int, int>>{{2, 4096}, {2, 1000}, {3, 333}, {2, 64}}) {
        auto other = renderAll(s, {threads, block});
        ASSERT_EQ(other.numFrames(), reference.numFrames());
        for (int c = 0; c < 2; ++c)
            ASSERT_EQ(0, std::memcmp(other.channel(c), reference.channel(c), sizeof(float) * reference.numFrames()))
                << threads << " threads, block " << block;
    }
}

TEST(Renderer, ResamplesSourcesAtOtherRates) {
    auto dir = scratchDir("renderer-resample");
    auto path = dir / "tone44.wav";
    writeFile(path, sine(1000.0, 0.5, 44100.0, 44100, 1), 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto track = trackOf("tone", {clipOf(path, 0.0)});
    track.pan = -1.0;
    auto mix = renderAll(sessionAt(kRate, {track}));
    EXPECT_EQ(mix.numFrames(), 48000);
    // Zero crossings in the steady middle give the frequency: 1 kHz stays 1 kHz.
    int crossings = 0;
    for (std::int64_t i = 12000; i < 36000; ++i) crossings += (mix.channel(0)[i - 1] < 0) != (mix.channel(0)[i] < 0);
    EXPECT_NEAR(crossings, 1000, 2);
}

namespace {
/// A processor that only delays, and says so: stands in for any latency-introducing plugin.
class LatentDelay final : public dsp::Processor {
public:
    explicit LatentDelay(int frames) : delay_(frames) {}
    Result<void> prepare(const dsp::ProcessSpec& spec) override { return delay_.prepare(spec); }
    void process(AudioView io) noexcept override { delay_.process(io); }
    void reset() noexcept override { delay_.reset(); }
    int latency() const noexcept override { return delay_.delayFrames(); }

private:
    dsp::FixedDelay delay_;
};

/// The built-in processors plus "latent", a LatentDelay of `frames`.
engine::ProcessorFactory factoryWithLatency(int frames) {
    auto factory = engine::ProcessorFactory::builtIn();
    factory.add("latent", [frames](const engine::ProcessorContext&) -> Result<std::unique_ptr<dsp::Processor>> {
        return std::make_unique<LatentDelay>(frames);
    });
    return factory;
}

/// A track named "latent" playing `path` from 0 through "latent".
session::Track latentTrack(const std::filesystem::path& path) {
    auto track = trackOf("latent", {clipOf(path, 0.0)});
    track.chain.push_back({"latent", {}, {}});
    return track;
}
}  // namespace

TEST(Renderer, DelayCompensationKeepsLatentTrackAlignedSoInvertedTwinNulls) {
    auto dir = scratchDir("renderer-pdc");
    auto path = dir / "n.wav";
    writeFile(path, noise(20000, 1, 0.5, 7), kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto factory = factoryWithLatency(333);
    const auto latent = latentTrack(path);
    auto inverted = trackOf("inverted", {clipOf(path, 0.0)});
    inverted.chain.push_back({"utility", {{"invert", {"true", {}, {}}}}, {}});
    auto mix = renderAll(sessionAt(kRate, {latent, inverted}), {}, factory);
    ASSERT_EQ(mix.numFrames(), 20000);
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < mix.numFrames(); ++i) worst = std::max(worst, std::fabs(double(mix.channel(c)[i])));
    EXPECT_EQ(worst, 0.0);

    // Alone, the latent track comes out aligned with the timeline (latency trimmed).
    auto alone = renderAll(sessionAt(kRate, {latent}), {}, factory);
    auto source = readFile(path);
    for (std::int64_t i = 0; i < 20000; i += 13) ASSERT_NEAR(alone.channel(0)[i], source.channel(0)[i] * kCentre, 1e-6);
}

TEST(Renderer, SendsFeedBusesPreAndPostFader) {
    auto dir = scratchDir("renderer-sends");
    auto path = constantFile(dir, "one.wav", 1.0f, 1000);
    auto track = trackOf("src", {clipOf(path, 0.0)});
    track.pan = -1.0;
    track.volume = Decibels{-120.0};  // track itself nearly silent: what we hear comes via the buses
    track.sends.push_back({"Post", Decibels{0.0}, session::SendTap::postFader, {}});
    track.sends.push_back({"Pre", Decibels{-6.0}, session::SendTap::preFader, {}});
    auto s = sessionAt(kRate, {track});
    session::Bus post;
    post.name = "Post";
    session::Bus pre;
    pre.name = "Pre";
    s.buses = {post, pre};
    auto mix = renderAll(s);
    const double expected = 1e-6 + 1e-6 + std::pow(10.0, -6.0 / 20.0);  // track + post bus + pre bus
    EXPECT_NEAR(mix.channel(0)[500], expected, 1e-5);
    EXPECT_NEAR(mix.channel(1)[500], 0.0, 1e-6);
}

TEST(Renderer, BusFeedbackLoopIsRejectedNamingTheBuses) {
    auto s = sessionAt(kRate, {});
    session::Bus a, b;
    a.name = "Verb";
    b.name = "Echo";
    a.sends.push_back({"Echo", Decibels{0.0}, session::SendTap::postFader, {}});
    b.sends.push_back({"Verb", Decibels{0.0}, session::SendTap::postFader, {}});
    s.buses = {a, b};
    auto renderer = engine::Renderer::create(s, engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("Verb -> Echo -> Verb"), std::string::npos) << renderer.error().message;
}

TEST(Renderer, SendToMissingBusNamesItAndTheBusesThatExist) {
    auto track = trackOf("t", {});
    track.sends.push_back({"Plat", Decibels{0.0}, session::SendTap::postFader, {"song.yaml", 7, 14}});
    auto s = sessionAt(kRate, {track});
    session::Bus plate;
    plate.name = "Plate";
    s.buses = {plate};
    auto renderer = engine::Renderer::create(s, engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:7:14: send to \"Plat\""), std::string::npos) << renderer.error().message;
    EXPECT_NE(renderer.error().message.find("Plate"), std::string::npos);
}

TEST(Renderer, UnknownProcessorSuggestsTheClosestName) {
    auto track = trackOf("t", {});
    track.chain.push_back({"utilty", {}, {"song.yaml", 9, 9}});
    auto renderer = engine::Renderer::create(sessionAt(kRate, {track}), engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:9:9: unknown processor \"utilty\"; did you mean \"utility\"?"),
              std::string::npos)
        << renderer.error().message;
}

TEST(Renderer, UnknownParameterIsRejectedWithSuggestion) {
    auto track = trackOf("t", {});
    track.chain.push_back({"utility", {{"gian", {"-3dB", {"song.yaml", 4, 20}, {}}}}, {}});
    auto renderer = engine::Renderer::create(sessionAt(kRate, {track}), engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:4:20: utility: unknown parameter \"gian\"; did you mean \"gain\"?"),
              std::string::npos)
        << renderer.error().message;
}

TEST(Renderer, ClipPastTheEndOfItsSourceIsAnError) {
    auto dir = scratchDir("renderer-past-end");
    auto path = constantFile(dir, "short.wav", 0.1f, 4800);
    auto clip = clipOf(path, 0.0);
    clip.from = Seconds{0.05};
    clip.length = Seconds{0.1};
    auto renderer = engine::Renderer::create(sessionAt(kRate, {trackOf("t", {clip})}), engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("past the end"), std::string::npos) << renderer.error().message;
}

// renderBlock's `mixed` (render_to_file dithers there) gets the frames the call writes into
// out, in out itself, once per call that writes any, in order: none while a latency of more
// than a block is trimmed at the start, and what it changes is what the caller gets.
TEST(Renderer, MixedCallbackWorksOnEachBlocksFramesInPlace) {
    auto dir = scratchDir("renderer-mixed");
    auto path = dir / "n.wav";
    writeFile(path, noise(20000, 1, 0.5, 9), kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto factory = factoryWithLatency(5000);  // more than a block of 4096
    const auto session = sessionAt(kRate, {latentTrack(path)});
    const AudioBuffer reference = renderAll(session, {}, factory);

    auto renderer = engine::Renderer::create(session, factory, {});
    ASSERT_TRUE(renderer) << renderer.error().message;
    AudioBuffer block(2, (*renderer)->blockSize());
    std::int64_t at = 0;
    int calls = 0;
    std::vector<std::int64_t> seen;
    const std::function<void(AudioView)> mixed = [&](AudioView frames) {
        ++calls;
        seen.push_back(frames.numFrames());
        EXPECT_EQ(frames.channel(0), block.channel(0));
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < frames.numFrames(); ++i) frames.channel(c)[i] = -frames.channel(c)[i];
    };
    while (!(*renderer)->finished()) {
        const int before = calls;
        auto n = (*renderer)->renderBlock(block.view(), {}, mixed);
        ASSERT_TRUE(n) << n.error().message;
        ASSERT_EQ(calls - before, *n > 0 ? 1 : 0);
        if (*n > 0) {
            ASSERT_EQ(seen.back(), *n);
        }
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < *n; ++i)
                ASSERT_EQ(block.channel(c)[i], -reference.channel(c)[at + i]) << "frame " << at + i;
        at += *n;
    }
    EXPECT_EQ(at, reference.numFrames());
    // 25000 frames inside (the latency first): blocks of 4096 from 0, the first all latency.
    EXPECT_EQ(seen, (std::vector<std::int64_t>{3192, 4096, 4096, 4096, 4096, 424}));
}
