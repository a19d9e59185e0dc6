// Compressor::process on stereo noise with bursts (the gain moves all the time).
// Args: block size in frames; variant 0 = peak, fully linked (one envelope for both
// channels), 1 = RMS, link 50 % (an envelope per channel), 5 ms lookahead and a sidechain
// high-pass. 48 kHz. Processing the same buffer again and again is fine: the compressor's
// cost does not depend on the values.

#include "dsp/compressor.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::Compressor;

void BM_Compressor(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    Compressor::Params p;
    p.threshold = reel::Decibels{-24.0};
    p.ratio = 4.0;
    if (state.range(1) == 1) {
        p.detection = reel::dsp::LevelDetection::rms;
        p.link = 0.5;
        p.lookahead = reel::Seconds{0.005};
        p.sidechainHighpass = reel::Hertz{100.0};
    }
    Compressor compressor(p);
    if (auto prepared = compressor.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        compressor.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Compressor)->ArgNames({"block", "variant"})->ArgsProduct({{64, 512, 4096}, {0, 1}});

}  // namespace
