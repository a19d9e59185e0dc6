#pragma once
// Static curves of the dynamics processors: the gain (in dB) a steady level gets.
//
// Both curves work in the log domain on a detector level in dB and return a gain in dB
// (≤ 0: these curves only attenuate; make-up gain is added by the caller). The soft knee is
// the quadratic of Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design —
// A Tutorial and Analysis", JAES 60(6), 2012, eq. (4): over a knee of total width W dB
// centred on the threshold, the curve is a parabola that meets both straight parts with
// matching value and slope. The expander curve is the same construction mirrored below the
// threshold.
//
// The curves take a *slope* rather than a ratio, because the processors smooth the slope
// (a linear glide of 1 − 1/R is even across the ratio range; a glide of R is not):
//   compressor: slope = 1 − 1/ratio  (0 = no compression, → 1 = limiting)
//   expander:   slope = ratio − 1     (0 = no expansion, 99 = a 100:1 gate)
// All functions are pure, real-time safe and cheap enough to call per sample.

#include <algorithm>
#include <cmath>

namespace reel::dsp {

/// ln(10)/20: decibelsToGain(x) = exp(x · kLn10Over20) = 10^(x/20).
inline constexpr double kLn10Over20 = 0.11512925464970228420;
/// 20/ln(10): gainToDecibels(g) = kTwentyOverLn10 · ln(g).
inline constexpr double kTwentyOverLn10 = 8.6858896380650365530;

/// 10^(db/20), by exp (faster than pow in a per-sample loop).
inline double decibelsToGain(double db) noexcept { return std::exp(db * kLn10Over20); }

/// The compressor's gain in dB for a level in dB: 0 below the knee, −slope·(level − T) above
/// it, and the quadratic −slope·(level − T + W/2)² / (2W) inside (Giannoulis et al., eq. 4).
/// kneeDb = W ≥ 0 is the knee's full width; 0 gives a hard knee.
inline double compressorGainDb(double levelDb, double thresholdDb, double slope, double kneeDb) noexcept {
    const double over = levelDb - thresholdDb;
    if (2.0 * over <= -kneeDb) return 0.0;  // below the knee (and the hard knee's corner)
    if (2.0 * over >= kneeDb) return -slope * over;
    const double t = over + 0.5 * kneeDb;  // kneeDb > 0 here: one of the tests above holds when it is 0
    return -slope * t * t / (2.0 * kneeDb);
}

/// The downward expander's gain in dB for a level in dB: 0 above the knee, slope·(level − T)
/// below it (ratio R: every dB under the threshold becomes R dB under), the mirrored quadratic
/// −slope·(level − T − W/2)² / (2W) inside, and never below rangeDb (≤ 0), the most it
/// attenuates. A gate is this curve with a steep slope.
inline double expanderGainDb(double levelDb, double thresholdDb, double slope, double kneeDb, double rangeDb) noexcept {
    const double under = levelDb - thresholdDb;
    double gain;
    if (2.0 * under >= kneeDb) gain = 0.0;
    else if (2.0 * under <= -kneeDb) gain = slope * under;
    else {
        const double t = under - 0.5 * kneeDb;
        gain = -slope * t * t / (2.0 * kneeDb);
    }
    return std::max(gain, rangeDb);
}

/// slope for compressorGainDb from a ratio ≥ 1.
inline double compressorSlope(double ratio) noexcept { return 1.0 - 1.0 / ratio; }
/// slope for expanderGainDb from a ratio ≥ 1.
inline double expanderSlope(double ratio) noexcept { return ratio - 1.0; }

}  // namespace reel::dsp
