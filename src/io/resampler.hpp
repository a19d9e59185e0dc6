#pragma once
// Streaming sample-rate conversion with soxr at its high-quality setting (SOXR_HQ).
//
// Conversion happens at the file edge (DESIGN.md); inside, everything runs at one rate.

#include <memory>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"

namespace reel::io {

class Resampler {
public:
    /// A converter from inRate to outRate (Hz) for a fixed channel count.
    static Result<Resampler> create(double inRate, double outRate, int channels);
    Resampler(Resampler&&) noexcept;
    Resampler& operator=(Resampler&&) noexcept;
    ~Resampler();

    struct Progress {
        std::int64_t inputUsed;   // frames taken from in
        std::int64_t outputMade;  // frames written to out
    };
    /// Converts as much of `in` as fits into `out`. Pass an empty `in` (0 frames) to flush
    /// the filter's tail at the end of the stream.
    Result<Progress> process(AudioView in, AudioView out);

    /// Latency-free restart for a new stream (after a seek).
    Result<void> reset();

private:
    struct State;
    explicit Resampler(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace reel::io
