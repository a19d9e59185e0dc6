#include "dsp/tpdf_dither.hpp"

#include <cmath>
#include <string>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace reel::dsp {
namespace {

// Any fixed odd constant works; this one is 2^64 / φ, a common choice for spreading seeds.
constexpr std::uint64_t kSeedSpread = 0x9E3779B97F4A7C15ull;

// A distinct non-zero start state per generator (xorshift never leaves the all-zero state),
// mixed with the SplitMix64 finalizer (Steele, Lea & Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014) so neighbouring generators start far apart.
std::uint64_t seedFor(int generator) {
    std::uint64_t z = kSeedSpread * static_cast<std::uint64_t>(generator + 1);
    z ^= z >> 31;
    z *= 0xBF58476D1CE4E5B9ull;
    z ^= z >> 29;
    return z != 0 ? z : kSeedSpread;
}

// xorshift64* (Vigna 2016): shifts 12, 25, 27 and the multiplier from the paper.
constexpr std::uint64_t kXorshiftMultiplier = 0x2545F4914F6CDD1Dull;
inline std::uint64_t next(std::uint64_t& s) noexcept {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * kXorshiftMultiplier;
}

// Triangular on (-1, 1) LSB: the sum of two uniform values in [-0.5, 0.5), the high and low
// halves of one draw. Converted through int64 (exact below 2^33): a uint64 -> double
// conversion is a slow multi-instruction sequence on baseline x86-64.
inline double triangular(std::uint64_t draw) noexcept {
    const auto high = static_cast<std::int64_t>(draw >> 32);
    const auto low = static_cast<std::int64_t>(draw & 0xFFFFFFFFull);
    return static_cast<double>(high + low) * 0x1.0p-32 - 1.0;
}

// floor(y), exactly, without the libm call GCC emits for std::floor on baseline x86-64.
// Beyond 2^52 every double is an integer already (and the cast could overflow); NaN and
// infinities pass through unchanged.
inline double floorExact(double y) noexcept {
    if (!(std::fabs(y) < 0x1.0p52)) return y;
    const auto truncated = static_cast<double>(static_cast<std::int64_t>(y));
    return truncated > y ? truncated - 1.0 : truncated;
}

Result<void> checkBits(int bits) {
    if (bits != 16 && bits != 24)
        return fail(ErrorCode::invalidArgument,
                    "dither: target of " + std::to_string(bits) + " bits; expected 16 or 24 (float needs no dither)");
    return {};
}

}  // namespace

Result<void> TpdfDither::prepare(const ProcessSpec& spec) {
    if (auto ok = checkBits(params_.targetBits); !ok) return ok;
    if (spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "dither: " + std::to_string(spec.channels) +
                                                    " channels; expected 1 to " + std::to_string(kMaxChannels));
    reset();
    return {};
}

Result<void> TpdfDither::setParams(const Params& params) {
    if (auto ok = checkBits(params.targetBits); !ok) return ok;
    params_ = params;
    return {};
}

void TpdfDither::reset() noexcept {
    for (int c = 0; c < kMaxChannels; ++c) {
        for (int lane = 0; lane < kLanes; ++lane)
            state_[static_cast<std::size_t>(c)][static_cast<std::size_t>(lane)] = seedFor(c * kLanes + lane);
        nextLane_[static_cast<std::size_t>(c)] = 0;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
namespace {

// a·b mod 2^64 in each 64-bit lane (AVX2 has no 64-bit multiply): with a = aH·2^32 + aL,
// a·b = aL·bL + ((aL·bH + aH·bL) << 32) mod 2^64.
__attribute__((target("avx2"), always_inline)) inline __m256i multiplyLow64(__m256i a, __m256i b,
                                                                            __m256i bHigh) noexcept {
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(a, bHigh), _mm256_mul_epu32(_mm256_srli_epi64(a, 32), b));
    return _mm256_add_epi64(_mm256_mul_epu32(a, b), _mm256_slli_epi64(cross, 32));
}

}  // namespace

__attribute__((target("avx2"))) std::int64_t TpdfDither::quantizeLanesAvx2(float* x, std::int64_t numFrames,
                                                                           Lanes& state) const noexcept {
    // The four generators in one register, one draw each per step, for four consecutive
    // samples (lane 0 first): next(), triangular() and quantize() below, operation for
    // operation, so the bits are the scalar loop's (tested). The int64 → double conversion
    // of high + low (< 2^33) goes through the 2^52 exponent trick, exact like the cast.
    const __m256i multiplier = _mm256_set1_epi64x(static_cast<long long>(kXorshiftMultiplier));
    const __m256i multiplierHigh = _mm256_srli_epi64(multiplier, 32);
    const __m256i lowHalf = _mm256_set1_epi64x(0xFFFFFFFFll);
    const __m256i twoTo52Bits = _mm256_castpd_si256(_mm256_set1_pd(0x1.0p52));
    const __m256d twoTo52 = _mm256_set1_pd(0x1.0p52);
    const __m256d scaleToLsb = _mm256_set1_pd(0x1.0p-32);
    const __m256d one = _mm256_set1_pd(1.0), half = _mm256_set1_pd(0.5);
    const __m256d lsbPerUnit = _mm256_set1_pd(std::ldexp(1.0, params_.targetBits - 1));
    const __m256d unitPerLsb = _mm256_set1_pd(std::ldexp(1.0, 1 - params_.targetBits));
    __m256i s = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(state.data()));
    std::int64_t i = 0;
    for (; i + kLanes <= numFrames; i += kLanes) {
        s = _mm256_xor_si256(s, _mm256_srli_epi64(s, 12));
        s = _mm256_xor_si256(s, _mm256_slli_epi64(s, 25));
        s = _mm256_xor_si256(s, _mm256_srli_epi64(s, 27));
        const __m256i draw = multiplyLow64(s, multiplier, multiplierHigh);
        const __m256i sum = _mm256_add_epi64(_mm256_srli_epi64(draw, 32), _mm256_and_si256(draw, lowHalf));
        const __m256d sumAsDouble = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(sum, twoTo52Bits)), twoTo52);
        const __m256d triangular = _mm256_sub_pd(_mm256_mul_pd(sumAsDouble, scaleToLsb), one);
        const __m256d scaled = _mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), lsbPerUnit);
        const __m256d steps = _mm256_round_pd(_mm256_add_pd(_mm256_add_pd(scaled, triangular), half),
                                              _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        _mm_storeu_ps(x + i, _mm256_cvtpd_ps(_mm256_mul_pd(steps, unitPerLsb)));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(state.data()), s);
    return i;
}
#else
std::int64_t TpdfDither::quantizeLanesAvx2(float*, std::int64_t, Lanes&) const noexcept { return 0; }
#endif

void TpdfDither::process(AudioView io) noexcept {
    // Work in LSB units and in double: at 24 bits a full-scale sample is 2^23 LSB, where a
    // float has no fraction bits left for the dither.
    const double lsbPerUnit = std::ldexp(1.0, params_.targetBits - 1);
    const double unitPerLsb = 1.0 / lsbPerUnit;  // exact: a power of two
    auto quantize = [&](float x, std::uint64_t draw) {
        const double steps = floorExact(static_cast<double>(x) * lsbPerUnit + triangular(draw) + 0.5);
        return static_cast<float>(steps * unitPerLsb);
    };
    const std::int64_t numFrames = io.numFrames();
    for (int c = 0; c < io.numChannels(); ++c) {
        const auto ch = static_cast<std::size_t>(c);
        Lanes s = state_[ch];
        int lane = nextLane_[ch];
        float* x = io.channel(c);
        std::int64_t i = 0;
        // Up to the next sample of generator 0, then four at a time (the four chains run
        // side by side), then the rest: the generator of a sample never depends on blocks.
        for (; i < numFrames && lane != 0; ++i, lane = (lane + 1) % kLanes)
            x[i] = quantize(x[i], next(s[static_cast<std::size_t>(lane)]));
        if (avx2_) i += quantizeLanesAvx2(x + i, numFrames - i, s);
        for (; i + kLanes <= numFrames; i += kLanes) {
            x[i] = quantize(x[i], next(s[0]));
            x[i + 1] = quantize(x[i + 1], next(s[1]));
            x[i + 2] = quantize(x[i + 2], next(s[2]));
            x[i + 3] = quantize(x[i + 3], next(s[3]));
        }
        for (; i < numFrames; ++i, lane = (lane + 1) % kLanes)
            x[i] = quantize(x[i], next(s[static_cast<std::size_t>(lane)]));
        state_[ch] = s;
        nextLane_[ch] = lane;
    }
}

}  // namespace reel::dsp
