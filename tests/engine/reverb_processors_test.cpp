#include "engine/reverb_processors.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>

#include "dsp/convolution_reverb.hpp"
#include "dsp/fdn_reverb.hpp"
#include "engine_test_support.hpp"
#include "support/test_signals.hpp"

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

session::ProcessorConfig configOf(std::string type, Map params) {
    session::ProcessorConfig config;
    config.type = std::move(type);
    config.params = std::move(params);
    config.where = at(3, 9);
    return config;
}

engine::ProcessorFactory reverbFactory() {
    engine::ProcessorFactory factory;
    engine::registerReverbProcessors(factory);
    return factory;
}

Result<std::unique_ptr<dsp::Processor>> create(const session::ProcessorConfig& config,
                                               const session::Session& session = session::Session{}) {
    return reverbFactory().create(config, session);
}

std::string errorOf(const session::ProcessorConfig& config, const session::Session& session = session::Session{}) {
    auto made = create(config, session);
    EXPECT_FALSE(made);
    return made ? std::string() : made.error().message;
}

/// A session file's folder with an impulse response in irs/.
struct IrFolder {
    std::filesystem::path dir = test::scratchDir("reverb-processors");
    session::Session session;
    IrFolder() {
        session.file = dir / "song.yaml";
        session.sampleRate = SampleRate{48000.0};
    }
    void write(const std::string& name, const AudioBuffer& audio, int rate) {
        std::filesystem::create_directories((dir / name).parent_path());
        test::writeFile(dir / name, audio, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    }
};

}  // namespace

TEST(ReverbProcessors, ReverbReadsTheDesignSketchWithDecayFromSize) {
    // buses: [{name: Plate, chain: [{reverb: {size: 0.7, predelay: 20ms}}]}]
    auto made = create(configOf("reverb", {{"size", scalar("0.7")}, {"predelay", scalar("20ms")}}));
    ASSERT_TRUE(made) << made.error().message;
    auto* reverb = dynamic_cast<dsp::FdnReverb*>(made->get());
    ASSERT_NE(reverb, nullptr);
    EXPECT_EQ(reverb->params().size, 0.7);
    EXPECT_DOUBLE_EQ(reverb->params().predelay.value, 0.02);
    EXPECT_FALSE(reverb->params().decay.has_value());  // follows the size: 0.5 s + 3.5 s·0.49
    EXPECT_EQ(reverb->params().mix, 0.3);              // not on a bus: an insert's default
    ASSERT_TRUE(reverb->prepare({48000.0, 512, 2}));
    EXPECT_NEAR(reverb->tailSeconds(), 0.02 + 1.5 * 2.215 + 0.05, 1e-9);
}

TEST(ReverbProcessors, ReverbOnABusDefaultsToFullyWet) {
    session::Session s;
    session::Bus plate;
    plate.name = "Plate";
    plate.chain.push_back(configOf("reverb", {{"size", scalar("0.7")}}));
    s.buses.push_back(plate);
    auto made = reverbFactory().create(s.buses[0].chain[0], s);
    ASSERT_TRUE(made) << made.error().message;
    EXPECT_EQ(dynamic_cast<dsp::FdnReverb*>(made->get())->params().mix, 1.0);
}

TEST(ReverbProcessors, ReverbReadsEveryParameterWithItsUnit) {
    auto made = create(configOf("reverb", {{"size", scalar("0.4")},
                                           {"decay", scalar("3.5s")},
                                           {"damping", scalar("0.2")},
                                           {"predelay", scalar("35ms")},
                                           {"width", scalar("0.5")},
                                           {"mix", scalar("25%")}}));
    ASSERT_TRUE(made) << made.error().message;
    const auto& p = dynamic_cast<dsp::FdnReverb*>(made->get())->params();
    EXPECT_EQ(p.size, 0.4);
    ASSERT_TRUE(p.decay.has_value());
    EXPECT_EQ(p.decay->value, 3.5);
    EXPECT_EQ(p.damping, 0.2);
    EXPECT_DOUBLE_EQ(p.predelay.value, 0.035);
    EXPECT_EQ(p.width, 0.5);
    EXPECT_EQ(p.mix, 0.25);
    auto plain = create(configOf("reverb", {{"mix", scalar("0.6")}}));
    ASSERT_TRUE(plain);
    EXPECT_EQ(dynamic_cast<dsp::FdnReverb*>(plain->get())->params().mix, 0.6);
}

TEST(ReverbProcessors, ReverbErrorsNameTheLineTheRangeAndTheClosestName) {
    auto error = errorOf(configOf("reverb", {{"size", scalar("1.5", 4, 12)}}));
    EXPECT_NE(error.find("song.yaml:4:12: reverb: size \"1.5\" is out of range; expected 0 to 1"), std::string::npos)
        << error;
    error = errorOf(configOf("reverb", {{"decay", scalar("30s")}}));
    EXPECT_NE(error.find("expected 0.1s to 20s"), std::string::npos) << error;
    error = errorOf(configOf("reverb", {{"mix", scalar("150%")}}));
    EXPECT_NE(error.find("expected 0% to 100%"), std::string::npos) << error;
    error = errorOf(configOf("reverb", {{"predelay", scalar("20")}}));
    EXPECT_NE(error.find("song.yaml:3:20: reverb: predelay"), std::string::npos) << error;
    error = errorOf(configOf("reverb", {{"sise", scalar("0.5", 5, 7)}}));
    EXPECT_NE(error.find("song.yaml:5:7: reverb: unknown parameter \"sise\"; did you mean \"size\"?"),
              std::string::npos)
        << error;
    error = errorOf(configOf("reverb", {{"decy", scalar("2s")}}));
    EXPECT_NE(error.find("did you mean \"decay\"?"), std::string::npos) << error;
}

TEST(ReverbProcessors, ConvolutionLoadsTheIrRelativeToTheSessionFolderAtTheSessionRate) {
    IrFolder folder;
    AudioBuffer ir(2, 22050);  // 0.5 s at 44.1 kHz: resampled to 48 kHz on loading
    ir.channel(0)[100] = 1.0f;
    ir.channel(1)[2000] = 0.5f;
    folder.write("irs/hall.wav", ir, 44100);
    auto made = create(configOf("convolution", {{"ir", scalar("irs/hall.wav")},
                                                {"mix", scalar("30%")},
                                                {"predelay", scalar("0ms")},
                                                {"gain", scalar("0dB")}}),
                       folder.session);
    ASSERT_TRUE(made) << made.error().message;
    auto* reverb = dynamic_cast<dsp::ConvolutionReverb*>(made->get());
    ASSERT_NE(reverb, nullptr);
    EXPECT_EQ(reverb->params().mix, 0.3);
    ASSERT_TRUE(reverb->prepare({48000.0, 512, 2}));
    EXPECT_NEAR(reverb->tailSeconds(), 0.5, 1.0 / 48000.0);
    EXPECT_EQ(reverb->latency(), 0);
    // An impulse in comes out where the IR's peaks are, at the session's rate.
    AudioBuffer io(2, 4096);
    io.channel(0)[0] = io.channel(1)[0] = 1.0f;
    reverb->process(io.view());
    auto peakAt = [&](int c) {
        std::int64_t best = 1;
        for (std::int64_t i = 1; i < 4096; ++i)
            if (std::fabs(io.channel(c)[i]) > std::fabs(io.channel(c)[best])) best = i;
        return best;
    };
    EXPECT_NEAR(static_cast<double>(peakAt(0)), 100.0 * 48000.0 / 44100.0, 1.0);
    EXPECT_NEAR(static_cast<double>(peakAt(1)), 2000.0 * 48000.0 / 44100.0, 1.0);
}

TEST(ReverbProcessors, ConvolutionErrorsNameTheLineAndTheFile) {
    IrFolder folder;
    auto error = errorOf(configOf("convolution", {{"ir", scalar("irs/missing.wav", 7, 25)}}), folder.session);
    EXPECT_NE(error.find("song.yaml:7:25: convolution: impulse response \"irs/missing.wav\""), std::string::npos)
        << error;
    EXPECT_NE(error.find("not found"), std::string::npos) << error;

    error = errorOf(configOf("convolution", {{"mix", scalar("30%")}}), folder.session);
    EXPECT_NE(error.find("song.yaml:3:9: convolution: needs ir:"), std::string::npos) << error;

    folder.write("irs/quad.wav", AudioBuffer(4, 100), 48000);
    error = errorOf(configOf("convolution", {{"ir", scalar("irs/quad.wav")}}), folder.session);
    EXPECT_NE(error.find("song.yaml:3:20: convolution: impulse response"), std::string::npos) << error;
    EXPECT_NE(error.find("4 channels"), std::string::npos) << error;

    folder.write("irs/hall.wav", AudioBuffer(1, 100), 48000);
    error =
        errorOf(configOf("convolution", {{"ir", scalar("irs/hall.wav")}, {"irr", scalar("x", 8, 3)}}), folder.session);
    EXPECT_NE(error.find("song.yaml:8:3: convolution: unknown parameter \"irr\"; did you mean \"ir\"?"),
              std::string::npos)
        << error;
    error =
        errorOf(configOf("convolution", {{"ir", scalar("irs/hall.wav")}, {"gain", scalar("30dB")}}), folder.session);
    EXPECT_NE(error.find("expected -60dB to 24dB"), std::string::npos) << error;
}

TEST(ReverbProcessors, ReverbTailRingsOnPastTheLastClipInARender) {
    const auto dir = test::scratchDir("reverb-render");
    AudioBuffer click(1, 4800);
    click.channel(0)[0] = 1.0f;
    test::writeFile(dir / "click.wav", click, 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto track = test::trackOf("Drums", {test::clipOf(dir / "click.wav", 0.0)});
    track.chain.push_back(configOf("reverb", {{"decay", scalar("1s")}, {"mix", scalar("100%")}}));
    auto s = test::sessionAt(48000.0, {track});
    auto factory = engine::ProcessorFactory::builtIn();
    engine::registerReverbProcessors(factory);
    const auto out = test::renderAll(s, {}, factory);
    // The render runs 1.5·T60 + 0.05 s past the clip, and the reverb sounds on after the click.
    EXPECT_GE(out.numFrames(), 4800 + static_cast<std::int64_t>(1.55 * 48000.0) - 1);
    double late = 0.0;
    for (std::int64_t i = 14400; i < 19200; ++i) late = std::max(late, double(std::fabs(out.channel(0)[i])));
    EXPECT_GT(late, 1e-4);
}
