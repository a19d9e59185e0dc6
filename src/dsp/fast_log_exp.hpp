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
// absolute (relative above e), expApprox within 8.1e-8 relative, i.e. under 1e-6 dB for any
// level or gain a processor uses: far below the 0.1 dB the static curves are held to. Same
// input, same output, in a vectorized loop or not (-ffp-contract=off: no fused operations
// that would differ between the two).
//
// Fma::yes: for code compiled for AVX2+FMA (core/cpu_features.hpp). The same polynomials,
// evaluated by Estrin's scheme with fused multiply-adds: half the dependent steps of Horner's
// and fewer operations, which made a block loop over them about 20 % faster on this project's
// AMD EPYC (such loops are bound by those chains, not by the arithmetic units). The same
// accuracy, other bits in the last place: measured over the whole ranges (compressor_test.cpp,
// FastLogExp) lnApprox 7.9e-8 fused vs 7.8e-8, expApprox 8.5e-8 relative vs 8.1e-8.
//
// Ranges: lnApprox takes a positive normal float (callers floor levels at 1e-30); expApprox
// takes any float and clamps it to [-87, 88] (gains from 1.6e-38 to 1.6e38).

#include <bit>
#include <cstdint>

namespace reel::dsp {

/// Whether a processor's loop fuses its multiply-adds (x86 FMA3). The build never contracts
/// on its own (-ffp-contract=off); code compiled with __attribute__((target("avx2,fma")))
/// asks for fusion with Fma::yes, where __builtin_fma, inlined into that code, is one vfmadd
/// instruction (not inlined, it would be a slow library call: the reel binary has none, checked
/// with objdump on 2026-11-24). See core/cpu_features.hpp for what fusion does to the bits.
enum class Fma { no, yes };

/// a·b + c: two roundings with Fma::no, one with Fma::yes.
template <Fma fma>
inline double multiplyAdd(double a, double b, double c) noexcept {
    if constexpr (fma == Fma::yes) return __builtin_fma(a, b, c);
    else return a * b + c;
}

// Every choice below is made on integers: GCC will not turn a float comparison into a
// branch-free vector select (it could raise an FP exception under the default
// -ftrapping-math), and a branch keeps a loop scalar.

/// ln(x) for a positive normal float x. With Fma::yes: the same polynomial evaluated by
/// Estrin's scheme with fused multiply-adds (see the top of this file).
template <Fma fma = Fma::no>
inline float lnApprox(float x) noexcept {
    // x = m · 2^e with m in [√½, √2), so ln x = ln m + e·ln 2 and ln m = ln(1 + f), |f| < 0.42.
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t mantissa = bits & 0x007FFFFFu;
    const std::uint32_t high = mantissa > 0x003504F3u ? 1u : 0u;  // the mantissa of √2
    const float m = std::bit_cast<float>(mantissa | (0x3F800000u - (high << 23)));  // [1, √2) or [√½, 1)
    const auto e = static_cast<float>(static_cast<std::int32_t>((bits >> 23) + high) - 127);
    const float f = m - 1.0f;
    const float z = f * f;
    if constexpr (fma == Fma::yes) {
        // p(f) = c0·f⁸ + c1·f⁷ + … + c8 as (c7·f + c8) + z·(c5·f + c6) + z²·((c3·f + c4) +
        // z·((c1·f + c2) + z·c0)): a chain of 4 fused steps instead of 8.
        const float z2 = z * z;
        const float p78 = __builtin_fmaf(-2.4999993993e-1f, f, 3.3333331174e-1f);
        const float p56 = __builtin_fmaf(-1.6668057665e-1f, f, 2.0000714765e-1f);
        const float p34 = __builtin_fmaf(-1.2420140846e-1f, f, 1.4249322787e-1f);
        const float p12 = __builtin_fmaf(-1.1514610310e-1f, f, 1.1676998740e-1f);
        const float lowOrders = __builtin_fmaf(p56, z, p78);
        const float highOrders = __builtin_fmaf(__builtin_fmaf(7.0376836292e-2f, z, p12), z, p34);
        const float p = __builtin_fmaf(highOrders, z2, lowOrders);
        // p·f·z − 0.5·z and e·ln 2 in its two parts, as below, fused.
        const float y = __builtin_fmaf(p * f, z, __builtin_fmaf(-2.12194440e-4f, e, -0.5f * z));
        return __builtin_fmaf(0.693359375f, e, f + y);
    } else {
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
}

/// e^x, x clamped to [-87, 88] (NaN becomes one of the two). With Fma::yes: the same
/// polynomial evaluated by Estrin's scheme with fused multiply-adds.
template <Fma fma = Fma::no>
inline float expApprox(float x) noexcept {
    // The clamp on the bit pattern: a float's magnitude orders like its bits.
    const auto bits = std::bit_cast<std::uint32_t>(x);
    const std::uint32_t sign = bits & 0x80000000u;
    const std::uint32_t limit = sign != 0 ? 0x42AE0000u : 0x42B00000u;  // 87.0f, 88.0f
    const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    x = std::bit_cast<float>(sign | (magnitude > limit ? limit : magnitude));
    // x = n·ln 2 + r with n = round(x / ln 2), |r| ≲ ln 2 / 2; e^x = 2^n · e^r. The offset of
    // 128 makes the rounded value positive, where truncation is floor.
    float er;
    std::int32_t n;
    if constexpr (fma == Fma::yes) {
        n = static_cast<std::int32_t>(__builtin_fmaf(x, 1.44269504f, 128.5f)) - 128;
        const auto nf = static_cast<float>(n);
        const float r = __builtin_fmaf(nf, 2.12194440e-4f, __builtin_fmaf(nf, -0.693359375f, x));
        // p(r) = c0·r⁵ + … + c5 as (c4·r + c5) + r²·((c2·r + c3) + r²·(c0·r + c1)): 3 fused
        // steps instead of 5.
        const float r2 = r * r;
        const float p01 = __builtin_fmaf(1.9875691500e-4f, r, 1.3981999507e-3f);
        const float p23 = __builtin_fmaf(8.3334519073e-3f, r, 4.1665795894e-2f);
        const float p45 = __builtin_fmaf(1.6666665459e-1f, r, 5.0000001201e-1f);
        const float p = __builtin_fmaf(__builtin_fmaf(p01, r2, p23), r2, p45);
        er = __builtin_fmaf(p, r2, r) + 1.0f;
    } else {
        n = static_cast<std::int32_t>(x * 1.44269504f + 128.5f) - 128;
        const auto nf = static_cast<float>(n);
        const float r = x - nf * 0.693359375f + nf * 2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        er = p * (r * r) + r + 1.0f;
    }
    return er * std::bit_cast<float>(static_cast<std::uint32_t>(n + 127) << 23);
}

}  // namespace reel::dsp
