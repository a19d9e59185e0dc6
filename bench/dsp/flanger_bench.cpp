// Flanger::process: stereo 48 kHz noise, 0.25 Hz, 1–3 ms, 50 % feedback, 50 % mix.
// Arg: block size in frames.

#include "dsp/flanger.hpp"
#include "support/bench_support.hpp"

namespace {

void BM_Flanger(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    reel::dsp::Flanger flanger({reel::Hertz{0.25}, reel::Seconds{0.002}, reel::Seconds{0.001}, 0.5, 0.5, 90.0});
    if (auto prepared = flanger.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    for (auto _ : state) {
        flanger.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Flanger)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
