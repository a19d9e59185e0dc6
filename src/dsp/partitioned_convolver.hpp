#pragma once
// Zero-latency convolution of one channel with a long impulse response: a direct-form FIR
// for the head and non-uniformly partitioned FFT convolution for the rest.
//
// The scheme is W. G. Gardner's, "Efficient convolution without input-output delay"
// (JAES 43(3), 1995), in the multi-level form F. Wefers analyses in "Partitioned convolution
// algorithms for real-time auralization" (PhD thesis, RWTH Aachen, 2014):
//   taps [0, 64)          direct FIR, computed per call, so the output has no added latency;
//   taps [64, 512)        7 partitions of 64,    uniformly partitioned overlap-save (FFT 128);
//   taps [512, 4096)      7 partitions of 512    (FFT 1024);
//   taps [4096, 32768)    7 partitions of 4096   (FFT 8192);
//   taps [32768, end)     partitions of 32768    (FFT 65536), as many as the IR needs.
// A level of partition size P starts at tap P, so when an input block of P frames completes
// at time T its FFT contributes exactly to the outputs [T, T + P): nothing is late. Each
// level keeps a frequency-domain delay line of its input spectra (the "FDL", Wefers §5) and
// multiplies-accumulates them against the IR's partition spectra (split complex, vectorized).
// The large last level keeps long IRs cheap (a 10 s IR at 48 kHz needs 15 partitions).
//
// Blocks of any size, including 1 frame, give the same output: the input is buffered
// internally and every FFT happens at fixed frame positions counted from reset, so results
// are bit-identical for any way of cutting the stream. Work is uneven: the call that
// completes a 32768-frame block also runs that level's FFTs and products (about 1 ms for a
// long IR), which rendering absorbs; live use with tiny buffers would move the big levels
// to a background thread (Gardner 1995 §4).
//
// Threads: prepare() allocates and plans FFTW (FFTW_ESTIMATE: fast and deterministic) under
// fftwPlannerMutex(); process() and reset() are real-time safe. Latency 0.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace reel::dsp {

class PartitionedConvolver {
public:
    static constexpr std::int64_t kHeadLength = 64;  // taps done in the time domain
    static constexpr std::int64_t kLevelGrowth = 8;  // each level's partitions are 8× the last's
    static constexpr std::int64_t kMaxPartition = 32768;

    PartitionedConvolver();
    ~PartitionedConvolver();
    PartitionedConvolver(PartitionedConvolver&&) noexcept;
    PartitionedConvolver& operator=(PartitionedConvolver&&) noexcept;

    /// Takes the impulse response (copied), allocates, and plans the FFTs. An empty IR
    /// convolves to silence.
    [[nodiscard]] Result<void> prepare(std::span<const float> impulseResponse);
    /// Convolves numFrames frames of `in` into `out` (which may be `in`).
    void process(const float* in, float* out, std::int64_t numFrames) noexcept;
    /// Clears the input history and pending output, as after prepare().
    void reset() noexcept;
    /// The impulse response's length in frames.
    std::int64_t length() const noexcept { return length_; }

private:
    struct Level;
    void trigger(Level& level) noexcept;

    std::int64_t length_ = 0;
    std::vector<float> headReversed_;  // h[H−1−k]: the FIR's taps, reversed
    std::vector<Level> levels_;
    std::vector<float> input_;  // the input ring, twice over (mirrored): any window is contiguous
    std::size_t inputSize_ = 1, inputMask_ = 0;
    std::vector<float> output_;  // the levels' contributions to future outputs
    std::size_t outputMask_ = 0;
    std::int64_t now_ = 0;  // frames since reset
};

}  // namespace reel::dsp
