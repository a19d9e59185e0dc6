// DownwardExpander::process as a gate (hold 10 ms) on stereo noise, fully linked, 48 kHz.
// Args: block size in frames.

#include "dsp/downward_expander.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::DownwardExpander;

void BM_Gate(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    auto p = DownwardExpander::defaults(DownwardExpander::Kind::gate);
    p.threshold = reel::Decibels{-12.0};  // the noise crosses it: the gate works
    DownwardExpander gate(DownwardExpander::Kind::gate, p);
    if (auto prepared = gate.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        gate.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Gate)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
