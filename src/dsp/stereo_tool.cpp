#include "dsp/stereo_tool.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "dsp/pan_law.hpp"

namespace reel::dsp {
namespace {

constexpr double kGlideSeconds = 0.020;
constexpr double kMinMonoFrequency = 10.0, kMaxMonoFrequency = 1000.0;

constexpr std::array<ParameterInfo, 4> kParameters{
    ParameterInfo{"width", "", 0.0, 2.0, 1.0},
    ParameterInfo{"mid_side", "", -1.0, 1.0, 0.0},
    ParameterInfo{"mono_below", "Hz", 0.0, kMaxMonoFrequency, 0.0},
    ParameterInfo{"balance", "", -1.0, 1.0, 0.0},
};

}  // namespace

Result<void> StereoTool::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.maxBlock < 1)
        return fail(ErrorCode::invalidArgument, "stereo: needs a positive sample rate and block size");
    sampleRate_ = spec.sampleRate;
    rampFrames_ = std::max<std::int64_t>(1, std::llround(kGlideSeconds * sampleRate_));
    side_.assign(static_cast<std::size_t>(spec.maxBlock), 0.0f);
    for (auto* value : {&midGain_, &sideGain_, &leftGain_, &rightGain_, &monoMix_, &logMonoFrequency_})
        value->prepare(rampFrames_, value->target());
    reset();
    return {};
}

void StereoTool::applyTargets(bool immediate) noexcept {
    const PanGains midSide = stereoBalanceGains(params_.midSide);
    const PanGains balance = stereoBalanceGains(params_.balance);
    const bool monoOn = params_.monoBelow.value > 0.0;
    const double targets[] = {midSide.left, midSide.right * params_.width, balance.left, balance.right, monoOn ? 1.0 : 0.0};
    SmoothedValue* values[] = {&midGain_, &sideGain_, &leftGain_, &rightGain_, &monoMix_};
    for (int i = 0; i < 5; ++i) immediate ? values[i]->setImmediate(targets[i]) : values[i]->setTarget(targets[i]);
    if (monoOn) {
        const double logFrequency = std::log2(std::clamp(params_.monoBelow.value, kMinMonoFrequency, kMaxMonoFrequency));
        // Switching on from off: the filter is silent in the mix, so it starts at its target.
        if (immediate || monoMix_.current() == 0.0)
            logMonoFrequency_.setImmediate(logFrequency);
        else
            logMonoFrequency_.setTarget(logFrequency);
    }
}

void StereoTool::setParams(const Params& params) noexcept {
    params_ = params;
    params_.width = std::clamp(params_.width, 0.0, 2.0);
    params_.midSide = std::clamp(params_.midSide, -1.0, 1.0);
    params_.balance = std::clamp(params_.balance, -1.0, 1.0);
    params_.monoBelow = Hertz{std::clamp(params_.monoBelow.value, 0.0, kMaxMonoFrequency)};
    const bool wasIdle = monoMix_.current() == 0.0;
    applyTargets(false);
    if (wasIdle) designHighPass();
}

void StereoTool::designHighPass() noexcept {
    const double f = std::exp2(logMonoFrequency_.current());
    const BiquadCoefficients c = BiquadCoefficients::highPass(f, std::numbers::sqrt2 / 2.0, sampleRate_);
    highPass1_.setCoefficients(c);
    highPass2_.setCoefficients(c);
}

void StereoTool::reset() noexcept {
    applyTargets(true);
    if (params_.monoBelow.value <= 0.0) logMonoFrequency_.setImmediate(logMonoFrequency_.target());
    designHighPass();
    highPass1_.reset();
    highPass2_.reset();
    gridPhase_ = 0;
}

std::span<const ParameterInfo> StereoTool::parameters() const noexcept { return kParameters; }

void StereoTool::setParameter(int index, double value) noexcept {
    if (index < 0 || index >= static_cast<int>(kParameters.size()) || !std::isfinite(value)) return;
    const ParameterInfo& info = kParameters[static_cast<std::size_t>(index)];
    Params p = params_;
    value = std::clamp(value, info.min, info.max);
    switch (index) {
        case 0: p.width = value; break;
        case 1: p.midSide = value; break;
        case 2: p.monoBelow = Hertz{value}; break;
        default: p.balance = value; break;
    }
    setParams(p);
}

double StereoTool::sideResponseDb(double frequencyHz) const noexcept {
    if (monoMix_.current() == 0.0) return 0.0;
    return highPass1_.coefficients().magnitudeDb(frequencyHz, sampleRate_) +
           highPass2_.coefficients().magnitudeDb(frequencyHz, sampleRate_);
}

void StereoTool::processSpan(float* left, float* right, std::int64_t numFrames) noexcept {
    const bool filtering = monoMix_.current() != 0.0 || monoMix_.isSmoothing();
    if (filtering) {
        float* side = side_.data();
        for (std::int64_t i = 0; i < numFrames; ++i)
            side[i] = static_cast<float>(0.5 * (static_cast<double>(left[i]) - static_cast<double>(right[i])));
        highPass1_.processChannel(0, side, numFrames);
        highPass2_.processChannel(0, side, numFrames);
    }
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const double l = left[i], r = right[i];
        const double mid = 0.5 * (l + r);
        double side = 0.5 * (l - r);
        if (filtering) side += monoMix_.next() * (static_cast<double>(side_[static_cast<std::size_t>(i)]) - side);
        const double m = mid * midGain_.next(), s = side * sideGain_.next();
        left[i] = static_cast<float>((m + s) * leftGain_.next());
        right[i] = static_cast<float>((m - s) * rightGain_.next());
    }
    if (filtering && monoMix_.current() == 0.0 && !monoMix_.isSmoothing()) {  // faded out: idle and clean
        highPass1_.reset();
        highPass2_.reset();
    }
}

void StereoTool::process(AudioView io) noexcept {
    if (io.numChannels() != 2) return;
    float* left = io.channel(0);
    float* right = io.channel(1);
    const std::int64_t numFrames = io.numFrames();
    std::int64_t done = 0;
    while (done < numFrames) {
        const bool gliding = logMonoFrequency_.isSmoothing();
        if (gridPhase_ == 0 && gliding) {
            logMonoFrequency_.skip(kUpdateFrames);
            designHighPass();
        }
        const std::int64_t length = gliding ? std::min(kUpdateFrames - gridPhase_, numFrames - done) : numFrames - done;
        processSpan(left + done, right + done, length);
        gridPhase_ = (gridPhase_ + length) % kUpdateFrames;
        done += length;
    }
}

}  // namespace reel::dsp
