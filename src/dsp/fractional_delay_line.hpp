#pragma once
// A single-channel delay line read at fractional delays with 4-point (third-order) Lagrange
// interpolation, for delays, choruses and flangers whose delay moves.
//
// Interpolation: the classic maximally-flat FIR fractional delay (Laakso, Välimäki,
// Karjalainen & Laine, "Splitting the unit delay", IEEE Signal Processing Magazine 13(1),
// 1996, §3.3). For a delay D = k + f (k whole, 0 ≤ f < 1) the taps sit at delays k-1 … k+2,
// so the interpolator works in its best range (the fraction between the two middle taps),
// its magnitude never exceeds 1 (safe inside feedback loops), and a whole-frame delay
// (f = 0) is exact: taps (0, 1, 0, 0). Unlike allpass interpolation it has no state, so the
// delay may move every frame without transients.
//
// Convention: read(D) returns the input D frames before the sample that the next push()
// will write, so read(1) is the last pushed sample. Valid D: [2, maxDelay] (the first tap
// must already be written); read() clamps to that range.
//
// Threads: prepare() allocates; push(), read() and reset() are real-time safe.

#include <array>
#include <complex>
#include <cstdint>
#include <vector>

namespace reel::dsp {

class FractionalDelayLine {
public:
    /// The smallest delay read() accepts, in frames.
    static constexpr double kMinDelay = 2.0;

    /// Allocates room for delays up to maxDelayFrames (≥ kMinDelay) and clears.
    void prepare(std::int64_t maxDelayFrames);
    /// Clears the stored signal (zeros).
    void reset() noexcept;
    /// The largest delay read() accepts, in frames.
    double maxDelay() const noexcept { return maxDelay_; }

    /// Appends the newest sample.
    void push(float x) noexcept {
        buffer_[writeIndex_] = x;
        writeIndex_ = (writeIndex_ + 1) & mask_;
    }
    /// The signal delayed by delayFrames (fractional), Lagrange-interpolated.
    float read(double delayFrames) const noexcept {
        double d = delayFrames < kMinDelay ? kMinDelay : (delayFrames > maxDelay_ ? maxDelay_ : delayFrames);
        const auto whole = static_cast<std::size_t>(d);
        const double f = d - static_cast<double>(whole);
        const auto w = lagrangeWeights(f);
        const std::size_t newest = writeIndex_ + mask_ + 1;  // + size keeps the index positive
        const float* b = buffer_.data();
        return static_cast<float>(w[0] * b[(newest - (whole - 1)) & mask_] + w[1] * b[(newest - whole) & mask_] +
                                  w[2] * b[(newest - (whole + 1)) & mask_] + w[3] * b[(newest - (whole + 2)) & mask_]);
    }

    /// Lagrange weights for the taps at delays k-1, k, k+1, k+2 given the fraction f ∈ [0, 1).
    static std::array<double, 4> lagrangeWeights(double f) noexcept {
        const double fm1 = f - 1.0, fm2 = f - 2.0, fp1 = f + 1.0;
        return {-f * fm1 * fm2 / 6.0, fp1 * fm1 * fm2 / 2.0, -fp1 * f * fm2 / 2.0, fp1 * f * fm1 / 6.0};
    }
    /// The interpolator's exact frequency response for a constant delay (what read() does to
    /// a sine of frequencyHz at sampleRate): Σ w_i e^{-jω(k-1+i)}.
    static std::complex<double> response(double delayFrames, double frequencyHz, double sampleRate) noexcept;

private:
    std::vector<float> buffer_;
    std::size_t mask_ = 0;
    std::size_t writeIndex_ = 0;
    double maxDelay_ = kMinDelay;
};

}  // namespace reel::dsp
