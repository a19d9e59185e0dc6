#include "engine/effects_processors.hpp"

#include <gtest/gtest.h>

#include <sndfile.h>

#include <cmath>

#include "dsp/chorus.hpp"
#include "dsp/delay.hpp"
#include "dsp/flanger.hpp"
#include "dsp/phaser.hpp"
#include "dsp/saturation.hpp"
#include "engine/engine_test_support.hpp"

using namespace reel;

namespace {

/// A chain entry as the session loader makes it, each value on its own line of "fx.yaml".
session::ProcessorConfig effectEntry(const std::string& type,
                                     std::initializer_list<std::pair<std::string, std::string>> params) {
    session::ProcessorConfig config;
    config.type = type;
    config.where = {"fx.yaml", 3, 7};
    int line = 4;
    for (const auto& [name, text] : params) {
        session::ParamValue value;
        value.text = text;
        value.where = {"fx.yaml", line++, 12};
        config.params[name] = value;
    }
    return config;
}

session::Session tempoSession(double tempo, int beatsPerBar = 4, int beatUnit = 4) {
    session::Session s;
    s.file = "fx.yaml";
    s.tempo = tempo;
    s.meter = {beatsPerBar, beatUnit};
    return s;
}

engine::ProcessorFactory effectsFactory() {
    engine::ProcessorFactory factory;
    engine::registerEffectsProcessors(factory);
    return factory;
}

template <class T>
const T* createAs(const session::ProcessorConfig& config, std::unique_ptr<dsp::Processor>& holder,
                  const session::Session& session = tempoSession(120.0)) {
    auto created = effectsFactory().create(config, session);
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    if (!created) return nullptr;
    holder = std::move(*created);
    return dynamic_cast<const T*>(holder.get());
}

std::string effectError(const session::ProcessorConfig& config, const session::Session& session = tempoSession(120.0)) {
    auto created = effectsFactory().create(config, session);
    EXPECT_FALSE(created);
    return created ? std::string() : created.error().message;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(EffectsProcessors, RegistersTheFamily) {
    const auto types = effectsFactory().types();
    for (const char* name : {"chorus", "delay", "flanger", "phaser", "saturation"})
        EXPECT_NE(std::find(types.begin(), types.end(), name), types.end()) << name;
}

TEST(EffectsProcessors, DelayFromTheBriefsExample) {
    std::unique_ptr<dsp::Processor> holder;
    const auto* delay = createAs<dsp::Delay>(
        effectEntry("delay", {{"time", "1/8."}, {"feedback", "35%"}, {"mix", "25%"}, {"ping_pong", "true"}, {"highcut", "5kHz"}}),
        holder);
    ASSERT_NE(delay, nullptr);
    EXPECT_DOUBLE_EQ(delay->params().time.value, 0.375);  // a dotted eighth at 120 bpm
    EXPECT_DOUBLE_EQ(delay->params().feedback, 0.35);
    EXPECT_DOUBLE_EQ(delay->params().mix, 0.25);
    EXPECT_EQ(delay->params().pingPong, dsp::PingPong::yes);
    EXPECT_DOUBLE_EQ(delay->params().highcut.value, 5000.0);
    EXPECT_DOUBLE_EQ(delay->params().lowcut.value, 20.0);  // off

    // The echo of an impulse comes back 18000 frames later at 48 kHz, on the left.
    ASSERT_TRUE(holder->prepare({48000.0, 4096, 2}));
    AudioBuffer io(2, 20480);
    io.channel(0)[0] = io.channel(1)[0] = 1.0f;
    for (std::int64_t at = 0; at < io.numFrames(); at += 4096) holder->process(io.view().slice(at, 4096));
    std::int64_t loudest = 1;
    for (std::int64_t i = 1; i < io.numFrames(); ++i)
        if (std::fabs(io.channel(0)[i]) > std::fabs(io.channel(0)[loudest])) loudest = i;
    EXPECT_GE(loudest, 18000 - 4);  // the 5 kHz low-pass spreads the echo over a few frames
    EXPECT_LE(loudest, 18000 + 4);
}

TEST(EffectsProcessors, DelayTimesFollowTempoAndMeter) {
    auto timeOf = [](const std::string& text, const session::Session& s) {
        std::unique_ptr<dsp::Processor> holder;
        const auto* delay = createAs<dsp::Delay>(effectEntry("delay", {{"time", text}}), holder, s);
        return delay ? delay->params().time.value : -1.0;
    };
    EXPECT_DOUBLE_EQ(timeOf("1/4", tempoSession(90.0)), 60.0 / 90.0);
    EXPECT_DOUBLE_EQ(timeOf("1/8t", tempoSession(120.0)), 1.0 / 6.0);
    EXPECT_DOUBLE_EQ(timeOf("1/16", tempoSession(120.0)), 0.125);
    EXPECT_DOUBLE_EQ(timeOf("1/8", tempoSession(120.0, 6, 8)), 0.5);  // 6/8: the tempo counts eighths
    EXPECT_DOUBLE_EQ(timeOf("375ms", tempoSession(120.0)), 0.375);
    EXPECT_DOUBLE_EQ(timeOf("0.25s", tempoSession(99.0)), 0.25);

    // No time: a quarter note at the session's tempo.
    std::unique_ptr<dsp::Processor> holder;
    const auto* delay = createAs<dsp::Delay>(effectEntry("delay", {}), holder, tempoSession(100.0));
    ASSERT_NE(delay, nullptr);
    EXPECT_DOUBLE_EQ(delay->params().time.value, 0.6);
}

TEST(EffectsProcessors, BadDelayTimesSayWhatIsWrongAndWhere) {
    auto e = effectError(effectEntry("delay", {{"time", "1/1"}}), tempoSession(30.0));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: delay: time \"1/1\" is 8s at 30 bpm in 4/4; expected 0.001s to 6s")) << e;
    e = effectError(effectEntry("delay", {{"time", "1/3"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: delay: time")) << e;
    EXPECT_TRUE(contains(e, "1/8. (dotted)")) << e;
    e = effectError(effectEntry("delay", {{"time", "375"}}));
    EXPECT_TRUE(contains(e, "has no unit")) << e;
    e = effectError(effectEntry("delay", {{"time", "7s"}}));
    EXPECT_TRUE(contains(e, "expected 0.001s to 6s")) << e;
}

TEST(EffectsProcessors, PercentagesAndRatiosAreChecked) {
    auto e = effectError(effectEntry("delay", {{"feedback", "100%"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: delay: feedback \"100%\" is out of range; expected 0% to 99% (or 0 to 0.99)")) << e;
    e = effectError(effectEntry("chorus", {{"mix", "loud"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: chorus: mix \"loud\" is not a percentage or a ratio")) << e;
    e = effectError(effectEntry("flanger", {{"feedback", "-96%"}}));
    EXPECT_TRUE(contains(e, "expected -95% to 95%")) << e;

    std::unique_ptr<dsp::Processor> holder;
    const auto* flanger = createAs<dsp::Flanger>(effectEntry("flanger", {{"feedback", "-0.4"}, {"mix", "0.3"}}), holder);
    ASSERT_NE(flanger, nullptr);
    EXPECT_DOUBLE_EQ(flanger->params().feedback, -0.4);
    EXPECT_DOUBLE_EQ(flanger->params().mix, 0.3);
}

TEST(EffectsProcessors, UnknownParametersSuggestTheClosest) {
    auto e = effectError(effectEntry("delay", {{"feedbak", "35%"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: delay: unknown parameter \"feedbak\"; did you mean \"feedback\"?")) << e;
    e = effectError(effectEntry("delay", {{"pingpong", "true"}}));
    EXPECT_TRUE(contains(e, "did you mean \"ping_pong\"?")) << e;
    e = effectError(effectEntry("phaser", {{"stage", "4"}}));
    EXPECT_TRUE(contains(e, "did you mean \"stages\"?")) << e;
    e = effectError(effectEntry("saturation", {{"curv", "tube"}}));
    EXPECT_TRUE(contains(e, "did you mean \"curve\"?")) << e;
}

TEST(EffectsProcessors, ChorusFlangerAndPhaserFromTheSession) {
    std::unique_ptr<dsp::Processor> holder;
    const auto* chorus = createAs<dsp::Chorus>(effectEntry("chorus", {{"rate", "0.8Hz"}, {"depth", "5ms"}, {"mix", "50%"}}), holder);
    ASSERT_NE(chorus, nullptr);
    EXPECT_DOUBLE_EQ(chorus->params().rate.value, 0.8);
    EXPECT_DOUBLE_EQ(chorus->params().depth.value, 0.005);
    EXPECT_DOUBLE_EQ(chorus->params().mix, 0.5);
    EXPECT_DOUBLE_EQ(chorus->params().delay.value, 0.012);  // default

    const auto* phaser = createAs<dsp::Phaser>(
        effectEntry("phaser", {{"rate", "0.3Hz"}, {"stages", "6"}, {"feedback", "40%"}, {"mix", "50%"}, {"spread", "180"}}),
        holder);
    ASSERT_NE(phaser, nullptr);
    EXPECT_EQ(phaser->params().stages, 6);
    EXPECT_DOUBLE_EQ(phaser->params().feedback, 0.4);
    EXPECT_DOUBLE_EQ(phaser->params().spreadDegrees, 180.0);

    auto e = effectError(effectEntry("phaser", {{"stages", "6.5"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: phaser: stages \"6.5\" should be a whole number")) << e;
    e = effectError(effectEntry("phaser", {{"stages", "13"}}));
    EXPECT_TRUE(contains(e, "expected 1 to 12")) << e;
    e = effectError(effectEntry("chorus", {{"depth", "30ms"}}));
    EXPECT_TRUE(contains(e, "depth \"30ms\" is out of range; expected 0s to 0.02s")) << e;
    e = effectError(effectEntry("flanger", {{"rate", "2"}}));
    EXPECT_TRUE(contains(e, "has no unit")) << e;
}

TEST(EffectsProcessors, SaturationFromTheSession) {
    std::unique_ptr<dsp::Processor> holder;
    const auto* sat = createAs<dsp::Saturation>(
        effectEntry("saturation", {{"curve", "tape"}, {"drive", "6dB"}, {"output", "-3dB"}, {"mix", "100%"}}), holder);
    ASSERT_NE(sat, nullptr);
    EXPECT_EQ(sat->params().curve, dsp::SaturationCurve::tape);
    EXPECT_DOUBLE_EQ(sat->params().drive.value, 6.0);
    EXPECT_DOUBLE_EQ(sat->params().output.value, -3.0);
    EXPECT_EQ(sat->params().oversampling, dsp::Oversampling::x16);
    ASSERT_TRUE(holder->prepare({48000.0, 512, 2}));
    EXPECT_EQ(holder->latency(), 138);

    sat = createAs<dsp::Saturation>(effectEntry("saturation", {{"curve", "hard"}, {"oversampling", "off"}}), holder);
    ASSERT_NE(sat, nullptr);
    EXPECT_EQ(sat->params().oversampling, dsp::Oversampling::off);
    ASSERT_TRUE(holder->prepare({48000.0, 512, 2}));
    EXPECT_EQ(holder->latency(), 0);

    auto e = effectError(effectEntry("saturation", {{"curve", "soft"}}));
    EXPECT_TRUE(contains(e, "fx.yaml:4:12: saturation: curve \"soft\" should be one of: tape, tube, hard")) << e;
    e = effectError(effectEntry("saturation", {{"oversampling", "3x"}}));
    EXPECT_TRUE(contains(e, "should be one of: off, 2x, 4x, 8x, 16x")) << e;
    e = effectError(effectEntry("saturation", {{"drive", "40dB"}}));
    EXPECT_TRUE(contains(e, "expected -12dB to 36dB")) << e;
}

TEST(EffectsProcessors, EveryParameterIsAutomatable) {
    // Each created processor lists its numeric parameters with units and ranges that
    // contain their defaults.
    for (const char* type : {"delay", "chorus", "flanger", "phaser", "saturation"}) {
        auto created = effectsFactory().create(effectEntry(type, {}), tempoSession(120.0));
        ASSERT_TRUE(created) << type;
        const auto params = (*created)->parameters();
        EXPECT_GE(params.size(), 3u) << type;
        for (const auto& p : params) {
            EXPECT_LE(p.min, p.defaultValue) << type << "." << p.name;
            EXPECT_LE(p.defaultValue, p.max) << type << "." << p.name;
        }
    }
}

TEST(EffectsProcessors, RenderedChainEchoesOnTheBeatAndRingsOut) {
    // A track with one quiet click, through `delay: {time: 1/8., mix: 50%}` and a (linear
    // at this level) 16x-oversampled saturation: the echo comes 375 ms = 18000 frames after
    // the click, the renderer compensates the saturation's latency, and the render runs on
    // past the clip for the delay's tail.
    auto dir = test::scratchDir("effects-render");
    AudioBuffer click(1, 4800);
    click.channel(0)[100] = 0.01f;
    const auto file = dir / "click.wav";
    test::writeFile(file, click, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto track = test::trackOf("fx", {test::clipOf(file, 0.0)});
    track.chain.push_back(effectEntry("delay", {{"time", "1/8."}, {"feedback", "0"}, {"mix", "50%"}}));
    track.chain.push_back(effectEntry("saturation", {{"drive", "-12dB"}}));
    auto session = test::sessionAt(48000.0, {track});
    session.tempo = 120.0;
    const auto out = test::renderAll(session, {}, effectsFactory());
    ASSERT_GT(out.numFrames(), 18100 + 1000);
    auto peakNear = [&](std::int64_t frame) {
        const std::int64_t from = std::max<std::int64_t>(0, frame - 200);
        std::int64_t best = from;
        for (std::int64_t i = from; i < frame + 200; ++i)
            if (std::fabs(out.channel(0)[i]) > std::fabs(out.channel(0)[best])) best = i;
        return best;
    };
    const auto dry = peakNear(100);
    EXPECT_EQ(dry, 100);  // latency compensated
    EXPECT_EQ(peakNear(18100) - dry, 18000);
    EXPECT_NEAR(out.channel(0)[peakNear(18100)] / out.channel(0)[dry], 1.0, 1e-3);  // 50/50 mix
}
