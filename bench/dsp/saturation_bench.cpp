// Saturation::process: stereo 48 kHz noise at -6 dBFS, +12 dB drive, 100 % wet.
// Args: block size in frames, curve (0 tape, 1 tube, 2 hard), oversampling factor.

#include "dsp/saturation.hpp"
#include "support/bench_support.hpp"

namespace {

void BM_Saturation(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    reel::dsp::Saturation::Params params;
    params.curve = static_cast<reel::dsp::SaturationCurve>(state.range(1));
    params.drive = reel::Decibels{12.0};
    params.oversampling = static_cast<reel::dsp::Oversampling>(state.range(2));
    reel::dsp::Saturation saturation(params);
    if (auto prepared = saturation.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    reel::AudioBuffer io = audio;
    for (auto _ : state) {
        // Fresh input each time: saturating the saturated signal again would drift.
        std::copy_n(audio.channel(0), blockFrames, io.channel(0));
        std::copy_n(audio.channel(1), blockFrames, io.channel(1));
        saturation.process(io.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Saturation)
    ->ArgNames({"block", "curve", "factor"})
    ->ArgsProduct({{64, 512, 4096}, {0, 1, 2}, {16}})
    ->Args({512, 0, 1})
    ->Args({512, 0, 4})
    ->Args({512, 0, 8})
    ->Args({512, 2, 1});

}  // namespace
