#include "dsp/noise_shaped_dither.hpp"

#include <cmath>
#include <complex>
#include <numbers>
#include <string>

namespace reel::dsp {
namespace {

// Lipshitz, Vanderkooy & Wannamaker 1991, table of optimal E-weighted error-feedback
// filters, 9 coefficients, for 44.1 kHz.
constexpr std::array<double, 9> kEWeighted44k{2.412, -3.370, 3.937, -4.174, 3.353, -2.205, 1.281, -0.569, 0.0847};
// (1 − z^−1)² = 1 − 2z^−1 + z^−2, i.e. h = {2, −1}: a second-order high-pass NTF.
constexpr std::array<double, 2> kSecondOrderHighPass{2.0, -1.0};
constexpr double kHighRate = 64000.0;

// SplitMix64 (Steele, Lea & Flood 2014): a counter stepped by the golden-ratio constant and
// a finalizer; every state gives a well-mixed output, so seeds need no care.
inline std::uint64_t splitMix(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Uniform on [−½, ½) LSB from the top 53 bits.
inline double uniformHalfLsb(std::uint64_t& state) noexcept {
    return static_cast<double>(splitMix(state) >> 11) * 0x1.0p-53 - 0.5;
}

}  // namespace

Result<void> NoiseShapedDither::prepare(const ProcessSpec& spec) {
    if (params_.targetBits != 16 && params_.targetBits != 24)
        return fail(ErrorCode::invalidArgument, "noise-shaped dither: target of " + std::to_string(params_.targetBits) +
                                                    " bits; expected 16 or 24 (float needs no dither)");
    if (spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "noise-shaped dither: " + std::to_string(spec.channels) +
                                                    " channels; expected 1 to " + std::to_string(kMaxChannels));
    if (!(spec.sampleRate > 0.0))
        return fail(ErrorCode::invalidArgument, "noise-shaped dither: the sample rate must be positive");
    sampleRate_ = spec.sampleRate;
    h_.fill(0.0);
    if (sampleRate_ < kHighRate) {
        order_ = static_cast<int>(kEWeighted44k.size());
        std::copy(kEWeighted44k.begin(), kEWeighted44k.end(), h_.begin());
    } else {
        order_ = static_cast<int>(kSecondOrderHighPass.size());
        std::copy(kSecondOrderHighPass.begin(), kSecondOrderHighPass.end(), h_.begin());
    }
    reset();
    return {};
}

void NoiseShapedDither::reset() noexcept {
    for (int c = 0; c < kMaxChannels; ++c) {
        state_[static_cast<std::size_t>(c)] = 0x5DEECE66Dull * static_cast<std::uint64_t>(c + 1);
        history_[static_cast<std::size_t>(c)].fill(0.0);
    }
}

Decibels NoiseShapedDither::response(Hertz frequency) const noexcept {
    const double w = 2.0 * std::numbers::pi * frequency.value / sampleRate_;
    std::complex<double> ntf = 1.0;
    for (int k = 1; k <= order_; ++k) ntf -= h_[static_cast<std::size_t>(k - 1)] * std::polar(1.0, -w * k);
    return Decibels{20.0 * std::log10(std::max(std::abs(ntf), 1e-12))};
}

void NoiseShapedDither::process(AudioView io) noexcept {
    // In LSB units and in double (see TpdfDither: at 24 bits a float has no fraction bits left).
    const double lsbPerUnit = std::ldexp(1.0, params_.targetBits - 1);
    const double unitPerLsb = 1.0 / lsbPerUnit;  // exact: a power of two
    const int order = order_;
    for (int c = 0; c < io.numChannels(); ++c) {
        std::uint64_t s = state_[static_cast<std::size_t>(c)];
        std::array<double, kMaxOrder>& past = history_[static_cast<std::size_t>(c)];
        float* x = io.channel(c);
        for (std::int64_t i = 0; i < io.numFrames(); ++i) {
            double feedback = 0.0;
            for (int k = 0; k < order; ++k) feedback += h_[static_cast<std::size_t>(k)] * past[static_cast<std::size_t>(k)];
            const double v = static_cast<double>(x[i]) * lsbPerUnit - feedback;
            const double dither = uniformHalfLsb(s) + uniformHalfLsb(s);  // triangular on (−1, 1) LSB
            const double steps = std::floor(v + dither + 0.5);
            for (int k = order - 1; k > 0; --k) past[static_cast<std::size_t>(k)] = past[static_cast<std::size_t>(k - 1)];
            past[0] = steps - v;
            x[i] = static_cast<float>(steps * unitPerLsb);
        }
        state_[static_cast<std::size_t>(c)] = s;
    }
}

}  // namespace reel::dsp
