#include "dsp/flanger.hpp"

#include <algorithm>
#include <cmath>

namespace reel::dsp {
namespace {
constexpr ParameterInfo kParameters[] = {
    {"rate", "Hz", 0.0, 10.0, 0.25},
    {"depth", "s", 0.0, 0.010, 0.002},
    {"delay", "s", 0.0001, 0.010, 0.001},
    {"feedback", "", -0.95, 0.95, 0.5},
    {"mix", "", 0.0, 1.0, 0.5},
    {"spread", "", 0.0, 180.0, 90.0},
};
}  // namespace

std::span<const ParameterInfo> Flanger::parameters() const noexcept { return kParameters; }

ModulatedDelay::Settings Flanger::settings() const noexcept {
    return {params_.rate.value, params_.delay.value, params_.depth.value, params_.feedback, params_.mix,
            params_.spreadDegrees};
}

Result<void> Flanger::prepare(const ProcessSpec& spec) {
    return core_.prepare(spec.sampleRate, spec.channels, kParameters[kDelay].max + kParameters[kDepth].max, settings());
}

double Flanger::tailSeconds() const noexcept {
    // Each trip round the loop takes at most delay + depth and scales by |feedback|.
    const double longest = params_.delay.value + params_.depth.value;
    const double g = std::fabs(params_.feedback);
    return g < 1e-3 ? longest : longest * (1.0 + 3.0 / -std::log10(g));
}

void Flanger::setParams(const Params& params) noexcept {
    params_ = params;
    auto clampTo = [](double v, int index) { return std::clamp(v, kParameters[index].min, kParameters[index].max); };
    params_.rate = Hertz{clampTo(params.rate.value, kRate)};
    params_.depth = Seconds{clampTo(params.depth.value, kDepth)};
    params_.delay = Seconds{clampTo(params.delay.value, kDelay)};
    params_.feedback = clampTo(params.feedback, kFeedback);
    params_.mix = clampTo(params.mix, kMix);
    params_.spreadDegrees = clampTo(params.spreadDegrees, kSpread);
    core_.setSettings(settings());
}

void Flanger::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case kRate: p.rate = Hertz{value}; break;
        case kDepth: p.depth = Seconds{value}; break;
        case kDelay: p.delay = Seconds{value}; break;
        case kFeedback: p.feedback = value; break;
        case kMix: p.mix = value; break;
        case kSpread: p.spreadDegrees = value; break;
        default: return;
    }
    setParams(p);
}

}  // namespace reel::dsp
