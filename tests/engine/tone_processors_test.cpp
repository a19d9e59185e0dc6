#include "engine/tone_processors.hpp"

#include <gtest/gtest.h>

#include "dsp/equalizer.hpp"
#include "dsp/stereo_tool.hpp"

using namespace reel;

namespace {

session::SourceLocation at(int line, int column) { return {"song.yaml", line, column}; }

session::ParamValue scalar(std::string text, int line = 3, int column = 20) {
    session::ParamValue v;
    v.text = std::move(text);
    v.where = at(line, column);
    return v;
}

using Map = std::map<std::string, session::ParamValue>;

session::ParamValue listOf(std::vector<Map> maps) {
    session::ParamValue v;
    v.where = at(3, 30);
    v.shape = session::ParamShape::list;
    v.items = std::move(maps);
    return v;
}

session::ProcessorConfig configOf(std::string type, Map params) {
    session::ProcessorConfig config;
    config.type = std::move(type);
    config.params = std::move(params);
    config.where = at(3, 9);
    return config;
}

Result<std::unique_ptr<dsp::Processor>> create(const session::ProcessorConfig& config) {
    engine::ProcessorFactory factory;
    engine::registerToneProcessors(factory);
    session::Session session;
    return factory.create(config, session);
}

std::string errorOf(const session::ProcessorConfig& config) {
    auto made = create(config);
    EXPECT_FALSE(made);
    return made ? std::string() : made.error().message;
}

}  // namespace

TEST(ToneProcessors, EqReadsTheDesignSketchSyntax) {
    // - eq: {highpass: 80Hz, bands: [{bell: 3kHz, gain: 2dB, q: 1.0}, {low_shelf: 120Hz, gain: -2dB},
    //                                {high_pass: 30Hz, slope: 24dB}, {notch: 60Hz, q: 8}]}
    auto config = configOf("eq", {{"highpass", scalar("80Hz")},
                                  {"bands", listOf({{{"bell", scalar("3kHz")}, {"gain", scalar("2dB")}, {"q", scalar("1.0")}},
                                                    {{"low_shelf", scalar("120Hz")}, {"gain", scalar("-2dB")}},
                                                    {{"high_pass", scalar("30Hz")}, {"slope", scalar("24dB")}},
                                                    {{"notch", scalar("60Hz")}, {"q", scalar("8")}}})}});
    auto made = create(config);
    ASSERT_TRUE(made) << made.error().message;
    auto* eq = dynamic_cast<dsp::Equalizer*>(made->get());
    ASSERT_NE(eq, nullptr);
    const auto& p = eq->params();
    EXPECT_EQ(p.highPass.type, dsp::BandType::highPass);
    EXPECT_EQ(p.highPass.frequency.value, 80.0);
    EXPECT_EQ(p.highPass.slopeDbPerOctave, 12);
    EXPECT_EQ(p.bands[0].type, dsp::BandType::bell);
    EXPECT_EQ(p.bands[0].frequency.value, 3000.0);
    EXPECT_EQ(p.bands[0].gain.value, 2.0);
    EXPECT_EQ(p.bands[1].type, dsp::BandType::lowShelf);
    EXPECT_EQ(p.bands[1].gain.value, -2.0);
    EXPECT_EQ(p.bands[2].slopeDbPerOctave, 24);
    EXPECT_EQ(p.bands[3].type, dsp::BandType::notch);
    EXPECT_EQ(p.bands[3].q, 8.0);
    EXPECT_EQ(p.bands[4].type, dsp::BandType::off);
    ASSERT_TRUE(eq->prepare({48000.0, 512, 2}));
    EXPECT_EQ(eq->parameters().size(), 2u + 3u * 4u);
    EXPECT_EQ(eq->parameters()[2 + 3 * 3].name, "band4.frequency");
    EXPECT_LT(eq->responseDb(60.0), -60.0);
}

TEST(ToneProcessors, EqShorthandTakesASlope) {
    auto made = create(configOf("eq", {{"lowpass", scalar("12kHz")}, {"lowpass_slope", scalar("48dB")}}));
    ASSERT_TRUE(made) << made.error().message;
    const auto& p = dynamic_cast<dsp::Equalizer&>(**made).params();
    EXPECT_EQ(p.lowPass.type, dsp::BandType::lowPass);
    EXPECT_EQ(p.lowPass.slopeDbPerOctave, 48);
    EXPECT_EQ(p.highPass.type, dsp::BandType::off);
}

TEST(ToneProcessors, ABadBandTypeSuggestsTheClosest) {
    auto message = errorOf(configOf("eq", {{"bands", listOf({{{"bel", scalar("3kHz", 4, 12)}, {"gain", scalar("2dB")}}})}}));
    EXPECT_NE(message.find("song.yaml:4:12:"), std::string::npos) << message;
    EXPECT_NE(message.find("unknown band type \"bel\""), std::string::npos) << message;
    EXPECT_NE(message.find("did you mean \"bell\"?"), std::string::npos) << message;
}

TEST(ToneProcessors, AnOutOfRangeGainSaysTheRange) {
    auto message = errorOf(configOf("eq", {{"bands", listOf({{{"bell", scalar("3kHz")}, {"gain", scalar("30dB", 5, 22)}}})}}));
    EXPECT_NE(message.find("song.yaml:5:22:"), std::string::npos) << message;
    EXPECT_NE(message.find("eq band 1"), std::string::npos) << message;
    EXPECT_NE(message.find("expected -24dB to 24dB"), std::string::npos) << message;
}

TEST(ToneProcessors, ANinthBandIsAnError) {
    std::vector<Map> bands(9, Map{{"bell", scalar("1kHz")}});
    auto message = errorOf(configOf("eq", {{"bands", listOf(bands)}}));
    EXPECT_NE(message.find("9 bands"), std::string::npos) << message;
    EXPECT_NE(message.find("at most 8"), std::string::npos) << message;
    bands.pop_back();
    EXPECT_TRUE(create(configOf("eq", {{"bands", listOf(bands)}})));
}

TEST(ToneProcessors, EqRejectsTyposAndBadSlopes) {
    auto typo = errorOf(configOf("eq", {{"hipass", scalar("80Hz")}}));
    EXPECT_NE(typo.find("did you mean \"highpass\"?"), std::string::npos) << typo;
    auto band = errorOf(configOf("eq", {{"bands", listOf({{{"bell", scalar("1kHz")}, {"gian", scalar("2dB")}}})}}));
    EXPECT_NE(band.find("did you mean \"gain\"?"), std::string::npos) << band;
    auto slope = errorOf(configOf("eq", {{"bands", listOf({{{"high_pass", scalar("30Hz")}, {"slope", scalar("18dB")}}})}}));
    EXPECT_NE(slope.find("12dB, 24dB or 48dB"), std::string::npos) << slope;
    auto two = errorOf(configOf("eq", {{"bands", listOf({{{"bell", scalar("1kHz")}, {"notch", scalar("60Hz")}}})}}));
    EXPECT_NE(two.find("two types"), std::string::npos) << two;
    auto none = errorOf(configOf("eq", {{"bands", listOf({{{"gain", scalar("2dB")}}})}}));
    EXPECT_NE(none.find("has no type"), std::string::npos) << none;
    auto gainOnNotch = errorOf(configOf("eq", {{"bands", listOf({{{"notch", scalar("60Hz")}, {"gain", scalar("2dB")}}})}}));
    EXPECT_NE(gainOnNotch.find("unknown parameter \"gain\""), std::string::npos) << gainOnNotch;
}

TEST(ToneProcessors, StereoReadsItsParameters) {
    auto made = create(configOf("stereo", {{"width", scalar("1.5")}, {"mid_side", scalar("-0.25")},
                                           {"mono_below", scalar("120Hz")}, {"balance", scalar("0.1")}}));
    ASSERT_TRUE(made) << made.error().message;
    const auto& p = dynamic_cast<dsp::StereoTool&>(**made).params();
    EXPECT_EQ(p.width, 1.5);
    EXPECT_EQ(p.midSide, -0.25);
    EXPECT_EQ(p.monoBelow.value, 120.0);
    EXPECT_EQ(p.balance, 0.1);
    EXPECT_EQ((*made)->parameters().size(), 4u);
}

TEST(ToneProcessors, StereoErrorsSayTheRangeAndSuggestNames) {
    auto range = errorOf(configOf("stereo", {{"width", scalar("3")}}));
    EXPECT_NE(range.find("expected 0 to 2"), std::string::npos) << range;
    auto typo = errorOf(configOf("stereo", {{"widht", scalar("1")}}));
    EXPECT_NE(typo.find("did you mean \"width\"?"), std::string::npos) << typo;
    auto unit = errorOf(configOf("stereo", {{"mono_below", scalar("120")}}));
    EXPECT_NE(unit.find("mono_below"), std::string::npos) << unit;
}
