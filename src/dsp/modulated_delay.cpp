#include "dsp/modulated_delay.hpp"

#include <algorithm>
#include <cmath>

namespace reel::dsp {
namespace {
constexpr double kTimeRampSeconds = 0.050;
constexpr double kLevelRampSeconds = 0.020;
/// Feedback values below this are flushed to zero, so a decaying loop never goes denormal.
constexpr float kDenormalFloor = 1e-30f;
}  // namespace

Result<void> ModulatedDelay::prepare(double sampleRate, int channels, double maxDelaySeconds, const Settings& settings) {
    if (channels < 1 || channels > kMaxChannels || !(sampleRate > 0.0))
        return fail(ErrorCode::invalidArgument, "modulated delay: bad channel count or sample rate");
    sampleRate_ = sampleRate;
    channels_ = channels;
    maxDelaySeconds_ = maxDelaySeconds;
    const auto maxFrames = static_cast<std::int64_t>(std::ceil(maxDelaySeconds * sampleRate)) + 4;
    for (int c = 0; c < channels; ++c) lines_[static_cast<std::size_t>(c)].prepare(maxFrames);
    lfo_.prepare(sampleRate);
    const auto timeRamp = static_cast<std::int64_t>(kTimeRampSeconds * sampleRate);
    const auto levelRamp = static_cast<std::int64_t>(kLevelRampSeconds * sampleRate);
    settings_ = settings;
    delay_.prepare(timeRamp, settings.delaySeconds);
    depth_.prepare(timeRamp, settings.depthSeconds);
    spread_.prepare(timeRamp, settings.spreadDegrees);
    feedback_.prepare(levelRamp, settings.feedback);
    mix_.prepare(levelRamp, settings.mix);
    reset();
    return {};
}

void ModulatedDelay::setSettings(const Settings& settings) noexcept {
    settings_ = settings;
    lfo_.setRate(settings.rateHz);
    delay_.setTarget(settings.delaySeconds);
    depth_.setTarget(settings.depthSeconds);
    spread_.setTarget(settings.spreadDegrees);
    feedback_.setTarget(settings.feedback);
    mix_.setTarget(settings.mix);
}

void ModulatedDelay::reset() noexcept {
    for (int c = 0; c < channels_; ++c) lines_[static_cast<std::size_t>(c)].reset();
    lfo_.setRate(settings_.rateHz);
    lfo_.reset();
    delay_.setImmediate(settings_.delaySeconds);
    depth_.setImmediate(settings_.depthSeconds);
    spread_.setImmediate(settings_.spreadDegrees);
    feedback_.setImmediate(settings_.feedback);
    mix_.setImmediate(settings_.mix);
}

void ModulatedDelay::process(AudioView io) noexcept {
    const int channels = std::min(io.numChannels(), channels_);
    for (std::int64_t i = 0; i < io.numFrames(); ++i) {
        const double delay = delay_.next() * sampleRate_;
        const double halfDepth = 0.5 * depth_.next() * sampleRate_;
        const double spreadCycles = spread_.next() / 360.0;
        const double feedback = feedback_.next();
        const double mix = mix_.next();
        for (int c = 0; c < channels; ++c) {
            auto& line = lines_[static_cast<std::size_t>(c)];
            const double d = delay + halfDepth * (1.0 + lfo_.sine(c * spreadCycles));
            const float x = io.channel(c)[i];
            const float wet = line.read(d);
            float back = static_cast<float>(x + feedback * wet);
            if (std::fabs(back) < kDenormalFloor) back = 0.0f;
            line.push(back);
            io.channel(c)[i] = static_cast<float>((1.0 - mix) * x + mix * wet);
        }
        lfo_.advance();
    }
}

}  // namespace reel::dsp
