#include "engine/channel_strip.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <optional>

#include "engine/processor_factory.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::engine;

namespace {
session::ProcessorConfig entry(std::string type, std::map<std::string, std::string> params) {
    session::ProcessorConfig config{std::move(type), {}, {"song.yaml", 1, 1}};
    for (auto& [name, text] : params) config.params[name] = session::ParamValue{text, {"song.yaml", 1, 1}, {}};
    return config;
}

/// On its `spoiled`-th call (from 0), puts a value into one sample (NaN: a filter blowing up)
/// or, with no value, silences the whole block: what the strip must turn the fault into.
class SpoilsOneBlock final : public dsp::Processor {
public:
    SpoilsOneBlock(std::optional<float> value, int spoiled) : value_(value), spoiled_(spoiled) {}
    Result<void> prepare(const dsp::ProcessSpec&) override { return {}; }
    void process(AudioView io) noexcept override {
        if (calls_++ != spoiled_) return;
        if (value_) io.channel(io.numChannels() - 1)[io.numFrames() / 2] = *value_;
        else io.clear();
    }
    void reset() noexcept override {}

private:
    std::optional<float> value_;
    int spoiled_;
    int calls_ = 0;
};

constexpr std::int64_t kBlock = 250;  // not a multiple of the 32-frame automation step

struct FaultCase {
    const char* name;
    int inputChannels;
    PreFaderTap tap;
    const char* lane;        // automated: "volume", "pan" or nothing
    bool spoilerFirst;       // the spoiler before the utility instead of after it
};

/// A strip whose chain is a utility and the spoiler, in the case's order.
std::unique_ptr<ChannelStrip> stripWithSpoiler(const FaultCase& c, std::optional<float> value) {
    session::Session song;
    auto factory = ProcessorFactory::builtIn();
    auto utility = factory.create(entry("utility", {{"gain", "-3dB"}}), song);
    EXPECT_TRUE(utility) << utility.error().message;
    std::vector<std::unique_ptr<dsp::Processor>> chain;
    chain.push_back(std::move(*utility));
    // With automation the strip runs the chain in 32-frame steps: spoil the short last step of
    // the first block, where a glide is still under way when the step ends.
    chain.push_back(std::make_unique<SpoilsOneBlock>(value, c.lane ? 7 : 1));
    std::vector<session::ProcessorConfig> configs{entry("utility", {}), entry("spoiler", {})};
    if (c.spoilerFirst) {
        std::swap(chain[0], chain[1]);
        std::swap(configs[0], configs[1]);
    }
    auto strip = std::make_unique<ChannelStrip>();
    EXPECT_TRUE(strip->prepare(std::move(chain), configs, {c.inputChannels, 48000.0, kBlock, 0.3, Decibels{-2.0}, c.tap}));
    if (c.lane) {
        EXPECT_TRUE(strip->addAutomation({c.lane, {{Seconds{0.0}, std::string(c.lane) == "pan" ? "-0.5" : "-12dB",
                                                    session::AutomationCurve::linear, {}},
                                                   {Seconds{0.01}, std::string(c.lane) == "pan" ? "0.5" : "0dB",
                                                    session::AutomationCurve::linear, {}}}, {}},
                                         SampleRate{48000}));
    }
    return strip;
}
}  // namespace

TEST(ChannelStrip, ProcessingAFullChainWithAutomationNeverAllocates) {
    session::Session song;
    const std::vector<session::ProcessorConfig> configs = {
        entry("compressor", {{"threshold", "-20dB"}, {"ratio", "4"}}),
        entry("delay", {{"time", "120ms"}, {"feedback", "40%"}}),
        entry("chorus", {}),
        entry("saturation", {{"curve", "tape"}}),
        entry("reverb", {{"size", "0.5"}}),
        entry("limiter", {{"ceiling", "-1dB"}}),
        entry("utility", {{"gain", "-3dB"}}),
    };
    auto factory = ProcessorFactory::builtIn();
    std::vector<std::unique_ptr<dsp::Processor>> chain;
    for (const auto& config : configs) {
        auto made = factory.create(config, song);
        ASSERT_TRUE(made) << made.error().message;
        chain.push_back(std::move(*made));
    }
    ChannelStrip strip;
    ASSERT_TRUE(strip.prepare(std::move(chain), configs, {2, 48000.0, 1024, 0.3, Decibels{-2.0}, PreFaderTap::used}));
    ASSERT_TRUE(strip.addAutomation({"volume", {{Seconds{0.0}, "-12dB", session::AutomationCurve::linear, {}},
                                               {Seconds{0.1}, "0dB", session::AutomationCurve::linear, {}}}, {}},
                                    SampleRate{48000}));
    ASSERT_TRUE(strip.addAutomation({"compressor.threshold", {{Seconds{0.0}, "-30dB", session::AutomationCurve::linear, {}},
                                                             {Seconds{0.1}, "-10dB", session::AutomationCurve::linear, {}}}, {}},
                                    SampleRate{48000}));
    auto input = test::noise(1024, 2, 0.5);
    std::int64_t frame = 0;
    test::AllocationCounter counter;
    for (int block = 0; block < 20; ++block, frame += 1024) {
        AudioView in = strip.input(1024);
        for (int c = 0; c < 2; ++c) std::copy_n(input.channel(c), 1024, in.channel(c));
        strip.process(1024, frame);
    }
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_TRUE(strip.faults().empty());
}

TEST(ChannelStrip, NanFromAnyProcessorGivesExactlyTheOutputOfASilencedBlockInEveryPanAndFaderPath) {
    // The last processor's output is checked while it is panned and faded; on a fault that pass
    // runs again over silence. Its output, the pre-fader tap and the gains' glide must then be
    // those of a strip whose processor silenced the block itself, block for block and bit for
    // bit: for steady gains, a pre-fader tap, gliding volume and pan, mono input, and a fault
    // earlier in the chain (caught by the check after each processor).
    const FaultCase cases[] = {
        {"steady", 2, PreFaderTap::unused, nullptr, false}, {"tap", 2, PreFaderTap::used, nullptr, false},
        {"volume glide", 2, PreFaderTap::unused, "volume", false}, {"pan glide", 2, PreFaderTap::used, "pan", false},
        {"mono", 1, PreFaderTap::unused, nullptr, false},       {"first in chain", 2, PreFaderTap::unused, nullptr, true},
    };
    for (const FaultCase& c : cases) {
        for (const float bad : {std::nanf(""), -std::numeric_limits<float>::infinity()}) {
            auto faulty = stripWithSpoiler(c, bad);
            auto silenced = stripWithSpoiler(c, std::nullopt);
            const auto input = test::noise(kBlock, c.inputChannels, 0.5);
            for (std::int64_t frame = 0; frame < 4 * kBlock; frame += kBlock) {
                for (ChannelStrip* strip : {faulty.get(), silenced.get()}) {
                    AudioView in = strip->input(kBlock);
                    for (int ch = 0; ch < c.inputChannels; ++ch) std::copy_n(input.channel(ch), kBlock, in.channel(ch));
                    strip->process(kBlock, frame);
                }
                for (int ch = 0; ch < 2; ++ch)
                    for (std::int64_t i = 0; i < kBlock; ++i) {
                        ASSERT_EQ(std::bit_cast<std::uint32_t>(faulty->postFader(kBlock).channel(ch)[i]),
                                  std::bit_cast<std::uint32_t>(silenced->postFader(kBlock).channel(ch)[i]))
                            << c.name << ", frame " << frame + i << ", channel " << ch;
                        ASSERT_EQ(std::bit_cast<std::uint32_t>(faulty->preFader(kBlock).channel(ch)[i]),
                                  std::bit_cast<std::uint32_t>(silenced->preFader(kBlock).channel(ch)[i]))
                            << c.name << ", frame " << frame + i << ", channel " << ch;
                    }
            }
            ASSERT_EQ(faulty->faults().size(), 1u) << c.name;
            EXPECT_EQ(faulty->faults()[0].processor, "spoiler") << c.name;
            EXPECT_EQ(faulty->faults()[0].count, 1) << c.name;
            EXPECT_EQ(faulty->faults()[0].firstFrame, c.lane ? 224 : kBlock) << c.name;
            EXPECT_TRUE(silenced->faults().empty()) << c.name;
        }
    }
}
