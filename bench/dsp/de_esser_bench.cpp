// DeEsser::process on stereo noise (broadband: the detector fires), 48 kHz: band-pass key,
// RMS detector and the 97-tap linear-phase split per channel. Args: block size in frames.

#include "dsp/de_esser.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::DeEsser;

void BM_DeEsser(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    DeEsser deEsser;
    if (auto prepared = deEsser.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        deEsser.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_DeEsser)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

}  // namespace
