#include "dsp/limiter.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "dsp/gain_computer.hpp"
#include "dsp/gain_reduction_smoother.hpp"

namespace reel::dsp {
namespace {

constexpr double kGlideSeconds = 0.020;
// Aim this much under the ceiling: covers float rounding of the gain and of the product.
constexpr double kSafety = 1.0 - 1e-5;

constexpr std::array<ParameterInfo, 2> kParameters{{
    {"ceiling", "dB", -24.0, 0.0, -1.0},
    {"release", "s", 0.001, 5.0, 0.050},
}};

double clampTo(Limiter::Parameter p, double value) noexcept {
    const auto& info = kParameters[static_cast<std::size_t>(p)];
    return std::isnan(value) ? info.defaultValue : std::clamp(value, info.min, info.max);
}

}  // namespace

std::span<const ParameterInfo> Limiter::parameterInfo() noexcept { return kParameters; }

Limiter::Limiter() : Limiter(Params{}) {}

Limiter::Limiter(const Params& params, std::unique_ptr<PeakDetector> detector)
    : detector_(detector ? std::move(detector) : std::make_unique<SamplePeakDetector>()) {
    setParams(params);
}

void Limiter::setParams(const Params& params) noexcept {
    params_.ceiling = Decibels{clampTo(ceiling, params.ceiling.value)};
    params_.release = Seconds{clampTo(release, params.release.value)};
    params_.lookahead = Seconds{std::clamp(params.lookahead.value, 0.0, kMaxLookaheadSeconds)};
    if (prepared_) applyTargets(false);
}

void Limiter::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case ceiling: p.ceiling = Decibels{value}; break;
        case release: p.release = Seconds{value}; break;
        default: return;
    }
    setParams(p);
}

void Limiter::applyTargets(bool immediate) noexcept {
    if (immediate) ceilingDb_.setImmediate(params_.ceiling.value);
    else ceilingDb_.setTarget(params_.ceiling.value);
    ceilingGain_ = decibelsToGain(ceilingDb_.current()) * kSafety;
    releaseCoefficient_ = GainReductionSmoother::coefficient(params_.release.value, spec_.sampleRate);
}

Result<void> Limiter::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.maxBlock < 1 || spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "limiter: needs a positive rate and block size and 1 to 8 channels");
    spec_ = spec;
    if (auto prepared = detector_->prepare(spec); !prepared) return prepared;
    const auto lookahead = static_cast<std::int64_t>(std::llround(params_.lookahead.value * spec.sampleRate));
    latency_ = static_cast<int>(lookahead) + detector_->latency();
    delay_ = FixedDelay(latency_);
    if (auto prepared = delay_.prepare(spec); !prepared) return prepared;
    // Hold over D + 1 frames; smoothing kernels of B1 + B2 = D + 2 (so B1 + B2 − 1 = D + 1 taps).
    hold_.prepare(lookahead + 1);
    const std::int64_t first = (lookahead + 3) / 2;  // ⌈(D + 2) / 2⌉
    smooth1_.prepare(first);
    smooth2_.prepare(lookahead + 2 - first);
    gains_.resize(1, spec.maxBlock);
    ceilingDb_.prepare(static_cast<std::int64_t>(kGlideSeconds * spec.sampleRate), params_.ceiling.value);
    prepared_ = true;
    reset();
    return {};
}

void Limiter::reset() noexcept {
    applyTargets(true);
    detector_->reset();
    delay_.reset();
    hold_.reset();
    smooth1_.reset(1.0);
    smooth2_.reset(1.0);
    released_ = 1.0;
    gainReductionDb_ = 0.0;
}

void Limiter::process(AudioView io) noexcept {
    gainReductionDb_ = 0.0;
    if (!prepared_) return;
    for (std::int64_t at = 0; at < io.numFrames(); at += spec_.maxBlock)
        processChunk(io.slice(at, std::min<std::int64_t>(spec_.maxBlock, io.numFrames() - at)));
}

void Limiter::processChunk(AudioView io) noexcept {
    const std::int64_t numFrames = io.numFrames();
    const AudioView gains = gains_.view(numFrames);
    float* g = gains.channel(0);
    detector_->process(io, g);
    double lowest = 1.0;
    for (std::int64_t i = 0; i < numFrames; ++i) {
        if (ceilingDb_.isSmoothing()) ceilingGain_ = decibelsToGain(ceilingDb_.next()) * kSafety;
        const double peak = g[i];
        const double needed = peak > ceilingGain_ ? ceilingGain_ / peak : 1.0;
        released_ = needed < released_ ? needed : releaseCoefficient_ * released_ + (1.0 - releaseCoefficient_) * needed;
        const double gain = smooth2_.push(smooth1_.push(hold_.push(released_)));
        lowest = std::min(lowest, gain);
        g[i] = static_cast<float>(gain);
    }
    gainReductionDb_ = std::max(gainReductionDb_, -kTwentyOverLn10 * std::log(lowest));
    delay_.process(io);
    for (int c = 0; c < io.numChannels(); ++c) {
        float* x = io.channel(c);
        for (std::int64_t i = 0; i < numFrames; ++i) x[i] *= g[i];
    }
}

}  // namespace reel::dsp
