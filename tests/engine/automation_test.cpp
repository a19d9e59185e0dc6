#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <limits>

#include "engine/automation_lane.hpp"
#include "engine/engine_test_support.hpp"

using namespace reel;
using namespace reel::test;

namespace {

constexpr int kRate = 48000;

std::filesystem::path onesFile(const std::filesystem::path& dir, std::int64_t frames) {
    AudioBuffer audio(1, frames);
    std::fill_n(audio.channel(0), frames, 1.0f);
    auto path = dir / "ones.wav";
    writeFile(path, audio, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return path;
}

session::AutomationPoint point(double seconds, std::string value,
                               session::AutomationCurve curve = session::AutomationCurve::linear) {
    return {Seconds{seconds}, std::move(value), curve, {"song.yaml", 3, 7}};
}

session::AutomationLane lane(std::string param, std::vector<session::AutomationPoint> points) {
    return {std::move(param), std::move(points), {"song.yaml", 2, 5}};
}

session::Track hardLeft(const std::filesystem::path& file) {
    auto track = trackOf("t", {clipOf(file, 0.0)});
    track.pan = -1.0;
    return track;
}

}  // namespace

TEST(AutomationLane, LinearExponentialAndHoldCurves) {
    const dsp::ParameterInfo db{"volume", "dB", -144, 24, 0};
    auto linear = engine::AutomationLane::resolve(lane("volume", {point(0, "-20dB"), point(1, "0dB")}), db, SampleRate{1000});
    ASSERT_TRUE(linear);
    EXPECT_DOUBLE_EQ(linear->valueAt(-5), -20.0);  // before the first point: the first value
    EXPECT_DOUBLE_EQ(linear->valueAt(500), -10.0);
    EXPECT_DOUBLE_EQ(linear->valueAt(5000), 0.0);  // after the last: the last value

    auto exponential = engine::AutomationLane::resolve(
        lane("volume", {point(0, "-20dB", session::AutomationCurve::exponential), point(1, "0dB")}), db, SampleRate{1000});
    ASSERT_TRUE(exponential);
    EXPECT_NEAR(exponential->valueAt(500), 20 * std::log10((0.1 + 1.0) / 2), 1e-9);  // straight in amplitude

    const dsp::ParameterInfo hz{"frequency", "Hz", 20, 20000, 1000};
    auto geometric = engine::AutomationLane::resolve(
        lane("eq.f", {point(0, "100Hz", session::AutomationCurve::exponential), point(1, "10kHz")}), hz, SampleRate{1000});
    ASSERT_TRUE(geometric);
    EXPECT_NEAR(geometric->valueAt(500), 1000.0, 1e-6);  // half way in log frequency

    auto hold = engine::AutomationLane::resolve(
        lane("volume", {point(0, "-6dB", session::AutomationCurve::hold), point(1, "0dB")}), db, SampleRate{1000});
    ASSERT_TRUE(hold);
    EXPECT_DOUBLE_EQ(hold->valueAt(999), -6.0);
    EXPECT_DOUBLE_EQ(hold->valueAt(1000), 0.0);
}

TEST(AutomationLane, ValuesAreCheckedForUnitAndRange) {
    const dsp::ParameterInfo db{"gain", "dB", -120, 48, 0};
    auto noUnit = engine::AutomationLane::resolve(lane("utility.gain", {point(0, "-6")}), db, SampleRate{48000});
    ASSERT_FALSE(noUnit);
    EXPECT_NE(noUnit.error().message.find("song.yaml:3:7: utility.gain"), std::string::npos) << noUnit.error().message;
    EXPECT_NE(noUnit.error().message.find("-6dB"), std::string::npos);
    auto tooLoud = engine::AutomationLane::resolve(lane("utility.gain", {point(0, "60dB")}), db, SampleRate{48000});
    ASSERT_FALSE(tooLoud);
    EXPECT_NE(tooLoud.error().message.find("expected -120dB to 48dB"), std::string::npos) << tooLoud.error().message;
}

TEST(Automation, VolumeLaneFollowsTheCurveWithinBlocks) {
    auto dir = scratchDir("automation-volume");
    auto track = hardLeft(onesFile(dir, kRate));
    track.automation = {lane("volume", {point(0.25, "-40dB", session::AutomationCurve::exponential), point(0.75, "0dB")})};
    auto mix = renderAll(sessionAt(kRate, {track}), {1, 4096});
    // Amplitude is a straight line from 0.01 to 1 between 0.25 s and 0.75 s (exponential dB
    // curve), evaluated every 32 frames and ramped between: within a 32-frame step of slope.
    const double slope = (1.0 - 0.01) / (0.5 * kRate);
    for (int frame = 12000; frame < 36000; frame += 97) {
        const double expected = 0.01 + (frame - 12000) * slope;
        ASSERT_NEAR(mix.channel(0)[frame], expected, 40 * slope) << frame;
    }
    EXPECT_NEAR(mix.channel(0)[100], 0.01, 1e-6);   // before the first point
    EXPECT_NEAR(mix.channel(0)[40000], 1.0, 1e-6);  // after the last
    // Smooth: no jump between neighbouring frames bigger than the ramp's own slope allows.
    for (int frame = 1; frame < kRate; ++frame) ASSERT_LE(std::fabs(mix.channel(0)[frame] - mix.channel(0)[frame - 1]), 2 * slope);
}

TEST(Automation, ProcessorParameterLaneDrivesTheProcessor) {
    auto dir = scratchDir("automation-processor");
    auto track = hardLeft(onesFile(dir, kRate));
    track.chain.push_back({"utility", {}, {"song.yaml", 4, 9}});
    track.automation = {lane("utility.gain", {point(0, "0dB", session::AutomationCurve::hold), point(0.5, "-6dB")})};
    auto mix = renderAll(sessionAt(kRate, {track}));
    EXPECT_NEAR(mix.channel(0)[20000], 1.0, 1e-6);
    EXPECT_NEAR(mix.channel(0)[40000], std::pow(10.0, -6.0 / 20.0), 1e-5);  // after the utility's 20 ms glide
}

TEST(Automation, UnknownTargetsSuggestTheClosest) {
    auto dir = scratchDir("automation-unknown");
    auto track = hardLeft(onesFile(dir, 100));
    track.chain.push_back({"utility", {}, {}});
    track.automation = {lane("utility.gian", {point(0, "0dB")})};
    auto renderer = engine::Renderer::create(sessionAt(kRate, {track}), engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:2:5: utility has no automatable parameter \"gian\"; did you mean \"gain\"?"),
              std::string::npos)
        << renderer.error().message;
    track.automation = {lane("volum", {point(0, "0dB")})};
    renderer = engine::Renderer::create(sessionAt(kRate, {track}), engine::ProcessorFactory::builtIn());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("did you mean \"volume\"?"), std::string::npos) << renderer.error().message;
}

namespace {
/// Replaces its input with its sidechain key: proves what key the engine delivers.
class KeyEcho final : public dsp::Processor {
public:
    Result<void> prepare(const dsp::ProcessSpec&) override { return {}; }
    void process(AudioView io) noexcept override {
        for (int c = 0; c < io.numChannels(); ++c)
            for (std::int64_t i = 0; i < io.numFrames(); ++i) io.channel(c)[i] = key_.numFrames() ? key_.channel(c)[i] : 0.0f;
    }
    void reset() noexcept override {}
    bool acceptsSidechain() const noexcept override { return true; }
    void setSidechain(AudioView key) noexcept override { key_ = key; }

private:
    AudioView key_;
};

/// Emits NaN (or another value) on its first block, like a filter blowing up.
class BlowsUp final : public dsp::Processor {
public:
    BlowsUp() = default;
    BlowsUp(float value, int channel, std::int64_t frame) : value_(value), channel_(channel), frame_(frame) {}
    Result<void> prepare(const dsp::ProcessSpec&) override { return {}; }
    void process(AudioView io) noexcept override {
        if (!blown_) io.channel(channel_)[frame_] = value_;
        blown_ = true;
    }
    void reset() noexcept override { ++resets; }
    double tailSeconds() const noexcept override { return 0.5; }
    int resets = 0;

private:
    float value_ = std::numeric_limits<float>::quiet_NaN();
    int channel_ = 0;
    std::int64_t frame_ = 0;
    bool blown_ = false;
};

engine::ProcessorFactory testFactory() {
    auto factory = engine::ProcessorFactory::builtIn();
    factory.add("key_echo", [](const engine::ProcessorContext&) -> Result<std::unique_ptr<dsp::Processor>> {
        return std::make_unique<KeyEcho>();
    });
    factory.add("blows_up", [](const engine::ProcessorContext&) -> Result<std::unique_ptr<dsp::Processor>> {
        return std::make_unique<BlowsUp>();
    });
    return factory;
}

session::ProcessorConfig keyedBy(const std::string& source) {
    return {"key_echo", {{"sidechain", {source, {"song.yaml", 8, 30}, {}}}}, {"song.yaml", 8, 9}};
}
}  // namespace

TEST(Sidechain, ProcessorHearsTheKeyTrackBeforeItsFader) {
    auto dir = scratchDir("sidechain");
    AudioBuffer kick(1, 1000);
    for (int i = 0; i < 1000; ++i) kick.channel(0)[i] = 0.001f * static_cast<float>(i % 100);
    writeFile(dir / "kick.wav", kick, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto key = trackOf("Kick", {clipOf(dir / "kick.wav", 0.0)});
    key.pan = -1.0;
    key.volume = Decibels{-200.0};  // the fader doesn't touch the key (pre-fader)
    auto listener = trackOf("Bass", {clipOf(onesFile(dir, 1000), 0.0)});
    listener.chain.push_back(keyedBy("Kick"));
    // The listener comes first in the session: the engine must still render the kick first.
    auto mix = renderAll(sessionAt(kRate, {listener, key}), {2, 64}, testFactory());
    for (int i = 0; i < 1000; i += 7)
        ASSERT_NEAR(mix.channel(0)[i], kick.channel(0)[i] * std::sqrt(0.5) * 1.0, 1e-6) << i;  // key (pan L) → balance centre
}

// The master mixes a block while the tracks render the next one: its key must still be the
// block it mixes (a key a block late or early would show up as a shifted echo).
TEST(Sidechain, TheMasterHearsTheKeyOfTheBlockItMixes) {
    auto dir = scratchDir("sidechain-master");
    AudioBuffer kick(1, 1000);
    for (int i = 0; i < 1000; ++i) kick.channel(0)[i] = 0.001f * static_cast<float>(i % 100 + i / 100);
    writeFile(dir / "kick.wav", kick, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto key = trackOf("Kick", {clipOf(dir / "kick.wav", 0.0)});
    key.pan = -1.0;
    key.volume = Decibels{-200.0};  // only the key reaches the master's output
    auto song = sessionAt(kRate, {key});
    song.master.chain.push_back(keyedBy("Kick"));
    for (int block : {64, 1000, 4096}) {
        auto mix = renderAll(song, {2, block}, testFactory());
        for (int i = 0; i < 1000; ++i) {
            ASSERT_NEAR(mix.channel(0)[i], kick.channel(0)[i], 1e-6) << "block " << block << ", frame " << i;
            ASSERT_NEAR(mix.channel(1)[i], 0.0, 1e-6) << "block " << block << ", frame " << i;
        }
    }
}

TEST(Sidechain, LoopsAndUnknownSourcesAreRejected) {
    auto a = trackOf("A", {});
    auto b = trackOf("B", {});
    a.chain.push_back(keyedBy("B"));
    b.chain.push_back(keyedBy("A"));
    auto renderer = engine::Renderer::create(sessionAt(kRate, {a, b}), testFactory());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("sidechains form a loop: A -> B -> A"), std::string::npos) << renderer.error().message;

    b.chain = {keyedBy("Kik")};
    renderer = engine::Renderer::create(sessionAt(kRate, {b}), testFactory());
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:8:30: key_echo: sidechain \"Kik\" is not a track"), std::string::npos)
        << renderer.error().message;
}

TEST(Safety, InfinityOrNanAnywhereInABlockIsCaught) {
    // The check runs over whole vectors and a scalar remainder: values in either part (of a
    // mono track's one channel); and the largest finite float and the smallest denormal are not faults.
    auto dir = scratchDir("nan-anywhere");
    const float inf = std::numeric_limits<float>::infinity();
    struct Case {
        float value;
        int channel;
        std::int64_t frame;
        bool fault;
    };
    for (const Case c : {Case{inf, 0, 1020, true}, Case{-inf, 0, 517, true}, Case{std::nanf(""), 0, 1022, true},
                         Case{std::numeric_limits<float>::max(), 0, 3, false},
                         Case{std::numeric_limits<float>::denorm_min(), 0, 1021, false}}) {
        auto track = trackOf("t", {clipOf(onesFile(dir, 5000), 0.0)});
        track.chain.push_back({"blows_up", {}, {}});
        auto s = sessionAt(kRate, {track});
        auto factory = engine::ProcessorFactory::builtIn();
        factory.add("blows_up", [c](const engine::ProcessorContext&) -> Result<std::unique_ptr<dsp::Processor>> {
            return std::make_unique<BlowsUp>(c.value, c.channel, c.frame);
        });
        auto renderer = engine::Renderer::create(s, factory, {1, 1023});  // 1023: a remainder after the vectors
        ASSERT_TRUE(renderer);
        AudioBuffer block(2, 1023);
        while (!(*renderer)->finished()) ASSERT_TRUE((*renderer)->renderBlock(block.view()));
        EXPECT_EQ((*renderer)->faultReport(s).size(), c.fault ? 1u : 0u) << c.value << " at " << c.frame;
    }
}

TEST(Safety, ProcessorMakingNanIsResetSilencedAndReported) {
    auto dir = scratchDir("nan-guard");
    auto track = hardLeft(onesFile(dir, 10000));
    track.chain.push_back({"blows_up", {}, {}});
    auto s = sessionAt(kRate, {track});
    auto renderer = engine::Renderer::create(s, testFactory(), {1, 1024});
    ASSERT_TRUE(renderer);
    EXPECT_EQ((*renderer)->length().value, 10000 + kRate / 2);  // the tail is rendered too
    AudioBuffer block(2, 1024);
    std::vector<float> all;
    while (!(*renderer)->finished()) {
        auto n = (*renderer)->renderBlock(block.view());
        ASSERT_TRUE(n);
        all.insert(all.end(), block.channel(0), block.channel(0) + *n);
    }
    for (float x : all) ASSERT_TRUE(std::isfinite(x));
    EXPECT_EQ(all[0], 0.0f);       // the faulty block was silenced
    EXPECT_EQ(all[2000], 1.0f);    // and the next blocks play
    auto report = (*renderer)->faultReport(s);
    ASSERT_EQ(report.size(), 1u);
    EXPECT_NE(report[0].find("track \"t\": blows_up produced NaN/Inf at 0.000s (1 block)"), std::string::npos) << report[0];
}
