#include "dsp/fdn_reverb.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/denormals.hpp"

#if defined(__SSE__)
#include <immintrin.h>
#endif

namespace reel::dsp {
namespace {

// Line lengths at size 1, in ms: spread over 35–95 ms, irregular steps so no two lengths
// are in a simple ratio before they are rounded to distinct primes.
constexpr std::array<double, FdnReverb::kLines> kLineMs = {35.3, 37.9, 41.2, 43.7, 47.5, 50.8, 53.1, 57.6,
                                                           61.4, 64.9, 69.7, 73.2, 78.6, 83.3, 88.9, 94.7};
// Input diffusers (Schroeder allpasses), in ms, per side; different on the two sides so a
// mono source's onset is already decorrelated. Gains after Dattorro's plate (0.75 / 0.625).
constexpr std::array<double, 2 * FdnReverb::kDiffusersPerSide> kDiffuserMs = {1.53, 2.31, 3.37, 4.87, 6.91, 9.73,
                                                                              1.71, 2.57, 3.61, 5.23, 7.39, 10.37};
constexpr std::array<float, FdnReverb::kDiffusersPerSide> kDiffuserGain = {0.75f, 0.75f, 0.7f, 0.7f, 0.625f, 0.625f};
// Signs of the input's injection into the lines (L into 0–7, R into 8–15).
constexpr std::array<float, FdnReverb::kLines> kInjectSign = {1, -1, 1, 1, -1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1, -1};
// The matrix outputs taken as the wet sides: two orthogonal rows of the Hadamard matrix.
constexpr int kTapLeft = 5;
constexpr int kTapRight = 10;
// Levels: injection per line, the tank's output, and the diffused onset.
constexpr float kInjectGain = 0.5f;
constexpr float kTankGain = 0.6f;
constexpr float kEarlyGain = 0.25f;

constexpr double kSizeGlideSeconds = 0.25;
constexpr double kDecayGlideSeconds = 0.05;
constexpr double kMixGlideSeconds = 0.02;
constexpr double kMaxPredelaySeconds = 0.5;
// The shortest diffuser delay in frames: at least the 16 frames diffuse() runs at once;
// 64, the grid step it used to be tied to, so no diffuser changed length when the grid grew.
constexpr std::int64_t kMinDiffuserDelay = 64;
constexpr std::int64_t kMinLength = 132;  // > kGrid + 1: runTank() never reads what the step writes
// A ring holds at least its line's longest delay in the coming grid step + 2 frames (the
// interpolated read's older sample, and the step's writes land only on frames no later read
// needs); kRingSlack more, so a slow glide grows a ring only now and then.
constexpr std::size_t kRingSlack = 16;
// Ring lengths are whole multiples of 8 frames and regions start 64-byte aligned, so the
// matrix's writes into the rings (a whole grid step at a time, whatever the caller's blocks)
// are aligned AVX stores, but where a step's write wraps (an unaligned one crosses a cache
// line every other time). The diffusers' regions use the same rounding; their writes are
// aligned when the caller's chunks are whole grid steps.
constexpr std::size_t kRingAlign = 8;
constexpr std::size_t roundUpToAlign(std::size_t frames) { return (frames + kRingAlign - 1) / kRingAlign * kRingAlign; }

/// How many floats from the start of `buffer` its first 64-byte boundary is (a std::vector
/// only promises 16-byte alignment); allocate 16 floats more than needed to skip them.
std::size_t floatsToCacheLine(const std::vector<float>& buffer) {
    const auto address = reinterpret_cast<std::uintptr_t>(buffer.data());
    return ((64 - address % 64) % 64) / sizeof(float);
}

// clang-format off
constexpr ParameterInfo kParameters[] = {
    {"size", "", 0.0, 1.0, 0.5},
    {"decay", "s", 0.1, 20.0, 1.375},  // = decayForSize(0.5)
    {"damping", "", 0.0, 1.0, 0.5},
    {"predelay", "s", 0.0, kMaxPredelaySeconds, 0.0},
    {"width", "", 0.0, 1.0, 1.0},
    {"mix", "%", 0.0, 1.0, 0.3},
};
// clang-format on

bool isPrime(std::int64_t n) noexcept {
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    for (std::int64_t d = 3; d * d <= n; d += 2)
        if (n % d == 0) return false;
    return true;
}

std::int64_t roundFrames(double seconds, double rate) {
    return static_cast<std::int64_t>(std::llround(seconds * rate));
}

}  // namespace

Seconds FdnReverb::decayForSize(double size) noexcept {
    const double s = std::clamp(size, 0.0, 1.0);
    return Seconds{0.5 + 3.5 * s * s};
}

std::array<std::int64_t, FdnReverb::kLines> FdnReverb::delayLengths(double size, double sampleRate) noexcept {
    const double scale = 0.2 + 0.8 * std::clamp(size, 0.0, 1.0);
    std::array<std::int64_t, kLines> lengths{};
    for (int i = 0; i < kLines; ++i) {
        const std::int64_t wanted = std::max(
            kMinLength,
            static_cast<std::int64_t>(std::llround(kLineMs[static_cast<std::size_t>(i)] * 1e-3 * scale * sampleRate)));
        auto usable = [&](std::int64_t n) {
            return n >= kMinLength && isPrime(n) &&
                   std::find(lengths.begin(), lengths.begin() + i, n) == lengths.begin() + i;
        };
        // The nearest prime not taken yet (distinct primes are mutually prime).
        for (std::int64_t d = 0;; ++d) {
            if (usable(wanted - d)) {
                lengths[static_cast<std::size_t>(i)] = wanted - d;
                break;
            }
            if (usable(wanted + d)) {
                lengths[static_cast<std::size_t>(i)] = wanted + d;
                break;
            }
        }
    }
    return lengths;
}

std::span<const ParameterInfo> FdnReverb::parameters() const noexcept { return kParameters; }

double FdnReverb::decayTarget() const noexcept {
    return params_.decay ? params_.decay->value : decayForSize(params_.size).value;
}

Result<void> FdnReverb::prepare(const ProcessSpec& spec) {
    if (!(spec.sampleRate > 0.0)) return fail(ErrorCode::invalidArgument, "reverb: sample rate must be positive");
    static_assert(kMinLength > kGrid + 1, "runTank() reads a whole grid step before the step writes");
    sampleRate_ = spec.sampleRate;
    // Every line gets room for its length at size 1 (the longest it can glide to) plus slack;
    // regions start a cache line apart.
    const auto longest = delayLengths(1.0, sampleRate_);
    std::size_t total = 0;
    for (std::size_t i = 0; i < kLines; ++i) {
        lineBase_[i] = total;
        lineCapacity_[i] = roundUpToAlign(static_cast<std::size_t>(longest[i]) + 2 + kRingSlack);
        total += (lineCapacity_[i] + 15) / 16 * 16;
    }
    lines_.assign(total + 16, 0.0f);
    const std::size_t linesOrigin = floatsToCacheLine(lines_);
    for (auto& base : lineBase_) base += linesOrigin;
    ringScratch_.assign(*std::max_element(lineCapacity_.begin(), lineCapacity_.end()), 0.0f);
    // The diffusers' regions: each starts where its write position (start + delay) falls on
    // a 32-byte boundary, so with grid-sized chunks every store of eight floats is aligned.
    // The window is at least twice the longest delay, so a slide copies at most half a frame
    // per frame written (a longer one measured no faster: 4096 frames, 0.5 % within noise).
    std::size_t longestDiffuser = 0;
    for (std::size_t d = 0; d < diffusers_.size(); ++d) {
        diffusers_[d].delay = static_cast<std::size_t>(
            std::max<std::int64_t>(kMinDiffuserDelay, roundFrames(kDiffuserMs[d] * 1e-3, sampleRate_)));
        longestDiffuser = std::max(longestDiffuser, diffusers_[d].delay);
    }
    static_assert(2 * kMinDiffuserDelay >= kGrid, "a chunk fits in the diffusers' window");
    diffusionWindow_ = (std::max(2 * longestDiffuser, diffusionWindowRequested_) + kGrid - 1) / kGrid * kGrid;
    total = 0;
    for (Allpass& a : diffusers_) {
        a.start = total + roundUpToAlign(a.delay) - a.delay;
        total = roundUpToAlign(a.start + a.delay + diffusionWindow_);
    }
    diffusion_.assign(total + 16, 0.0f);
    const std::size_t diffusionOrigin = floatsToCacheLine(diffusion_);
    for (Allpass& a : diffusers_) a.start += diffusionOrigin;
    // The injection history: a line reads at most its size-1 length + 1 frames back (the
    // interpolated read's older sample), and all of a step's reads come before its writes, so
    // a ring of that reach, in whole grid steps, plus its first grid step mirrored after its
    // end.
    const auto reach = static_cast<std::size_t>(*std::max_element(longest.begin(), longest.end())) + 1;
    injectionLength_ = (reach + kGrid - 1) / kGrid * kGrid;
    const std::size_t injectionRegion = injectionLength_ + kGrid;
    injection_.assign(2 * injectionRegion + 16, 0.0f);
    injectionBase_ = {floatsToCacheLine(injection_), floatsToCacheLine(injection_) + injectionRegion};
    predelay_.prepare(2, roundFrames(kMaxPredelaySeconds, sampleRate_), roundFrames(kSizeGlideSeconds, sampleRate_));
    for (auto& length : length_) length.prepare(roundFrames(kSizeGlideSeconds, sampleRate_), 0.0);
    decay_.prepare(roundFrames(kDecayGlideSeconds, sampleRate_), 1.0);
    damping_.prepare(roundFrames(kDecayGlideSeconds, sampleRate_), 0.0);
    mix_.prepare(roundFrames(kMixGlideSeconds, sampleRate_), 0.0);
    width_.prepare(roundFrames(kMixGlideSeconds, sampleRate_), 1.0);
    prepared_ = true;
    applyParams(Apply::immediately, Lengths::recompute);
    reset();
    return {};
}

void FdnReverb::applyParams(Apply how, Lengths lengthsToo) noexcept {
    if (!prepared_) return;
    const bool immediate = how == Apply::immediately;
    auto set = [immediate](SmoothedValue& v, double value) {
        if (immediate)
            v.setImmediate(value);
        else
            v.setTarget(value);
    };
    if (immediate ||
        lengthsToo == Lengths::recompute) {  // the prime search is cheap but not free: only when size moves
        const auto lengths = delayLengths(params_.size, sampleRate_);
        for (int i = 0; i < kLines; ++i)
            set(length_[static_cast<std::size_t>(i)], static_cast<double>(lengths[static_cast<std::size_t>(i)]));
        lengthsSteady_ = false;
    }
    set(decay_, decayTarget());
    set(damping_, std::clamp(params_.damping, 0.0, 1.0));
    set(mix_, std::clamp(params_.mix, 0.0, 1.0));
    set(width_, std::clamp(params_.width, 0.0, 1.0));
    const double predelayFrames = std::clamp(params_.predelay.value, 0.0, kMaxPredelaySeconds) * sampleRate_;
    if (immediate)
        predelay_.setDelayImmediate(predelayFrames);
    else
        predelay_.setDelay(predelayFrames);
}

void FdnReverb::setParams(const Params& params) noexcept {
    const bool sizeChanged = params.size != params_.size;
    const Params old = params_;
    params_ = params;
    if (!prepared_) return;
    if (!sizeChanged && old.decay == params.decay && old.damping == params.damping && old.mix == params.mix &&
        old.width == params.width && old.predelay == params.predelay)
        return;
    applyParams(Apply::gliding, sizeChanged ? Lengths::recompute : Lengths::keep);
}

void FdnReverb::setParameter(int index, double value) noexcept {
    if (index < 0 || index >= static_cast<int>(std::size(kParameters))) return;
    const ParameterInfo& info = kParameters[index];
    const double v = std::clamp(value, info.min, info.max);
    Params p = params_;
    switch (index) {
        case kSize:
            p.size = v;
            break;
        case kDecay:
            p.decay = Seconds{v};
            break;
        case kDamping:
            p.damping = v;
            break;
        case kPredelay:
            p.predelay = Seconds{v};
            break;
        case kWidth:
            p.width = v;
            break;
        case kMix:
            p.mix = v;
            break;
        default:
            return;
    }
    setParams(p);
}

double FdnReverb::tailSeconds() const noexcept {
    const double decay = std::max(decay_.current(), decayTarget());
    return std::clamp(params_.predelay.value, 0.0, kMaxPredelaySeconds) + 1.5 * decay + 0.05;
}

void FdnReverb::reset() noexcept {
    std::fill(lines_.begin(), lines_.end(), 0.0f);
    std::fill(diffusion_.begin(), diffusion_.end(), 0.0f);
    state_.fill(0.0f);
    predelay_.reset();  // ends any glide
    for (auto& length : length_) length.setImmediate(length.target());
    lengthsSteady_ = false;
    ringsAtCapacity_ = ringsAtCapacityRequested_;
    for (std::size_t i = 0; i < kLines; ++i) {
        writePos_[i] = 0;
        const std::size_t fitted = roundUpToAlign(static_cast<std::size_t>(std::ceil(length_[i].current())) + 2 + kRingSlack);
        ringLength_[i] = ringsAtCapacity_ ? lineCapacity_[i] : std::min(lineCapacity_[i], fitted);
    }
    ringsFit_ = true;
    decay_.setImmediate(decay_.target());
    damping_.setImmediate(damping_.target());
    mix_.setImmediate(mix_.target());
    width_.setImmediate(width_.target());
    diffusePos_ = 0;
    std::fill(injection_.begin(), injection_.end(), 0.0f);
    injectionStep_ = injectionLength_ - kGrid;  // the first step advances it to 0
    gridPos_ = 0;
    absorptionDirty_ = true;
}

void FdnReverb::updateAbsorption(double decay, double damping) noexcept {
    // Jot & Chaigne 1991: a line of m frames loses 60·m/(T60·fs) dB per pass at DC and
    // 60·m/(α·T60·fs) dB at Nyquist; the one-pole lowpass with pole p has gain ratio
    // (1 − p)/(1 + p) between the two, so p = (1 − r)/(1 + r) for the ratio r wanted.
    const double alpha = 1.0 - 0.9 * damping;
    for (int i = 0; i < kLines; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double m = lengthStart_[u] + kGrid * lengthStep_[u];  // the length at the step's end
        const double dcDb = -60.0 * m / (decay * sampleRate_);
        const double g = std::pow(10.0, dcDb / 20.0);
        const double r = std::pow(10.0, dcDb * (1.0 / alpha - 1.0) / 20.0);
        const double p = (1.0 - r) / (1.0 + r);
        inputScale_[u] = static_cast<float>(0.25 * g * (1.0 - p));  // 0.25: the Hadamard's 1/√16
        pole_[u] = static_cast<float>(p);
    }
    absorptionDirty_ = false;
}

void FdnReverb::startGridStep() noexcept {
    injectionStep_ = injectionStep_ + kGrid < injectionLength_ ? injectionStep_ + kGrid : 0;
    if (!lengthsSteady_) {  // otherwise lengthStart_ holds the lengths and lengthStep_ zeros
        gliding_ = false;
        bool smoothing = false;
        for (int i = 0; i < kLines; ++i) {
            const auto u = static_cast<std::size_t>(i);
            const double start = length_[u].current();
            const double end = length_[u].skip(kGrid);
            lengthStart_[u] = start;
            lengthStep_[u] = (end - start) / kGrid;
            gliding_ = gliding_ || end != start;
            smoothing = smoothing || length_[u].isSmoothing();
        }
        lengthsSteady_ = !gliding_ && !smoothing;
    }
    fitRings();
    const bool moving = decay_.isSmoothing() || damping_.isSmoothing();
    const double decay = decay_.skip(kGrid);
    const double damping = damping_.skip(kGrid);
    if (moving || gliding_ || absorptionDirty_) updateAbsorption(decay, damping);
}

void FdnReverb::fitRings() noexcept {
    // Grow a ring before a step would read past its history (toward the glide's target at
    // once, so a glide grows it once); shrink it to fit when its line is steady again.
    if ((!gliding_ && ringsFit_) || ringsAtCapacity_) return;  // steady and fitted: the usual case
    bool resized = false;
    for (std::size_t i = 0; i < kLines; ++i) {
        const double stepLongest = std::max(lengthStart_[i], lengthStart_[i] + kGrid * lengthStep_[i]);
        const auto needed = static_cast<std::size_t>(std::ceil(stepLongest)) + 2;
        if (needed > ringLength_[i]) {
            const auto toward = static_cast<std::size_t>(std::ceil(std::max(stepLongest, length_[i].target()))) + 2;
            // The capacity holds size 1's longest line + 2 + kRingSlack, and a length never
            // glides past its size-1 value: the min never cuts below `needed`.
            resizeRing(i, std::min(lineCapacity_[i], roundUpToAlign(toward + kRingSlack)));
            resized = true;
        } else if (lengthStep_[i] == 0.0 && !length_[i].isSmoothing() && ringLength_[i] > needed + 2 * kRingSlack) {
            resizeRing(i, roundUpToAlign(needed + kRingSlack));
            resized = true;
        }
    }
    ringsFit_ = !gliding_ && !resized;
}

void FdnReverb::resizeRing(std::size_t line, std::size_t length) noexcept {
    // Keeps the most recent min(old, new) frames (both lengths are multiples of 8, so writes
    // stay aligned), oldest first from the region's start; the write position follows them.
    // Only when a size change moves a line's length: a copy of a few thousand floats, no
    // allocation.
    float* ring = lines_.data() + lineBase_[line];
    const std::size_t old = ringLength_[line];
    const std::size_t keep = std::min(old, length);
    const std::size_t from = (writePos_[line] + old - keep) % old;
    const std::size_t beforeWrap = std::min(keep, old - from);
    std::copy_n(ring + from, beforeWrap, ringScratch_.data());
    std::copy_n(ring, keep - beforeWrap, ringScratch_.data() + beforeWrap);
    std::copy_n(ringScratch_.data(), keep, ring);
    std::fill(ring + keep, ring + length, 0.0f);
    ringLength_[line] = length;
    writePos_[line] = keep % length;
}

void FdnReverb::readGliding() noexcept {
    // A length on the move: read between frames with linear interpolation (Dattorro 1997).
    // Each of the two frames is the ring's matrix output plus its side's injection from the
    // same frame (what the line was fed), summed before interpolating. Unscaled:
    // filterLines() applies the absorption gain.
    for (int i = 0; i < kLines; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const float* ring = lines_.data() + lineBase_[u];
        const float* inject = injection_.data() + injectionBase_[u < kLines / 2 ? 0 : 1];
        const bool added = kInjectSign[u] > 0;
        const auto length = static_cast<std::int64_t>(ringLength_[u]);
        const auto write = static_cast<std::int64_t>(writePos_[u]);
        const auto injectLength = static_cast<std::int64_t>(injectionLength_);
        const auto injectWrite = static_cast<std::int64_t>(injectionStep_);
        float* __restrict out = block_[u].data();
        auto wrapped = [](std::int64_t index, std::int64_t size) {
            return static_cast<std::size_t>(index < 0 ? index + size : index);
        };
        auto fed = [&](std::int64_t back) {  // what the line was fed `back` frames before the step (< 0)
            const float y = ring[wrapped(write + back, length)], x = inject[wrapped(injectWrite + back, injectLength)];
            return added ? y + x : y - x;
        };
        for (std::size_t k = 0; k < kGrid; ++k) {
            const double m = lengthStart_[u] + static_cast<double>(k) * lengthStep_[u];
            const double whole = std::floor(m);
            const float frac = static_cast<float>(m - whole);
            const std::int64_t newer = static_cast<std::int64_t>(k) - static_cast<std::int64_t>(whole);
            const float n = fed(newer), o = fed(newer - 1);
            out[k] = n + frac * (o - n);
        }
    }
}

template <FdnReverb::Injection injection>
void FdnReverb::filterLines(const LineSources& source, const LineSources& inject) noexcept {
    // The absorption filters s_i[k] = c_i·x_i[k] + p_i·s_i[k−1], c_i = g_i·(1 − p_i)/4, over
    // the grid step, where x_i = source_i ± inject_i (the sign kInjectSign[i]) when the
    // injection is still to add. Sixteen independent recursions: the step is transposed 4×4
    // at a time so one SSE register holds four lines at one frame, and the four registers of
    // lines 0–15 advance together (four independent dependency chains in flight); the results
    // go back to frame-contiguous rows of block_ for the matrix. Per line and frame the float
    // operations are those of the scalar form below. source[i] may be block_[i] itself: each
    // 4×4 tile is loaded whole before it is stored.
#if defined(__SSE__)
    __m128 c[4], p[4], s[4];
    for (std::size_t g = 0; g < 4; ++g) {
        c[g] = _mm_loadu_ps(inputScale_.data() + 4 * g);
        p[g] = _mm_loadu_ps(pole_.data() + 4 * g);
        s[g] = _mm_loadu_ps(state_.data() + 4 * g);
    }
    auto read = [&](std::size_t line, std::size_t k) {
        const __m128 y = _mm_loadu_ps(source[line] + k);
        if constexpr (injection == Injection::included) return y;
        const __m128 x = _mm_loadu_ps(inject[line] + k);
        return kInjectSign[line] > 0 ? _mm_add_ps(y, x) : _mm_sub_ps(y, x);
    };
    for (std::size_t k = 0; k < kGrid; k += 4) {
        __m128 frames[4][4];  // [frame j of the 4][line group g]
        for (std::size_t g = 0; g < 4; ++g) {
            __m128 r0 = read(4 * g, k), r1 = read(4 * g + 1, k), r2 = read(4 * g + 2, k), r3 = read(4 * g + 3, k);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            frames[0][g] = r0;
            frames[1][g] = r1;
            frames[2][g] = r2;
            frames[3][g] = r3;
        }
        for (std::size_t j = 0; j < 4; ++j)
            for (std::size_t g = 0; g < 4; ++g)
                frames[j][g] = s[g] = _mm_add_ps(_mm_mul_ps(frames[j][g], c[g]), _mm_mul_ps(p[g], s[g]));
        for (std::size_t g = 0; g < 4; ++g) {
            __m128 r0 = frames[0][g], r1 = frames[1][g], r2 = frames[2][g], r3 = frames[3][g];
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(block_[4 * g].data() + k, r0);
            _mm_storeu_ps(block_[4 * g + 1].data() + k, r1);
            _mm_storeu_ps(block_[4 * g + 2].data() + k, r2);
            _mm_storeu_ps(block_[4 * g + 3].data() + k, r3);
        }
    }
    for (std::size_t g = 0; g < 4; ++g) _mm_storeu_ps(state_.data() + 4 * g, s[g]);
#else
    for (std::size_t i = 0; i < kLines; ++i) {
        float state = state_[i];
        const float scale = inputScale_[i], pole = pole_[i];
        for (std::size_t j = 0; j < kGrid; ++j) {
            float x = source[i][j];
            if constexpr (injection == Injection::add) x = kInjectSign[i] > 0 ? x + inject[i][j] : x - inject[i][j];
            block_[i][j] = state = x * scale + pole * state;
        }
        state_[i] = state;
    }
#endif
}

namespace {
/// The radix-4 butterfly of the matrix on four vectors of frames, in place: (a, b, c, d)
/// becomes (a+b+c+d, a−b+c−d, a+b−c−d, a−b−c+d), always added in this order.
template <class V>
__attribute__((always_inline)) inline void butterfly4(V& a, V& b, V& c, V& d) noexcept {
    const V t0 = a + b, t1 = a - b, t2 = c + d, t3 = c - d;
    a = t0 + t2;
    b = t1 + t3;
    c = t0 - t2;
    d = t1 - t3;
}
}  // namespace

#if defined(__x86_64__) && defined(__GNUC__)
namespace {
/// Rows r[0..7] of eight floats become columns (an 8×8 transpose in 24 shuffles).
__attribute__((target("avx2"), always_inline)) inline void transpose8(__m256* r) noexcept {
    __m256 t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; ++i) {
        r[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
    }
}
}  // namespace

template <FdnReverb::Injection injection, FdnReverb::ThenMatrix thenMatrix>
__attribute__((target("avx2"), always_inline)) inline void FdnReverb::filterTiles(const LineSources& source,
                                                                                  const LineSources& inject,
                                                                                  const LineOutputs& to) noexcept {
    // filterLines() with eight lines per AVX register: 8×8 transposes (24 shuffles per 64
    // values instead of 32), half the arithmetic instructions; per line and frame the same
    // float operations in the same order, so the same bits. Neither the recursion's latency
    // nor the shuffles alone bound it (measured 2026-11-25: two frames per recursion step,
    // or the lines processed one group of eight after the other, no faster; without the
    // transposes, about 15 % of the reverb less). Transposes half done by 128-bit loads /
    // vinsertf128 and 128-bit stores measured no faster (2026-11-25). ThenMatrix::yes: the
    // matrix too, on each tile while it is in registers (filterAndMixAvx512()).
    __m256 c[2], p[2], s[2];
    for (std::size_t g = 0; g < 2; ++g) {
        c[g] = _mm256_loadu_ps(inputScale_.data() + 8 * g);
        p[g] = _mm256_loadu_ps(pole_.data() + 8 * g);
        s[g] = _mm256_loadu_ps(state_.data() + 8 * g);
    }
    for (std::size_t k = 0; k < kGrid; k += 8) {
        __m256 r[kLines];  // line i's eight frames, but between the transposes frame j of group g at 8g + j
        for (std::size_t g = 0; g < 2; ++g) {
#pragma GCC unroll 8
            for (std::size_t i = 0; i < 8; ++i) {
                const std::size_t line = 8 * g + i;
                r[line] = _mm256_loadu_ps(source[line] + k);
                if constexpr (injection == Injection::add) {
                    const __m256 x = _mm256_loadu_ps(inject[line] + k);
                    r[line] = kInjectSign[line] > 0 ? _mm256_add_ps(r[line], x) : _mm256_sub_ps(r[line], x);
                }
            }
            transpose8(r + 8 * g);
        }
        for (std::size_t j = 0; j < 8; ++j)
            for (std::size_t g = 0; g < 2; ++g)
                r[8 * g + j] = s[g] = _mm256_add_ps(_mm256_mul_ps(r[8 * g + j], c[g]), _mm256_mul_ps(p[g], s[g]));
        transpose8(r);
        transpose8(r + 8);
        if constexpr (thenMatrix == ThenMatrix::yes) {  // hadamard16()'s two passes
            for (std::size_t i = 0; i < kLines; i += 4) butterfly4(r[i], r[i + 1], r[i + 2], r[i + 3]);
            for (std::size_t i = 0; i < 4; ++i) butterfly4(r[i], r[i + 4], r[i + 8], r[i + 12]);
        }
        for (std::size_t i = 0; i < kLines; ++i) _mm256_storeu_ps(to[i] + k, r[i]);
    }
    for (std::size_t g = 0; g < 2; ++g) _mm256_storeu_ps(state_.data() + 8 * g, s[g]);
}

template <FdnReverb::Injection injection>
__attribute__((target("avx2"))) void FdnReverb::filterLinesAvx2(const LineSources& source,
                                                                const LineSources& inject) noexcept {
    LineOutputs rows;
    for (std::size_t i = 0; i < kLines; ++i) rows[i] = block_[i].data();
    filterTiles<injection, ThenMatrix::no>(source, inject, rows);
}

template <FdnReverb::Injection injection>
__attribute__((target("avx2,avx512f,avx512vl"))) void FdnReverb::filterAndMixAvx512(const LineSources& source,
                                                                                    const LineSources& inject,
                                                                                    const LineOutputs& out) noexcept {
    // filterLinesAvx2() and hadamard16() in one pass: each tile of eight frames of the sixteen
    // lines stays in registers from its loads through the filters and both matrix passes to
    // its stores into the rings, so block_ is neither written nor read back (but where a
    // ring wraps: out[i] is then block_[i], copied by the caller). That needs the sixteen
    // rows of a tile and the filters' state at once: AVX-512VL's 32 registers (256-bit
    // vectors; no 512-bit instruction) hold them, where in AVX2's 16 the same fusion spilled
    // and measured no faster. The same operations in the same order as the two passes, so
    // the same bits. Measured 2026-11-25: BM_FdnReverbSixteen about 5 % faster (medians of
    // ten alternations, 506–532 vs 531–563 µs), the 16-track render 2 % less CPU (paired
    // ratio 0.976–0.980, 12–16 rounds). A tile's reads all come before its writes, and a
    // later tile never reads what an earlier one wrote (see runTankBody()).
    filterTiles<injection, ThenMatrix::yes>(source, inject, out);
}
#else
template <FdnReverb::Injection injection>
void FdnReverb::filterLinesAvx2(const LineSources& source, const LineSources& inject) noexcept {
    filterLines<injection>(source, inject);
}
#endif

namespace {

// GCC vector extension: element-wise operations on eight floats, one AVX register or two SSE
// ones depending on the target a function is compiled for.
using Float8 = float __attribute__((vector_size(32)));

// Where one chunk of input diffusion reads and writes: per diffuser (left side 0–5, right
// 6–11) its delayed frames and its new ones, and each side's signal before and after
// (`to` may be `from`).
struct DiffusionTaps {
    std::array<const float*, 2 * FdnReverb::kDiffusersPerSide> read;
    std::array<float*, 2 * FdnReverb::kDiffusersPerSide> write;
    std::array<const float*, 2> from;
    std::array<float*, 2> to;
};

/// V's worth of frames from memory with no alignment assumed, and back. (By reference: a
/// 32-byte vector passed by value would have a different ABI in the SSE2 build.)
template <class V>
__attribute__((always_inline)) inline void load(V& to, const float* from) noexcept {
    std::memcpy(&to, from, sizeof to);
}
template <class V>
__attribute__((always_inline)) inline void store(float* to, const V& from) noexcept {
    std::memcpy(to, &from, sizeof from);
}

/// Frames k onward of both sides through their six allpasses, Lanes values of V (a vector of
/// frames, or one float) per side. Each cascade alone is a chain of 24 dependent operations
/// (about 70 cycles for one vector) that the out-of-order window overlaps only partly with
/// the next frames'; the 2·Lanes cascades here are independent, and the loops go stage by
/// stage across all of them so they are in flight together.
template <class V, std::size_t Lanes>
__attribute__((always_inline)) inline void diffuseFrames(const DiffusionTaps& taps, std::size_t k) noexcept {
    constexpr std::size_t kFrames = sizeof(V) / sizeof(float);  // per V
    constexpr std::size_t kPerSide = FdnReverb::kDiffusersPerSide;
    std::array<V, 2 * Lanes> x;  // side s, lane l at s·Lanes + l
    // Unrolled: as a loop, GCC moved x through the stack in 16-byte pieces, and reading them
    // back 32 bytes at a time stalled every pass (a store-to-load forwarding failure).
#pragma GCC unroll 4
    for (std::size_t c = 0; c < 2 * Lanes; ++c) load(x[c], taps.from[c / Lanes] + k + kFrames * (c % Lanes));
    for (std::size_t d = 0; d < kPerSide; ++d) {
        const float g = kDiffuserGain[d];
        for (std::size_t c = 0; c < 2 * Lanes; ++c) {
            const std::size_t line = c / Lanes * kPerSide + d, at = k + kFrames * (c % Lanes);
            V delayed;
            load(delayed, taps.read[line] + at);
            const V v = x[c] + g * delayed;
            x[c] = delayed - g * v;
            store(taps.write[line] + at, v);
        }
    }
#pragma GCC unroll 4
    for (std::size_t c = 0; c < 2 * Lanes; ++c) store(taps.to[c / Lanes] + k + kFrames * (c % Lanes), x[c]);
}

// The 16×16 Sylvester–Hadamard matrix (its 1/4 is in the absorption gains) as a fast
// Walsh–Hadamard transform in two radix-4 passes (stages 1, 2 then 4, 8) over frame-contiguous
// rows: every operation is an add or subtract of whole rows, so the loops vectorize across
// time without a shuffle, as wide as the target allows, with the same result in every lane
// width (each output sample sees the same adds in the same order).
//
// One radix-4 butterfly over rows `in` into rows `out`; an out row may be its own in row (each
// eight frames are loaded, all four rows, before any is stored), so nothing is __restrict.
template <std::size_t N>
__attribute__((always_inline)) inline void radix4(const std::array<const float*, 4>& in,
                                                  const std::array<float*, 4>& out) noexcept {
    static_assert(N % 8 == 0);
    for (std::size_t k = 0; k < N; k += 8) {
        Float8 a, b, c, d;
        load(a, in[0] + k);
        load(b, in[1] + k);
        load(c, in[2] + k);
        load(d, in[3] + k);
        butterfly4(a, b, c, d);
        store(out[0] + k, a);
        store(out[1] + k, b);
        store(out[2] + k, c);
        store(out[3] + k, d);
    }
}

/// The matrix on rows[0..15] (its first pass in place), the result into out[0..15]; out[i]
/// may be rows[i] itself.
template <std::size_t N>
__attribute__((always_inline)) inline void hadamard16(std::array<std::array<float, N>, 16>& rows,
                                                      const std::array<float*, 16>& out) noexcept {
    for (std::size_t i = 0; i < 16; i += 4)
        radix4<N>({rows[i].data(), rows[i + 1].data(), rows[i + 2].data(), rows[i + 3].data()},
                  {rows[i].data(), rows[i + 1].data(), rows[i + 2].data(), rows[i + 3].data()});
    for (std::size_t i = 0; i < 4; ++i)
        radix4<N>({rows[i].data(), rows[i + 4].data(), rows[i + 8].data(), rows[i + 12].data()},
                  {out[i], out[i + 4], out[i + 8], out[i + 12]});
}

}  // namespace

#if !(defined(__x86_64__) && defined(__GNUC__))
template <FdnReverb::Injection injection>
void FdnReverb::filterAndMixAvx512(const LineSources& source, const LineSources& inject,
                                   const LineOutputs& out) noexcept {
    // Never chosen (codeFor() needs an x86-64 CPU with AVX-512VL): the two passes it fuses.
    filterLines<injection>(source, inject);
    hadamard16(block_, out);
}
#endif

__attribute__((always_inline)) inline void FdnReverb::runTankBody() noexcept {
    // The whole grid step of the network at its start. Every line is at least kMinLength >
    // kGrid frames long, so the kGrid frames each line puts out during the step were all fed
    // to it before the step began: the reads, the absorption filters and the matrix for the
    // whole step do not wait for the step's input. (This is what lets the recursion run
    // line-parallel and the matrix time-parallel over kGrid frames whatever block sizes the
    // caller uses; the sum is the same network, sample for sample, as running it one frame at
    // a time.) A line is fed the matrix output plus its side's injection; the ring keeps the
    // first and the injection history the second, and the read adds the two, the same one
    // float add (or subtract) of the same operands as when the sum was stored, so the same
    // bits. The matrix output therefore goes into the rings here, at the step's start: all of
    // the step's reads are done by then, and no later step reads a frame it writes (they are
    // read ≥ kMinLength frames after the step's first) before the next step begins. With
    // AVX-512VL, reads and writes interleave tile by tile (filterAndMixAvx512()), which is as
    // safe: frame k of the step is written into the slot that frame k − (ring length − delay)
    // read, an earlier frame of the step or of the last one, so no slot is written before its
    // last read.
    LineSources source, inject;
    if (gliding_) {
        readGliding();  // sums the injection in
        for (std::size_t i = 0; i < kLines; ++i) source[i] = block_[i].data();
    } else {
        for (std::size_t i = 0; i < kLines; ++i) {
            const float* ring = lines_.data() + lineBase_[i];
            const std::size_t length = ringLength_[i];
            const auto delay = static_cast<std::size_t>(lengthStart_[i]);
            // The injection ring's first step is mirrored past its end: the read never wraps.
            std::size_t injectRead = injectionStep_ + injectionLength_ - delay;
            if (injectRead >= injectionLength_) injectRead -= injectionLength_;
            inject[i] = injection_.data() + injectionBase_[i < kLines / 2 ? 0 : 1] + injectRead;
            // A delay is at most its ring's length, so one wrap at most (and no division).
            std::size_t read = writePos_[i] + length - delay;
            if (read >= length) read -= length;
            if (read + kGrid <= length) {
                source[i] = ring + read;
            } else {  // the read wraps: gather it into the scratch first
                const std::size_t first = length - read;
                std::copy_n(ring + read, first, block_[i].data());
                std::copy_n(ring, kGrid - first, block_[i].data() + first);
                source[i] = block_[i].data();
            }
        }
    }
    // The matrix's last pass writes each row into its ring's slots for the step, or, where
    // those wrap around the ring's end (once per pass through the ring), back into block_,
    // then copied in two pieces.
    LineOutputs out;
    for (std::size_t i = 0; i < kLines; ++i) {
        const bool wraps = writePos_[i] + kGrid > ringLength_[i];
        out[i] = wraps ? block_[i].data() : lines_.data() + lineBase_[i] + writePos_[i];
    }
    if (code_ == Code::avx512vl) {
        if (gliding_)
            filterAndMixAvx512<Injection::included>(source, inject, out);
        else
            filterAndMixAvx512<Injection::add>(source, inject, out);
    } else {
        if (avx2_) {
            if (gliding_)
                filterLinesAvx2<Injection::included>(source, inject);
            else
                filterLinesAvx2<Injection::add>(source, inject);
        } else {
            if (gliding_)
                filterLines<Injection::included>(source, inject);
            else
                filterLines<Injection::add>(source, inject);
        }
        hadamard16(block_, out);
    }
    for (std::size_t i = 0; i < kLines; ++i) {
        float* ring = lines_.data() + lineBase_[i];
        const std::size_t write = writePos_[i], length = ringLength_[i];
        if (out[i] == block_[i].data()) {
            const std::size_t first = length - write;
            std::copy_n(block_[i].data(), first, ring + write);
            std::copy_n(block_[i].data() + first, kGrid - first, ring);
        }
        writePos_[i] = write + kGrid < length ? write + kGrid : write + kGrid - length;
    }
    for (std::size_t side = 0; side < 2; ++side) {
        const std::size_t row = side == 0 ? kTapLeft : kTapRight;
        const bool inBlock = out[row] == block_[row].data();
        tapAt_[side] = inBlock ? kTapInBlock : static_cast<std::size_t>(out[row] - lines_.data());
    }
}

__attribute__((always_inline)) inline void FdnReverb::feedLines(int numFrames) noexcept {
    // The wet is the tank's two taps plus the early onset; the diffused input injected into
    // the lines (L into lines 0–7, R into 8–15, fixed signs, added when a line is read) is
    // kInjectGain·x once per side: each line adds or subtracts it (the same bits as
    // multiplying by ±kInjectGain per line, a sign flip being exact).
    const auto n = static_cast<std::size_t>(numFrames);
    const auto at = static_cast<std::size_t>(gridPos_);
    for (std::size_t side = 0; side < 2; ++side) {
        const std::size_t row = side == 0 ? kTapLeft : kTapRight;
        const float* __restrict tap =
            (tapAt_[side] == kTapInBlock ? block_[row].data() : lines_.data() + tapAt_[side]) + at;
        const float* __restrict in = input_[side].data();
        float* __restrict wet = wet_[side].data();
        float* __restrict inject = injection_.data() + injectionBase_[side] + injectionStep_ + at;
        for (std::size_t k = 0; k < n; ++k) {
            wet[k] = kTankGain * tap[k] + kEarlyGain * in[k];
            inject[k] = kInjectGain * in[k];
        }
        if (injectionStep_ == 0) std::copy_n(inject, n, inject + injectionLength_);  // the mirror
    }
}

__attribute__((always_inline)) inline void FdnReverb::diffuse(const float* left, const float* right,
                                                              int numFrames) noexcept {
    // Each side's six Schroeder allpasses in cascade, v[n] = x[n] + g·v[n−M],
    // y[n] = v[n−M] − g·v[n], from left/right (input_ itself after the predelay) into input_.
    // All twelve in one pass, so a frame's value stays in a register from the first stage to
    // the last. M ≥ 64 but a chunk can be 128 frames, so its later frames read v values it
    // wrote itself: the pass goes forward in time, at most 16 frames at once, so each is
    // written before it is read.
    const auto n = static_cast<std::size_t>(numFrames);
    if (diffusePos_ + n > diffusionWindow_) {
        // The window is full: move each line's last `delay` frames, all that later reads
        // need, to its region's start (std::copy runs forward, so the overlap is safe).
        for (const Allpass& a : diffusers_) {
            float* region = diffusion_.data() + a.start;
            std::copy(region + diffusePos_, region + diffusePos_ + a.delay, region);
        }
        diffusePos_ = 0;
    }
    DiffusionTaps taps;
    for (std::size_t d = 0; d < diffusers_.size(); ++d) {
        float* read = diffusion_.data() + diffusers_[d].start + diffusePos_;
        taps.read[d] = read;
        taps.write[d] = read + diffusers_[d].delay;
    }
    taps.from = {left, right};
    taps.to = {input_[0].data(), input_[1].data()};
    // Two AVX registers' worth (or four SSE) per side at once (about 2 % faster in all than
    // one), then one, then single frames: the same element-wise operations in every width.
    std::size_t k = 0;
    for (; k + 16 <= n; k += 16) diffuseFrames<Float8, 2>(taps, k);
    for (; k + 8 <= n; k += 8) diffuseFrames<Float8, 1>(taps, k);
    for (; k < n; ++k) diffuseFrames<float, 1>(taps, k);
    diffusePos_ += n;
}

__attribute__((always_inline)) inline void FdnReverb::runChunkBody(AudioView io, std::int64_t start,
                                                                   int numFrames) noexcept {
    const auto n = static_cast<std::size_t>(numFrames);
    float* left = io.channel(0) + start;
    float* right = io.numChannels() > 1 ? io.channel(1) + start : left;
    // The predelay works in place, so it gets a copy (the dry must stay); at 0 and not
    // gliding it is an identity that only keeps the last input frame (for a later glide),
    // and the diffusers read the input where it is.
    if (!predelay_.isGliding() && predelay_.delay() == 0.0) {
        if (!inputRemembered_) predelay_.remember(AudioView{{left, right}, 2, numFrames});
        diffuse(left, right, numFrames);
    } else {
        std::copy_n(left, n, input_[0].data());
        std::copy_n(right, n, input_[1].data());
        predelay_.process(AudioView{{input_[0].data(), input_[1].data()}, 2, numFrames});
        diffuse(input_[0].data(), input_[1].data(), numFrames);
    }
    feedLines(numFrames);

    // Width (mid/side) and mix, per frame so their glides are the same for any block size.
    const bool stereo = io.numChannels() > 1;
    if (!mix_.isSmoothing() && !width_.isSmoothing()) {
        // Steady: the same arithmetic as below with constant gains, which vectorizes.
        const auto mix = static_cast<float>(mix_.current());
        const auto width = static_cast<float>(width_.current());
        const float* __restrict wl = wet_[0].data();
        const float* __restrict wr = wet_[1].data();
        if (stereo) {
            for (std::size_t k = 0; k < n; ++k) {
                const float mid = 0.5f * (wl[k] + wr[k]);
                const float side = 0.5f * (wl[k] - wr[k]) * width;
                left[k] = (1.0f - mix) * left[k] + mix * (mid + side);
                right[k] = (1.0f - mix) * right[k] + mix * (mid - side);
            }
        } else {
            for (std::size_t k = 0; k < n; ++k)
                left[k] = (1.0f - mix) * left[k] + mix * (0.70710678f * (wl[k] + wr[k]));
        }
        return;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const auto mix = static_cast<float>(mix_.next());
        const auto width = static_cast<float>(width_.next());
        const float wl = wet_[0][k], wr = wet_[1][k];
        if (stereo) {
            const float mid = 0.5f * (wl + wr);
            const float side = 0.5f * (wl - wr) * width;
            left[k] = (1.0f - mix) * left[k] + mix * (mid + side);
            right[k] = (1.0f - mix) * right[k] + mix * (mid - side);
        } else {
            left[k] = (1.0f - mix) * left[k] + mix * (0.70710678f * (wl + wr));
        }
    }
}

// The time-parallel work (matrix, injection, diffusers, mix) compiled twice: for the x86-64
// baseline (SSE2) and for AVX2, chosen at prepare() from the CPU. Both are the same source of
// element-wise float operations (no FMA: AVX2 does not imply it and the build has
// -ffp-contract=off), so the wider registers change how many frames one instruction covers,
// never a result: the two give bit-identical output (tested).
void FdnReverb::runTankBaseline() noexcept { runTankBody(); }
void FdnReverb::runChunkBaseline(AudioView io, std::int64_t start, int numFrames) noexcept {
    runChunkBody(io, start, numFrames);
}
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void FdnReverb::runTankAvx2() noexcept { runTankBody(); }
__attribute__((target("avx2"))) void FdnReverb::runChunkAvx2(AudioView io, std::int64_t start, int numFrames) noexcept {
    runChunkBody(io, start, numFrames);
}
#else
void FdnReverb::runTankAvx2() noexcept { runTankBody(); }
void FdnReverb::runChunkAvx2(AudioView io, std::int64_t start, int numFrames) noexcept {
    runChunkBody(io, start, numFrames);
}
#endif

FdnReverb::Code FdnReverb::codeFor(VectorWidth width) noexcept {
    if (width == VectorWidth::widest && cpuHasAvx512Vl()) return Code::avx512vl;
    if (width != VectorWidth::baseline && cpuHasAvx2()) return Code::avx2;
    return Code::baseline;
}

void FdnReverb::setVectorWidth(VectorWidth width) noexcept {
    code_ = codeFor(width);
    avx2_ = code_ != Code::baseline;
}

void FdnReverb::process(AudioView io) noexcept {
    if (!prepared_ || io.numChannels() == 0) return;
    ScopedDenormalFlush flush;
    // A predelay of 0 that is not gliding stays so for the whole call (glides start between
    // calls): it only has to remember the block's last frame, once rather than per chunk.
    inputRemembered_ = !predelay_.isGliding() && predelay_.delay() == 0.0;
    if (inputRemembered_) {
        float* right = io.numChannels() > 1 ? io.channel(1) : io.channel(0);
        predelay_.remember(AudioView{{io.channel(0), right}, 2, io.numFrames()});
    }
    for (std::int64_t done = 0; done < io.numFrames();) {
        if (gridPos_ == 0) {
            startGridStep();
            if (avx2_)
                runTankAvx2();
            else
                runTankBaseline();
        }
        const int n = static_cast<int>(std::min<std::int64_t>(kGrid - gridPos_, io.numFrames() - done));
        if (avx2_)
            runChunkAvx2(io, done, n);
        else
            runChunkBaseline(io, done, n);
        gridPos_ = (gridPos_ + n) % kGrid;
        done += n;
    }
}

}  // namespace reel::dsp
