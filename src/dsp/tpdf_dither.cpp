#include "dsp/tpdf_dither.hpp"

#include <cmath>
#include <string>

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
inline std::uint64_t next(std::uint64_t& s) noexcept {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
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
