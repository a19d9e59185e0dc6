#pragma once
// What a compressor and a downward expander (gate) share around their gain law: the key they
// listen to (their own input or a sidechain), its detector, one gain-reduction smoother per
// channel, and the lookahead delay that lets the gain act before the peak comes out.
//
// Threads: prepare() may allocate; the rest is real-time safe.

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"
#include "dsp/fixed_delay.hpp"
#include "dsp/gain_envelope.hpp"
#include "dsp/gain_reduction_smoother.hpp"
#include "dsp/key_detector.hpp"
#include "dsp/processor.hpp"

namespace reel::dsp {

struct KeyedDynamics {
    KeyDetector detector;
    FixedDelay delay;
    SidechainInput sidechain;
    std::array<GainReductionSmoother, kMaxChannels> smoothers{};
    int lookaheadFrames = 0;

    /// Sets up for `spec` with `lookaheadSeconds` of delay and the detector's mode. The
    /// detector takes at least two key channels: a stereo sidechain may key a mono track.
    Result<void> prepare(const ProcessSpec& spec, double lookaheadSeconds, LevelDetection detection) {
        lookaheadFrames = static_cast<int>(std::llround(lookaheadSeconds * spec.sampleRate));
        delay = FixedDelay(lookaheadFrames);
        if (auto prepared = delay.prepare(spec); !prepared) return prepared;
        detector.prepare({spec.sampleRate, spec.maxBlock, std::max(spec.channels, 2), spec.channels, detection,
                          LevelDetector::kDefaultRmsWindowSeconds});
        return {};
    }

    /// Clears the detector, the delay line, a pending sidechain and the smoothers.
    void reset() noexcept {
        detector.reset();
        delay.reset();
        sidechain.clear();
        for (auto& smoother : smoothers) smoother.reset();
    }

    /// True if the first `channels` smoothers are in the same state, so one gain can serve them all.
    bool smoothersAgree(int channels) const noexcept {
        for (int c = 1; c < channels; ++c)
            if (!(smoothers[static_cast<std::size_t>(c)] == smoothers[0])) return false;
        return true;
    }
};

}  // namespace reel::dsp
