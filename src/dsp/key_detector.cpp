#include "dsp/key_detector.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <numbers>

#include "dsp/fast_log_exp.hpp"

namespace reel::dsp {
namespace {
constexpr double kGlideSeconds = 0.020;
constexpr double kButterworthQ = std::numbers::sqrt2 / 2.0;

// A mean square floored at LevelDetector's −300 dB, as a float (1e-30 is a normal float).
inline float flooredMeanSquare(double meanSquare) noexcept {
    return static_cast<float>(meanSquare > LevelDetector::kFloorMeanSquare ? meanSquare : LevelDetector::kFloorMeanSquare);
}

// A level in dB from a floored mean square, through lnApprox (see fast_log_exp.hpp for why):
// the same value whether it runs in the per-frame loop or in levelsInDecibels' vectorized one.
template <Fma fma = Fma::no>
inline float decibelsOf(float meanSquare) noexcept {
    return 4.3429448190325182765f * lnApprox<fma>(meanSquare);
}

// In place: floored mean squares become levels in dB.
template <Fma fma>
__attribute__((always_inline)) inline void levelsInDecibels(float* x, std::int64_t numFrames) noexcept {
    for (std::int64_t i = 0; i < numFrames; ++i) x[i] = decibelsOf<fma>(x[i]);
}
}  // namespace

void KeyDetector::prepare(const Setup& setup) {
    setup_ = setup;
    setup_.keyChannels = std::clamp(setup.keyChannels, 1, kMaxChannels);
    setup_.outChannels = std::clamp(setup.outChannels, 1, kMaxChannels);
    setup_.maxBlock = std::max(setup.maxBlock, 1);
    detector_.prepare(setup_.keyChannels, setup_.detection,
                      static_cast<std::int64_t>(std::llround(setup_.rmsWindowSeconds * setup_.sampleRate)));
    levels_.resize(setup_.outChannels, setup_.maxBlock);
    const auto glide = static_cast<std::int64_t>(kGlideSeconds * setup_.sampleRate);
    link_.prepare(glide, linkTarget_);
    highpass_.hz.prepare(glide, highpassTarget_);
    lowpass_.hz.prepare(glide, lowpassTarget_);
    reset();
}

void KeyDetector::reset() noexcept {
    detector_.reset();
    link_.setImmediate(linkTarget_);
    highpass_.hz.setImmediate(highpassTarget_);
    lowpass_.hz.setImmediate(lowpassTarget_);
    design(highpass_, true);
    design(lowpass_, false);
    highpass_.filter.reset();
    lowpass_.filter.reset();
}

void KeyDetector::setLink(double fraction) noexcept {
    linkTarget_ = std::clamp(fraction, 0.0, 1.0);
    link_.setTarget(linkTarget_);
}

void KeyDetector::setCorner(Corner& corner, double hz) noexcept {
    // Off and on switch at once (a glide up from 0 Hz would sweep through useless corners);
    // between two frequencies the corner glides.
    if (hz <= 0.0 || corner.hz.target() <= 0.0) corner.hz.setImmediate(hz);
    else corner.hz.setTarget(hz);
}

void KeyDetector::setHighpass(double hz) noexcept {
    highpassTarget_ = std::max(hz, 0.0);
    setCorner(highpass_, highpassTarget_);
    design(highpass_, true);
}

void KeyDetector::setLowpass(double hz) noexcept {
    lowpassTarget_ = std::max(hz, 0.0);
    setCorner(lowpass_, lowpassTarget_);
    design(lowpass_, false);
}

void KeyDetector::design(Corner& corner, bool highpass) noexcept {
    const double hz = corner.hz.current();
    corner.on = hz > 0.0;
    if (!corner.on) return;
    const double f = std::min(hz, 0.49 * setup_.sampleRate);  // below Nyquist whatever the rate
    corner.filter.setCoefficients(highpass ? BiquadCoefficients::highPass(f, kButterworthQ, setup_.sampleRate)
                                           : BiquadCoefficients::lowPass(f, kButterworthQ, setup_.sampleRate));
}

template <Fma fma>
__attribute__((always_inline)) inline AudioView KeyDetector::processBody(AudioView key, int outChannels,
                                                                         Linking linking, AudioView listen) noexcept {
    const std::int64_t numFrames = std::min<std::int64_t>(key.numFrames(), setup_.maxBlock);
    const int keyChannels = std::min(key.numChannels(), setup_.keyChannels);
    const int numOut = linking == Linking::full ? 1 : std::clamp(outChannels, 1, setup_.outChannels);
    std::array<float*, kMaxChannels> out{};
    for (int c = 0; c < numOut; ++c) out[static_cast<std::size_t>(c)] = levels_.channel(c);
    const AudioView levels(out, numOut, numFrames);
    if (keyChannels == 0) {
        for (int c = 0; c < numOut; ++c) std::fill_n(out[static_cast<std::size_t>(c)], numFrames, -300.0f);
        return levels;
    }
    const int listenChannels = std::min(listen.numChannels(), keyChannels);

    std::array<double, kMaxChannels> meanSquares{};
    // Fully linked (the usual case) every output is the level of the loudest mean square: the
    // frame loop stores that mean square and one vectorized pass turns the block into dB.
    const bool linkedBlock = linking == Linking::full || (!link_.isSmoothing() && link_.current() >= 1.0);
    const bool filtered = highpass_.on || lowpass_.on || highpass_.hz.isSmoothing() || lowpass_.hz.isSmoothing();
    const bool plain = linkedBlock && !filtered && listenChannels == 0 && detector_.detection() == LevelDetection::peak;
    if (plain) {
        // The plain case (peak detection of the input itself) without the frame loop's checks:
        // the same floored loudest x² per frame. x² is exact in double, so its float rounding
        // equals the float product, and rounding keeps the order of max and floor, so the
        // floor may come first.
        // The maxima are taken on the bit patterns, which order like the values for the
        // non-negative floats here and, unlike a float comparison, vectorize (fast_log_exp.hpp).
        constexpr auto kFloor = std::bit_cast<std::int32_t>(static_cast<float>(LevelDetector::kFloorMeanSquare));
        auto louder = [](float a, float b) {
            return std::bit_cast<float>(std::max(std::bit_cast<std::int32_t>(a), std::bit_cast<std::int32_t>(b)));
        };
        float* o = out[0];
        const float* x0 = key.channel(0);
        if (keyChannels == 2) {
            // A stereo key (the usual case): the loudest square and its level in dB in one
            // pass over the block, the same operations as the two passes below.
            const float* x1 = key.channel(1);
            for (std::int64_t i = 0; i < numFrames; ++i)
                o[i] = decibelsOf<fma>(louder(louder(x0[i] * x0[i], std::bit_cast<float>(kFloor)), x1[i] * x1[i]));
            // The link advances as the frame loop would; then the other outputs get the level.
            for (std::int64_t i = 0; i < numFrames && link_.isSmoothing(); ++i) link_.next();
            for (int c = 1; c < numOut; ++c) std::copy_n(out[0], numFrames, out[static_cast<std::size_t>(c)]);
            return levels;
        }
        for (std::int64_t i = 0; i < numFrames; ++i) o[i] = louder(x0[i] * x0[i], std::bit_cast<float>(kFloor));
        for (int k = 1; k < keyChannels; ++k) {
            const float* xk = key.channel(k);
            for (std::int64_t i = 0; i < numFrames; ++i) o[i] = louder(o[i], xk[i] * xk[i]);
        }
    } else {
        for (std::int64_t i = 0; i < numFrames; ++i) {
            if (highpass_.hz.isSmoothing()) {
                highpass_.hz.next();
                design(highpass_, true);
            }
            if (lowpass_.hz.isSmoothing()) {
                lowpass_.hz.next();
                design(lowpass_, false);
            }
            double loudest = 0.0;
            for (int k = 0; k < keyChannels; ++k) {
                float x = key.channel(k)[i];
                if (highpass_.on) x = highpass_.filter.processSample(k, x);
                if (lowpass_.on) x = lowpass_.filter.processSample(k, x);
                if (k < listenChannels) listen.channel(k)[i] = x;
                const double ms = detector_.meanSquare(k, x);
                meanSquares[static_cast<std::size_t>(k)] = ms;
                loudest = std::max(loudest, ms);
            }
            if (linkedBlock) {
                out[0][i] = flooredMeanSquare(loudest);
                continue;
            }
            // The shared level is the level of the loudest mean square (not the max of the
            // levels): one log whichever linking is used, and the same value both ways.
            const double maxDb = decibelsOf<fma>(flooredMeanSquare(loudest));
            const double link = link_.next();
            if (link >= 1.0) {
                for (int c = 0; c < numOut; ++c) out[static_cast<std::size_t>(c)][i] = static_cast<float>(maxDb);
                continue;
            }
            for (int c = 0; c < numOut; ++c) {
                const double own = decibelsOf<fma>(
                    flooredMeanSquare(meanSquares[static_cast<std::size_t>(std::min(c, keyChannels - 1))]));
                out[static_cast<std::size_t>(c)][i] = static_cast<float>(own + link * (maxDb - own));
            }
        }
    }
    if (linkedBlock) {
        for (std::int64_t i = 0; i < numFrames && link_.isSmoothing(); ++i) link_.next();  // as the frame loop would
        levelsInDecibels<fma>(out[0], numFrames);
        for (int c = 1; c < numOut; ++c) std::copy_n(out[0], numFrames, out[static_cast<std::size_t>(c)]);
    }
    return levels;
}

// The three builds of processBody, after its definition (a template is inlined only where
// its body has been seen).
AudioView KeyDetector::process(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept {
    switch (code_) {
        case VectorCode::avx2Fma: return processAvx2Fma(key, outChannels, linking, listen);
        case VectorCode::avx2: return processAvx2(key, outChannels, linking, listen);
        case VectorCode::baseline: break;
    }
    return processBaseline(key, outChannels, linking, listen);
}

AudioView KeyDetector::processBaseline(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept {
    return processBody<Fma::no>(key, outChannels, linking, listen);
}
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) AudioView KeyDetector::processAvx2(AudioView key, int outChannels, Linking linking,
                                                                   AudioView listen) noexcept {
    return processBody<Fma::no>(key, outChannels, linking, listen);
}
__attribute__((target("avx2,fma"))) AudioView KeyDetector::processAvx2Fma(AudioView key, int outChannels,
                                                                          Linking linking, AudioView listen) noexcept {
    return processBody<Fma::yes>(key, outChannels, linking, listen);
}
#else
AudioView KeyDetector::processAvx2(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept {
    return processBody<Fma::no>(key, outChannels, linking, listen);
}
AudioView KeyDetector::processAvx2Fma(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept {
    return processBody<Fma::no>(key, outChannels, linking, listen);
}
#endif

}  // namespace reel::dsp
