#pragma once
// Second-order analog prototypes (bell, shelves) and one or two digital biquads whose
// magnitude response is fitted to the prototype's, so bands near Nyquist keep their analog
// shape instead of "cramping" as bilinear-transform (RBJ cookbook) designs do.
//
// The idea is M. Vicanek's ("Matched Second Order Digital Filters", 2016): |H(e^jω)|² of a
// biquad is a ratio of two quadratics in φ = sin²(ω/2), so magnitude-matching an analog
// prototype is a rational fit in φ. Vicanek fixes the poles by impulse invariance and fits
// the numerator at three points; measured against the analog curve that leaves 0.5–4 dB
// errors for broad or high bells. Here both polynomials are free and fitted by linearised
// weighted least squares (E. C. Levy, "Complex-curve fitting", IRE Trans. AC-4, 1959),
// re-weighted by the previous denominator so the error minimised is the relative error of
// |H|² (C. K. Sanathanan & J. Koerner, "Transfer function synthesis as a ratio of two complex
// polynomials", IEEE Trans. AC-8, 1963). The frequencies fitted: 48 log-spaced from 10 Hz to
// 0.41·fs, 25 around each analog resonance (poles, and a shelf's zeros) spaced by its
// bandwidth f/q, and a few above 0.41·fs at a tenth of the weight that keep the response
// near Nyquist tame.
//
// One biquad cannot follow every prototype: a broad or big bell still rising at Nyquist, a
// resonant shelf whose peak or dip lies near or beyond Nyquist. Where the fitted biquad is
// off by more than kOneSectionDb, |H|² is fitted as a ratio of two quartics in φ instead (the
// same method), and each quartic, non-negative on φ ∈ [0, 1], is split into two quadratics
// at its roots (Aberth–Ehrlich iteration: O. Aberth, "Iteration methods for finding all zeros
// of a polynomial simultaneously", Math. Comp. 27, 1973). A real root pair inside [0, 1] —
// the fit's freedom above 0.41·fs, where nothing constrains it — is cancelled against the
// other polynomial's (a pole–zero doublet) or merged into a complex pair. Where a doublet was
// removed, or the quartics still miss by kOneSectionDb, two cubics are fitted as well (a
// biquad and a first-order section) and the closer fit kept. Each quadratic is then factored
// into a minimum-phase b0 + b1 z⁻¹ + b2 z⁻² (Vicanek's factorisation, §2 of the paper):
// stable poles, minimum-phase zeros, two biquad sections.
//
// Which zeros share a section with which poles, and which section comes first, changes no
// response but decides what a coefficient change does to a running filter's state. Pole
// pairs go with the zeros that keep each section's magnitude flattest; mid-glide (`previous`
// given) that is traded against the coefficient step from what runs, so near-ties keep the
// grouping and sections never swap places. A band growing from one section to two keeps the
// factor nearest its old biquad in the section that holds the old state. Measured with white
// noise (analog_matched_biquad_test.cpp), glide steps so made throw transients like those of
// one-section glides (99th percentile -46 dB for both); fresh designs at every step click.
//
// Accuracy, measured against AnalogBiquad::magnitudeDb over the EQ's whole range (f0 10 Hz to
// 40 kHz, acting at 0.49·fs above that; gain ±24 dB; q 0.1–40; 44.1, 48 and 96 kHz) at 240
// log-spaced points from 10 Hz to 0.4·fs (tests/dsp/equalizer_test.cpp): every bell and shelf
// within 0.1 dB; worst 0.074 dB (a 27.9 kHz, q 40, +18 dB low shelf at 96 kHz). Bells: 0.053 dB
// up to ±6 dB gain, 0.064 up to ±12, 0.065 up to ±18, 0.062 up to ±24; shelves: 0.047, 0.055,
// 0.074, 0.073; critically damped shelves (q 0.5): 0.060. 40 000 random bands at 1000 points
// each: 0.068 dB. Above 0.4·fs nothing is promised: bands set near Nyquist stray up to ~9 dB
// from the analog curve in the last few hundred hertz. f0 above 0.49·fs acts at 0.49·fs. If no
// fit succeeds (never seen on the EQ's ranges, kept as a guard) the RBJ design is returned.
//
// Cost (Release, one core of the development machine, an AMD EPYC at 2.6 GHz): a one-section
// design 6–8 µs (the former one-biquad fit took 9 µs); where two sections are needed 15–20 µs,
// up to ~35 µs when the cubic is fitted as well. The EQ redesigns a band once per 32-frame
// sub-block only while a parameter glides. Real-time safe: no allocation or locks; loops are
// bounded (Aberth–Ehrlich stops after 100 steps, ~10 in practice); about 12 KB of stack.

#include <array>
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

/// A fitted cascade: sections[0..count) run in series.
struct MatchedSections {
    static constexpr int kMax = 2;
    std::array<BiquadCoefficients, kMax> sections{};
    int count = 0;
    /// The largest |dB| difference between the cascade and the prototype at the fit's own
    /// frequencies up to 0.41·fs; between them, below 0.4·fs, the error was at most 0.03 dB
    /// more over the EQ's range (analog_matched_biquad_test.cpp). Infinity for the RBJ fallback.
    double fitErrorDb = 0.0;
};

/// How many sections magnitudeMatched() may return.
enum class SectionCount {
    fewest,  ///< one biquad where it is within kOneSectionDb of the prototype, else two
    two,     ///< always two (the second is the identity when one biquad is all the fit found)
};

/// One biquad is used where its fit is within this many dB of the prototype.
inline constexpr double kOneSectionDb = 0.05;

/// A cascade whose magnitude is fitted to `prototype` (bell or shelf: finite, non-zero gain
/// at DC) at `sampleRate`. f0 above 0.49·fs is treated as 0.49·fs. `previous` is the cascade
/// that ran until now when a glide redesigns it: a two-section result then groups and orders
/// its factors near it (see the top of the file), so filter state stays with the poles it
/// belongs to. Real-time safe.
MatchedSections magnitudeMatched(const AnalogBiquad& prototype, double sampleRate, SectionCount count,
                                 const MatchedSections* previous = nullptr) noexcept;

/// The one-biquad fit alone (the RBJ design if it fails). Real-time safe.
BiquadCoefficients magnitudeMatched(const AnalogBiquad& prototype, double sampleRate) noexcept;

}  // namespace reel::dsp
