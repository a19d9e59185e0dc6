#pragma once
// The processor shape every DSP unit shares (DESIGN.md), so the engine, the mastering chain
// and plugin hosting treat them alike.
//
// Threads: prepare() runs off the audio thread and may allocate; process(), reset(),
// setParameter() and setSidechain() are real-time safe: no allocation, no lock, no I/O,
// no exception.

#include <span>
#include <string_view>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"

namespace reel::dsp {

/// What a processor is prepared for: rate in Hz, the largest block in frames, channel count.
struct ProcessSpec {
    double sampleRate = 48000.0;
    int maxBlock = 4096;
    int channels = 2;
};

/// One automatable parameter: its session name, its unit as written in the session
/// ("dB", "Hz", "s", "" for plain numbers), and its range and default in that unit.
/// Values cross setParameter() as plain doubles in that unit: dB as dB, time in seconds.
struct ParameterInfo {
    std::string_view name;
    std::string_view unit;
    double min = 0.0;
    double max = 1.0;
    double defaultValue = 0.0;
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
    /// How long the output may ring on after the input stops (reverb, delay), in seconds;
    /// the engine renders this much past the last clip.
    virtual double tailSeconds() const noexcept { return 0.0; }

    /// The automatable parameters, in a fixed order (index = position in this span).
    virtual std::span<const ParameterInfo> parameters() const noexcept { return {}; }
    /// Sets parameter `index` to a value in its unit (clamped to its range). The processor
    /// glides to it (no zipper noise); the engine calls this between sub-blocks.
    virtual void setParameter(int /*index*/, double /*value*/) noexcept {}

    /// True if the processor listens to a sidechain (a compressor keyed by the kick).
    virtual bool acceptsSidechain() const noexcept { return false; }
    /// The key signal for the next process() call: same frame count as its io, 2 channels,
    /// valid until that call returns. Not called when no sidechain is routed.
    virtual void setSidechain(AudioView /*key*/) noexcept {}
};

}  // namespace reel::dsp
