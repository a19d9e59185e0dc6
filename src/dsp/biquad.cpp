#include "dsp/biquad.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::dsp {
namespace {

/// Shared intermediate values of the RBJ cookbook: w0 = 2π f/fs, alpha = sin(w0)/(2Q).
struct Angles {
    double cosW0, alpha;
};
Angles anglesFor(double frequency, double q, double sampleRate) {
    const double w0 = 2.0 * std::numbers::pi * frequency / sampleRate;
    return {std::cos(w0), std::sin(w0) / (2.0 * q)};
}

BiquadCoefficients normalised(double b0, double b1, double b2, double a0, double a1, double a2) {
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

}  // namespace

std::complex<double> BiquadCoefficients::response(double frequencyHz, double sampleRate) const noexcept {
    const double w = 2.0 * std::numbers::pi * frequencyHz / sampleRate;
    const std::complex<double> z1 = std::polar(1.0, -w), z2 = std::polar(1.0, -2.0 * w);
    return (b0 + b1 * z1 + b2 * z2) / (1.0 + a1 * z1 + a2 * z2);
}

double BiquadCoefficients::magnitudeDb(double frequencyHz, double sampleRate) const noexcept {
    return 20.0 * std::log10(std::abs(response(frequencyHz, sampleRate)));
}

BiquadCoefficients BiquadCoefficients::lowPass(double f, double q, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    return normalised((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + a, -2 * c, 1 - a);
}

BiquadCoefficients BiquadCoefficients::highPass(double f, double q, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    return normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + a, -2 * c, 1 - a);
}

BiquadCoefficients BiquadCoefficients::bandPass(double f, double q, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    return normalised(a, 0, -a, 1 + a, -2 * c, 1 - a);
}

BiquadCoefficients BiquadCoefficients::notch(double f, double q, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    return normalised(1, -2 * c, 1, 1 + a, -2 * c, 1 - a);
}

BiquadCoefficients BiquadCoefficients::allPass(double f, double q, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    return normalised(1 - a, -2 * c, 1 + a, 1 + a, -2 * c, 1 - a);
}

BiquadCoefficients BiquadCoefficients::peaking(double f, double q, double gainDb, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    const double A = std::pow(10.0, gainDb / 40.0);
    return normalised(1 + a * A, -2 * c, 1 - a * A, 1 + a / A, -2 * c, 1 - a / A);
}

BiquadCoefficients BiquadCoefficients::lowShelf(double f, double q, double gainDb, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    const double A = std::pow(10.0, gainDb / 40.0), s = 2 * std::sqrt(A) * a;
    return normalised(A * ((A + 1) - (A - 1) * c + s), 2 * A * ((A - 1) - (A + 1) * c), A * ((A + 1) - (A - 1) * c - s),
                      (A + 1) + (A - 1) * c + s, -2 * ((A - 1) + (A + 1) * c), (A + 1) + (A - 1) * c - s);
}

BiquadCoefficients BiquadCoefficients::highShelf(double f, double q, double gainDb, double fs) {
    auto [c, a] = anglesFor(f, q, fs);
    const double A = std::pow(10.0, gainDb / 40.0), s = 2 * std::sqrt(A) * a;
    return normalised(A * ((A + 1) + (A - 1) * c + s), -2 * A * ((A - 1) + (A + 1) * c), A * ((A + 1) + (A - 1) * c - s),
                      (A + 1) - (A - 1) * c + s, 2 * ((A - 1) - (A + 1) * c), (A + 1) - (A - 1) * c - s);
}

BiquadCoefficients BiquadCoefficients::firstOrderLowPass(double f, double fs) {
    const double k = std::tan(std::numbers::pi * f / fs);  // prewarped
    return {k / (1 + k), k / (1 + k), 0.0, (k - 1) / (k + 1), 0.0};
}

BiquadCoefficients BiquadCoefficients::firstOrderHighPass(double f, double fs) {
    const double k = std::tan(std::numbers::pi * f / fs);
    return {1 / (1 + k), -1 / (1 + k), 0.0, (k - 1) / (k + 1), 0.0};
}

void Biquad::processChannel(int channel, float* x, std::int64_t numFrames) noexcept {
    auto& s = state_[static_cast<std::size_t>(channel)];
    double s0 = s[0], s1 = s[1];
    const double b0 = c_.b0, a1 = c_.a1, a2 = c_.a2, bHat1 = this->bHat1(), bHat2 = this->bHat2();
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const double in = x[i];
        const double out = b0 * in + s0;
        const double next0 = (bHat1 * in + s1) - a1 * s0;
        s1 = bHat2 * in - a2 * s0;
        s0 = next0;
        x[i] = static_cast<float>(out);
    }
    s[0] = s0;
    s[1] = s1;
}

namespace {

/// One TDF-II step with the state in registers; the operations of Biquad::processChannel.
struct Section {
    double b0, bHat1, bHat2, a1, a2, s0, s1;
    double step(double in) noexcept {
        const double out = b0 * in + s0;
        const double next0 = (bHat1 * in + s1) - a1 * s0;
        s1 = bHat2 * in - a2 * s0;
        s0 = next0;
        return out;
    }
};

template <std::size_t N>
void runGroup(Biquad* const* sections, std::array<double, 2>* const* states, float* x, std::int64_t numFrames) noexcept {
    std::array<Section, N> s;
    for (std::size_t k = 0; k < N; ++k) {
        const auto& c = sections[k]->coefficients();
        s[k] = {c.b0, sections[k]->bHat1(), sections[k]->bHat2(), c.a1, c.a2, (*states[k])[0], (*states[k])[1]};
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        double v = x[i];
        for (std::size_t k = 0; k < N; ++k) v = static_cast<float>(s[k].step(v));  // each section rounds to float, as processChannel does
        x[i] = static_cast<float>(v);
    }
    for (std::size_t k = 0; k < N; ++k) *states[k] = {s[k].s0, s[k].s1};
}

// Two channels side by side: the lanes of a GCC vector (two doubles; SSE2 on x86-64), each
// lane doing exactly the scalar Section::step and the float rounding between sections.
using Double2 = double __attribute__((vector_size(16)));
using Float2 = float __attribute__((vector_size(8)));

struct SectionPair {
    Double2 b0, bHat1, bHat2, a1, a2, s0, s1;
    Double2 step(Double2 in) noexcept {
        const Double2 out = b0 * in + s0;
        const Double2 next0 = (bHat1 * in + s1) - a1 * s0;
        s1 = bHat2 * in - a2 * s0;
        s0 = next0;
        return out;
    }
};

template <std::size_t N>
void runGroupPair(Biquad* const* sections, std::array<double, 2>* const* states0, std::array<double, 2>* const* states1,
                  float* x0, float* x1, std::int64_t numFrames) noexcept {
    std::array<SectionPair, N> s;
    for (std::size_t k = 0; k < N; ++k) {
        const auto& c = sections[k]->coefficients();
        const double bHat1 = sections[k]->bHat1(), bHat2 = sections[k]->bHat2();
        s[k] = {Double2{c.b0, c.b0},
                Double2{bHat1, bHat1},
                Double2{bHat2, bHat2},
                Double2{c.a1, c.a1},
                Double2{c.a2, c.a2},
                Double2{(*states0[k])[0], (*states1[k])[0]},
                Double2{(*states0[k])[1], (*states1[k])[1]}};
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        Double2 v{x0[i], x1[i]};
        for (std::size_t k = 0; k < N; ++k)
            v = __builtin_convertvector(__builtin_convertvector(s[k].step(v), Float2), Double2);
        x0[i] = static_cast<float>(v[0]);
        x1[i] = static_cast<float>(v[1]);
    }
    for (std::size_t k = 0; k < N; ++k) {
        *states0[k] = {s[k].s0[0], s[k].s1[0]};
        *states1[k] = {s[k].s0[1], s[k].s1[1]};
    }
}

}  // namespace

void processCascadePair(std::span<Biquad* const> sections, int firstChannel, float* x0, float* x1,
                        std::int64_t numFrames) noexcept {
    const auto c0 = static_cast<std::size_t>(firstChannel);
    for (std::size_t first = 0; first < sections.size(); first += 4) {
        const std::size_t n = std::min<std::size_t>(4, sections.size() - first);
        std::array<std::array<double, 2>*, 4> states0{}, states1{};
        for (std::size_t k = 0; k < n; ++k) {
            states0[k] = &sections[first + k]->state_[c0];
            states1[k] = &sections[first + k]->state_[c0 + 1];
        }
        Biquad* const* group = sections.data() + first;
        switch (n) {
            case 1: runGroupPair<1>(group, states0.data(), states1.data(), x0, x1, numFrames); break;
            case 2: runGroupPair<2>(group, states0.data(), states1.data(), x0, x1, numFrames); break;
            case 3: runGroupPair<3>(group, states0.data(), states1.data(), x0, x1, numFrames); break;
            default: runGroupPair<4>(group, states0.data(), states1.data(), x0, x1, numFrames); break;
        }
    }
}

void processCascade(std::span<Biquad* const> sections, int channel, float* x, std::int64_t numFrames) noexcept {
    const auto c = static_cast<std::size_t>(channel);
    for (std::size_t first = 0; first < sections.size(); first += 4) {
        const std::size_t n = std::min<std::size_t>(4, sections.size() - first);
        std::array<std::array<double, 2>*, 4> states{};
        for (std::size_t k = 0; k < n; ++k) states[k] = &sections[first + k]->state_[c];
        switch (n) {
            case 1: runGroup<1>(sections.data() + first, states.data(), x, numFrames); break;
            case 2: runGroup<2>(sections.data() + first, states.data(), x, numFrames); break;
            case 3: runGroup<3>(sections.data() + first, states.data(), x, numFrames); break;
            default: runGroup<4>(sections.data() + first, states.data(), x, numFrames); break;
        }
    }
}

}  // namespace reel::dsp
