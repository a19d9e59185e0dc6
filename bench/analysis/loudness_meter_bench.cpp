// LoudnessMeter::process: K-weighting, 5 ms sub-block sums, gating histograms (BS.1770-4).
// Args: block size in frames, channel count; 48 kHz noise at -6 dBFS peak.

#include "analysis/loudness_meter.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::analysis::LoudnessMeter;

void BM_LoudnessMeter(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    const int channels = static_cast<int>(state.range(1));
    const reel::SampleRate rate{48000.0};
    LoudnessMeter meter(rate, channels);
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        meter.process(audio.view());
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(meter.integratedLufs());
    reel::bench::reportFrames(state, blockFrames, rate.value);
}
BENCHMARK(BM_LoudnessMeter)->ArgNames({"block", "channels"})->ArgsProduct({{64, 512, 4096}, {1, 2, 6}});

}  // namespace
