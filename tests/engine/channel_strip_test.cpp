#include "engine/channel_strip.hpp"

#include <gtest/gtest.h>

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
