// Limiter::process on stereo noise at up to +6 dBFS (limiting most of the time), 48 kHz,
// 2 ms lookahead. Args: block size in frames. Each iteration copies the hot input back in
// (limiting an already limited block would skip the divisions); the copy is timed too and
// costs ~0.3 ns a frame.

#include "dsp/limiter.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::Limiter;

void BM_Limiter(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    Limiter limiter({reel::Decibels{-1.0}, reel::Seconds{0.050}, reel::Seconds{0.002}});
    if (auto prepared = limiter.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    const reel::AudioBuffer source = reel::bench::noise(channels, blockFrames, 2.0f);
    reel::AudioBuffer audio = source;
    for (auto _ : state) {
        for (int c = 0; c < channels; ++c) std::copy_n(source.channel(c), blockFrames, audio.channel(c));
        limiter.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Limiter)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
