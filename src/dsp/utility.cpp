#include "dsp/utility.hpp"

#include <algorithm>

namespace reel::dsp {

double Utility::linearGain() const noexcept {
    double g = toGain(params_.gain).value;
    return params_.polarity == Polarity::inverted ? -g : g;
}

Result<void> Utility::prepare(const ProcessSpec& spec) {
    gain_.prepare(static_cast<std::int64_t>(0.020 * spec.sampleRate));
    gain_.setImmediate(linearGain());
    return {};
}

void Utility::setParams(const Params& params) noexcept {
    params_ = params;
    gain_.setTarget(linearGain());
}

void Utility::process(AudioView io) noexcept {
    if (io.numChannels() == 2) {
        float* left = io.channel(0);
        float* right = io.channel(1);
        if (params_.swap == ChannelSwap::yes)
            for (std::int64_t i = 0; i < io.numFrames(); ++i) std::swap(left[i], right[i]);
        if (params_.mono == MonoFold::yes)
            for (std::int64_t i = 0; i < io.numFrames(); ++i) left[i] = right[i] = 0.5f * (left[i] + right[i]);
    }
    gain_.apply(io);
}

namespace {
constexpr ParameterInfo kParameters[] = {{"gain", "dB", -120.0, 48.0, 0.0}};
}

std::span<const ParameterInfo> Utility::parameters() const noexcept { return kParameters; }

void Utility::setParameter(int index, double value) noexcept {
    if (index != 0) return;
    params_.gain = Decibels{std::clamp(value, kParameters[0].min, kParameters[0].max)};
    gain_.setTarget(linearGain());
}

void Utility::reset() noexcept { gain_.setImmediate(linearGain()); }

}  // namespace reel::dsp
