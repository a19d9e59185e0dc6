// Equalizer::process: a typical vocal EQ (high-pass 24 dB/oct, low shelf, two bells, high
// shelf: 7 biquads) on stereo noise at 48 kHz, steady and with a band gliding all the time
// (coefficients redesigned every 32 frames). Args: block size in frames.

#include "dsp/equalizer.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::BandType;
using reel::dsp::Equalizer;

Equalizer::Params vocalEq() {
    Equalizer::Params p;
    p.highPass = {BandType::highPass, reel::Hertz{80.0}, reel::Decibels{0.0}, 0.7071, 24};
    p.bands[0] = {BandType::lowShelf, reel::Hertz{150.0}, reel::Decibels{-2.0}, 0.7071, 12};
    p.bands[1] = {BandType::bell, reel::Hertz{400.0}, reel::Decibels{-3.0}, 1.5, 12};
    p.bands[2] = {BandType::bell, reel::Hertz{3000.0}, reel::Decibels{2.0}, 1.0, 12};
    p.bands[3] = {BandType::highShelf, reel::Hertz{10000.0}, reel::Decibels{1.5}, 0.7071, 12};
    return p;
}

void BM_Equalizer(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    const bool gliding = state.range(1) != 0;
    constexpr double rate = 48000.0;
    Equalizer eq(vocalEq());
    if (auto prepared = eq.prepare({rate, static_cast<int>(blockFrames), 2}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    reel::AudioBuffer audio = reel::bench::noise(2, blockFrames);
    double frequency = 3000.0;
    for (auto _ : state) {
        if (gliding) {  // a new target every block keeps band 3 redesigning
            frequency = frequency > 6000.0 ? 2000.0 : frequency * 1.01;
            eq.setParameter(2 + 3 * 2, frequency);
        }
        eq.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_Equalizer)->ArgNames({"block", "gliding"})->ArgsProduct({{64, 512, 4096}, {0, 1}});

}  // namespace
