#pragma once
// K-weighting (ITU-R BS.1770-4, Annex 1): the two biquads every loudness value is built on,
// designed for any sample rate.
//
// BS.1770-4 prints the filters only at 48 kHz (Table 1: the "pre-filter", a high shelf that
// models the acoustic effect of the head; Table 2: the "RLB" high-pass). We recover each
// filter's analog prototype from those printed coefficients by inverting the bilinear
// transform, then discretize the prototype again at the wanted rate with the bilinear
// transform pre-warped at the prototype's own characteristic frequency. At 48 kHz this gives
// back the printed coefficients (to their 14 printed digits); at other rates the filters keep
// the prototype's shape. Stage 2 keeps Table 2's numerator (1, -2, 1) at every rate, as the
// Recommendation prints it and as libebur128 and FFmpeg do; only its poles move with the rate.

#include "core/units.hpp"

namespace reel::analysis {

/// One biquad section with a0 normalized to 1: y[n] = b0·x[n] + b1·x[n-1] + b2·x[n-2]
/// − a1·y[n-1] − a2·y[n-2].
struct BiquadCoefficients {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};

/// The two K-weighting stages at one sample rate; audio runs through `shelf` then `highPass`.
struct KWeighting {
    BiquadCoefficients shelf;     // BS.1770-4 Table 1 at 48 kHz
    BiquadCoefficients highPass;  // BS.1770-4 Table 2 at 48 kHz
};

/// Analog prototype of stage 1: H(p) = (highGain·p² + (midGain/q)·p + dcGain) / (p² + p/q + 1)
/// with p = s / (2π·centre): `dcGain` (≈ 1) below the shelf, `highGain` (≈ +4 dB) above it.
struct ShelfPrototype {
    Hertz centre;
    double q = 0.0;
    double highGain = 1.0;  // linear amplitude
    double midGain = 1.0;   // linear; shapes the transition
    double dcGain = 1.0;    // linear
};

/// Analog prototype of stage 2: H(p) = p² / (p² + p/q + 1), p = s / (2π·corner).
struct HighPassPrototype {
    Hertz corner;
    double q = 0.0;
};

/// Stage 1's prototype, recovered from BS.1770-4 Table 1.
ShelfPrototype kWeightingShelfPrototype();
/// Stage 2's prototype, recovered from BS.1770-4 Table 2.
HighPassPrototype kWeightingHighPassPrototype();

/// Both K-weighting stages at `rate` (which must exceed twice the shelf's centre, ~3.4 kHz).
KWeighting designKWeighting(SampleRate rate);

/// The analytic magnitude response of a biquad at a frequency, from its transfer function.
Decibels magnitudeResponse(const BiquadCoefficients& filter, Hertz frequency, SampleRate rate);

/// The analytic magnitude response of both K-weighting stages in cascade.
Decibels magnitudeResponse(const KWeighting& filter, Hertz frequency, SampleRate rate);

}  // namespace reel::analysis
