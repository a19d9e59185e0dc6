#pragma once
// The level a dynamics processor reacts to, per channel, as a mean square (x² units).
//
//   peak: the instantaneous x², so the level is the sample's own peak level |x| in dB;
//         the attack/release smoothing after the gain computer does the rest (Giannoulis,
//         Massberg & Reiss, JAES 2012: a peak detector in the log domain).
//   rms:  the mean of x² over a sliding rectangular window (default 10 ms). The level of a
//         sine is then its RMS level: a full-scale sine reads −3.01 dB, not 0 dB. A window
//         holding whole periods gives a ripple-free level for a steady tone.
// toDecibels() turns a mean square into dB: 10·log10(ms), floored at −300 dB so silence
// gives a finite level (no −inf, no 0·inf = NaN in the curves).
//
// prepare() allocates; meanSquare() and reset() are real-time safe.

#include <cmath>
#include <cstdint>
#include <vector>

#include "dsp/moving_average.hpp"

namespace reel::dsp {

enum class LevelDetection { peak, rms };

class LevelDetector {
public:
    /// The RMS window the compressor and the expander use.
    static constexpr double kDefaultRmsWindowSeconds = 0.010;
    /// The lowest level reported: −300 dB (a mean square of 1e-30).
    static constexpr double kFloorMeanSquare = 1e-30;

    /// Allocates per-channel state: `channels` ≥ 1, the window in frames (used by rms).
    void prepare(int channels, LevelDetection detection, std::int64_t rmsWindowFrames);
    void reset() noexcept;
    LevelDetection detection() const noexcept { return detection_; }

    /// The mean square of `channel` after its next sample x.
    double meanSquare(int channel, float x) noexcept {
        const double square = static_cast<double>(x) * static_cast<double>(x);
        if (detection_ == LevelDetection::peak) return square;
        return windows_[static_cast<std::size_t>(channel)].push(square);
    }

    /// 10·log10 of a mean square, floored at −300 dB.
    static double toDecibels(double meanSquare) noexcept {
        // 10/ln(10): ln is cheaper than log10 in a per-sample loop.
        return 4.3429448190325182765 * std::log(meanSquare > kFloorMeanSquare ? meanSquare : kFloorMeanSquare);
    }

private:
    LevelDetection detection_ = LevelDetection::peak;
    std::vector<MovingAverage> windows_;
};

}  // namespace reel::dsp
