#pragma once
// The processor shape every DSP unit shares (DESIGN.md), so the engine, the mastering chain
// and plugin hosting treat them alike.
//
// Threads: prepare() runs off the audio thread and may allocate; process() and reset() are
// real-time safe: no allocation, no lock, no I/O, no exception.

#include "core/audio_buffer.hpp"
#include "core/error.hpp"

namespace reel::dsp {

/// What a processor is prepared for: rate in Hz, the largest block in frames, channel count.
struct ProcessSpec {
    double sampleRate = 48000.0;
    int maxBlock = 4096;
    int channels = 2;
};

class Processor {
public:
    virtual ~Processor() = default;
    /// Allocates state for the spec; may fail (an IR file missing, an impossible setting).
    [[nodiscard]] virtual Result<void> prepare(const ProcessSpec& spec) = 0;
    /// Processes one block in place; io.numFrames() ≤ spec.maxBlock.
    virtual void process(AudioView io) noexcept = 0;
    /// Clears state (tails, envelopes) so the next process() starts as after prepare().
    virtual void reset() noexcept = 0;
    /// Delay the processor adds, in frames, for the engine's delay compensation.
    virtual int latency() const noexcept { return 0; }
};

}  // namespace reel::dsp
