// Phaser::process: stereo 48 kHz noise, 0.3 Hz sweep around 800 Hz, 40 % feedback.
// Args: block size in frames, allpass stages.

#include "dsp/phaser.hpp"
#include "support/bench_support.hpp"

namespace {

void BM_Phaser(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    reel::dsp::Phaser phaser({reel::Hertz{0.3}, reel::Hertz{800.0}, 0.5, static_cast<int>(state.range(1)), 0.4, 0.5, 90.0});
    if (auto prepared = phaser.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    for (auto _ : state) {
        phaser.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Phaser)->ArgNames({"block", "stages"})->ArgsProduct({{64, 512, 4096}, {6, 12}});

}  // namespace
