// processCascadePair / processCascade (biquad.hpp): the biquad cascades the equalizer, the
// crossovers and the other filters run, on noise at 48 kHz. Args: sections (1-8), channels
// (2 = processCascadePair, 1 = processCascade), block size in frames, code (0 = fastest:
// fused AVX2 + FMA where the CPU has it, 1 = baseline SSE2). The time_per_frame counter is
// the time per frame (one stereo frame for 2 channels), e.g. "1.6n" = 1.6 ns.

#include <algorithm>
#include <array>
#include <vector>

#include "dsp/biquad.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::Biquad;
using reel::dsp::BiquadCoefficients;

/// Like the mix benchmark's track EQ first (30 Hz 12 dB/oct high-pass, 2500 Hz bell; RBJ designs
/// here), then more bands.
std::vector<BiquadCoefficients> designs(std::size_t count) {
    constexpr double rate = 48000.0;
    const std::array<BiquadCoefficients, 8> all{
        BiquadCoefficients::highPass(30.0, 0.7071, rate),          BiquadCoefficients::peaking(2500.0, 1.0, 3.0, rate),
        BiquadCoefficients::lowShelf(150.0, 0.7071, -2.0, rate),   BiquadCoefficients::peaking(400.0, 1.5, -3.0, rate),
        BiquadCoefficients::highShelf(10000.0, 0.7071, 1.5, rate), BiquadCoefficients::peaking(6000.0, 2.0, -2.0, rate),
        BiquadCoefficients::lowPass(18000.0, 0.7071, rate),        BiquadCoefficients::peaking(120.0, 0.8, 2.0, rate)};
    return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count)};
}

void BM_BiquadCascade(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    const int channels = static_cast<int>(state.range(1));
    const std::int64_t blockFrames = state.range(2);
    const auto code = state.range(3) == 0 ? reel::dsp::CascadeCode::fastest : reel::dsp::CascadeCode::baseline;
    std::vector<Biquad> sections(count);
    std::vector<Biquad*> pointers;
    const auto coefficients = designs(count);
    for (std::size_t k = 0; k < count; ++k) {
        sections[k].setCoefficients(coefficients[k]);
        pointers.push_back(&sections[k]);
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    reel::AudioBuffer source = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        // Fresh noise each block, so the filters never decay into denormals.
        for (int c = 0; c < channels; ++c) std::copy_n(source.channel(c), blockFrames, audio.channel(c));
        if (channels == 2)
            reel::dsp::processCascadePair(pointers, 0, audio.channel(0), audio.channel(1), blockFrames, code);
        else
            reel::dsp::processCascade(pointers, 0, audio.channel(0), blockFrames, code);
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, 48000.0);
    state.counters["time_per_frame"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(blockFrames),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_BiquadCascade)
    ->ArgNames({"sections", "channels", "block", "code"})
    ->ArgsProduct({{1, 2, 3, 4, 7, 8}, {2, 1}, {512}, {0, 1}})
    ->ArgsProduct({{2}, {2}, {32, 64, 128, 4096}, {0, 1}})
    ->ArgsProduct({{4}, {2}, {64, 128}, {0, 1}});

}  // namespace
