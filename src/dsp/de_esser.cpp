#include "dsp/de_esser.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "dsp/gain_computer.hpp"

namespace reel::dsp {
namespace {

constexpr double kGlideSeconds = 0.020;
// While the frequency glides, the split is redesigned on a fixed grid of frames (counted
// from reset, so the output does not depend on the block size).
constexpr std::int64_t kRedesignFrames = 32;

constexpr std::array<ParameterInfo, 6> kParameters{{
    {"frequency", "Hz", 1000.0, 16000.0, 6708.0},
    {"threshold", "dB", -60.0, 0.0, -30.0},
    {"ratio", "", 1.0, 100.0, 10.0},
    {"reduction", "dB", -40.0, 0.0, -8.0},
    {"attack", "s", 0.0, 0.1, 0.001},
    {"release", "s", 0.001, 1.0, 0.060},
}};

double clampTo(DeEsser::Parameter p, double value) noexcept {
    const auto& info = kParameters[static_cast<std::size_t>(p)];
    return std::isnan(value) ? info.defaultValue : std::clamp(value, info.min, info.max);
}

}  // namespace

std::span<const ParameterInfo> DeEsser::parameterInfo() noexcept { return kParameters; }

void DeEsser::setParams(const Params& params) noexcept {
    params_.frequency = Hertz{clampTo(frequency, params.frequency.value)};
    params_.threshold = Decibels{clampTo(threshold, params.threshold.value)};
    params_.ratio = clampTo(ratio, params.ratio);
    params_.reduction = Decibels{clampTo(reduction, params.reduction.value)};
    params_.attack = Seconds{clampTo(attack, params.attack.value)};
    params_.release = Seconds{clampTo(release, params.release.value)};
    params_.listen = params.listen;
    if (prepared_) applyTargets(false);
}

void DeEsser::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case frequency: p.frequency = Hertz{value}; break;
        case threshold: p.threshold = Decibels{value}; break;
        case ratio: p.ratio = value; break;
        case reduction: p.reduction = Decibels{value}; break;
        case attack: p.attack = Seconds{value}; break;
        case release: p.release = Seconds{value}; break;
        default: return;
    }
    setParams(p);
}

void DeEsser::applyTargets(bool immediate) noexcept {
    const double lowEdge = params_.frequency.value / kBandHalfWidth;
    const double values[] = {lowEdge, params_.threshold.value, compressorSlope(params_.ratio), params_.reduction.value};
    SmoothedValue* glides[] = {&splitHz_, &threshold_, &slope_, &reduction_};
    for (std::size_t i = 0; i < 4; ++i) {
        if (immediate) glides[i]->setImmediate(values[i]);
        else glides[i]->setTarget(values[i]);
    }
    // The detector's corners glide the same way (same ramp, same linear path in Hz).
    detector_.setHighpass(lowEdge);
    detector_.setLowpass(params_.frequency.value * kBandHalfWidth);
    designSplit();
    smoother_.setBallistics(GainReductionSmoother::coefficient(params_.attack.value, spec_.sampleRate),
                            GainReductionSmoother::coefficient(params_.release.value, spec_.sampleRate), 0);
}

void DeEsser::designSplit() noexcept {
    // Put the whole transition under the band's lower edge (but keep the cut-off at least
    // half that edge for very low bands), so the band itself is cut by exactly `reduction`.
    const double lowEdge = splitHz_.current();
    const double halfTransition = 0.5 * LinearPhaseLowpass::transitionHz(split_.delay(), spec_.sampleRate);
    split_.setCutoff(std::max(lowEdge - halfTransition, 0.5 * lowEdge), spec_.sampleRate);
}

Result<void> DeEsser::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.maxBlock < 1 || spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "de-esser: needs a positive rate and block size and 1 to 8 channels");
    spec_ = spec;
    detector_.prepare({spec.sampleRate, spec.maxBlock, spec.channels, 1, LevelDetection::rms, kRmsWindowSeconds});
    detector_.setLink(1.0);
    split_.prepare(spec.channels, std::max(1, static_cast<int>(std::lround(kSplitDelaySeconds * spec.sampleRate))));
    const auto glide = static_cast<std::int64_t>(kGlideSeconds * spec.sampleRate);
    for (SmoothedValue* v : {&splitHz_, &threshold_, &slope_, &reduction_}) v->prepare(glide, 0.0);
    prepared_ = true;
    reset();
    return {};
}

void DeEsser::reset() noexcept {
    applyTargets(true);
    detector_.reset();
    split_.reset();
    smoother_.reset();
    frame_ = 0;
    gainReductionDb_ = 0.0;
}

void DeEsser::process(AudioView io) noexcept {
    gainReductionDb_ = 0.0;
    if (!prepared_) return;
    for (std::int64_t at = 0; at < io.numFrames(); at += spec_.maxBlock)
        processChunk(io.slice(at, std::min<std::int64_t>(spec_.maxBlock, io.numFrames() - at)));
}

void DeEsser::processChunk(AudioView io) noexcept {
    const int channels = std::min(io.numChannels(), spec_.channels);
    const bool listening = params_.listen == Listen::band;
    // In listen mode the detector writes the filtered band over the audio as it reads it.
    const AudioView levels = detector_.process(io, 1, Linking::full, listening ? io : AudioView{});
    const float* level = levels.channel(0);
    double peakReduction = gainReductionDb_;
    for (std::int64_t i = 0; i < levels.numFrames(); ++i, ++frame_) {
        if (splitHz_.isSmoothing() && frame_ % kRedesignFrames == 0) {
            splitHz_.skip(kRedesignFrames);
            designSplit();
        }
        const double thresholdDb = threshold_.next();
        const double slope = slope_.next();
        const double capDb = reduction_.next();
        const double target = -std::max(compressorGainDb(level[i], thresholdDb, slope, kKneeDb), capDb);
        const double reductionDb = smoother_.next(target);
        peakReduction = std::max(peakReduction, reductionDb);
        const double cut = 1.0 - decibelsToGain(-reductionDb);  // 0 when nothing is reduced
        for (int c = 0; c < channels; ++c) {
            float& x = io.channel(c)[i];  // in listen mode, already the detection band
            float low = 0.0f, delayed = 0.0f;
            split_.process(c, x, low, delayed);
            if (listening) {
                x = delayed;
                continue;
            }
            const double high = static_cast<double>(delayed) - static_cast<double>(low);
            x = static_cast<float>(static_cast<double>(delayed) - cut * high);
        }
    }
    gainReductionDb_ = peakReduction;
}

}  // namespace reel::dsp
