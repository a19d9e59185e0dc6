#include "dsp/fdn_reverb.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/denormals.hpp"

#if defined(__SSE__)
#include <xmmintrin.h>
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
constexpr std::int64_t kMinLength = 132;  // > 2 grid steps: a chunk never reads what it writes

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
    sampleRate_ = spec.sampleRate;
    const auto longest = delayLengths(1.0, sampleRate_);
    const std::int64_t maxLength = *std::max_element(longest.begin(), longest.end());
    lineSize_ = std::bit_ceil(static_cast<std::size_t>(maxLength + 2 * kGrid + 2));
    lineMask_ = lineSize_ - 1;
    lines_.assign(lineSize_ * kLines, 0.0f);
    for (std::size_t d = 0; d < diffusers_.size(); ++d) {
        Allpass& a = diffusers_[d];
        a.delay =
            static_cast<std::size_t>(std::max<std::int64_t>(kGrid, roundFrames(kDiffuserMs[d] * 1e-3, sampleRate_)));
        const std::size_t size = std::bit_ceil(a.delay + kGrid + 1);
        a.ring.assign(size, 0.0f);
        a.mask = size - 1;
        a.gain = kDiffuserGain[d % kDiffusersPerSide];
    }
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
    for (auto& a : diffusers_) std::fill(a.ring.begin(), a.ring.end(), 0.0f);
    state_.fill(0.0f);
    predelay_.reset();
    for (auto& length : length_) length.setImmediate(length.target());
    decay_.setImmediate(decay_.target());
    damping_.setImmediate(damping_.target());
    mix_.setImmediate(mix_.target());
    width_.setImmediate(width_.target());
    now_ = 0;
    gridPos_ = 0;
    absorptionDirty_ = true;
}

void FdnReverb::updateAbsorption(double decay, double damping) noexcept {
    // Jot & Chaigne 1991: a line of m frames loses 60·m/(T60·fs) dB per pass at DC and
    // 60·m/(α·T60·fs) dB at Nyquist; the one-pole lowpass with pole p has gain ratio
    // (1 − p)/(1 + p) between the two, so p = (1 − r)/(1 + r) for the ratio r wanted.
    const double alpha = 1.0 - 0.9 * damping;
    anyPole_ = false;
    for (int i = 0; i < kLines; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double m = lengthStart_[u] + kGrid * lengthStep_[u];  // the length at the step's end
        const double dcDb = -60.0 * m / (decay * sampleRate_);
        const double g = std::pow(10.0, dcDb / 20.0);
        const double r = std::pow(10.0, dcDb * (1.0 / alpha - 1.0) / 20.0);
        const double p = (1.0 - r) / (1.0 + r);
        inputScale_[u] = static_cast<float>(0.25 * g * (1.0 - p));  // 0.25: the Hadamard's 1/√16
        pole_[u] = static_cast<float>(p);
        anyPole_ = anyPole_ || pole_[u] != 0.0f;
    }
    absorptionDirty_ = false;
}

void FdnReverb::startGridStep() noexcept {
    gliding_ = false;
    for (int i = 0; i < kLines; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const double start = length_[u].current();
        const double end = length_[u].skip(kGrid);
        lengthStart_[u] = start;
        lengthStep_[u] = (end - start) / kGrid;
        gliding_ = gliding_ || end != start;
    }
    const bool moving = decay_.isSmoothing() || damping_.isSmoothing();
    const double decay = decay_.skip(kGrid);
    const double damping = damping_.skip(kGrid);
    if (moving || gliding_ || absorptionDirty_) updateAbsorption(decay, damping);
}

void FdnReverb::readLines(int numFrames) noexcept {
    // Each line's output for the chunk, times its absorption gain g_i·(1 − p_i)/4.
    const auto n = static_cast<std::size_t>(numFrames);
    for (int i = 0; i < kLines; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const float* ring = lines_.data() + u * lineSize_;
        float* __restrict out = block_[u].data();
        const float scale = inputScale_[u];
        if (!gliding_) {
            const std::size_t read = (now_ - static_cast<std::size_t>(lengthStart_[u])) & lineMask_;
            const std::size_t first = std::min(n, lineSize_ - read);
            const float* __restrict a = ring + read;
            for (std::size_t k = 0; k < first; ++k) out[k] = a[k] * scale;
            for (std::size_t k = first; k < n; ++k) out[k] = ring[k - first] * scale;
            continue;
        }
        // A length on the move: read between frames with linear interpolation (Dattorro 1997).
        for (std::size_t k = 0; k < n; ++k) {
            const double m = lengthStart_[u] + static_cast<double>(gridPos_ + static_cast<int>(k)) * lengthStep_[u];
            const double whole = std::floor(m);
            const float frac = static_cast<float>(m - whole);
            const std::size_t newer = (now_ + k - static_cast<std::size_t>(whole)) & lineMask_;
            const std::size_t older = (newer - 1) & lineMask_;
            out[k] = (ring[newer] + frac * (ring[older] - ring[newer])) * scale;
        }
    }
}

void FdnReverb::absorb(int numFrames) noexcept {
    // The one-pole recursions s_i[k] = u_i[k] + p_i·s_i[k−1] (u already scaled). Sixteen
    // independent recursions: the chunk is transposed 4×4 at a time so one SSE register
    // holds four lines at one frame, and the four registers of lines 0–15 advance together
    // (four independent dependency chains in flight). Per line and frame these are the same
    // float operations, in the same order, as the scalar form below, so results are identical.
    const auto n = static_cast<std::size_t>(numFrames);
    std::size_t k = 0;
#if defined(__SSE__)
    __m128 p[4], s[4];
    for (std::size_t g = 0; g < 4; ++g) {
        p[g] = _mm_loadu_ps(pole_.data() + 4 * g);
        s[g] = _mm_loadu_ps(state_.data() + 4 * g);
    }
    alignas(16) __m128 frames[4][4];  // [frame j of the 4][line group g]
    for (; k + 4 <= n; k += 4) {
        for (std::size_t g = 0; g < 4; ++g) {
            __m128 r0 = _mm_loadu_ps(block_[4 * g].data() + k), r1 = _mm_loadu_ps(block_[4 * g + 1].data() + k);
            __m128 r2 = _mm_loadu_ps(block_[4 * g + 2].data() + k), r3 = _mm_loadu_ps(block_[4 * g + 3].data() + k);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            frames[0][g] = r0;
            frames[1][g] = r1;
            frames[2][g] = r2;
            frames[3][g] = r3;
        }
        for (std::size_t j = 0; j < 4; ++j)
            for (std::size_t g = 0; g < 4; ++g) frames[j][g] = s[g] = _mm_add_ps(frames[j][g], _mm_mul_ps(p[g], s[g]));
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
#endif
    for (std::size_t i = 0; i < kLines; ++i) {
        float state = state_[i];
        const float pole = pole_[i];
        for (std::size_t j = k; j < n; ++j) block_[i][j] = state = block_[i][j] + pole * state;
        state_[i] = state;
    }
}

void FdnReverb::diffuse(Allpass& allpass, float* x, int numFrames) noexcept {
    // Schroeder allpass, v[n] = x[n] + g·v[n−M], y[n] = v[n−M] − g·v[n]. M ≥ the chunk, so
    // every v[n−M] a chunk needs was written before it: the loop runs over stretches where
    // no ring index wraps, which vectorize.
    const float g = allpass.gain;
    const std::size_t size = allpass.ring.size();
    const auto n = static_cast<std::size_t>(numFrames);
    for (std::size_t k = 0; k < n;) {
        const std::size_t w = (now_ + k) & allpass.mask;
        const std::size_t r = (now_ + k - allpass.delay) & allpass.mask;
        const std::size_t run = std::min({n - k, size - w, size - r});
        float* __restrict out = allpass.ring.data() + w;
        const float* __restrict in = allpass.ring.data() + r;
        float* __restrict y = x + k;
        for (std::size_t j = 0; j < run; ++j) {
            const float delayed = in[j];
            const float v = y[j] + g * delayed;
            y[j] = delayed - g * v;
            out[j] = v;
        }
        k += run;
    }
}

void FdnReverb::runNetwork(int numFrames) noexcept {
    const auto n = static_cast<std::size_t>(numFrames);
    readLines(numFrames);
    if (anyPole_)
        absorb(numFrames);
    else
        for (std::size_t i = 0; i < kLines; ++i) state_[i] = block_[i][n - 1];
    // The 16×16 Sylvester–Hadamard matrix as a fast Walsh–Hadamard transform (its 1/4 is in
    // inputScale_), in two radix-4 passes (stages 1, 2 then 4, 8), vectorized over the frames.
    auto radix4 = [n](float* a, float* b, float* c, float* d) {
        for (std::size_t k = 0; k < n; ++k) {
            const float t0 = a[k] + b[k], t1 = a[k] - b[k], t2 = c[k] + d[k], t3 = c[k] - d[k];
            a[k] = t0 + t2;
            c[k] = t0 - t2;
            b[k] = t1 + t3;
            d[k] = t1 - t3;
        }
    };
    for (std::size_t i = 0; i < kLines; i += 4)
        radix4(block_[i].data(), block_[i + 1].data(), block_[i + 2].data(), block_[i + 3].data());
    for (std::size_t i = 0; i < 4; ++i)
        radix4(block_[i].data(), block_[i + 4].data(), block_[i + 8].data(), block_[i + 12].data());
    for (std::size_t k = 0; k < n; ++k) {
        wet_[0][k] = kTankGain * block_[kTapLeft][k] + kEarlyGain * input_[0][k];
        wet_[1][k] = kTankGain * block_[kTapRight][k] + kEarlyGain * input_[1][k];
    }
    // Back into the lines, with the diffused input injected.
    const std::size_t write = now_ & lineMask_;
    const std::size_t first = std::min(n, lineSize_ - write);
    for (std::size_t i = 0; i < kLines; ++i) {
        const float gain = kInjectGain * kInjectSign[i];
        const float* __restrict in = input_[i < kLines / 2 ? 0 : 1].data();
        const float* __restrict y = block_[i].data();
        float* ring = lines_.data() + i * lineSize_;
        float* __restrict a = ring + write;
        for (std::size_t k = 0; k < first; ++k) a[k] = y[k] + gain * in[k];
        for (std::size_t k = first; k < n; ++k) ring[k - first] = y[k] + gain * in[k];
    }
}

bool FdnReverb::runNetworkFused(int numFrames) noexcept {
#if defined(__SSE__)
    // The whole network for four frames at a time with the sixteen lines in four SSE
    // registers (lines 4g..4g+3 in register g): read and scale, the one-pole recursion,
    // the Hadamard (stages 1–2 inside each register, 4–8 across them), the taps and the
    // injection, then back into the lines. Every line and frame sees exactly the float
    // operations of runNetwork(), in the same order, so the two paths give identical output
    // and which one a chunk takes (it depends on where the caller's blocks end) never shows.
    const auto n = static_cast<std::size_t>(numFrames);
    if (gliding_ || n % 4 != 0) return false;
    std::array<const float*, kLines> source;
    std::array<float*, kLines> target;
    const std::size_t write = now_ & lineMask_;
    const bool writeWraps = write + n > lineSize_;
    for (std::size_t i = 0; i < kLines; ++i) {
        const float* ring = lines_.data() + i * lineSize_;
        const std::size_t read = (now_ - static_cast<std::size_t>(lengthStart_[i])) & lineMask_;
        if (read + n <= lineSize_) {
            source[i] = ring + read;
        } else {  // the read wraps: gather it into the scratch first
            const std::size_t first = lineSize_ - read;
            std::copy_n(ring + read, first, block_[i].data());
            std::copy_n(ring, n - first, block_[i].data() + first);
            source[i] = block_[i].data();
        }
        target[i] = writeWraps ? block_[i].data() : lines_.data() + i * lineSize_ + write;
    }
    __m128 scale[4], pole[4], state[4], injectL[2], injectR[2];
    for (std::size_t g = 0; g < 4; ++g) {
        scale[g] = _mm_loadu_ps(inputScale_.data() + 4 * g);
        pole[g] = _mm_loadu_ps(pole_.data() + 4 * g);
        state[g] = _mm_loadu_ps(state_.data() + 4 * g);
    }
    for (std::size_t g = 0; g < 2; ++g) {
        alignas(16) float l[4], r[4];
        for (std::size_t j = 0; j < 4; ++j) {
            l[j] = kInjectGain * kInjectSign[4 * g + j];
            r[j] = kInjectGain * kInjectSign[8 + 4 * g + j];
        }
        injectL[g] = _mm_load_ps(l);
        injectR[g] = _mm_load_ps(r);
    }
    const __m128 flip1 = _mm_setr_ps(1.0f, -1.0f, 1.0f, -1.0f);
    const __m128 flip2 = _mm_setr_ps(1.0f, 1.0f, -1.0f, -1.0f);
    alignas(16) float taps[2][kGrid];
    for (std::size_t k = 0; k < n; k += 4) {
        __m128 frame[4][4];  // [frame j][register g]
        for (std::size_t g = 0; g < 4; ++g) {
            __m128 r0 = _mm_loadu_ps(source[4 * g] + k), r1 = _mm_loadu_ps(source[4 * g + 1] + k);
            __m128 r2 = _mm_loadu_ps(source[4 * g + 2] + k), r3 = _mm_loadu_ps(source[4 * g + 3] + k);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            frame[0][g] = r0;
            frame[1][g] = r1;
            frame[2][g] = r2;
            frame[3][g] = r3;
        }
        for (std::size_t j = 0; j < 4; ++j) {
            __m128* v = frame[j];
            for (std::size_t g = 0; g < 4; ++g) {
                // u = x·g(1−p)/4, then s = u + p·s.
                v[g] = state[g] = _mm_add_ps(_mm_mul_ps(v[g], scale[g]), _mm_mul_ps(pole[g], state[g]));
                // Hadamard stages 1 and 2 inside the register: (a+b, a−b, c+d, c−d), then
                // (t0+t2, t1+t3, t0−t2, t1−t3); −b + a is exactly a − b.
                v[g] = _mm_add_ps(_mm_mul_ps(v[g], flip1), _mm_shuffle_ps(v[g], v[g], _MM_SHUFFLE(2, 3, 0, 1)));
                v[g] = _mm_add_ps(_mm_mul_ps(v[g], flip2), _mm_shuffle_ps(v[g], v[g], _MM_SHUFFLE(1, 0, 3, 2)));
            }
            // Stages 4 and 8 across the registers.
            const __m128 t0 = _mm_add_ps(v[0], v[1]), t1 = _mm_sub_ps(v[0], v[1]);
            const __m128 t2 = _mm_add_ps(v[2], v[3]), t3 = _mm_sub_ps(v[2], v[3]);
            v[0] = _mm_add_ps(t0, t2);
            v[2] = _mm_sub_ps(t0, t2);
            v[1] = _mm_add_ps(t1, t3);
            v[3] = _mm_sub_ps(t1, t3);
            alignas(16) float lanes[2][4];
            _mm_store_ps(lanes[0], v[kTapLeft / 4]);
            _mm_store_ps(lanes[1], v[kTapRight / 4]);
            taps[0][k + j] = lanes[0][kTapLeft % 4];
            taps[1][k + j] = lanes[1][kTapRight % 4];
            const __m128 inL = _mm_set1_ps(input_[0][k + j]), inR = _mm_set1_ps(input_[1][k + j]);
            v[0] = _mm_add_ps(v[0], _mm_mul_ps(injectL[0], inL));
            v[1] = _mm_add_ps(v[1], _mm_mul_ps(injectL[1], inL));
            v[2] = _mm_add_ps(v[2], _mm_mul_ps(injectR[0], inR));
            v[3] = _mm_add_ps(v[3], _mm_mul_ps(injectR[1], inR));
        }
        for (std::size_t g = 0; g < 4; ++g) {
            __m128 r0 = frame[0][g], r1 = frame[1][g], r2 = frame[2][g], r3 = frame[3][g];
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(target[4 * g] + k, r0);
            _mm_storeu_ps(target[4 * g + 1] + k, r1);
            _mm_storeu_ps(target[4 * g + 2] + k, r2);
            _mm_storeu_ps(target[4 * g + 3] + k, r3);
        }
    }
    for (std::size_t g = 0; g < 4; ++g) _mm_storeu_ps(state_.data() + 4 * g, state[g]);
    if (writeWraps) {
        const std::size_t first = lineSize_ - write;
        for (std::size_t i = 0; i < kLines; ++i) {
            float* ring = lines_.data() + i * lineSize_;
            std::copy_n(block_[i].data(), first, ring + write);
            std::copy_n(block_[i].data() + first, n - first, ring);
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        wet_[0][k] = kTankGain * taps[0][k] + kEarlyGain * input_[0][k];
        wet_[1][k] = kTankGain * taps[1][k] + kEarlyGain * input_[1][k];
    }
    return true;
#else
    (void)numFrames;
    return false;
#endif
}

void FdnReverb::runChunk(AudioView io, std::int64_t start, int numFrames) noexcept {
    const auto n = static_cast<std::size_t>(numFrames);
    float* left = io.channel(0) + start;
    float* right = io.numChannels() > 1 ? io.channel(1) + start : left;
    std::copy_n(left, n, input_[0].data());
    std::copy_n(right, n, input_[1].data());
    predelay_.process(AudioView{{input_[0].data(), input_[1].data()}, 2, numFrames});
    for (int d = 0; d < kDiffusersPerSide; ++d) {
        diffuse(diffusers_[static_cast<std::size_t>(d)], input_[0].data(), numFrames);
        diffuse(diffusers_[static_cast<std::size_t>(kDiffusersPerSide + d)], input_[1].data(), numFrames);
    }

    if (!runNetworkFused(numFrames)) runNetwork(numFrames);
    now_ += n;

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

void FdnReverb::process(AudioView io) noexcept {
    if (!prepared_ || io.numChannels() == 0) return;
    ScopedDenormalFlush flush;
    for (std::int64_t done = 0; done < io.numFrames();) {
        if (gridPos_ == 0) startGridStep();
        const int n = static_cast<int>(std::min<std::int64_t>(kGrid - gridPos_, io.numFrames() - done));
        runChunk(io, done, n);
        gridPos_ = (gridPos_ + n) % kGrid;
        done += n;
    }
}

}  // namespace reel::dsp
