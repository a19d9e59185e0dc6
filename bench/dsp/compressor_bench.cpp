// Compressor::process on stereo noise with bursts (the gain moves all the time).
// Args: block size in frames; variant 0 = peak, fully linked (one envelope for both
// channels), 1 = RMS, link 50 % (an envelope per channel), 5 ms lookahead and a sidechain
// high-pass. 48 kHz. Processing the same buffer again and again is fine: the compressor's
// cost does not depend on the values.

#include <algorithm>

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

// The compressor of every track in bench/mix-vs-sox.sh ("compressor: {threshold: -70dB,
// ratio: 1.25, knee: 6dB, attack: 300ms, release: 1s, makeup: 5dB, lookahead: 20ms}"):
// stereo, peak, fully linked, soft knee, steady parameters, at that script's 44.1 kHz and the
// renderer's 4096-frame blocks. Arg: lookahead 0 or 20 ms.
// Each iteration compresses a fresh copy of the same noise (the copy, about 0.6 µs of the
// time, is timed too): compressing its own output again and again, as BM_Compressor does,
// drifts with these settings into huge and denormal samples within a few thousand
// iterations, and the denormals made the timing depend on how long the benchmark ran.
void BM_CompressorMixTrack(benchmark::State& state) {
    constexpr std::int64_t blockFrames = 4096;
    constexpr int channels = 2;
    constexpr double rate = 44100.0;
    Compressor::Params p;
    p.threshold = reel::Decibels{-70.0};
    p.ratio = 1.25;
    p.knee = reel::Decibels{6.0};
    p.attack = reel::Seconds{0.300};
    p.release = reel::Seconds{1.0};
    p.makeup = reel::Decibels{5.0};
    p.lookahead = reel::Seconds{static_cast<double>(state.range(0)) / 1000.0};
    Compressor compressor(p);
    if (auto prepared = compressor.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    const reel::AudioBuffer input = reel::bench::noise(channels, blockFrames, 0.1f);
    reel::AudioBuffer audio = input;
    for (auto _ : state) {
        for (int c = 0; c < channels; ++c) std::copy_n(input.channel(c), blockFrames, audio.channel(c));
        compressor.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_CompressorMixTrack)->ArgNames({"lookahead_ms"})->Arg(0)->Arg(20);

}  // namespace
