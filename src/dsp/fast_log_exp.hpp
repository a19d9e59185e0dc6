#pragma once
// Natural log and exp in float for the dynamics processors' per-sample level and gain
// conversions, written so GCC vectorizes loops over them (no libm call, no branch).
//
// Why: a compressor converts every frame's level to dB (a log) and every frame's gain back
// to linear (an exp); through libm's double log and exp those two calls were a third of a
// compressor's time. Here both are a range reduction by the float's exponent and a short
// polynomial, the construction of the Cephes library's logf and expf (S. L. Moshier, "Methods
// and Programs for Mathematical Functions", 1989; the polynomial coefficients are his).
//
// Accuracy (measured against double log/exp over the ranges below): lnApprox within 8e-8
// absolute (relative above e), expApprox within 8e-8 relative, i.e. under 1e-6 dB for any
// level or gain a processor uses: far below the 0.1 dB the static curves are held to. Same input, same output, in a vectorized loop or not
// (-ffp-contract=off: no fused operations that would differ between the two).
//
// Ranges: lnApprox takes a positive normal float (callers floor levels at 1e-30); expApprox
// takes any float and clamps it to [-87, 88] (gains from 1.6e-38 to 1.6e38).

#include <bit>
#include <cstdint>

namespace reel::dsp {

// Every choice below is made on integers: GCC will not turn a float comparison into a
// branch-free vector select (it could raise an FP exception under the default
// -ftrapping-math), and a branch keeps a loop scalar.

/// ln(x) for a positive normal float x.
inline float lnApprox(float x) noexcept {
    // x = m · 2^e with m in [√½, √2), so ln x = ln m + e·ln 2 and ln m = ln(1 + f), |f| < 0.42.
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t mantissa = bits & 0x007FFFFFu;
    const std::uint32_t high = mantissa > 0x003504F3u ? 1u : 0u;  // the mantissa of √2
    const float m = std::bit_cast<float>(mantissa | (0x3F800000u - (high << 23)));  // [1, √2) or [√½, 1)
    const auto e = static_cast<float>(static_cast<std::int32_t>((bits >> 23) + high) - 127);
    const float f = m - 1.0f;
    const float z = f * f;
    float p = 7.0376836292e-2f;
    p = p * f - 1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f - 1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f - 1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f - 2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    // ln 2 in two parts (0.693359375 is exact in few bits), so e·ln 2 loses nothing.
    const float y = p * f * z - 2.12194440e-4f * e - 0.5f * z;
    return f + y + 0.693359375f * e;
}

/// e^x, x clamped to [-87, 88] (NaN becomes one of the two).
inline float expApprox(float x) noexcept {
    // The clamp on the bit pattern: a float's magnitude orders like its bits.
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t sign = bits & 0x80000000u;
    const std::uint32_t limit = sign != 0 ? 0x42AE0000u : 0x42B00000u;  // 87.0f, 88.0f
    const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    x = std::bit_cast<float>(sign | (magnitude > limit ? limit : magnitude));
    // x = n·ln 2 + r with n = round(x / ln 2), |r| ≲ ln 2 / 2; e^x = 2^n · e^r. The offset of
    // 128 makes the rounded value positive, where truncation is floor.
    const std::int32_t n = static_cast<std::int32_t>(x * 1.44269504f + 128.5f) - 128;
    const auto nf = static_cast<float>(n);
    const float r = x - nf * 0.693359375f + nf * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float er = p * (r * r) + r + 1.0f;
    return er * std::bit_cast<float>(static_cast<std::uint32_t>(n + 127) << 23);
}

}  // namespace reel::dsp
