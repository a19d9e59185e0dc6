// FdnReverb::process: predelay, 2×6 diffusion allpasses, the 16-line FDN with its one-pole
// absorption filters and Hadamard matrix, width and mix. Args: block size in frames; stereo
// noise at 44.1 kHz (the mixing benchmark's rate), default damping, a 2.2 s decay, mix 30 %.

#include <vector>

#include "dsp/fdn_reverb.hpp"
#include "support/bench_support.hpp"

namespace {

using reel::dsp::FdnReverb;

void BM_FdnReverb(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    constexpr int channels = 2;
    constexpr double rate = 44100.0;
    FdnReverb::Params params;
    params.size = 0.7;
    params.predelay = reel::Seconds{0.02};
    FdnReverb reverb(params);
    if (auto prepared = reverb.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
        state.SkipWithError(prepared.error().message.c_str());
        return;
    }
    // Feeding the output back in is fine: the cost does not depend on the values, and at
    // 30 % mix with a wet below unity gain they stay bounded.
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        reverb.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, blockFrames, rate);
}
BENCHMARK(BM_FdnReverb)->ArgName("block")->Arg(64)->Arg(512)->Arg(4096);

// Sixteen reverbs (the 16-track mix's chains, size 0.4 as there), each given a 4096-frame
// block in turn as the engine does (its default block): what one reverb alone
// (BM_FdnReverb) never shows is how their delay lines and scratch share the caches.
// Reported per frame of one reverb.
void BM_FdnReverbSixteen(benchmark::State& state) {
    constexpr std::int64_t blockFrames = 4096;
    constexpr int channels = 2;
    constexpr double rate = 44100.0;
    FdnReverb::Params params;
    params.size = 0.4;
    params.decay = reel::Seconds{0.75};
    std::vector<FdnReverb> reverbs(16, FdnReverb(params));
    for (auto& reverb : reverbs)
        if (auto prepared = reverb.prepare({rate, static_cast<int>(blockFrames), channels}); !prepared) {
            state.SkipWithError(prepared.error().message.c_str());
            return;
        }
    reel::AudioBuffer audio = reel::bench::noise(channels, blockFrames);
    for (auto _ : state) {
        for (auto& reverb : reverbs) reverb.process(audio.view());
        benchmark::ClobberMemory();
    }
    reel::bench::reportFrames(state, 16 * blockFrames, rate);
}
BENCHMARK(BM_FdnReverbSixteen);

}  // namespace
