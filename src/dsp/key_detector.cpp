#include "dsp/key_detector.hpp"

#include <algorithm>
#include <numbers>

namespace reel::dsp {
namespace {
constexpr double kGlideSeconds = 0.020;
constexpr double kButterworthQ = std::numbers::sqrt2 / 2.0;
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

AudioView KeyDetector::process(AudioView key, int outChannels, Linking linking, AudioView listen) noexcept {
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
        // The shared level is the level of the loudest mean square (not the max of the
        // levels): one log whichever linking is used, and the same value both ways.
        const double maxDb = LevelDetector::toDecibels(loudest);
        const double link = link_.next();
        if (linking == Linking::full || link >= 1.0) {
            for (int c = 0; c < numOut; ++c) out[static_cast<std::size_t>(c)][i] = static_cast<float>(maxDb);
            continue;
        }
        for (int c = 0; c < numOut; ++c) {
            const double own = LevelDetector::toDecibels(meanSquares[static_cast<std::size_t>(std::min(c, keyChannels - 1))]);
            out[static_cast<std::size_t>(c)][i] = static_cast<float>(own + link * (maxDb - own));
        }
    }
    return levels;
}

}  // namespace reel::dsp
