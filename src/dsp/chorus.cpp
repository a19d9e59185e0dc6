#include "dsp/chorus.hpp"

#include <algorithm>

namespace reel::dsp {
namespace {
constexpr ParameterInfo kParameters[] = {
    {"rate", "Hz", 0.0, 10.0, 0.8},
    {"depth", "s", 0.0, 0.020, 0.003},
    {"delay", "s", 0.001, 0.050, 0.012},
    {"mix", "", 0.0, 1.0, 0.5},
    {"spread", "", 0.0, 180.0, 90.0},
};
}  // namespace

std::span<const ParameterInfo> Chorus::parameters() const noexcept { return kParameters; }

ModulatedDelay::Settings Chorus::settings() const noexcept {
    return {params_.rate.value, params_.delay.value, params_.depth.value, 0.0, params_.mix, params_.spreadDegrees};
}

Result<void> Chorus::prepare(const ProcessSpec& spec) {
    return core_.prepare(spec.sampleRate, spec.channels, kParameters[kDelay].max + kParameters[kDepth].max, settings());
}

void Chorus::setParams(const Params& params) noexcept {
    params_ = params;
    auto clampTo = [](double v, int index) { return std::clamp(v, kParameters[index].min, kParameters[index].max); };
    params_.rate = Hertz{clampTo(params.rate.value, kRate)};
    params_.depth = Seconds{clampTo(params.depth.value, kDepth)};
    params_.delay = Seconds{clampTo(params.delay.value, kDelay)};
    params_.mix = clampTo(params.mix, kMix);
    params_.spreadDegrees = clampTo(params.spreadDegrees, kSpread);
    core_.setSettings(settings());
}

void Chorus::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case kRate: p.rate = Hertz{value}; break;
        case kDepth: p.depth = Seconds{value}; break;
        case kDelay: p.delay = Seconds{value}; break;
        case kMix: p.mix = value; break;
        case kSpread: p.spreadDegrees = value; break;
        default: return;
    }
    setParams(p);
}

}  // namespace reel::dsp
