#pragma once
// Applying a per-frame gain envelope to a block, and holding a processor's sidechain key.
//
// Shared by the dynamics processors (compressor, expander/gate, limiter). Real-time safe.

#include <algorithm>

#include "core/audio_buffer.hpp"

namespace reel::dsp {

/// Multiplies io by linear gains frame by frame. Channel c takes gains channel c, or the
/// last gains channel when there are fewer (one gains channel = the same gain everywhere).
inline void applyGainEnvelope(AudioView io, AudioView gains) noexcept {
    if (gains.numChannels() == 0) return;
    const std::int64_t numFrames = std::min(io.numFrames(), gains.numFrames());
    for (int c = 0; c < io.numChannels(); ++c) {
        float* x = io.channel(c);
        const float* g = gains.channel(std::min(c, gains.numChannels() - 1));
        for (std::int64_t i = 0; i < numFrames; ++i) x[i] *= g[i];
    }
}

/// The key a processor listens to for one process() call: the sidechain the engine handed
/// over with setSidechain() just before, or else the processor's own input. The view is
/// forgotten after each call, so a stale pointer is never read.
class SidechainInput {
public:
    void set(AudioView key) noexcept {
        key_ = key;
        pending_ = true;
    }
    /// The key for `io` (same frames), consuming a pending sidechain; io when none is pending
    /// or its length does not match.
    AudioView take(AudioView io) noexcept {
        const bool use = pending_ && key_.numFrames() >= io.numFrames() && key_.numChannels() > 0;
        pending_ = false;
        return use ? key_.slice(0, io.numFrames()) : io;
    }
    void clear() noexcept { pending_ = false; }

private:
    AudioView key_;
    bool pending_ = false;
};

}  // namespace reel::dsp
