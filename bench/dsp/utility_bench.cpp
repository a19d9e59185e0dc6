// Utility::process on stereo noise at 48 kHz: a -6 dB gain with inverted polarity and a fold
// to mono, the utility's costliest steady setting. Args: block size in frames.

#include "dsp/utility.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::Utility;

void BM_Utility(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    Utility::Params params;
    params.gain = reel::Decibels{-6.0};
    params.polarity = reel::dsp::Polarity::inverted;
    params.mono = reel::dsp::MonoFold::yes;
    Utility utility(params);
    if (auto prepared = utility.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        utility.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Utility)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
