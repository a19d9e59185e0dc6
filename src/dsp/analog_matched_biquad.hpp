#pragma once
// Second-order analog prototypes (bell, shelves) and a digital biquad whose magnitude
// response is fitted to the prototype's, so bands near Nyquist keep their analog shape
// instead of "cramping" as bilinear-transform (RBJ cookbook) designs do.
//
// The idea is M. Vicanek's ("Matched Second Order Digital Filters", 2016): |H(e^jω)|² of a
// biquad is a ratio of two quadratics in φ = sin²(ω/2), so magnitude-matching an analog
// prototype is a rational fit in φ. Vicanek fixes the poles by impulse invariance and fits
// the numerator at three points; measured against the analog curve that leaves 0.5–4 dB
// errors for broad or high bells (poles from impulse invariance alias when heavily damped).
// Here both quadratics are free and fitted by linearised weighted least squares on ~64
// frequencies up to 0.41·fs (E. C. Levy, "Complex-curve fitting", IRE Trans. AC-4, 1959),
// re-weighted by the previous denominator so the error minimised is the relative error of
// |H|² (C. K. Sanathanan & J. Koerner, "Transfer function synthesis as a ratio of two complex
// polynomials", IEEE Trans. AC-8, 1963). Each fitted quadratic, non-negative on φ ∈ [0, 1],
// is then factored into a minimum-phase polynomial b0 + b1 z⁻¹ + b2 z⁻², giving stable poles
// and minimum-phase zeros (Vicanek's factorisation, §2 of the paper).
//
// Accuracy (tests/dsp/equalizer_test.cpp measures it over 200 log-spaced points, 10 Hz to
// 0.4·fs, at 44.1/48/96 kHz, f0 30 Hz–20 kHz): gains up to ±6 dB, bells q 0.2–10 and shelves
// q 0.71–1: within 0.11 dB (worst seen 0.1004 dB). ±12 dB: 0.2 dB; ±24 dB: 0.35 dB — the limit
// of one biquad, which cannot follow a broad analog bell still rising at Nyquist. Weak spot:
// critically damped shelves (q ≈ 0.5) reach 0.6 dB at 15 kHz. f0 above 0.49·fs acts at 0.49·fs.
// If a fit fails (never seen on the parameter ranges the EQ allows, but kept as a guard),
// the RBJ design of the same prototype is returned.
//
// Cost: one design is ~10 µs (six 5×5 least-squares solves over ~65 points); the EQ calls it
// once per 32-frame sub-block only while a parameter glides (~300 ns/frame per gliding band). Real-time safe: no allocation.

#include <complex>

#include "dsp/biquad.hpp"

namespace reel::dsp {

/// An analog second-order section in normalised frequency x = f / f0:
///   H(s) = (n0 + n1 s + n2 s²) / (d0 + d1 s + d2 s²),  s = j·x.
struct AnalogBiquad {
    double n0 = 1.0, n1 = 0.0, n2 = 0.0, d0 = 1.0, d1 = 0.0, d2 = 0.0;
    double frequency = 1000.0;  // f0 in Hz

    /// The complex response at frequencyHz.
    std::complex<double> response(double frequencyHz) const noexcept;
    /// |H|² at frequencyHz.
    double magnitudeSquared(double frequencyHz) const noexcept;
    /// 20·log10 |H| at frequencyHz.
    double magnitudeDb(double frequencyHz) const noexcept;

    // The analog prototypes of the RBJ cookbook (A = 10^(gainDb/40)); the digital RBJ
    // designs are their bilinear transforms prewarped at f0.
    /// Peaking: (s² + (A/Q)s + 1) / (s² + s/(AQ) + 1); gain at f0 = gainDb, bandwidth from q.
    static AnalogBiquad bell(double frequency, double q, double gainDb) noexcept;
    /// Low shelf: A·(s² + (√A/Q)s + A) / (A s² + (√A/Q)s + 1); gainDb below f0, half of it at f0.
    static AnalogBiquad lowShelf(double frequency, double q, double gainDb) noexcept;
    /// High shelf: A·(A s² + (√A/Q)s + 1) / (s² + (√A/Q)s + A); gainDb above f0.
    static AnalogBiquad highShelf(double frequency, double q, double gainDb) noexcept;
    /// Butterworth-section high-pass s² / (s² + s/Q + 1) and low-pass 1 / (s² + s/Q + 1).
    static AnalogBiquad highPass(double frequency, double q) noexcept;
    static AnalogBiquad lowPass(double frequency, double q) noexcept;
    /// Notch (s² + 1) / (s² + s/Q + 1).
    static AnalogBiquad notch(double frequency, double q) noexcept;
};

/// A biquad whose magnitude is fitted to `prototype` (bell or shelf: finite, non-zero gain
/// at DC) at `sampleRate`. f0 above 0.49·fs is treated as 0.49·fs. Real-time safe.
BiquadCoefficients magnitudeMatched(const AnalogBiquad& prototype, double sampleRate) noexcept;

}  // namespace reel::dsp
