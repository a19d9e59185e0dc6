// Chorus::process: stereo 48 kHz noise, 0.8 Hz, 3 ms deep around 12 ms, 50 % mix.
// Arg: block size in frames.

#include "dsp/chorus.hpp"
#include "support/bench_support.hpp"

namespace {

void BM_Chorus(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    reel::dsp::Chorus chorus({reel::Hertz{0.8}, reel::Seconds{0.003}, reel::Seconds{0.012}, 0.5, 90.0});
    if (auto prepared = chorus.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    for (auto _ : state) {
        chorus.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Chorus)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
