// FixedDelay::process on stereo noise at 48 kHz: the delay the engine puts on a path for
// plugin delay compensation (and a compressor's lookahead). Args: block size in frames;
// delay in frames (960 = 20 ms, the longest lookahead).

#include "dsp/fixed_delay.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::FixedDelay;

void BM_FixedDelay(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    FixedDelay delay(static_cast<int>(state.range(1)));
    if (auto prepared = delay.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        delay.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_FixedDelay)->ArgNames({"block", "delay"})->ArgsProduct({{64, 512, 4096}, {64, 960}});

}  // namespace
