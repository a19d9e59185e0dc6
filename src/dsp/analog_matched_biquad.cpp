#include "dsp/analog_matched_biquad.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace reel::dsp {
namespace {

using Complex = std::complex<double>;

constexpr double kTop = 0.41;         // full-weight points up to this fraction of fs (the claim ends at 0.4)
constexpr double kGuardTop = 0.499;   // guard points from kTop up to this fraction of fs...
constexpr double kGuardWeight = 0.1;  // ...at this weight: they only keep the response there tame
constexpr int kSpreadPoints = 48;     // log-spaced from fLow to kTop·fs
constexpr int kLocalPoints = 25;      // around one analog resonance
constexpr int kGuardPoints = 8;
constexpr int kMaxPoints = kSpreadPoints + 2 * kLocalPoints + kGuardPoints;
constexpr double kLocalReach = 3.5;   // local points at f_r·e^(sinh(u)/2q), u uniform in ±kLocalReach...
constexpr double kLocalSpan = 1.5;    // ...and within e^±kLocalSpan of f_r
constexpr int kIterations = 4;        // Sanathanan–Koerner re-weightings (more change nothing measurable)
constexpr int kRootIterations = 100;  // Aberth–Ehrlich cap (converges in 5–15)

/// The frequencies a fit weighs, as v = φ / φ_ref with their target |H|² and weight.
struct FitPoints {
    std::array<double, kMaxPoints> v{}, target{}, weight{};
    int count = 0;
    double phiRef = 1.0;    // φ at f0: keeps the unknowns of order one whatever f0 is (at 20 Hz φ is 1e-7)
    double dcTarget = 1.0;  // |H(0)|², pinned exactly
};

double phiAt(double frequency, double sampleRate) noexcept {
    const double s = std::sin(std::numbers::pi * frequency / sampleRate);
    return s * s;
}

/// Natural frequency (in units of f0) and quality of the roots of c0 + c1 s + c2 s².
struct Resonance {
    double frequency, q;
};
Resonance resonanceOf(double c0, double c1, double c2) noexcept {
    return {std::sqrt(c0 / c2), c1 > 0.0 ? std::sqrt(c0 * c2) / c1 : 1e6};
}

FitPoints pointsFor(const AnalogBiquad& h, double fs) noexcept {
    FitPoints p;
    const double f0 = h.frequency;
    p.phiRef = phiAt(std::min(f0, 0.45 * fs), fs);
    p.dcTarget = (h.n0 / h.d0) * (h.n0 / h.d0);
    const double low = std::min(10.0, f0 / 8.0), top = kTop * fs, guardTop = kGuardTop * fs;
    auto add = [&](double f, double weight) {
        p.v[static_cast<std::size_t>(p.count)] = phiAt(f, fs) / p.phiRef;
        p.target[static_cast<std::size_t>(p.count)] = h.magnitudeSquared(f);
        p.weight[static_cast<std::size_t>(p.count)] = weight;
        ++p.count;
    };
    const double ratio = std::pow(top / low, 1.0 / (kSpreadPoints - 1));
    double f = low;
    for (int i = 0; i < kSpreadPoints; ++i, f *= ratio) add(std::min(f, top), 1.0);
    // A resonance narrower than the spread's spacing would fall between its points: sample
    // each one at steps of its own bandwidth f_r/q (a bell's poles and zeros share f_r; the
    // sharper of the two sets the steps). Above kTop they only guard.
    auto addResonance = [&](Resonance r) {
        const double fr = f0 * r.frequency, halfBandwidth = 1.0 / (2.0 * std::max(r.q, 0.5));
        for (int i = 0; i < kLocalPoints; ++i) {
            const double u = kLocalReach * (2.0 * i / (kLocalPoints - 1) - 1.0);
            const double fi = fr * std::exp(std::clamp(std::sinh(u) * halfBandwidth, -kLocalSpan, kLocalSpan));
            if (fi > low && fi <= top)
                add(fi, 1.0);
            else if (fi > top && fi < guardTop)
                add(fi, kGuardWeight);
        }
    };
    const Resonance poles = resonanceOf(h.d0, h.d1, h.d2), zeros = resonanceOf(h.n0, h.n1, h.n2);
    if (std::fabs(poles.frequency - zeros.frequency) <= 1e-9 * poles.frequency) {
        addResonance({poles.frequency, std::max(poles.q, zeros.q)});
    } else {
        addResonance(poles);
        addResonance(zeros);
    }
    for (int i = 1; i <= kGuardPoints; ++i) add(top + (guardTop - top) * i / kGuardPoints, kGuardWeight);
    return p;
}

/// N(v) / D(v) with v = φ / φ_ref; numerator[0] = dcTarget, denominator[0] = 1.
template <int Degree>
struct PhiRational {
    std::array<double, Degree + 1> numerator{}, denominator{};
};

/// Σ x[i]·y[i] for i in [first, n), in four interleaved sums (one sum would wait on each
/// add's latency).
double dot(const double* x, const double* y, std::size_t first, std::size_t n) noexcept {
    std::array<double, 4> sums{};
    std::size_t i = first;
    for (; i + 4 <= n; i += 4)
        for (std::size_t k = 0; k < 4; ++k) sums[k] += x[i + k] * y[i + k];
    for (; i < n; ++i) sums[0] += x[i] * y[i];
    return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

/// A least-squares system [A | b] stored by column (b last): the QR's inner loops run down
/// contiguous columns.
template <std::size_t Columns>
using System = std::array<std::array<double, kMaxPoints>, Columns + 1>;

/// Least squares A·x ≈ b by Householder QR on equilibrated columns. (Through the normal
/// equations, which square the condition number, a third of the quartic fits near Nyquist
/// broke down in trials.) Destroys the system.
template <std::size_t Columns>
bool solveLeastSquares(System<Columns>& m, int rows, std::array<double, Columns>& x) noexcept {
    constexpr std::size_t kB = Columns;  // the right-hand side's column
    const auto n = static_cast<std::size_t>(rows);
    std::array<double, Columns> scale{}, diagonal{};
    for (std::size_t k = 0; k < Columns; ++k) {
        const double sum = dot(m[k].data(), m[k].data(), 0, n);
        if (!(sum > 0.0) || !std::isfinite(sum)) return false;
        scale[k] = 1.0 / std::sqrt(sum);
        for (std::size_t i = 0; i < n; ++i) m[k][i] *= scale[k];
    }
    for (std::size_t j = 0; j < Columns; ++j) {
        auto& h = m[j];
        const double norm = std::sqrt(dot(h.data(), h.data(), j, n));
        if (!(norm > 1e-13)) return false;  // columns dependent to rounding
        const double alpha = h[j] > 0.0 ? -norm : norm;
        h[j] -= alpha;  // column j from row j down is now the Householder vector h = x - alpha·e1
        const double halfNorm2 = -alpha * h[j];  // |h|²/2 = ‖x‖² - alpha·x1 = -alpha·h1
        // Every later column (and b) -= h·(h·column)/(|h|²/2). The dot products run in one
        // pass over the rows, side by side, for a fixed count of columns the compiler keeps in
        // registers (the done ones too, unused): one sum at a time would wait on each add.
        std::array<double, Columns + 1> dots{};
        for (std::size_t i = j; i < n; ++i)
            for (std::size_t k = 0; k <= Columns; ++k) dots[k] += h[i] * m[k][i];
        for (std::size_t k = j + 1; k <= Columns; ++k) {
            const double f = dots[k] / halfNorm2;
            for (std::size_t i = j; i < n; ++i) m[k][i] -= f * h[i];
        }
        diagonal[j] = alpha;
    }
    for (std::size_t j = Columns; j-- > 0;) {
        double sum = m[kB][j];
        for (std::size_t k = j + 1; k < Columns; ++k) sum -= m[k][j] * x[k];
        x[j] = sum / diagonal[j];
    }
    for (std::size_t k = 0; k < Columns; ++k) x[k] *= scale[k];
    return true;
}

/// The Levy / Sanathanan–Koerner fit of |H|² by N/D of the given degree in φ.
template <int Degree>
bool fitRational(const FitPoints& p, PhiRational<Degree>& fit) noexcept {
    constexpr std::size_t kColumns = 2 * Degree;  // N1..N_Degree, D1..D_Degree
    std::array<double, kMaxPoints> previousDenominator;
    previousDenominator.fill(1.0);
    std::array<double, kColumns> x{};
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        // Rows w·(N(v) - T·D(v)) = 0 with N0, D0 known, w = weight / (T·|D_prev(v)|): the
        // relative error of |H|² once D_prev has converged to D.
        System<kColumns> m;
        for (int k = 0; k < p.count; ++k) {
            const double t = p.target[k], w = p.weight[k] / (t * previousDenominator[k]);
            double power = 1.0;
            for (int j = 0; j < Degree; ++j) {
                power *= p.v[k];
                m[j][k] = w * power;
                m[Degree + j][k] = -w * t * power;
            }
            m[kColumns][k] = w * (t - p.dcTarget);
        }
        if (!solveLeastSquares(m, p.count, x)) return false;
        for (int k = 0; k < p.count; ++k) {
            double d = 0.0;
            for (int j = Degree - 1; j >= 0; --j) d = (d + x[Degree + j]) * p.v[k];
            // Mid-iteration the denominator may dip below zero; only its size weights a row.
            if (!std::isfinite(d)) return false;
            previousDenominator[k] = std::max(std::fabs(1.0 + d), 1e-12);
        }
    }
    fit.numerator[0] = p.dcTarget;
    fit.denominator[0] = 1.0;
    for (int j = 0; j < Degree; ++j) {
        fit.numerator[j + 1] = x[j];
        fit.denominator[j + 1] = x[Degree + j];
    }
    return true;
}

/// Q(φ) = 1 + q1 φ + q2 φ²: one quadratic factor of a fitted polynomial, normalised at DC.
struct PhiQuadratic {
    double q1 = 0.0, q2 = 0.0;
};

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

/// The minimum-phase {c0, c1, c2} with |C(e^jω)|² = Q(φ) (so C(1) = 1).
bool factor(const PhiQuadratic& q, std::array<double, 3>& c) noexcept {
    return factor(1.0, 1.0 + q.q1 + q.q2, -q.q2 / 4.0, c[0], c[1], c[2]);
}

/// |b0 + b1 z⁻¹ + b2 z⁻²|² on the unit circle as a function of φ (the factor() form).
double polynomialMagnitudeSquared(double c0, double c1, double c2, double phi) noexcept {
    const double sum = c0 + c1 + c2, alternating = c0 - c1 + c2;
    return sum * sum * (1.0 - phi) + alternating * alternating * phi - 16.0 * c0 * c2 * phi * (1.0 - phi);
}

double magnitudeSquaredAt(const BiquadCoefficients& c, double phi) noexcept {
    return polynomialMagnitudeSquared(c.b0, c.b1, c.b2, phi) / polynomialMagnitudeSquared(1.0, c.a1, c.a2, phi);
}

/// The largest |dB| difference between the cascade and the targets at the full-weight points.
double fitErrorDb(const FitPoints& p, const MatchedSections& s) noexcept {
    double lowest = 1.0, highest = 1.0;
    for (int k = 0; k < p.count; ++k) {
        if (p.weight[k] != 1.0) continue;
        const double phi = p.v[k] * p.phiRef;
        double m = 1.0;
        for (int i = 0; i < s.count; ++i) m *= magnitudeSquaredAt(s.sections[static_cast<std::size_t>(i)], phi);
        const double ratio = m / p.target[k];
        if (!(ratio > 0.0) || !std::isfinite(ratio)) return std::numeric_limits<double>::infinity();
        lowest = std::min(lowest, ratio);
        highest = std::max(highest, ratio);
    }
    return 10.0 * std::max(std::log10(highest), -std::log10(lowest));
}

bool stableAndFinite(const BiquadCoefficients& c) noexcept {
    return std::isfinite(c.b0) && std::isfinite(c.b1) && std::isfinite(c.b2) && std::isfinite(c.a1) &&
           std::isfinite(c.a2) && std::fabs(c.a2) < 1.0 && std::fabs(c.a1) < 1.0 + c.a2;
}

/// The section gain·N(z)/D(z) for the minimum-phase factors of qn and qd.
bool sectionOf(const PhiQuadratic& qn, const PhiQuadratic& qd, double gain, BiquadCoefficients& section) noexcept {
    std::array<double, 3> n{}, d{};
    if (!factor(qn, n) || !factor(qd, d)) return false;
    section = {gain * n[0] / d[0], gain * n[1] / d[0], gain * n[2] / d[0], d[1] / d[0], d[2] / d[0]};
    return stableAndFinite(section);
}

/// The bilinear transform of the prototype, prewarped at f0: the RBJ cookbook design.
BiquadCoefficients bilinear(const AnalogBiquad& h, double f0, double fs) noexcept {
    const double k = 1.0 / std::tan(std::numbers::pi * f0 / fs);
    const double k2 = k * k;
    const double a0 = h.d0 + h.d1 * k + h.d2 * k2;
    return {(h.n0 + h.n1 * k + h.n2 * k2) / a0, (2.0 * h.n0 - 2.0 * h.n2 * k2) / a0, (h.n0 - h.n1 * k + h.n2 * k2) / a0,
            (2.0 * h.d0 - 2.0 * h.d2 * k2) / a0, (h.d0 - h.d1 * k + h.d2 * k2) / a0};
}

/// One biquad: the fit of degree 2, factored. count = 0 if the fit is unusable.
MatchedSections oneSection(const FitPoints& p) noexcept {
    MatchedSections s;
    PhiRational<2> fit;
    if (!fitRational(p, fit)) return s;
    const double pr = p.phiRef, n0 = fit.numerator[0];
    const PhiQuadratic qn{fit.numerator[1] / (n0 * pr), fit.numerator[2] / (n0 * pr * pr)};
    const PhiQuadratic qd{fit.denominator[1] / pr, fit.denominator[2] / (pr * pr)};
    if (!sectionOf(qn, qd, std::sqrt(p.dcTarget), s.sections[0])) return s;
    s.count = 1;
    s.fitErrorDb = fitErrorDb(p, s);
    if (!std::isfinite(s.fitErrorDb)) s.count = 0;
    return s;
}

// ---- The two-section fit: roots of the quartics, repaired, grouped into quadratics. ----

/// The roots μ of μ⁴·P(1/μ) for P(v) = c0 + c1 v + … + c4 v⁴ (c0 > 0): the reciprocals of
/// P's roots, a root of P at infinity (c4 = 0) giving μ = 0. Aberth–Ehrlich iteration.
bool reciprocalRoots(const std::array<double, 5>& c, std::array<Complex, 4>& mu) noexcept {
    std::array<double, 5> a{};  // monic in μ, highest power first
    for (int k = 0; k <= 4; ++k) a[k] = c[k] / c[0];
    double radius = 0.0;  // all roots lie within twice this (Fujiwara's bound)
    for (int k = 1; k <= 4; ++k) radius = std::max(radius, std::pow(std::fabs(a[k]), 1.0 / k));
    if (!std::isfinite(radius)) return false;
    if (radius == 0.0) {
        mu.fill(0.0);
        return true;
    }
    for (int j = 0; j < 4; ++j) mu[j] = std::polar(radius, std::numbers::pi * (0.5 * j + 0.1));  // off the real axis
    // A root stops moving once its step is below 1e-12 of its size: rounding keeps steps of
    // ~1e-13 going for ever near clustered roots.
    std::array<bool, 4> settled{};
    for (int iteration = 0; iteration < kRootIterations; ++iteration) {
        bool converged = true;
        for (int j = 0; j < 4; ++j) {
            if (settled[j]) continue;
            Complex value = 1.0, slope = 0.0;
            for (int k = 1; k <= 4; ++k) {
                slope = slope * mu[j] + value;
                value = value * mu[j] + a[k];
            }
            if (value == 0.0) {
                settled[j] = true;
                continue;
            }
            const Complex newton = value / slope;
            Complex repulsion = 0.0;
            for (int i = 0; i < 4; ++i)
                if (i != j) repulsion += 1.0 / (mu[j] - mu[i]);
            const Complex step = newton / (1.0 - newton * repulsion);
            if (!std::isfinite(step.real()) || !std::isfinite(step.imag())) return false;
            mu[j] -= step;
            settled[j] = std::norm(step) <= 1e-24 * std::norm(mu[j]);
            converged = converged && settled[j];
        }
        if (converged) break;
    }
    return true;
}

/// Makes the roots of a real polynomial exactly real or exactly conjugate. False if they do
/// not come in conjugate pairs.
bool tidyConjugates(std::array<Complex, 4>& mu) noexcept {
    std::array<bool, 4> done{};
    for (int j = 0; j < 4; ++j) {
        if (done[j]) continue;
        done[j] = true;
        if (std::fabs(mu[j].imag()) <= 1e-10 * std::abs(mu[j])) {
            mu[j] = mu[j].real();
            continue;
        }
        int partner = -1;
        for (int i = 0; i < 4; ++i)
            if (!done[i] &&
                (partner < 0 || std::abs(mu[i] - std::conj(mu[j])) < std::abs(mu[partner] - std::conj(mu[j]))))
                partner = i;
        if (partner < 0 || std::abs(mu[partner] - std::conj(mu[j])) > 1e-6 * std::abs(mu[j])) return false;
        done[partner] = true;
        mu[j] = 0.5 * (mu[j] + std::conj(mu[partner]));
        mu[partner] = std::conj(mu[j]);
    }
    return true;
}

/// μ is a real root with φ = φ_ref/μ in (0, 1]: P changes sign on the unit circle there.
bool onUnitCircle(Complex mu, double phiRef) noexcept { return mu.imag() == 0.0 && mu.real() >= phiRef; }

/// Removes what keeps the fitted N/D from being |B/A|² of a stable filter. The fit is free
/// above 0.41·fs, and there it sometimes puts a real root of D and one of N side by side
/// inside [0, 1] (a pole–zero doublet on the unit circle): both are removed (moved to φ = ∞).
/// Real root pairs of N left inside [0, 1] become the complex pair at their midpoint (N ≥ 0,
/// the zeros just inside the circle); a single one moves to φ = 1 (a zero at Nyquist).
/// False if D keeps a root on the unit circle. `doublets` counts the pairs removed.
bool repairRoots(std::array<Complex, 4>& numerator, std::array<Complex, 4>& denominator, double phiRef,
                 int& doublets) noexcept {
    doublets = 0;
    auto phiOf = [&](Complex mu) { return phiRef / mu.real(); };
    for (auto& d : denominator) {
        if (!onUnitCircle(d, phiRef)) continue;
        Complex* nearest = nullptr;
        for (auto& n : numerator)
            if (onUnitCircle(n, phiRef) &&
                (!nearest || std::fabs(phiOf(n) - phiOf(d)) < std::fabs(phiOf(*nearest) - phiOf(d))))
                nearest = &n;
        if (!nearest) return false;
        *nearest = 0.0;
        d = 0.0;
        ++doublets;
    }
    std::array<int, 4> inside{};
    int count = 0;
    for (int j = 0; j < 4; ++j)
        if (onUnitCircle(numerator[j], phiRef)) inside[count++] = j;
    for (int i = 1; i < count; ++i)  // insertion sort by φ (at most four)
        for (int k = i; k > 0 && phiOf(numerator[inside[k]]) < phiOf(numerator[inside[k - 1]]); --k)
            std::swap(inside[k], inside[k - 1]);
    int j = 0;
    for (; j + 1 < count; j += 2) {
        const double lower = phiOf(numerator[inside[j]]), upper = phiOf(numerator[inside[j + 1]]);
        const Complex merged(0.5 * (lower + upper), 0.5 * (upper - lower));
        numerator[inside[j]] = phiRef / merged;
        numerator[inside[j + 1]] = phiRef / std::conj(merged);
    }
    if (j < count) numerator[inside[j]] = phiRef;
    return true;
}

/// The ways (up to three) to split four tidied roots into two real quadratic factors.
struct Groupings {
    std::array<std::array<PhiQuadratic, 2>, 3> options{};
    int count = 0;
};

Groupings groupingsOf(const std::array<Complex, 4>& mu, double phiRef) noexcept {
    auto quadratic = [&](Complex m1, Complex m2) {
        return PhiQuadratic{-(m1 + m2).real() / phiRef, (m1 * m2).real() / (phiRef * phiRef)};
    };
    std::array<Complex, 2> upper{};
    std::array<double, 4> real{};
    int numUpper = 0, numReal = 0;
    for (Complex m : mu) {
        if (m.imag() > 0.0)
            upper[numUpper++] = m;
        else if (m.imag() == 0.0)
            real[numReal++] = m.real();
    }
    Groupings g;
    if (numUpper == 2) {
        g.options[0] = {quadratic(upper[0], std::conj(upper[0])), quadratic(upper[1], std::conj(upper[1]))};
        g.count = 1;
    } else if (numUpper == 1) {
        g.options[0] = {quadratic(upper[0], std::conj(upper[0])), quadratic(real[0], real[1])};
        g.count = 1;
    } else {
        std::sort(real.begin(), real.end());
        g.options[0] = {quadratic(real[0], real[1]), quadratic(real[2], real[3])};
        g.options[1] = {quadratic(real[0], real[2]), quadratic(real[1], real[3])};
        g.options[2] = {quadratic(real[0], real[3]), quadratic(real[1], real[2])};
        g.count = 3;
    }
    return g;
}

/// How far apart two sections' pole and zero polynomials are (numerators compared in shape):
/// the size of the coefficient step a running section takes from one to the other.
double distance(const BiquadCoefficients& x, const BiquadCoefficients& y) noexcept {
    return std::fabs(x.a1 - y.a1) + std::fabs(x.a2 - y.a2) + std::fabs(x.b1 / x.b0 - y.b1 / y.b0) +
           std::fabs(x.b2 / x.b0 - y.b2 / y.b0);
}

double distance(const MatchedSections& x, const MatchedSections& y) noexcept {
    return distance(x.sections[0], y.sections[0]) + distance(x.sections[1], y.sections[1]);
}

/// How far a section's magnitude strays from flat: its range over kBalancePoints from DC to
/// Nyquist, in units of 20 dB. A pole pair grouped with zeros far from it makes one section
/// boost what the other cuts; its state then swings wide, and every coefficient step of a
/// glide throws a louder transient.
double unevenness(const BiquadCoefficients& s) noexcept {
    constexpr int kBalancePoints = 8;
    double lowest = std::numeric_limits<double>::infinity(), highest = 0.0;
    for (int k = 0; k < kBalancePoints; ++k) {
        const double m = magnitudeSquaredAt(s, k / (kBalancePoints - 1.0));
        lowest = std::min(lowest, m);
        highest = std::max(highest, m);
    }
    return 0.5 * std::log10(highest / lowest);
}

/// What choosing `candidate` costs: its unevenness, plus (given the cascade running now) the
/// coefficient steps it takes, weighted by kContinuityWeight — small enough that an evenly
/// grouped cascade wins, large enough that near-ties keep what runs. A cascade that grows
/// from one section to two keeps in section 0 the factor nearest the old biquad (which holds
/// its state); section 1 starts from rest, and only its unevenness counts.
double groupingCost(const MatchedSections& candidate, const MatchedSections* previous) noexcept {
    constexpr double kContinuityWeight = 0.3;
    const auto& s = candidate.sections;
    const double cost = unevenness(s[0]) + unevenness(s[1]);
    if (!previous || previous->count == 0) return cost + (s[0].a2 < s[1].a2 ? 1e-9 : 0.0);  // a fixed order
    if (previous->count == 1) return cost + kContinuityWeight * distance(s[0], previous->sections[0]);
    return cost + kContinuityWeight * distance(candidate, *previous);
}

/// Two sections from a fit of the given degree (4, or 3: one section then first order),
/// grouped and ordered by groupingCost(). `doublets` as repairRoots() counts them.
template <int Degree>
MatchedSections twoSectionsOfDegree(const FitPoints& p, const MatchedSections* previous, int& doublets) noexcept {
    MatchedSections best;
    doublets = 0;
    PhiRational<Degree> fit;
    if (!fitRational(p, fit)) return best;
    std::array<double, 5> numerator{}, denominator{};  // a cubic's roots at infinity become μ = 0
    std::copy(fit.numerator.begin(), fit.numerator.end(), numerator.begin());
    std::copy(fit.denominator.begin(), fit.denominator.end(), denominator.begin());
    std::array<Complex, 4> zeros{}, poles{};
    if (!reciprocalRoots(numerator, zeros) || !reciprocalRoots(denominator, poles)) return best;
    if (!tidyConjugates(zeros) || !tidyConjugates(poles) || !repairRoots(zeros, poles, p.phiRef, doublets)) return best;
    const Groupings numerators = groupingsOf(zeros, p.phiRef), denominators = groupingsOf(poles, p.phiRef);
    const double gain = std::sqrt(std::sqrt(p.dcTarget));  // each section's DC gain: |H(0)|^½
    double bestCost = std::numeric_limits<double>::infinity();
    for (int gd = 0; gd < denominators.count; ++gd)
        for (int gn = 0; gn < numerators.count; ++gn)
            for (std::size_t swapD = 0; swapD < 2; ++swapD)
                for (std::size_t swapN = 0; swapN < 2; ++swapN) {
                    const auto& d = denominators.options[static_cast<std::size_t>(gd)];
                    const auto& n = numerators.options[static_cast<std::size_t>(gn)];
                    MatchedSections candidate;
                    candidate.count = 2;
                    if (!sectionOf(n[swapN], d[swapD], gain, candidate.sections[0]) ||
                        !sectionOf(n[1 - swapN], d[1 - swapD], gain, candidate.sections[1]))
                        continue;
                    const double cost = groupingCost(candidate, previous);
                    if (cost < bestCost) {
                        bestCost = cost;
                        best = candidate;
                    }
                }
    if (best.count == 2) {
        best.fitErrorDb = fitErrorDb(p, best);
        if (!std::isfinite(best.fitErrorDb)) best.count = 0;
    }
    return best;
}

bool hasFirstOrderSection(const MatchedSections& s) noexcept {
    for (int i = 0; i < s.count; ++i)
        if (s.sections[static_cast<std::size_t>(i)].a2 == 0.0 && s.sections[static_cast<std::size_t>(i)].b2 == 0.0)
            return true;
    return false;
}

/// The two-section fit: quartics, or cubics where the quartic fit wasted its freedom on a
/// pole–zero doublet (whose removal costs accuracy) or still misses by kOneSectionDb.
/// Mid-glide, once a cubic or a removed doublet has given a section of first order, both
/// are fitted, and of the two that fit within kOneSectionDb the one nearer what runs is kept:
/// the choice does not flip at every step where their errors cross, nor each time a doublet
/// comes and goes.
MatchedSections twoSections(const FitPoints& p, const MatchedSections* previous) noexcept {
    const bool gliding = previous && previous->count == 2;
    int doublets = 0;
    const MatchedSections quartic = twoSectionsOfDegree<4>(p, previous, doublets);
    const bool quarticClean = quartic.count == 2 && doublets == 0 && quartic.fitErrorDb < kOneSectionDb;
    if (quarticClean && !(gliding && hasFirstOrderSection(*previous))) return quartic;
    const MatchedSections cubic = twoSectionsOfDegree<3>(p, previous, doublets);
    if (quartic.count != 2) return cubic;
    if (cubic.count != 2) return quartic;
    if (gliding && quartic.fitErrorDb < kOneSectionDb && cubic.fitErrorDb < kOneSectionDb)
        return distance(cubic, *previous) < distance(quartic, *previous) ? cubic : quartic;
    return cubic.fitErrorDb < quartic.fitErrorDb ? cubic : quartic;
}

MatchedSections withIdentity(MatchedSections s) noexcept {
    s.sections[1] = {};
    s.count = 2;
    return s;
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

AnalogBiquad AnalogBiquad::highPass(double frequency, double q) noexcept {
    return {0.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0, frequency};
}
AnalogBiquad AnalogBiquad::lowPass(double frequency, double q) noexcept {
    return {1.0, 0.0, 0.0, 1.0, 1.0 / q, 1.0, frequency};
}
AnalogBiquad AnalogBiquad::notch(double frequency, double q) noexcept {
    return {1.0, 0.0, 1.0, 1.0, 1.0 / q, 1.0, frequency};
}

namespace {

/// The prototype with f0 where the fit works (a band above 0.49·fs acts at 0.49·fs).
AnalogBiquad clampedToFit(const AnalogBiquad& prototype, double fs) noexcept {
    AnalogBiquad h = prototype;
    h.frequency = std::clamp(prototype.frequency, 1e-3 * fs / 48000.0, 0.49 * fs);
    return h;
}

/// Bells and shelves: a finite, non-zero gain at DC and second-order at both ends.
bool fittable(const AnalogBiquad& h) noexcept {
    const double dcGain2 = (h.n0 / h.d0) * (h.n0 / h.d0);
    return dcGain2 > 0.0 && std::isfinite(dcGain2) && h.d2 > 0.0 && h.n2 > 0.0;
}

}  // namespace

MatchedSections magnitudeMatched(const AnalogBiquad& prototype, double sampleRate, SectionCount count,
                                 const MatchedSections* previous) noexcept {
    const double fs = sampleRate;
    const AnalogBiquad h = clampedToFit(prototype, fs);
    MatchedSections result;
    if (fittable(h)) {
        const FitPoints points = pointsFor(h, fs);
        if (count == SectionCount::two) {
            result = twoSections(points, previous);
            if (result.count == 2) return result;
            result = oneSection(points);
            if (result.count == 1) return withIdentity(result);
        } else {
            result = oneSection(points);
            if (result.count == 1 && result.fitErrorDb < kOneSectionDb) return result;
            const MatchedSections two = twoSections(points, previous);
            if (two.count == 2 && (result.count == 0 || two.fitErrorDb < result.fitErrorDb)) return two;
            if (result.count == 1) return result;
        }
    }
    result = {};
    result.sections[0] = bilinear(h, h.frequency, fs);
    result.count = 1;
    result.fitErrorDb = std::numeric_limits<double>::infinity();
    return count == SectionCount::two ? withIdentity(result) : result;
}

BiquadCoefficients magnitudeMatched(const AnalogBiquad& prototype, double sampleRate) noexcept {
    const AnalogBiquad h = clampedToFit(prototype, sampleRate);
    if (fittable(h)) {
        const MatchedSections one = oneSection(pointsFor(h, sampleRate));
        if (one.count == 1) return one.sections[0];
    }
    return bilinear(h, h.frequency, sampleRate);
}

}  // namespace reel::dsp
