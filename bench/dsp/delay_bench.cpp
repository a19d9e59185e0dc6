// Delay::process: stereo 48 kHz noise, 375 ms with 35 % feedback through both loop filters;
// ping-pong off and on. Args: block size in frames, ping-pong (0/1).

#include "dsp/delay.hpp"
#include "support/bench_support.hpp"

namespace {

void BM_Delay(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr double rate = 48000.0;
    reel::dsp::Delay delay({reel::Seconds{0.375}, 0.35, reel::Hertz{200.0}, reel::Hertz{6000.0},
                            state.range(1) ? reel::dsp::PingPong::yes : reel::dsp::PingPong::no, 0.25});
    if (auto prepared = delay.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    for (auto _ : state) {
        delay.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Delay)->ArgNames({"block", "pingpong"})->ArgsProduct({{64, 512, 4096}, {0, 1}});

}  // namespace
