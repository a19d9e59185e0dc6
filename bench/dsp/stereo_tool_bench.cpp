// StereoTool::process: width + balance in mid/side, with and without mono bass (two
// LR4 biquads on the side) on stereo noise at 48 kHz. Args: block size, mono bass on/off.

#include "dsp/stereo_tool.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::StereoTool;

void BM_StereoTool(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    StereoTool tool({1.3, 0.1, reel::Hertz{state.range(1) != 0 ? 120.0 : 0.0}, -0.1});
    if (auto prepared = tool.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    for (auto _ : state) {
        tool.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_StereoTool)->ArgNames({"block", "mono_below"})->ArgsProduct({{64, 512, 4096}, {0, 1}});

}  // namespace
