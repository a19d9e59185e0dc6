#pragma once
// Triangular-PDF dither and rounding to a 16- or 24-bit grid, for integer file output.
//
// Method: add noise whose PDF is triangular with a peak of ±1 LSB (the sum of two
// independent uniform values in ±0.5 LSB), then round to the nearest step k / 2^(bits-1).
// This is the lowest-power non-subtractive dither that makes both the mean and the variance
// of the total error independent of the signal (Vanderkooy & Lipshitz, "Dither in digital
// audio", JAES 35(12), 1987; Wannamaker, Lipshitz & Vanderkooy, "A theory of nonsubtractive
// dither", IEEE Trans. Signal Processing 48(2), 2000). The total error e = output − input
// then has mean 0 and variance LSB²/6 (the dither) + LSB²/12 (the rounding) = LSB²/4,
// whatever the input, with no distortion or noise modulation.
//
// Units: samples are linear full scale (±1.0); one LSB is 2^-(bits-1). The output is exactly
// on the grid in float (every k / 2^(bits-1) with |k| ≤ 2^23 is a float), so AudioFileWriter
// stores it without further rounding. Output is not clamped: a sample pushed past full scale
// is saturated (and counted) by the writer.
//
// Silence: a dithered output is never digital silence. On zero input, |dither| exceeds half
// an LSB with probability 1/4, so a quarter of the samples become ±1 LSB (an RMS of half
// an LSB, ≈ −96 dBFS at 16 bits) and the rest stay 0. This is intended; gate the dither
// upstream if true digital silence is needed at the ends of a file.
//
// Determinism: the noise comes from xorshift64* generators (Vigna, "An experimental
// exploration of Marsaglia's xorshift generators, scrambled", ACM TOMS 42(4), 2016), four
// per channel, each seeded from the channel and its index; sample n of a channel takes its
// dither from generator n mod 4, whose one 64-bit draw gives both uniform values (its high
// and low 32 bits). The same input gives bit-identical output on every run and for any
// block size. reset() reseeds.
//
// Speed: four generators per channel make four independent dependency chains, so the CPU
// overlaps them (one generator would make every sample wait for the previous draw), and one
// draw per sample instead of two halves the work. On AVX2 CPUs the four generators step
// together in one register (0.9 ns per sample instead of 2.3 in BM_TpdfDither; the same
// bits, tested). 32 bits of resolution per uniform value (2^-32 LSB) is far below anything
// the rounding can tell apart.
//
// Threads: prepare() and setParams() off the audio thread; process() and reset() are
// real-time safe (no allocation, no lock). Latency: 0.

#include <array>
#include <cstdint>

#include "core/cpu_features.hpp"
#include "dsp/processor.hpp"

namespace reel::dsp {

class TpdfDither : public Processor {
public:
    struct Params {
        int targetBits = 24;  // the integer format the output is meant for: 16 or 24
    };

    TpdfDither() { reset(); }
    explicit TpdfDither(const Params& params) : params_(params) { reset(); }

    /// Validates the parameters (16 or 24 bits; 1 to kMaxChannels channels) and seeds.
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// Changes the target bits; invalidArgument unless 16 or 24. Call between blocks, on the
    /// thread that calls process(); it does not allocate.
    [[nodiscard]] Result<void> setParams(const Params& params);
    /// Adds TPDF dither and rounds every sample to the grid, in place.
    void process(AudioView io) noexcept override;
    /// Reseeds the generators, so the next blocks repeat the output since prepare().
    void reset() noexcept override;

    const Params& params() const noexcept { return params_; }

    /// Which code runs: the widest the CPU has (AVX2 where present, the default) or the
    /// x86-64 baseline. The output is bit-identical either way; tests compare them.
    enum class VectorWidth { widest, baseline };
    void setVectorWidth(VectorWidth width) noexcept { avx2_ = width == VectorWidth::widest && cpuHasAvx2(); }

private:
    static constexpr int kLanes = 4;  // generators per channel
    using Lanes = std::array<std::uint64_t, kLanes>;

    /// Dithers whole groups of four samples from x (the first on generator 0) with the four
    /// generators in one AVX2 register; returns how many samples it did.
    std::int64_t quantizeLanesAvx2(float* x, std::int64_t numFrames, Lanes& state) const noexcept;

    bool avx2_ = cpuHasAvx2();
    Params params_;
    std::array<Lanes, kMaxChannels> state_{};
    std::array<int, kMaxChannels> nextLane_{};  // the generator of each channel's next sample
};

}  // namespace reel::dsp
