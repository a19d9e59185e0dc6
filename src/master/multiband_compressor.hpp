#pragma once
// Three-band compression for the mastering chain: two Linkwitz-Riley crossovers split the
// programme into low, mid and high bands, each band has its own dsp::Compressor (channels
// linked), and the bands are summed again.
//
// Crossovers (ThreeBandCrossover): 4th-order Linkwitz-Riley, each a pair of Butterworth
// biquads (Q = 1/√2, RBJ cookbook; S. Linkwitz, "Active crossover networks for non-coincident
// drivers", JAES 24(1), 1976). LP⁴ + HP⁴ at one frequency is the 2nd-order allpass with the
// same poles (RBJ allpass, Q = 1/√2), so splitting x at f1 into L and H, then H at f2 into M
// and H', and passing L through that allpass at f2, gives
//     low + mid + high = AP_f2 · AP_f1 · x,
// magnitude exactly flat, phase that of two allpasses (D. Self, "The Design of Active
// Crossovers", ch. 12, on aligning a third band). With the compressors at unity gain the
// chain therefore changes no level at any frequency (tested: within 0.01 dB).
// Units: crossover frequencies in Hz (20 Hz ≤ f1 < f2 < 0.45 × rate). Filters run in double
// precision (dsp::Biquad). Latency: the compressors' lookahead (the same for all bands).
// Threads: prepare() allocates (three band buffers of maxBlock frames); process() and reset()
// are real-time safe.

#include <array>
#include <complex>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "dsp/compressor.hpp"
#include "dsp/processor.hpp"

namespace reel::master {

class ThreeBandCrossover {
public:
    enum class Band { low, mid, high };

    /// Designs the filters; invalidArgument unless 20 Hz ≤ f1 < f2 < 0.45 × rate.
    [[nodiscard]] Result<void> setFrequencies(Hertz f1, Hertz f2, SampleRate rate);
    /// Clears the filters' state.
    void reset() noexcept;
    /// Splits `numFrames` samples of channel `channel` (< kMaxChannels) into the three bands.
    void split(int channel, const float* in, float* lowOut, float* midOut, float* highOut, std::int64_t numFrames) noexcept;
    /// The exact response from the input to one band's output at `frequency`.
    std::complex<double> response(Band band, Hertz frequency) const noexcept;

private:
    double rate_ = 48000.0;
    std::array<dsp::Biquad, 2> lowPass1_, highPass1_, lowPass2_, highPass2_;
    dsp::Biquad allPass2_;
};

class MultibandCompressor {
public:
    struct Params {
        Hertz lowCrossover{200.0};
        Hertz highCrossover{3000.0};
        std::array<dsp::Compressor::Params, 3> bands;  // low, mid, high
    };

    [[nodiscard]] Result<void> prepare(const dsp::ProcessSpec& spec, const Params& params);
    /// In place; io.numFrames() ≤ spec.maxBlock.
    void process(AudioView io) noexcept;
    void reset() noexcept;
    int latency() const noexcept { return compressors_[0].latency(); }
    /// The largest gain reduction of any band in the last process() call, dB ≥ 0.
    double gainReductionDb() const noexcept;

private:
    ThreeBandCrossover crossover_;
    std::array<dsp::Compressor, 3> compressors_;
    std::array<AudioBuffer, 3> bands_;
};

}  // namespace reel::master
