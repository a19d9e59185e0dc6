#include "engine/dynamics_processors.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>

#include "dsp/compressor.hpp"
#include "dsp/de_esser.hpp"
#include "dsp/downward_expander.hpp"
#include "dsp/limiter.hpp"
#include "engine/engine_test_support.hpp"

using namespace reel;
using namespace reel::test;

namespace {

constexpr int kRate = 48000;

/// A chain entry as the session loader builds it: each value on line 3, columns counting up.
session::ProcessorConfig entry(const std::string& type, std::initializer_list<std::pair<std::string, std::string>> params) {
    session::ProcessorConfig config;
    config.type = type;
    config.where = {"song.yaml", 3, 9};
    int column = 20;
    for (const auto& [name, text] : params) {
        config.params[name] = session::ParamValue{text, {"song.yaml", 3, column}, {}, session::ParamShape::scalar};
        column += 20;
    }
    return config;
}

engine::ProcessorFactory dynamicsFactory() {
    engine::ProcessorFactory factory;
    engine::registerDynamicsProcessors(factory);
    return factory;
}

Result<std::unique_ptr<dsp::Processor>> create(const session::ProcessorConfig& config) {
    static const session::Session session;
    return dynamicsFactory().create(config, session);
}

template <class T>
const T& as(const std::unique_ptr<dsp::Processor>& p) {
    const T* typed = dynamic_cast<const T*>(p.get());
    EXPECT_NE(typed, nullptr);
    return *typed;
}

/// The error message of a config that must fail.
std::string errorOf(const session::ProcessorConfig& config) {
    auto made = create(config);
    EXPECT_FALSE(made) << config.type << " was accepted";
    return made ? std::string() : made.error().message;
}

}  // namespace

TEST(DynamicsProcessors, RegistersTheFamily) {
    const auto types = dynamicsFactory().types();
    EXPECT_EQ(types, (std::vector<std::string>{"compressor", "de_esser", "expander", "gate", "limiter"}));
}

TEST(DynamicsProcessors, CompressorTakesTheFullSyntax) {
    auto config = entry("compressor", {{"threshold", "-18dB"}, {"ratio", "3"}, {"attack", "10ms"}, {"release", "120ms"},
                                       {"knee", "6dB"}, {"makeup", "auto"}, {"detection", "rms"}, {"link", "100%"},
                                       {"lookahead", "5ms"}, {"sidechain", "Kick"}, {"sidechain_highpass", "100Hz"}});
    auto made = create(config);
    ASSERT_TRUE(made) << made.error().message;
    const auto& c = as<dsp::Compressor>(*made);
    EXPECT_EQ(c.params().threshold.value, -18.0);
    EXPECT_EQ(c.params().ratio, 3.0);
    EXPECT_NEAR(c.params().attack.value, 0.010, 1e-12);
    EXPECT_NEAR(c.params().release.value, 0.120, 1e-12);
    EXPECT_EQ(c.params().knee.value, 6.0);
    EXPECT_EQ(c.params().makeupMode, dsp::MakeupMode::automatic);
    EXPECT_EQ(c.params().detection, dsp::LevelDetection::rms);
    EXPECT_EQ(c.params().link, 1.0);
    EXPECT_NEAR(c.params().lookahead.value, 0.005, 1e-12);
    EXPECT_EQ(c.params().keying, dsp::Keying::external);
    EXPECT_EQ(c.params().sidechainHighpass.value, 100.0);
    EXPECT_TRUE((*made)->acceptsSidechain());
    ASSERT_TRUE((*made)->prepare({48000.0, 512, 2}));
    EXPECT_EQ((*made)->latency(), 240);
}

TEST(DynamicsProcessors, CompressorTakesTheDesignSketchAndDefaultsTheRest) {
    auto config = entry("compressor", {{"threshold", "-18dB"}, {"ratio", "3"}, {"attack", "10ms"}, {"release", "120ms"}});
    auto made = create(config);
    ASSERT_TRUE(made) << made.error().message;
    const auto& c = as<dsp::Compressor>(*made);
    EXPECT_EQ(c.params().knee.value, 6.0);
    EXPECT_EQ(c.params().makeupMode, dsp::MakeupMode::manual);
    EXPECT_EQ(c.params().makeup.value, 0.0);
    EXPECT_EQ(c.params().detection, dsp::LevelDetection::peak);
    EXPECT_EQ(c.params().keying, dsp::Keying::input);
    EXPECT_FALSE((*made)->acceptsSidechain());
    ASSERT_TRUE((*made)->prepare({48000.0, 512, 2}));
    EXPECT_EQ((*made)->latency(), 0);
}

TEST(DynamicsProcessors, CompressorReadsLinkAsPercentOrFractionAndMakeupInDb) {
    auto made = create(entry("compressor", {{"link", "50%"}, {"makeup", "4.5dB"}, {"sidechain_highpass", "off"}}));
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(as<dsp::Compressor>(*made).params().link, 0.5);
    EXPECT_EQ(as<dsp::Compressor>(*made).params().makeup.value, 4.5);
    EXPECT_EQ(as<dsp::Compressor>(*made).params().sidechainHighpass.value, 0.0);
    made = create(entry("compressor", {{"link", "0.25"}}));
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(as<dsp::Compressor>(*made).params().link, 0.25);
}

TEST(DynamicsProcessors, GateExpanderDeEsserAndLimiterTakeTheirSyntax) {
    auto gate = create(entry("gate", {{"threshold", "-50dB"}, {"range", "-80dB"}, {"attack", "1ms"}, {"hold", "20ms"}, {"release", "100ms"}}));
    ASSERT_TRUE(gate) << gate.error().message;
    const auto& g = as<dsp::DownwardExpander>(*gate);
    EXPECT_EQ(g.kind(), dsp::DownwardExpander::Kind::gate);
    EXPECT_EQ(g.params().range.value, -80.0);
    EXPECT_NEAR(g.params().hold.value, 0.020, 1e-12);
    EXPECT_EQ(g.params().ratio, 100.0);

    auto expander = create(entry("expander", {{"threshold", "-40dB"}, {"ratio", "2"}}));
    ASSERT_TRUE(expander) << expander.error().message;
    EXPECT_EQ(as<dsp::DownwardExpander>(*expander).kind(), dsp::DownwardExpander::Kind::expander);
    EXPECT_EQ(as<dsp::DownwardExpander>(*expander).params().ratio, 2.0);

    auto keyed = create(entry("gate", {{"sidechain", "Snare"}, {"sidechain_highpass", "200Hz"}, {"link", "0%"}}));
    ASSERT_TRUE(keyed) << keyed.error().message;
    EXPECT_TRUE((*keyed)->acceptsSidechain());
    EXPECT_EQ(as<dsp::DownwardExpander>(*keyed).params().link, 0.0);

    auto deEsser = create(entry("de_esser", {{"frequency", "6kHz"}, {"threshold", "-30dB"}, {"reduction", "-8dB"}}));
    ASSERT_TRUE(deEsser) << deEsser.error().message;
    EXPECT_EQ(as<dsp::DeEsser>(*deEsser).params().frequency.value, 6000.0);
    EXPECT_EQ(as<dsp::DeEsser>(*deEsser).params().reduction.value, -8.0);
    EXPECT_EQ(as<dsp::DeEsser>(*deEsser).params().listen, dsp::Listen::off);

    auto limiter = create(entry("limiter", {{"ceiling", "-1dB"}, {"release", "50ms"}, {"lookahead", "2ms"}}));
    ASSERT_TRUE(limiter) << limiter.error().message;
    EXPECT_EQ(as<dsp::Limiter>(*limiter).params().ceiling.value, -1.0);
    ASSERT_TRUE((*limiter)->prepare({48000.0, 512, 2}));
    EXPECT_EQ((*limiter)->latency(), 96);
}

TEST(DynamicsProcessors, OutOfRangeValuesSayTheRangeAndWhere) {
    EXPECT_EQ(errorOf(entry("compressor", {{"ratio", "200"}})),
              "song.yaml:3:20: compressor: ratio \"200\" is out of range; expected 1 to 100");
    EXPECT_NE(errorOf(entry("compressor", {{"threshold", "-100dB"}})).find("expected -80dB to 0dB"), std::string::npos);
    EXPECT_EQ(errorOf(entry("compressor", {{"link", "150%"}})),
              "song.yaml:3:20: compressor: link \"150%\" is out of range; expected 0% to 100% (or 0 to 1)");
    EXPECT_NE(errorOf(entry("compressor", {{"link", "most"}})).find("link \"most\" should be a percentage"), std::string::npos);
    EXPECT_NE(errorOf(entry("compressor", {{"lookahead", "50ms"}})).find("expected 0s to 0.02s"), std::string::npos);
    EXPECT_NE(errorOf(entry("compressor", {{"detection", "average"}})).find("should be one of: peak, rms"), std::string::npos);
    EXPECT_NE(errorOf(entry("compressor", {{"makeup", "loud"}})).find("song.yaml:3:20: compressor: makeup"), std::string::npos);
    EXPECT_NE(errorOf(entry("gate", {{"range", "10dB"}})).find("expected -120dB to 0dB"), std::string::npos);
    EXPECT_NE(errorOf(entry("limiter", {{"ceiling", "+1dB"}})).find("expected -24dB to 0dB"), std::string::npos);
    EXPECT_NE(errorOf(entry("de_esser", {{"frequency", "500Hz"}})).find("expected 1000Hz to 16000Hz"), std::string::npos);
    EXPECT_NE(errorOf(entry("compressor", {{"threshold", "-18"}})).find("threshold"), std::string::npos);  // no unit
}

TEST(DynamicsProcessors, UnknownNamesGetTheClosestSuggestion) {
    EXPECT_EQ(errorOf(entry("compressor", {{"treshold", "-18dB"}})),
              "song.yaml:3:20: compressor: unknown parameter \"treshold\"; did you mean \"threshold\"?");
    EXPECT_NE(errorOf(entry("compressor", {{"sidechian", "Kick"}})).find("did you mean \"sidechain\"?"), std::string::npos);
    EXPECT_NE(errorOf(entry("compressor", {{"lnik", "50%"}})).find("did you mean \"link\"?"), std::string::npos);
    EXPECT_NE(errorOf(entry("gate", {{"hodl", "5ms"}})).find("did you mean \"hold\"?"), std::string::npos);
    EXPECT_NE(errorOf(entry("limiter", {{"celing", "-1dB"}})).find("did you mean \"ceiling\"?"), std::string::npos);
    EXPECT_NE(errorOf(entry("de_esser", {{"reducton", "-6dB"}})).find("did you mean \"reduction\"?"), std::string::npos);
    // A limiter has no sidechain: it says so rather than ignoring it.
    EXPECT_NE(errorOf(entry("limiter", {{"sidechain", "Kick"}})).find("unknown parameter \"sidechain\""), std::string::npos);
}

TEST(DynamicsProcessors, EveryAutomatableParameterIsNamedAsInTheSession) {
    // Automation lanes address parameters by the names the session uses.
    for (const char* type : {"compressor", "gate", "expander", "de_esser", "limiter"}) {
        auto made = create(entry(type, {}));
        ASSERT_TRUE(made) << type;
        for (const auto& info : (*made)->parameters()) {
            auto config = entry(type, {});
            const std::string value = info.unit == "%"    ? "50%"
                                      : info.unit == "dB" ? std::to_string(info.defaultValue) + "dB"
                                      : info.unit == "Hz" ? std::to_string(info.defaultValue) + "Hz"
                                      : info.unit == "s"  ? std::to_string(info.defaultValue) + "s"
                                                          : std::to_string(info.defaultValue);
            config.params[std::string(info.name)] = session::ParamValue{value, {"song.yaml", 3, 20}, {}, session::ParamShape::scalar};
            auto again = create(config);
            EXPECT_TRUE(again) << type << "." << info.name << ": " << again.error().message;
        }
    }
}

namespace {
std::filesystem::path monoFile(const std::filesystem::path& dir, const std::string& name, const AudioBuffer& audio) {
    auto path = dir / name;
    writeFile(path, audio, kRate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    return path;
}

AudioBuffer constant(float value, std::int64_t frames) {
    AudioBuffer audio(1, frames);
    std::fill_n(audio.channel(0), frames, value);
    return audio;
}

double toDb(double linear) { return 20.0 * std::log10(linear); }

engine::ProcessorFactory fullFactory() {
    auto factory = engine::ProcessorFactory::builtIn();
    engine::registerDynamicsProcessors(factory);
    return factory;
}
}  // namespace

TEST(DynamicsProcessors, SidechainedCompressorDucksTheBassWhenTheKickPlays) {
    auto dir = scratchDir("dynamics-duck");
    AudioBuffer kick(1, 14400);
    std::fill_n(kick.channel(0) + 4800, 4800, 1.0f);  // 0 dB from 0.1 s to 0.2 s
    auto kickTrack = trackOf("Kick", {clipOf(monoFile(dir, "kick.wav", kick), 0.0)});
    kickTrack.pan = 1.0;  // hard right: the left channel of the mix is the bass alone
    auto bassTrack = trackOf("Bass", {clipOf(monoFile(dir, "bass.wav", constant(0.01f, 14400)), 0.0)});
    bassTrack.pan = -1.0;
    bassTrack.chain.push_back(entry("compressor", {{"threshold", "-20dB"}, {"ratio", "4"}, {"knee", "0dB"}, {"attack", "0.5ms"},
                                                   {"release", "5ms"}, {"sidechain", "Kick"}}));
    const auto mix = renderAll(sessionAt(kRate, {bassTrack, kickTrack}), {2, 64}, fullFactory());
    ASSERT_EQ(mix.numFrames(), 14400);
    EXPECT_NEAR(mix.channel(0)[4000], 0.01f, 1e-6);                          // before the kick
    EXPECT_NEAR(toDb(mix.channel(0)[9000] / 0.01), -15.0, 1e-3);             // 20 dB over at 4:1
    EXPECT_NEAR(mix.channel(0)[14000], 0.01f, 1e-6);                         // released after it
}

TEST(DynamicsProcessors, LimiterLookaheadIsCompensatedByTheEngine) {
    auto dir = scratchDir("dynamics-latency");
    AudioBuffer clicks(1, 4800);
    clicks.channel(0)[1000] = 0.5f;  // under the ceiling: passes unchanged
    auto track = trackOf("Clicks", {clipOf(monoFile(dir, "clicks.wav", clicks), 0.0)});
    track.pan = -1.0;
    track.chain.push_back(entry("limiter", {{"ceiling", "-1dB"}, {"lookahead", "2ms"}}));
    const auto mix = renderAll(sessionAt(kRate, {track}), {2, 64}, fullFactory());
    ASSERT_EQ(mix.numFrames(), 4800);
    EXPECT_NEAR(mix.channel(0)[1000], 0.5f, 1e-6);  // where it was: the 96 frames of lookahead are trimmed
    EXPECT_EQ(mix.channel(0)[1096], 0.0f);
}
