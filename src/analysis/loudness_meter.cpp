#include "analysis/loudness_meter.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <initializer_list>

#include <fmt/format.h>

#include "analysis/channel_weights.hpp"

namespace reel::analysis {
namespace {

constexpr double kRelativeGateFactor = 0.1;   // -10 LU, BS.1770-4 Annex 1
constexpr double kRangeGateFactor = 0.01;     // -20 LU, EBU Tech 3342
constexpr double kRangeLowPercentile = 0.10;  // EBU Tech 3342
constexpr double kRangeHighPercentile = 0.95;

// A K-weighted filter state this small is inaudible; zeroing it keeps a decaying tail from
// running into subnormal numbers (which are very slow) during silence.
constexpr double kFlushBelow = 1e-30;

std::optional<Decibels> loudnessOf(double energy) {
    if (!(energy > 0.0)) return std::nullopt;
    return Decibels{energyToLufs(energy)};
}

void flush(double& v) {
    if (std::abs(v) < kFlushBelow) v = 0.0;
}

}  // namespace

Result<void> LoudnessMeter::checkFormat(SampleRate rate, int channels) {
    if (!(rate.value >= 8000.0 && rate.value <= 768000.0))
        return fail(ErrorCode::formatUnsupported,
                    fmt::format("sample rate {} Hz cannot be loudness-metered; BS.1770 needs 8 kHz to 768 kHz",
                                rate.value));
    if (channels < 1 || channels > kMaxChannels)
        return fail(ErrorCode::formatUnsupported,
                    fmt::format("{} channels cannot be loudness-metered; 1 to {} are supported", channels,
                                kMaxChannels));
    return {};
}

LoudnessMeter::LoudnessMeter(SampleRate rate, int channels)
    : rate_(rate),
      channels_(channels),
      // libebur128's rounding of 100 ms, so both measure the same gating blocks.
      framesPer100ms_((std::llround(rate.value) + 5) / 10),
      weights_(bs1770ChannelWeights(channels)),
      filter_(designKWeighting(rate)) {
    assert(checkFormat(rate, channels).has_value());
    for (int c = 0; c < channels; ++c)
        if (weights_[static_cast<std::size_t>(c)] > 0.0) measured_[static_cast<std::size_t>(numMeasured_++)] = c;
    for (int i = 0; i < kSubBlocksPer100ms; ++i) {
        const std::int64_t begin = framesPer100ms_ * i / kSubBlocksPer100ms;
        const std::int64_t end = framesPer100ms_ * (i + 1) / kSubBlocksPer100ms;
        subBlockFrames_[static_cast<std::size_t>(i)] = end - begin;
    }
}

void LoudnessMeter::reset() noexcept {
    state_ = {};
    subBlockSums_ = {};
    framesInSubBlock_ = 0;
    subBlockIn100ms_ = 0;
    current100msEnergy_ = 0.0;
    subBlockEnergies_ = {};
    blockEnergies_ = {};
    subBlocksDone_ = 0;
    blocksDone_ = 0;
    framesProcessed_ = 0;
    momentaryMaxEnergy_ = -1.0;
    shortTermMaxEnergy_ = -1.0;
    gatingBlocks_.clear();
    shortTermBlocks_.clear();
}

void LoudnessMeter::process(AudioView audio) noexcept {
    assert(audio.numChannels() == channels_);
    std::int64_t done = 0;
    const std::int64_t numFrames = audio.numFrames();
    while (done < numFrames) {
        const std::int64_t subBlockLength = subBlockFrames_[static_cast<std::size_t>(subBlockIn100ms_)];
        const std::int64_t take = std::min(numFrames - done, subBlockLength - framesInSubBlock_);
        int j = 0;
        for (; j + 2 <= numMeasured_; j += 2) filterChannels<2>(&measured_[static_cast<std::size_t>(j)], audio, done, take);
        if (j < numMeasured_) filterChannels<1>(&measured_[static_cast<std::size_t>(j)], audio, done, take);
        framesInSubBlock_ += take;
        done += take;
        if (framesInSubBlock_ == subBlockLength) completeSubBlock();
    }
    framesProcessed_ += numFrames;
}

// K-weights N channels together and adds their squares to the sub-block sums. Independent
// channels in one loop let the processor overlap their recursions (and GCC pair them in
// SIMD registers); every operation keeps its order, so results do not depend on N.
template <int N>
void LoudnessMeter::filterChannels(const int* channels, const AudioView& audio, std::int64_t start,
                                   std::int64_t numFrames) noexcept {
    const BiquadCoefficients s = filter_.shelf;
    const BiquadCoefficients h = filter_.highPass;
    const float* in[N];
    double x1[N], x2[N], y1[N], y2[N], z1[N], z2[N], sum[N];
    for (int j = 0; j < N; ++j) {
        const auto c = static_cast<std::size_t>(channels[j]);
        in[j] = audio.channel(channels[j]) + start;
        const FilterState& st = state_[c];
        x1[j] = st.in1, x2[j] = st.in2, y1[j] = st.shelf1, y2[j] = st.shelf2, z1[j] = st.out1, z2[j] = st.out2;
        sum[j] = subBlockSums_[c];
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        for (int j = 0; j < N; ++j) {
            const double x = in[j][i];
            const double y = (s.b0 * x + s.b1 * x1[j] + s.b2 * x2[j] - s.a2 * y2[j]) - s.a1 * y1[j];
            const double z = (h.b0 * y + h.b1 * y1[j] + h.b2 * y2[j] - h.a2 * z2[j]) - h.a1 * z1[j];
            x2[j] = x1[j], x1[j] = x;
            y2[j] = y1[j], y1[j] = y;
            z2[j] = z1[j], z1[j] = z;
            sum[j] += z * z;
        }
    }
    for (int j = 0; j < N; ++j) {
        const auto c = static_cast<std::size_t>(channels[j]);
        state_[c] = {x1[j], x2[j], y1[j], y2[j], z1[j], z2[j]};
        subBlockSums_[c] = sum[j];
    }
}

void LoudnessMeter::completeSubBlock() noexcept {
    double energy = 0.0;
    for (int c = 0; c < channels_; ++c) {
        const auto i = static_cast<std::size_t>(c);
        energy += weights_[i] * subBlockSums_[i];
        subBlockSums_[i] = 0.0;
        FilterState& st = state_[i];
        for (double* v : {&st.in1, &st.in2, &st.shelf1, &st.shelf2, &st.out1, &st.out2}) flush(*v);
    }
    subBlockEnergies_[static_cast<std::size_t>(subBlocksDone_ % kSubRing)] = energy;
    ++subBlocksDone_;
    framesInSubBlock_ = 0;
    current100msEnergy_ += energy;
    if (++subBlockIn100ms_ == kSubBlocksPer100ms) complete100ms();

    if (subBlocksDone_ >= kMomentaryBlocks * kSubBlocksPer100ms)
        momentaryMaxEnergy_ = std::max(momentaryMaxEnergy_, windowEnergy(kMomentaryBlocks));
    if (subBlocksDone_ >= kShortTermBlocks * kSubBlocksPer100ms)
        shortTermMaxEnergy_ = std::max(shortTermMaxEnergy_, windowEnergy(kShortTermBlocks));
}

void LoudnessMeter::complete100ms() noexcept {
    blockEnergies_[static_cast<std::size_t>(blocksDone_ % kBlockRing)] = current100msEnergy_;
    ++blocksDone_;
    current100msEnergy_ = 0.0;
    subBlockIn100ms_ = 0;

    if (blocksDone_ >= kMomentaryBlocks) {
        const double block = windowEnergy(kMomentaryBlocks);
        if (block >= absoluteGateEnergy()) gatingBlocks_.add(block);
    }
    if (blocksDone_ >= kShortTermBlocks) {
        const double block = windowEnergy(kShortTermBlocks);
        if (block >= absoluteGateEnergy()) shortTermBlocks_.add(block);
    }
}

// Mean square of the last `blocks` × 100 ms, ending at the last sub-block boundary: the
// sub-blocks of the unfinished 100 ms step, the whole steps before them, and the tail of the
// step the window starts in.
double LoudnessMeter::windowEnergy(int blocks) const noexcept {
    auto block = [&](std::int64_t back) {  // back = 1: the latest completed 100 ms step
        return blockEnergies_[static_cast<std::size_t>((blocksDone_ - back) % kBlockRing)];
    };
    auto subBlock = [&](std::int64_t back) {
        return subBlockEnergies_[static_cast<std::size_t>((subBlocksDone_ - back) % kSubRing)];
    };
    const std::int64_t partial = subBlockIn100ms_;
    double sum = 0.0;
    if (partial == 0) {
        for (int b = 1; b <= blocks; ++b) sum += block(b);
    } else {
        for (std::int64_t s = 1; s <= partial; ++s) sum += subBlock(s);
        for (int b = 1; b < blocks; ++b) sum += block(b);
        const std::int64_t skipped = partial + static_cast<std::int64_t>(blocks - 1) * kSubBlocksPer100ms;
        for (std::int64_t s = 1; s <= kSubBlocksPer100ms - partial; ++s) sum += subBlock(skipped + s);
    }
    return sum / static_cast<double>(framesPer100ms_ * blocks);
}

std::optional<Decibels> LoudnessMeter::integratedLufs() const noexcept {
    if (gatingBlocks_.count() == 0) return std::nullopt;
    const double threshold =
        gatingBlocks_.energySum() / static_cast<double>(gatingBlocks_.count()) * kRelativeGateFactor;
    const std::optional<double> gated = gatingBlocks_.gatedMeanEnergy(threshold);
    return gated ? loudnessOf(*gated) : std::nullopt;
}

std::optional<Decibels> LoudnessMeter::loudnessRangeLu() const noexcept {
    if (shortTermBlocks_.count() == 0) return std::nullopt;
    const double threshold =
        shortTermBlocks_.energySum() / static_cast<double>(shortTermBlocks_.count()) * kRangeGateFactor;
    const auto range = shortTermBlocks_.percentileEnergies(threshold, kRangeLowPercentile, kRangeHighPercentile);
    if (!range) return std::nullopt;
    return Decibels{energyToLufs(range->highEnergy) - energyToLufs(range->lowEnergy)};
}

std::optional<Decibels> LoudnessMeter::momentaryMaxLufs() const noexcept { return loudnessOf(momentaryMaxEnergy_); }

std::optional<Decibels> LoudnessMeter::shortTermMaxLufs() const noexcept { return loudnessOf(shortTermMaxEnergy_); }

std::optional<Decibels> LoudnessMeter::momentaryLufs() const noexcept {
    if (subBlocksDone_ < kMomentaryBlocks * kSubBlocksPer100ms) return std::nullopt;
    return loudnessOf(windowEnergy(kMomentaryBlocks));
}

std::optional<Decibels> LoudnessMeter::shortTermLufs() const noexcept {
    if (subBlocksDone_ < kShortTermBlocks * kSubBlocksPer100ms) return std::nullopt;
    return loudnessOf(windowEnergy(kShortTermBlocks));
}

}  // namespace reel::analysis
