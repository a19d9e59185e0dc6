// ConvolutionReverb::process (PartitionedConvolver underneath: a 64-tap direct head and FFT
// levels of 64, 512 and 4096 frames). Args: block size in frames, IR length in frames; stereo
// noise through a stereo noise IR at 48 kHz, mix 30 %. 144000 frames is a 3 s hall.
// BM_PartitionedConvolver is the bare mono convolver.

#include "dsp/convolution_reverb.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::ConvolutionReverb;
using reel::dsp::PartitionedConvolver;
constexpr double kRate = 48000.0;

void BM_ConvolutionReverb(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    reel::AudioBuffer ir = reel::bench::noise(channels, state.range(1), 0.01f, 2);
    ConvolutionReverb reverb(std::move(ir), ConvolutionReverb::Params{});
    if (auto prepared = reverb.prepare({kRate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        reverb.process(audio.view());  // the cost does not depend on the values
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, kRate);
}
BENCHMARK(BM_ConvolutionReverb)->ArgNames({"block", "ir"})->ArgsProduct({{64, 512, 4096}, {4096, 144000}});

void BM_PartitionedConvolver(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    reel::AudioBuffer ir = reel::bench::noise(1, state.range(1), 0.01f, 3);
    PartitionedConvolver convolver;
    if (auto prepared = convolver.prepare({ir.channel(0), static_cast<std::size_t>(ir.numFrames())}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer in = reel::bench::noise(1, blockFrames);
    reel::AudioBuffer out(1, blockFrames);
    for (auto _ : state) {
        convolver.process(in.channel(0), out.channel(0), blockFrames);
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, kRate);
}
BENCHMARK(BM_PartitionedConvolver)
    ->ArgNames({"block", "ir"})
    ->ArgsProduct({{1, 64, 4096}, {64, 512, 4096, 32768, 144000}});

}  // namespace
