#include "dsp/tpdf_dither.hpp"

#include <cmath>
#include <string>

namespace reel::dsp {
namespace {

// Any fixed odd constant works; this one is 2^64 / φ, a common choice for spreading seeds.
constexpr std::uint64_t kSeedSpread = 0x9E3779B97F4A7C15ull;

// A distinct non-zero start state per channel (xorshift never leaves the all-zero state),
// mixed with the SplitMix64 finalizer (Steele, Lea & Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014) so neighbouring channels start far apart.
std::uint64_t seedFor(int channel) {
    std::uint64_t z = kSeedSpread * static_cast<std::uint64_t>(channel + 1);
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

// Uniform in [-0.5, 0.5) LSB from the top 53 bits, the best-mixed ones of xorshift64*.
inline double uniformHalfLsb(std::uint64_t& s) noexcept { return static_cast<double>(next(s) >> 11) * 0x1.0p-53 - 0.5; }

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
    for (int c = 0; c < kMaxChannels; ++c) state_[static_cast<std::size_t>(c)] = seedFor(c);
}

void TpdfDither::process(AudioView io) noexcept {
    // Work in LSB units and in double: at 24 bits a full-scale sample is 2^23 LSB, where a
    // float has no fraction bits left for the dither.
    const double lsbPerUnit = std::ldexp(1.0, params_.targetBits - 1);
    const double unitPerLsb = 1.0 / lsbPerUnit;  // exact: a power of two
    for (int c = 0; c < io.numChannels(); ++c) {
        std::uint64_t s = state_[static_cast<std::size_t>(c)];
        float* x = io.channel(c);
        for (std::int64_t i = 0; i < io.numFrames(); ++i) {
            const double dither = uniformHalfLsb(s) + uniformHalfLsb(s);  // triangular on (-1, 1) LSB
            const double steps = std::floor(static_cast<double>(x[i]) * lsbPerUnit + dither + 0.5);
            x[i] = static_cast<float>(steps * unitPerLsb);
        }
        state_[static_cast<std::size_t>(c)] = s;
    }
}

}  // namespace reel::dsp
