#include "analysis/gating_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace reel::analysis {
namespace {

constexpr double kLowestLufs = -70.0;
constexpr double kBinWidthLu = 0.01;
constexpr int kNumBins = 10000;  // -70 … +30 LUFS

int binIndex(double energy) {
    const double position = (energyToLufs(energy) - kLowestLufs) / kBinWidthLu;
    if (!(position > 0.0)) return 0;  // also catches NaN
    return std::min(kNumBins - 1, static_cast<int>(position));
}

}  // namespace

double absoluteGateEnergy() {
    // BS.1770-4: blocks below -70 LKFS are dropped; energy = 10^((L + 0.691)/10).
    static const double energy = std::pow(10.0, (kLowestLufs + 0.691) / 10.0);
    return energy;
}

double energyToLufs(double energy) {
    if (energy <= 0.0) return -std::numeric_limits<double>::infinity();
    return -0.691 + 10.0 * std::log10(energy);
}

GatingHistogram::GatingHistogram() : bins_(kNumBins) {}

void GatingHistogram::add(double energy) noexcept {
    Bin& bin = bins_[static_cast<std::size_t>(binIndex(energy))];
    ++bin.count;
    bin.energySum += energy;
    ++count_;
    energySum_ += energy;
}

void GatingHistogram::clear() noexcept {
    std::fill(bins_.begin(), bins_.end(), Bin{});
    count_ = 0;
    energySum_ = 0.0;
}

std::optional<double> GatingHistogram::gatedMeanEnergy(double thresholdEnergy) const noexcept {
    std::int64_t n = 0;
    double sum = 0.0;
    for (const Bin& bin : bins_) {
        if (bin.count == 0 || bin.energySum / static_cast<double>(bin.count) < thresholdEnergy) continue;
        n += bin.count;
        sum += bin.energySum;
    }
    if (n == 0) return std::nullopt;
    return sum / static_cast<double>(n);
}

std::optional<GatingHistogram::Range> GatingHistogram::percentileEnergies(double thresholdEnergy, double low,
                                                                          double high) const noexcept {
    auto passes = [&](const Bin& bin) {
        return bin.count > 0 && bin.energySum / static_cast<double>(bin.count) >= thresholdEnergy;
    };
    std::int64_t n = 0;
    for (const Bin& bin : bins_)
        if (passes(bin)) n += bin.count;
    if (n == 0) return std::nullopt;

    // The energy of the element with sorted index `rank` (0-based) among the passing blocks.
    auto energyAtRank = [&](std::int64_t rank) {
        std::int64_t seen = 0;
        for (const Bin& bin : bins_) {
            if (!passes(bin)) continue;
            seen += bin.count;
            if (seen > rank) return bin.energySum / static_cast<double>(bin.count);
        }
        return 0.0;  // unreachable: rank < n
    };
    auto rankOf = [&](double p) {
        return static_cast<std::int64_t>(static_cast<double>(n - 1) * p + 0.5);
    };
    return Range{energyAtRank(rankOf(low)), energyAtRank(rankOf(high))};
}

}  // namespace reel::analysis
