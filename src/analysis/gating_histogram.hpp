#pragma once
// A fixed-size store of gating-block energies for integrated loudness and loudness range.
//
// BS.1770-4 gating and EBU Tech 3342 percentiles need every block's energy, which grows with
// programme length. Instead of a growing list (which would allocate on the audio thread), the
// blocks are binned by loudness in 0.01 LU steps from -70 to +30 LUFS, and each bin keeps its
// exact count and exact energy sum. Sums over "all blocks" are therefore exact; a gate decides
// per bin (by the bin's mean energy), so only blocks within 0.01 LU of a gate threshold can be
// classified differently from a per-block decision, and a percentile is known to within the
// 0.01 LU width of its bin. Memory: 160 kB, allocated once in the constructor.

#include <cstdint>
#include <optional>
#include <vector>

namespace reel::analysis {

/// Energy (mean square, K-weighted, channel-weighted) of a block at the -70 LUFS absolute gate.
double absoluteGateEnergy();
/// BS.1770-4 loudness of a block energy: -0.691 + 10·log10(energy); -inf for 0.
double energyToLufs(double energy);

class GatingHistogram {
public:
    GatingHistogram();

    /// Adds one block (energy ≥ absoluteGateEnergy(); louder than +30 LUFS lands in the top bin).
    void add(double energy) noexcept;
    /// Forgets every block.
    void clear() noexcept;

    /// Blocks added.
    std::int64_t count() const noexcept { return count_; }
    /// Their energies summed, in the order they were added.
    double energySum() const noexcept { return energySum_; }

    /// The mean energy of the blocks whose bin mean is ≥ `thresholdEnergy`; nullopt if none.
    std::optional<double> gatedMeanEnergy(double thresholdEnergy) const noexcept;

    struct Range {
        double lowEnergy = 0.0;
        double highEnergy = 0.0;
    };
    /// Among the blocks gated as in gatedMeanEnergy(), the energies at two percentiles
    /// (0–1, nearest rank: sorted index ⌊(n−1)·p + ½⌋); nullopt if no block passes.
    std::optional<Range> percentileEnergies(double thresholdEnergy, double low, double high) const noexcept;

private:
    struct Bin {
        std::int64_t count = 0;
        double energySum = 0.0;
    };
    std::vector<Bin> bins_;
    std::int64_t count_ = 0;
    double energySum_ = 0.0;
};

}  // namespace reel::analysis
