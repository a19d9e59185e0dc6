// TpdfDither::process: one xorshift64* draw per sample (four generators per channel, side
// by side), two uniform values from it, add, round to the 16/24-bit grid.
// Args: block size in frames, target bits; stereo noise at 48 kHz. Dithering the same
// buffer again and again is fine: the cost does not depend on the values.

#include "dsp/tpdf_dither.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::TpdfDither;

void BM_TpdfDither(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 48000.0;
    TpdfDither dither({.targetBits = static_cast<int>(state.range(1))});
    if (auto prepared = dither.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        dither.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_TpdfDither)->ArgNames({"block", "bits"})->ArgsProduct({{64, 512, 4096}, {16, 24}});

}  // namespace
