// TruePeakMeter::process: the BS.1770-4 Annex 2 polyphase interpolator and peak search.
// Args: block size in frames, sample rate in Hz (44.1/48 kHz oversample 4x, 96 kHz 2x);
// stereo noise at -6 dBFS peak.

#include "analysis/true_peak_meter.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::analysis::TruePeakMeter;

void BM_TruePeakMeter(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    const reel::SampleRate rate{static_cast<double>(state.range(1))};
    constexpr int channels = 2;
    TruePeakMeter meter(rate, channels);
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        meter.process(audio.view());
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(meter.truePeakDbtp());
    reel::bench::reportFrames(state, blockFrames, rate.value);
}
BENCHMARK(BM_TruePeakMeter)->ArgNames({"block", "rate"})->ArgsProduct({{64, 512, 4096}, {44100, 48000, 96000}});

}  // namespace
