#include "dsp/biquad.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <type_traits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "core/cpu_features.hpp"
#endif

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
    double s0 = s.s0, s1 = s.s1;
    const double b0 = c_.b0, a1 = c_.a1, a2 = c_.a2, bHat1 = this->bHat1(), bHat2 = this->bHat2();
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const double in = x[i];
        const double out = b0 * in + s0;
        const double next0 = (bHat1 * in + s1) - a1 * s0;
        s1 = bHat2 * in - a2 * s0;
        s0 = next0;
        x[i] = static_cast<float>(out);
    }
    s.s0 = s0;
    s.s1 = s1;
    s.fusedStateCurrent = false;
}

/// What the cascades below reach inside a Biquad for.
struct CascadeAccess {
    static Biquad::ChannelState& state(Biquad& section, int channel) noexcept {
        return section.state_[static_cast<std::size_t>(channel)];
    }
};

namespace {

// ---------------------------------------------------------------------------------------
// Baseline code (x86-64 SSE2): separate multiplies and adds, the bits of processChannel().

/// One TDF-II step with the state in registers; the operations of Biquad::processChannel.
/// T = double (one channel) or a GCC vector of doubles (channels side by side, each lane
/// doing exactly the scalar step).
template <typename T>
struct SectionOf {
    T b0, bHat1, bHat2, a1, a2, s0, s1;
    T step(T in) noexcept {
        const T out = b0 * in + s0;
        const T next0 = (bHat1 * in + s1) - a1 * s0;
        s1 = bHat2 * in - a2 * s0;
        s0 = next0;
        return out;
    }
};
using Section = SectionOf<double>;

template <std::size_t N>
void runGroup(Biquad* const* sections, int channel, float* x, std::int64_t numFrames) noexcept {
    std::array<Section, N> s;
    for (std::size_t k = 0; k < N; ++k) {
        const auto& c = sections[k]->coefficients();
        const auto& state = CascadeAccess::state(*sections[k], channel);
        s[k] = {c.b0, sections[k]->bHat1(), sections[k]->bHat2(), c.a1, c.a2, state.s0, state.s1};
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        double v = x[i];
        for (std::size_t k = 0; k < N; ++k) v = static_cast<float>(s[k].step(v));  // each section rounds to float, as processChannel does
        x[i] = static_cast<float>(v);
    }
    for (std::size_t k = 0; k < N; ++k) {
        auto& state = CascadeAccess::state(*sections[k], channel);
        state.s0 = s[k].s0;
        state.s1 = s[k].s1;
        state.fusedStateCurrent = false;
    }
}

// Two channels side by side: the lanes of a GCC vector (two doubles; SSE2 on x86-64), each
// lane doing exactly the scalar Section::step and the float rounding between sections.
using Double2 = double __attribute__((vector_size(16)));
using Float2 = float __attribute__((vector_size(8)));
using SectionPair = SectionOf<Double2>;

template <std::size_t N>
void runGroupPair(Biquad* const* sections, int firstChannel, float* x0, float* x1, std::int64_t numFrames) noexcept {
    std::array<SectionPair, N> s;
    for (std::size_t k = 0; k < N; ++k) {
        const auto& c = sections[k]->coefficients();
        const double bHat1 = sections[k]->bHat1(), bHat2 = sections[k]->bHat2();
        const auto& left = CascadeAccess::state(*sections[k], firstChannel);
        const auto& right = CascadeAccess::state(*sections[k], firstChannel + 1);
        s[k] = {Double2{c.b0, c.b0}, Double2{bHat1, bHat1},       Double2{bHat2, bHat2},      Double2{c.a1, c.a1},
                Double2{c.a2, c.a2}, Double2{left.s0, right.s0}, Double2{left.s1, right.s1}};
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        Double2 v{x0[i], x1[i]};
        for (std::size_t k = 0; k < N; ++k)
            v = __builtin_convertvector(__builtin_convertvector(s[k].step(v), Float2), Double2);
        x0[i] = static_cast<float>(v[0]);
        x1[i] = static_cast<float>(v[1]);
    }
    for (std::size_t k = 0; k < N; ++k)
        for (std::size_t lane = 0; lane < 2; ++lane) {
            auto& state = CascadeAccess::state(*sections[k], firstChannel + static_cast<int>(lane));
            state.s0 = s[k].s0[lane];
            state.s1 = s[k].s1[lane];
            state.fusedStateCurrent = false;
        }
}

/// Runs run(group, size) over the sections in groups of up to four (each group over the whole
/// block); size is a std::integral_constant, so each group size gets its own kernel.
template <class Run>
void forEachGroupOfFour(std::span<Biquad* const> sections, Run&& run) noexcept {
    for (std::size_t first = 0; first < sections.size(); first += 4) {
        Biquad* const* group = sections.data() + first;
        switch (std::min<std::size_t>(4, sections.size() - first)) {
            case 1: run(group, std::integral_constant<std::size_t, 1>{}); break;
            case 2: run(group, std::integral_constant<std::size_t, 2>{}); break;
            case 3: run(group, std::integral_constant<std::size_t, 3>{}); break;
            default: run(group, std::integral_constant<std::size_t, 4>{}); break;
        }
    }
}

void processCascadePairBaseline(std::span<Biquad* const> sections, int firstChannel, float* x0, float* x1,
                                std::int64_t numFrames) noexcept {
    forEachGroupOfFour(sections, [&](Biquad* const* group, auto size) {
        runGroupPair<decltype(size)::value>(group, firstChannel, x0, x1, numFrames);
    });
}

void processCascadeBaseline(std::span<Biquad* const> sections, int channel, float* x, std::int64_t numFrames) noexcept {
    forEachGroupOfFour(sections, [&](Biquad* const* group, auto size) {
        runGroup<decltype(size)::value>(group, channel, x, numFrames);
    });
}

#if defined(__x86_64__) && defined(__GNUC__)
// ---------------------------------------------------------------------------------------
// Fused code (AVX2 + FMA), run only where cpuHasAvx2Fma(). Every lane of every kernel below
// does the same operations in the same order per frame (FusedState::step, then the
// rounding to float), so which kernel runs a frame (chosen by block length) never changes
// the bits: a signal gives the same output however it is split into blocks.

const bool kCpuHasAvx2Fma = cpuHasAvx2Fma();

/// One channel's state as the fused code carries it (see biquad.hpp).
struct FusedStart {
    double s0, previousS0, bHat2TimesPreviousInput;
};

FusedStart fusedStart(Biquad& section, int channel) noexcept {
    const auto& state = CascadeAccess::state(section, channel);
    if (state.fusedStateCurrent) return {state.s0, state.previousS0, state.bHat2TimesPreviousInput};
    // Continue from the TDF-II state: with previousS0 = 0 and s1 in place of bHat2·x, the
    // first step computes s0' = fma(−a1, s0, fma(bHat1, x, s1)), TDF-II's update.
    return {state.s0, 0.0, state.s1};
}

void storeFused(const FusedStart& end, Biquad& section, int channel) noexcept {
    auto& state = CascadeAccess::state(section, channel);
    state.s0 = end.s0;
    // TDF-II's s1 after the same frames, for baseline code that runs next.
    state.s1 = end.bHat2TimesPreviousInput - section.coefficients().a2 * end.previousS0;
    state.previousS0 = end.previousS0;
    state.bHat2TimesPreviousInput = end.bHat2TimesPreviousInput;
    state.fusedStateCurrent = true;
}

/// One lane of the wavefront: a section's coefficients and one channel's state.
struct Lane {
    double b0, bHat1, bHat2, negA1, negA2;
    double s0, previousS0, bHat2TimesPreviousInput;
};
/// For lanes without a section: passes its input through (b0 = 1, zero state).
constexpr Lane kPassThrough{1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};

Lane laneFor(Biquad& section, int channel) noexcept {
    const auto& c = section.coefficients();
    const FusedStart start = fusedStart(section, channel);
    return {c.b0, section.bHat1(), section.bHat2(), -c.a1, -c.a2, start.s0, start.previousS0,
            start.bHat2TimesPreviousInput};
}

void storeLaneState(const Lane& lane, Biquad& section, int channel) noexcept {
    storeFused({lane.s0, lane.previousS0, lane.bHat2TimesPreviousInput}, section, channel);
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")

// GCC vector types rather than __m128d/__m256d as template arguments (whose may_alias
// attribute a template drops); the same registers.
using Double4 = double __attribute__((vector_size(32)));
inline Double2 fusedMultiplyAdd(Double2 a, Double2 b, Double2 c) noexcept { return _mm_fmadd_pd(a, b, c); }
inline Double4 fusedMultiplyAdd(Double4 a, Double4 b, Double4 c) noexcept { return _mm256_fmadd_pd(a, b, c); }

/// Loads field f of consecutive lanes (two or four) into the lanes of V.
template <class V>
V loadLanes(const Lane* lanes, double Lane::*f) noexcept {
    if constexpr (sizeof(V) == 2 * sizeof(double))
        return _mm_setr_pd(lanes[0].*f, lanes[1].*f);
    else
        return _mm256_setr_pd(lanes[0].*f, lanes[1].*f, lanes[2].*f, lanes[3].*f);
}

/// Sections' coefficients in the lanes of V (two or four doubles of an SSE or AVX register).
template <class V>
struct FusedCoefficients {
    V b0, bHat1, bHat2, negA1, negA2;
    static FusedCoefficients load(const Lane* lanes) noexcept {
        return {loadLanes<V>(lanes, &Lane::b0), loadLanes<V>(lanes, &Lane::bHat1), loadLanes<V>(lanes, &Lane::bHat2),
                loadLanes<V>(lanes, &Lane::negA1), loadLanes<V>(lanes, &Lane::negA2)};
    }
};

/// Sections' states in the lanes of V, and the step that advances them.
template <class V>
struct FusedState {
    V s0, previousS0, bHat2TimesPreviousInput;

    static FusedState load(const Lane* lanes) noexcept {
        return {loadLanes<V>(lanes, &Lane::s0), loadLanes<V>(lanes, &Lane::previousS0),
                loadLanes<V>(lanes, &Lane::bHat2TimesPreviousInput)};
    }
    /// Writes lane i to `to`.
    void store(std::size_t i, Lane& to) const noexcept {
        to.s0 = s0[i], to.previousS0 = previousS0[i], to.bHat2TimesPreviousInput = bHat2TimesPreviousInput[i];
    }
    /// Field by field (a block copy of an array of these became a slow `rep movs`).
    void copyFrom(const FusedState& f) noexcept {
        s0 = f.s0, previousS0 = f.previousS0, bHat2TimesPreviousInput = f.bHat2TimesPreviousInput;
    }

    /// One frame in, its output out (not yet rounded to float). The feedback runs through
    /// s0 alone: the newest s0 is one FMA from the next, the older one two.
    V step(V in, const FusedCoefficients<V>& c) noexcept {
        const V feedForward = fusedMultiplyAdd(c.bHat1, in, bHat2TimesPreviousInput);
        bHat2TimesPreviousInput = c.bHat2 * in;
        const V out = fusedMultiplyAdd(c.b0, in, s0);
        const V next = fusedMultiplyAdd(c.negA1, s0, fusedMultiplyAdd(c.negA2, previousS0, feedForward));
        previousS0 = s0;
        s0 = next;
        return out;
    }
};

/// Lanes [C·m + c] for section m, channel c of a group of up to four sections of C channels:
/// the layout every kernel below reads and writes (lanes past the sections pass through).
using GroupLanes = std::array<Lane, 8>;

/// C channels' frames (C = 1 or 2) as the lanes of an SSE register (a second lane without a
/// channel stays zero).
template <int C>
struct Frames {
    float* x[C];
    Double2 load(std::int64_t i) const noexcept {
        if constexpr (C == 2)
            return _mm_cvtps_pd(_mm_unpacklo_ps(_mm_load_ss(x[0] + i), _mm_load_ss(x[1] + i)));
        else
            return _mm_cvtps_pd(_mm_load_ss(x[0] + i));
    }
    void store(std::int64_t i, Double2 v) const noexcept {
        const __m128 f = _mm_cvtpd_ps(v);
        _mm_store_ss(x[0] + i, f);
        if constexpr (C == 2) _mm_store_ss(x[1] + i, _mm_movehdup_ps(f));
    }
};

/// N sections of C channels, one SSE register each, all advancing every frame: for short
/// blocks and single sections. Bound by each section's 4-cycle FMA feedback, overlapped.
/// Built straight from the sections (this runs for blocks of a few frames too, where the
/// setup counts): both lanes share the coefficients, and a mono section's second lane has
/// zero input and state, so it stays zero.
template <std::size_t N, int C>
void runFusedTogether(Biquad* const* sections, int firstChannel, Frames<C> frames, std::int64_t numFrames) noexcept {
    std::array<FusedCoefficients<Double2>, N> coefficients;
    std::array<FusedState<Double2>, N> s;
    for (std::size_t k = 0; k < N; ++k) {
        const auto& c = sections[k]->coefficients();
        coefficients[k] = {_mm_set1_pd(c.b0), _mm_set1_pd(sections[k]->bHat1()), _mm_set1_pd(sections[k]->bHat2()),
                           _mm_set1_pd(-c.a1), _mm_set1_pd(-c.a2)};
        const FusedStart first = fusedStart(*sections[k], firstChannel);
        const FusedStart second = C == 2 ? fusedStart(*sections[k], firstChannel + 1) : FusedStart{0.0, 0.0, 0.0};
        s[k] = {_mm_setr_pd(first.s0, second.s0), _mm_setr_pd(first.previousS0, second.previousS0),
                _mm_setr_pd(first.bHat2TimesPreviousInput, second.bHat2TimesPreviousInput)};
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        Double2 v = frames.load(i);
        for (std::size_t k = 0; k + 1 < N; ++k)
            v = _mm_cvtps_pd(_mm_cvtpd_ps(s[k].step(v, coefficients[k])));  // rounded to float
        frames.store(i, s[N - 1].step(v, coefficients[N - 1]));
    }
    for (std::size_t k = 0; k < N; ++k)
        for (std::size_t c = 0; c < C; ++c)
            storeFused({s[k].s0[c], s[k].previousS0[c], s[k].bHat2TimesPreviousInput[c]}, *sections[k],
                       firstChannel + static_cast<int>(c));
}

// The wavefront (two to four sections): one AVX register holds four lanes, two sections ×
// two channels ([section 2p L, R, section 2p+1 L, R]) or four sections of one channel, so
// one set of instructions advances four recurrences. The sections cannot run on the same
// frame (each needs the one before's output of that frame, and a shuffle between lanes
// would put the whole cascade's latency into the loop), so section m runs kLagFrames·m
// frames behind section 0: at iteration i, section 0 reads frame i of the input, section
// m > 0 reads frame i − kLagFrames·m of a small ring that section m − 1 wrote kLagFrames
// iterations earlier, and the last section writes its frame to the output. The lag is long
// enough that the path from one section's output through memory into the next section's
// feedback (some 33 cycles: FMA, two conversions, a store forwarded to a load, three FMAs)
// spreads over kLagFrames + 1 frames and no longer bounds the loop (measured on Zen 4 for
// two stereo sections at 512 frames a block: a lag of 4 frames 8.0 cycles a frame, 8: 5.8,
// 12: 5.8). Section m idles until iteration kLagFrames·m (on the ring's zeros or its
// predecessor's idle output; its state is then put back to the start) and after its last
// frame (its state written out first); the first section idles on zeros, and the last
// section's idle output is not stored.
constexpr std::int64_t kLagFrames = 8;
constexpr std::int64_t kRingFrames = 32;  // a power of two ≥ the frames in flight, kLagFrames·3 + 1

template <int C, std::size_t K>
class Wavefront {
public:
    static_assert(kLagFrames * static_cast<std::int64_t>(K - 1) < kRingFrames);

    explicit Wavefront(const GroupLanes& lanes) noexcept {
        for (std::size_t p = 0; p < kRegisters; ++p) {
            coefficients_[p] = FusedCoefficients<Double4>::load(lanes.data() + 4 * p);
            starts_[p] = FusedState<Double4>::load(lanes.data() + 4 * p);
        }
        for (std::size_t i = 0; i < ring_.size(); i += 8) _mm256_store_ps(ring_.data() + i, _mm256_setzero_ps());
    }

    /// Runs the sections over io's numFrames (≥ kLagFrames·(K − 1)) frames and writes their
    /// end states to `lanes`.
    void run(Frames<C> io, std::int64_t numFrames, GroupLanes& lanes) noexcept {
        // The coefficients in registers when they fit (one register's); with two registers'
        // they are read from memory (as FMA operands), leaving the AVX registers to the states.
        if constexpr (kRegisters == 1) {
            const Coefficients local{coefficients_[0]};
            runEvents(local, io, numFrames, lanes);
        } else {
            runEvents(coefficients_, io, numFrames, lanes);
        }
    }

private:
    static constexpr std::size_t kSectionsPerRegister = 4 / C;
    static constexpr std::size_t kRegisters = (K + kSectionsPerRegister - 1) / kSectionsPerRegister;
    static constexpr std::int64_t kLastLag = kLagFrames * static_cast<std::int64_t>(K - 1);
    using Registers = std::array<FusedState<Double4>, kRegisters>;
    using Coefficients = std::array<FusedCoefficients<Double4>, kRegisters>;

    [[gnu::always_inline]] void runEvents(const Coefficients& c, Frames<C> io, std::int64_t numFrames,
                                          GroupLanes& lanes) noexcept {
        // The states in a local copy, so the loop keeps them in registers (the frames' stores
        // could otherwise alias them); every index into it is a constant.
        Registers r;
        for (std::size_t p = 0; p < kRegisters; ++p) r[p].copyFrom(starts_[p]);
        const std::int64_t end = numFrames + kLastLag;
        std::size_t event = 0;
        std::int64_t nextEvent = eventIteration(0, numFrames);
        for (std::int64_t i = 0; i < end;) {
            while (i == nextEvent) {
                handle(event, r, lanes);
                nextEvent = eventIteration(++event, numFrames);
            }
            if (nextEvent <= kLastLag)
                i = runFrames<true, false>(r, c, io, i, nextEvent);  // the last section idles
            else if (i >= numFrames)
                i = runFrames<false, true>(r, c, io, i, nextEvent);  // the first section idles
            else
                i = runFrames<true, true>(r, c, io, i, nextEvent);
        }
        handle(2 * K - 2, r, lanes);  // the last section's last frame was the loop's last
    }

    /// Iterations [from, to); returns `to`.
    template <bool kFirstRuns, bool kLastRuns>
    [[gnu::always_inline]] std::int64_t runFrames(Registers& r, const Coefficients& c, Frames<C> io, std::int64_t from,
                                                  std::int64_t to) noexcept {
        for (std::int64_t i = from; i < to; ++i)
            for (std::size_t p = 0; p < kRegisters; ++p) {
                const __m128 in = inputs<kFirstRuns>(io, i, p);
                storeOutputs<kLastRuns>(io, i, p, _mm256_cvtpd_ps(r[p].step(_mm256_cvtps_pd(in), c[p])));
            }
        return to;
    }

    /// Events 0 … K − 2 start sections 1 … K − 1; events K − 1 … 2K − 2 finish sections 0 … K − 1.
    static std::int64_t eventIteration(std::size_t event, std::int64_t numFrames) noexcept {
        if (event + 1 < K) return kLagFrames * static_cast<std::int64_t>(event + 1);
        return numFrames + kLagFrames * static_cast<std::int64_t>(event - (K - 1));  // the last: the loop's end
    }
    template <std::size_t E = 0>
    [[gnu::always_inline]] void handle(std::size_t event, Registers& r, GroupLanes& lanes) const noexcept {
        if constexpr (E < 2 * K - 1) {
            if (event != E) return handle<E + 1>(event, r, lanes);  // a constant index for each event
            if constexpr (E + 1 < K)
                restart<E + 1>(r);
            else
                finish<E + 1 - K>(r, lanes);
        }
    }
    /// Puts section M's state back to what it was at the start (it starts now).
    template <std::size_t M>
    [[gnu::always_inline]] void restart(Registers& r) const noexcept {
        if constexpr (M < K) {
            constexpr int kMask = ((1 << C) - 1) << (C * (M % kSectionsPerRegister));  // section M's lanes
            auto& to = r[M / kSectionsPerRegister];
            const auto& start = starts_[M / kSectionsPerRegister];
            to.s0 = _mm256_blend_pd(to.s0, start.s0, kMask);
            to.previousS0 = _mm256_blend_pd(to.previousS0, start.previousS0, kMask);
            to.bHat2TimesPreviousInput =
                _mm256_blend_pd(to.bHat2TimesPreviousInput, start.bHat2TimesPreviousInput, kMask);
        }
    }
    /// Writes section M's state to its lanes (it has just run its last frame).
    template <std::size_t M>
    [[gnu::always_inline]] void finish(const Registers& r, GroupLanes& lanes) const noexcept {
        if constexpr (M < K)
            for (std::size_t c = 0; c < C; ++c)
                r[M / kSectionsPerRegister].store(C * (M % kSectionsPerRegister) + c, lanes[C * M + c]);
    }

    /// Section m's frame at iteration i in the ring.
    float* slot(std::int64_t i, std::size_t m) noexcept {
        return ring_.data() + C * ((i - kLagFrames * static_cast<std::int64_t>(m)) & (kRingFrames - 1));
    }
    static constexpr bool isSection(std::size_t m) noexcept { return m < K; }

    /// Register p's input floats at iteration i: section 0's from io (zero while it idles),
    /// the others' from the ring.
    template <bool kFirstRuns>
    __m128 inputs(Frames<C> io, std::int64_t i, std::size_t p) noexcept {
        const std::size_t m = kSectionsPerRegister * p;  // the register's first section
        __m128 in = _mm_setzero_ps();
        if constexpr (C == 2) {
            if (m > 0)
                in = _mm_loadl_pi(in, reinterpret_cast<const __m64*>(slot(i, m)));
            else if (kFirstRuns)
                in = _mm_unpacklo_ps(_mm_load_ss(io.x[0] + i), _mm_load_ss(io.x[1] + i));
            if (isSection(m + 1)) in = _mm_loadh_pi(in, reinterpret_cast<const __m64*>(slot(i, m + 1)));
        } else {
            if (m > 0)
                in = _mm_load_ss(slot(i, m));
            else if (kFirstRuns)
                in = _mm_load_ss(io.x[0] + i);
            if (isSection(m + 1)) in = _mm_insert_ps(in, _mm_load_ss(slot(i, m + 1)), 1 << 4);
            if (isSection(m + 2)) in = _mm_insert_ps(in, _mm_load_ss(slot(i, m + 2)), 2 << 4);
            if (isSection(m + 3)) in = _mm_insert_ps(in, _mm_load_ss(slot(i, m + 3)), 3 << 4);
        }
        return in;
    }
    /// Register p's output floats at iteration i: the last section's to io (not while it
    /// idles), the others' to the ring.
    template <bool kLastRuns>
    void storeOutputs(Frames<C> io, std::int64_t i, std::size_t p, __m128 out) noexcept {
        const std::size_t m = kSectionsPerRegister * p;
        if constexpr (C == 2) {
            storeSection<0, kLastRuns>(io, i, m, out);
            if (isSection(m + 1)) storeSection<1, kLastRuns>(io, i, m + 1, out);
        } else {
            storeSection<0, kLastRuns>(io, i, m, out);
            if (isSection(m + 1)) storeSection<1, kLastRuns>(io, i, m + 1, out);
            if (isSection(m + 2)) storeSection<2, kLastRuns>(io, i, m + 2, out);
            if (isSection(m + 3)) storeSection<3, kLastRuns>(io, i, m + 3, out);
        }
    }
    /// Section m's output, the J-th section of its register.
    template <int J, bool kLastRuns>
    void storeSection(Frames<C> io, std::int64_t i, std::size_t m, __m128 out) noexcept {
        if (m + 1 < K) {
            if constexpr (C == 2) {
                if constexpr (J == 0)
                    _mm_storel_pi(reinterpret_cast<__m64*>(slot(i, m)), out);
                else
                    _mm_storeh_pi(reinterpret_cast<__m64*>(slot(i, m)), out);
            } else {
                storeLane<J>(slot(i, m), out);
            }
        } else if (kLastRuns) {
            const std::int64_t frame = i - kLastLag;
            for (int c = 0; c < C; ++c) storeLaneAt(io.x[c] + frame, out, C * J + c);
        }
    }
    template <int kLane>
    static void storeLane(float* to, __m128 v) noexcept {
        if constexpr (kLane == 0) {
            _mm_store_ss(to, v);
        } else {
            const int bits = _mm_extract_ps(v, kLane);
            std::memcpy(to, &bits, sizeof bits);
        }
    }
    static void storeLaneAt(float* to, __m128 v, int lane) noexcept {
        switch (lane) {
            case 0:
                storeLane<0>(to, v);
                break;
            case 1:
                storeLane<1>(to, v);
                break;
            case 2:
                storeLane<2>(to, v);
                break;
            default:
                storeLane<3>(to, v);
                break;
        }
    }

    Coefficients coefficients_;
    Registers starts_;
    alignas(32) std::array<float, C * kRingFrames> ring_;
};

/// The shortest block the wavefront runs (at least the kLagFrames·(K − 1) it needs); shorter
/// blocks run together, where the frames on which sections idle would cost more than the
/// wavefront saves. Measured crossovers (Zen 4): 32 frames, 48 for two or three stereo sections.
constexpr std::int64_t minimumWavefrontFrames(int channels, std::size_t k) noexcept {
    return channels == 2 && k < 4 ? 48 : 32;
}

template <int C, std::size_t K>
void runGroupFused(Biquad* const* sections, int firstChannel, Frames<C> io, std::int64_t numFrames) noexcept {
    if constexpr (K >= 2) {
        static_assert(minimumWavefrontFrames(C, K) >= kLagFrames * static_cast<std::int64_t>(K - 1));
        if (numFrames >= minimumWavefrontFrames(C, K)) {
            GroupLanes lanes;
            for (std::size_t m = 0; m < K; ++m)
                for (int c = 0; c < C; ++c)
                    lanes[C * m + static_cast<std::size_t>(c)] = laneFor(*sections[m], firstChannel + c);
            std::fill(lanes.begin() + C * K, lanes.end(), kPassThrough);  // the registers' lanes without a section
            Wavefront<C, K>(lanes).run(io, numFrames, lanes);
            for (std::size_t m = 0; m < K; ++m)
                for (int c = 0; c < C; ++c)
                    storeLaneState(lanes[C * m + static_cast<std::size_t>(c)], *sections[m], firstChannel + c);
            return;
        }
    }
    runFusedTogether<K, C>(sections, firstChannel, io, numFrames);
}

template <int C>
void processCascadeFused(std::span<Biquad* const> sections, int firstChannel, Frames<C> io,
                         std::int64_t numFrames) noexcept {
    forEachGroupOfFour(sections, [&](Biquad* const* group, auto size) {
        runGroupFused<C, decltype(size)::value>(group, firstChannel, io, numFrames);
    });
}

#pragma GCC pop_options

bool useFused(CascadeCode code) noexcept { return code == CascadeCode::fastest && kCpuHasAvx2Fma; }
#else
bool useFused(CascadeCode) noexcept { return false; }
template <int C>
struct Frames {
    float* x[C];
};
template <int C>
void processCascadeFused(std::span<Biquad* const>, int, Frames<C>, std::int64_t) noexcept {}
#endif

}  // namespace

void processCascadePair(std::span<Biquad* const> sections, int firstChannel, float* x0, float* x1,
                        std::int64_t numFrames, CascadeCode code) noexcept {
    if (numFrames <= 0) return;
    if (useFused(code))
        processCascadeFused<2>(sections, firstChannel, Frames<2>{{x0, x1}}, numFrames);
    else
        processCascadePairBaseline(sections, firstChannel, x0, x1, numFrames);
}

void processCascade(std::span<Biquad* const> sections, int channel, float* x, std::int64_t numFrames,
                    CascadeCode code) noexcept {
    if (numFrames <= 0) return;
    if (useFused(code))
        processCascadeFused<1>(sections, channel, Frames<1>{{x}}, numFrames);
    else
        processCascadeBaseline(sections, channel, x, numFrames);
}

}  // namespace reel::dsp
