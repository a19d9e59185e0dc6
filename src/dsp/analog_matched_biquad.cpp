#include "dsp/analog_matched_biquad.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <utility>

namespace reel::dsp {
namespace {

constexpr double kTop = 0.41;       // fit up to this fraction of fs (the accuracy claim ends at 0.4)
constexpr double kLocalTop = 0.49;  // ...and the points around f0 up to this one
constexpr int kSpreadPoints = 48;   // log-spaced from fLow to kTop·fs
constexpr int kLocalPoints = 17;    // f0·2^(i/16), i = -8..8: the band's own shape
constexpr int kMaxPoints = kSpreadPoints + kLocalPoints;
constexpr int kIterations = 6;      // Sanathanan–Koerner re-weightings (converged by 4–5)
constexpr int kUnknowns = 5;        // B0 B1 B2 A1 A2 (A0 = 1)

/// Solves the least-squares problem given by its normal equations in place (Gaussian
/// elimination with partial pivoting on column-scaled equations). False if singular.
bool solveNormal(std::array<std::array<double, kUnknowns + 1>, kUnknowns>& m, const std::array<double, kUnknowns>& scale,
                 std::array<double, kUnknowns>& x) noexcept {
    for (int c = 0; c < kUnknowns; ++c) {
        int pivot = c;
        for (int r = c + 1; r < kUnknowns; ++r)
            if (std::fabs(m[r][c]) > std::fabs(m[pivot][c])) pivot = r;
        std::swap(m[c], m[pivot]);
        if (!(std::fabs(m[c][c]) > 1e-300)) return false;
        for (int r = c + 1; r < kUnknowns; ++r) {
            const double f = m[r][c] / m[c][c];
            for (int k = c; k <= kUnknowns; ++k) m[r][k] -= f * m[c][k];
        }
    }
    for (int r = kUnknowns - 1; r >= 0; --r) {
        double s = m[r][kUnknowns];
        for (int k = r + 1; k < kUnknowns; ++k) s -= m[r][k] * x[k];
        x[r] = s / m[r][r];
    }
    for (int k = 0; k < kUnknowns; ++k) x[k] *= scale[k];
    return true;
}

/// Factors P(φ) = P0·(1-φ) + P1·φ + P2·4φ(1-φ) ≥ 0 as |c0 + c1 z⁻¹ + c2 z⁻²|² with the
/// zeros inside (or on) the unit circle (Vicanek 2016, §2). False if P is not factorable.
bool factor(double p0, double p1, double p2, double& c0, double& c1, double& c2) noexcept {
    if (!(p0 >= 0.0) || !(p1 >= 0.0)) return false;
    const double r0 = std::sqrt(p0), r1 = std::sqrt(p1);
    const double w = 0.5 * (r0 + r1);
    double d = w * w + p2;
    if (d < 0.0) {
        if (d < -1e-9 * w * w) return false;
        d = 0.0;  // rounding: a double zero on the unit circle
    }
    c0 = 0.5 * (w + std::sqrt(d));
    if (!(c0 > 0.0)) return false;
    c1 = 0.5 * (r0 - r1);
    c2 = -p2 / (4.0 * c0);
    return true;
}

/// The bilinear transform of the prototype, prewarped at f0: the RBJ cookbook design.
BiquadCoefficients bilinear(const AnalogBiquad& h, double f0, double fs) noexcept {
    const double k = 1.0 / std::tan(std::numbers::pi * f0 / fs);
    const double k2 = k * k;
    const double a0 = h.d0 + h.d1 * k + h.d2 * k2;
    return {(h.n0 + h.n1 * k + h.n2 * k2) / a0, (2.0 * h.n0 - 2.0 * h.n2 * k2) / a0, (h.n0 - h.n1 * k + h.n2 * k2) / a0,
            (2.0 * h.d0 - 2.0 * h.d2 * k2) / a0, (h.d0 - h.d1 * k + h.d2 * k2) / a0};
}

bool stableAndFinite(const BiquadCoefficients& c) noexcept {
    return std::isfinite(c.b0) && std::isfinite(c.b1) && std::isfinite(c.b2) && std::isfinite(c.a1) &&
           std::isfinite(c.a2) && std::fabs(c.a2) < 1.0 && std::fabs(c.a1) < 1.0 + c.a2;
}

}  // namespace

std::complex<double> AnalogBiquad::response(double frequencyHz) const noexcept {
    const std::complex<double> s(0.0, frequencyHz / frequency);
    return (n0 + s * (n1 + s * n2)) / (d0 + s * (d1 + s * d2));
}

double AnalogBiquad::magnitudeSquared(double frequencyHz) const noexcept {
    const double x = frequencyHz / frequency, x2 = x * x;
    const double nr = n0 - n2 * x2, ni = n1 * x, dr = d0 - d2 * x2, di = d1 * x;
    return (nr * nr + ni * ni) / (dr * dr + di * di);
}

double AnalogBiquad::magnitudeDb(double frequencyHz) const noexcept {
    return 10.0 * std::log10(magnitudeSquared(frequencyHz));
}

AnalogBiquad AnalogBiquad::bell(double frequency, double q, double gainDb) noexcept {
    const double a = std::pow(10.0, gainDb / 40.0);
    return {1.0, a / q, 1.0, 1.0, 1.0 / (a * q), 1.0, frequency};
}

AnalogBiquad AnalogBiquad::lowShelf(double frequency, double q, double gainDb) noexcept {
    const double a = std::pow(10.0, gainDb / 40.0), r = std::sqrt(a);
    return {a * a, a * r / q, a, 1.0, r / q, a, frequency};
}

AnalogBiquad AnalogBiquad::highShelf(double frequency, double q, double gainDb) noexcept {
    const double a = std::pow(10.0, gainDb / 40.0), r = std::sqrt(a);
    return {a, a * r / q, a * a, a, r / q, 1.0, frequency};
}

AnalogBiquad AnalogBiquad::highPass(double frequency, double q) noexcept { return {0.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0, frequency}; }
AnalogBiquad AnalogBiquad::lowPass(double frequency, double q) noexcept { return {1.0, 0.0, 0.0, 1.0, 1.0 / q, 1.0, frequency}; }
AnalogBiquad AnalogBiquad::notch(double frequency, double q) noexcept { return {1.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0, frequency}; }

BiquadCoefficients magnitudeMatched(const AnalogBiquad& prototype, double sampleRate) noexcept {
    const double fs = sampleRate;
    const double f0 = std::clamp(prototype.frequency, 1e-3 * fs / 48000.0, 0.49 * fs);
    AnalogBiquad h = prototype;
    h.frequency = f0;
    const double top = kTop * fs;
    const double dcGain2 = (h.n0 / h.d0) * (h.n0 / h.d0);
    if (!(dcGain2 > 0.0) || !std::isfinite(dcGain2)) return bilinear(h, f0, fs);

    // v = φ/φ_ref keeps the unknowns of order one whatever f0 is (at 20 Hz, φ itself is 1e-7).
    const double sinRef = std::sin(std::numbers::pi * std::min(f0, 0.45 * fs) / fs);
    const double phiRef = sinRef * sinRef;
    std::array<double, kMaxPoints> v{}, target{}, denominator{};
    int numPoints = 0;
    auto addPoint = [&](double f) {
        const double s = std::sin(std::numbers::pi * f / fs);
        v[numPoints] = s * s / phiRef;
        target[numPoints] = h.magnitudeSquared(f);
        denominator[numPoints] = 1.0;
        ++numPoints;
    };
    const double low = std::min(10.0, f0 / 8.0);
    for (int i = 0; i < kSpreadPoints; ++i)
        addPoint(low * std::pow(top / low, static_cast<double>(i) / (kSpreadPoints - 1)));
    // A bell's own shape is fitted even above 0.41·fs: a 20 kHz bell at 44.1 kHz peaks there,
    // and left free, the fit can put a pole on the unit circle. (Shelves fit better without.)
    const bool peaking = h.n0 == h.d0 && h.n2 == h.d2;
    for (int i = -(kLocalPoints / 2); i <= kLocalPoints / 2; ++i) {
        const double f = f0 * std::exp2(i / 16.0);
        if (f > low && f < (peaking ? kLocalTop : kTop) * fs) addPoint(f);
    }

    std::array<double, kUnknowns> x{};
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        // Rows: w·[1, v, v², -T v, -T v²]·x = w·T with w = 1/(T·A_prev(v)): the relative
        // error of |H|². DC is pinned by a heavy row B0 = T(0) (A0 = 1).
        std::array<std::array<double, kUnknowns + 1>, kUnknowns> normal{};
        std::array<double, kUnknowns> scale{};
        auto accumulate = [&](const std::array<double, kUnknowns + 1>& row, bool scaling) {
            if (scaling) {
                for (int i = 0; i < kUnknowns; ++i) scale[i] += row[i] * row[i];
                return;
            }
            for (int i = 0; i < kUnknowns; ++i) {
                const double ri = row[i] * scale[i];
                for (int j = 0; j < kUnknowns; ++j) normal[i][j] += ri * row[j] * scale[j];
                normal[i][kUnknowns] += ri * row[kUnknowns];
            }
        };
        auto rowAt = [&](int k) {
            const double t = target[k], vk = v[k], w = 1.0 / (t * denominator[k]);
            return std::array<double, kUnknowns + 1>{w, w * vk, w * vk * vk, -w * t * vk, -w * t * vk * vk, w * t};
        };
        const std::array<double, kUnknowns + 1> dcRow{1e3 / dcGain2, 0.0, 0.0, 0.0, 0.0, 1e3};
        for (int pass = 0; pass < 2; ++pass) {
            const bool scaling = pass == 0;
            accumulate(dcRow, scaling);
            for (int k = 0; k < numPoints; ++k) accumulate(rowAt(k), scaling);
            if (scaling)
                for (auto& s : scale) s = s > 0.0 ? 1.0 / std::sqrt(s) : 1.0;
        }
        if (!solveNormal(normal, scale, x)) return bilinear(h, f0, fs);
        for (int k = 0; k < numPoints; ++k) {
            // Mid-iteration the denominator may dip below zero; only its size weights a row.
            const double d = std::fabs(1.0 + x[3] * v[k] + x[4] * v[k] * v[k]);
            if (!std::isfinite(d)) return bilinear(h, f0, fs);
            denominator[k] = std::max(d, 1e-12);
        }
    }

    // Back from v to φ and to the (1-φ, φ, 4φ(1-φ)) basis that factor() takes.
    auto basis = [&](double c0, double c1, double c2, double& p0, double& p1, double& p2) {
        p0 = c0;
        p1 = c0 + c1 / phiRef + c2 / (phiRef * phiRef);
        p2 = -c2 / (4.0 * phiRef * phiRef);
    };
    double bp0, bp1, bp2, ap0, ap1, ap2;
    basis(x[0], x[1], x[2], bp0, bp1, bp2);
    basis(1.0, x[3], x[4], ap0, ap1, ap2);
    double b0, b1, b2, a0, a1, a2;
    if (!factor(bp0, bp1, bp2, b0, b1, b2) || !factor(ap0, ap1, ap2, a0, a1, a2)) return bilinear(h, f0, fs);
    const BiquadCoefficients c{b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
    return stableAndFinite(c) ? c : bilinear(h, f0, fs);
}

}  // namespace reel::dsp
