#include "analysis/k_weighting.hpp"

#include <cassert>
#include <cmath>
#include <complex>
#include <numbers>

namespace reel::analysis {
namespace {

// ITU-R BS.1770-4 Annex 1, Table 1 (pre-filter) and Table 2 (RLB high-pass), fs = 48 kHz.
constexpr double kTableRate = 48000.0;
constexpr BiquadCoefficients kTable1{1.53512485958697, -2.69169618940638, 1.19839281085285,
                                     -1.69065929318241, 0.73248077421585};
constexpr BiquadCoefficients kTable2{1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621};

// A second-order analog section in the normalized variable p = s/ω0, discretized with the
// bilinear transform pre-warped at ω0, i.e. p = (1/K)·(1 − z⁻¹)/(1 + z⁻¹), K = tan(π·f0/fs):
//     H(p) = (n2·p² + n1·p + n0) / (p² + p/q + 1).
// Multiplying through by K²(1 + z⁻¹)² gives, with A0 = 1 + K/q + K²,
//     b = (n2 + n1·K + n0·K², 2·(n0·K² − n2), n2 − n1·K + n0·K²) / A0
//     a = (1, 2·(K² − 1), 1 − K/q + K²) / A0.
struct AnalogSection {
    double f0 = 0.0;  // Hz
    double q = 0.0;
    double n2 = 0.0, n1 = 0.0, n0 = 0.0;
};

double warp(double f0, double rate) { return std::tan(std::numbers::pi * f0 / rate); }

BiquadCoefficients discretize(const AnalogSection& s, double rate) {
    const double k = warp(s.f0, rate);
    const double a0 = 1.0 + k / s.q + k * k;
    return {(s.n2 + s.n1 * k + s.n0 * k * k) / a0, 2.0 * (s.n0 * k * k - s.n2) / a0,
            (s.n2 - s.n1 * k + s.n0 * k * k) / a0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / s.q + k * k) / a0};
}

// Inverts discretize(): from the denominator, A0·(1 − a1 + a2) = 4, so A0 = 4/(1 − a1 + a2),
// K² = 1 + a1·A0/2 and K/q = A0 − 1 − K². The numerator follows from
//     (b0 + b1 + b2)·A0 = 4·n0·K²,  (b0 − b1 + b2)·A0 = 4·n2,  (b0 − b2)·A0 = 2·n1·K.
AnalogSection recoverPrototype(const BiquadCoefficients& d, double rate) {
    const double a0 = 4.0 / (1.0 - d.a1 + d.a2);
    const double kk = 1.0 + d.a1 * a0 / 2.0;
    const double k = std::sqrt(kk);
    const double kOverQ = a0 - 1.0 - kk;
    AnalogSection s;
    s.f0 = rate * std::atan(k) / std::numbers::pi;
    s.q = k / kOverQ;
    s.n0 = (d.b0 + d.b1 + d.b2) * a0 / (4.0 * kk);
    s.n2 = (d.b0 - d.b1 + d.b2) * a0 / 4.0;
    s.n1 = (d.b0 - d.b2) * a0 / (2.0 * k);
    return s;
}

const AnalogSection& shelfSection() {
    static const AnalogSection section = recoverPrototype(kTable1, kTableRate);
    return section;
}

const AnalogSection& highPassSection() {
    static const AnalogSection section = recoverPrototype(kTable2, kTableRate);
    return section;
}

}  // namespace

ShelfPrototype kWeightingShelfPrototype() {
    const AnalogSection& s = shelfSection();
    return {Hertz{s.f0}, s.q, s.n2, s.n1 * s.q, s.n0};
}

HighPassPrototype kWeightingHighPassPrototype() {
    const AnalogSection& s = highPassSection();
    return {Hertz{s.f0}, s.q};
}

KWeighting designKWeighting(SampleRate rate) {
    assert(rate.value > 2.0 * shelfSection().f0);
    KWeighting k;
    k.shelf = discretize(shelfSection(), rate.value);
    // Only the poles are redesigned: Table 2 prints the numerator as exactly (1, −2, 1), so the
    // high-pass's gain above its corner is A0(fs) rather than 1, at every rate.
    const BiquadCoefficients poles = discretize(highPassSection(), rate.value);
    k.highPass = {1.0, -2.0, 1.0, poles.a1, poles.a2};
    return k;
}

Decibels magnitudeResponse(const BiquadCoefficients& f, Hertz frequency, SampleRate rate) {
    const double w = 2.0 * std::numbers::pi * frequency.value / rate.value;
    const std::complex<double> z1 = std::polar(1.0, -w);
    const std::complex<double> z2 = z1 * z1;
    const std::complex<double> h = (f.b0 + f.b1 * z1 + f.b2 * z2) / (1.0 + f.a1 * z1 + f.a2 * z2);
    return Decibels{20.0 * std::log10(std::abs(h))};
}

Decibels magnitudeResponse(const KWeighting& k, Hertz frequency, SampleRate rate) {
    return magnitudeResponse(k.shelf, frequency, rate) + magnitudeResponse(k.highPass, frequency, rate);
}

}  // namespace reel::analysis
