#include "dsp/phaser.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::dsp {
namespace {
constexpr ParameterInfo kParameters[] = {
    {"rate", "Hz", 0.0, 10.0, 0.3},
    {"frequency", "Hz", 50.0, 10000.0, 800.0},
    {"depth", "", 0.0, 1.0, 0.5},
    {"stages", "", 1.0, 12.0, 6.0},
    {"feedback", "", -0.95, 0.95, 0.0},
    {"mix", "", 0.0, 1.0, 0.5},
    {"spread", "", 0.0, 180.0, 90.0},
};
constexpr double kSlowRampSeconds = 0.050;
constexpr double kFastRampSeconds = 0.020;
constexpr double kOctavesAtFullDepth = 2.0;
constexpr double kLowestBreakHz = 10.0;
constexpr double kDenormalFloor = 1e-30;
}  // namespace

std::span<const ParameterInfo> Phaser::parameters() const noexcept { return kParameters; }

double Phaser::allpassCoefficient(double fc) const noexcept {
    fc = std::clamp(fc, kLowestBreakHz, 0.45 * sampleRate_);
    const double t = std::tan(std::numbers::pi * fc / sampleRate_);
    return (t - 1.0) / (t + 1.0);
}

Result<void> Phaser::prepare(const ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > kMaxChannels || !(spec.sampleRate > 0.0))
        return fail(ErrorCode::invalidArgument, "phaser: bad channel count or sample rate");
    sampleRate_ = spec.sampleRate;
    channels_ = spec.channels;
    lfo_.prepare(sampleRate_);
    const auto slow = static_cast<std::int64_t>(kSlowRampSeconds * sampleRate_);
    const auto fast = static_cast<std::int64_t>(kFastRampSeconds * sampleRate_);
    octave_.prepare(slow, std::log2(params_.frequency.value));
    depth_.prepare(slow, params_.depth);
    spread_.prepare(slow, params_.spreadDegrees);
    feedback_.prepare(fast, params_.feedback);
    mix_.prepare(fast, params_.mix);
    stageFade_.prepare(fast, 1.0);
    reset();
    return {};
}

void Phaser::reset() noexcept {
    lfo_.setRate(params_.rate.value);
    lfo_.reset();
    octave_.setImmediate(std::log2(params_.frequency.value));
    depth_.setImmediate(params_.depth);
    spread_.setImmediate(params_.spreadDegrees);
    feedback_.setImmediate(params_.feedback);
    mix_.setImmediate(params_.mix);
    stageFade_.setImmediate(1.0);
    stagesFrom_ = stagesTo_ = params_.stages;
    state_ = {};
    lastOutput_ = {};
}

void Phaser::setParams(const Params& params) noexcept {
    auto clampTo = [](double v, int index) { return std::clamp(v, kParameters[index].min, kParameters[index].max); };
    const int oldStages = params_.stages;
    params_ = params;
    params_.rate = Hertz{clampTo(params.rate.value, kRate)};
    params_.frequency = Hertz{clampTo(params.frequency.value, kFrequency)};
    params_.depth = clampTo(params.depth, kDepth);
    params_.stages = std::clamp(params.stages, 1, kMaxStages);
    params_.feedback = clampTo(params.feedback, kFeedback);
    params_.mix = clampTo(params.mix, kMix);
    params_.spreadDegrees = clampTo(params.spreadDegrees, kSpread);
    lfo_.setRate(params_.rate.value);
    octave_.setTarget(std::log2(params_.frequency.value));
    depth_.setTarget(params_.depth);
    spread_.setTarget(params_.spreadDegrees);
    feedback_.setTarget(params_.feedback);
    mix_.setTarget(params_.mix);
    if (params_.stages != oldStages) {
        // Fade from whatever is sounding now (a fade already under way jumps to its end).
        const int sounding = stageFade_.current() < 0.5 ? stagesFrom_ : stagesTo_;
        const int running = std::max(stagesFrom_, stagesTo_);
        // Sections that start running now start from rest, not from stale state.
        for (auto& channel : state_)
            for (int s = running; s < params_.stages; ++s) channel[static_cast<std::size_t>(s)] = 0.0;
        stagesFrom_ = sounding;
        stagesTo_ = params_.stages;
        stageFade_.setImmediate(0.0);
        stageFade_.setTarget(1.0);
    }
}

void Phaser::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case kRate: p.rate = Hertz{value}; break;
        case kFrequency: p.frequency = Hertz{value}; break;
        case kDepth: p.depth = value; break;
        case kStages: p.stages = static_cast<int>(std::lround(std::clamp(value, 1.0, double(kMaxStages)))); break;
        case kFeedback: p.feedback = value; break;
        case kMix: p.mix = value; break;
        case kSpread: p.spreadDegrees = value; break;
        default: return;
    }
    setParams(p);
}

double Phaser::breakFrequency(int channel) const noexcept {
    const double sweep = kOctavesAtFullDepth * params_.depth * lfo_.sine(channel * params_.spreadDegrees / 360.0);
    return std::clamp(params_.frequency.value * std::exp2(sweep), kLowestBreakHz, 0.45 * sampleRate_);
}

std::complex<double> Phaser::response(double frequencyHz, int channel) const noexcept {
    const double a = allpassCoefficient(breakFrequency(channel));
    const std::complex<double> z1 = std::polar(1.0, -2.0 * std::numbers::pi * frequencyHz / sampleRate_);
    const std::complex<double> section = (a + z1) / (1.0 + a * z1);
    const std::complex<double> cascade = std::pow(section, params_.stages);
    const std::complex<double> wet = cascade / (1.0 - params_.feedback * z1 * cascade);
    return (1.0 - params_.mix) + params_.mix * wet;
}

double Phaser::tailSeconds() const noexcept {
    // The lowest break frequency of the sweep rings longest. Each section's pole sits at −a:
    // 60 dB takes 3 / −log10|a| frames. With feedback, every trip round the loop (one frame
    // plus the cascade's group delay at DC, N · (1 − a)/(1 + a) frames) scales by |g|.
    const double lowest = params_.frequency.value * std::exp2(-kOctavesAtFullDepth * params_.depth);
    const double a = allpassCoefficient(lowest);
    const double radius = std::clamp(std::fabs(a), 1e-9, 1.0 - 1e-12);
    double frames = params_.stages * 3.0 / -std::log10(radius);
    const double g = std::fabs(params_.feedback);
    if (g > 1e-3) frames += (1.0 + params_.stages * (1.0 - a) / (1.0 + a)) * 3.0 / -std::log10(g);
    return frames / sampleRate_;
}

void Phaser::process(AudioView io) noexcept {
    const int channels = std::min(io.numChannels(), channels_);
    for (std::int64_t i = 0; i < io.numFrames(); ++i) {
        const double octave = octave_.next();
        const double sweepOctaves = kOctavesAtFullDepth * depth_.next();
        const double spreadCycles = spread_.next() / 360.0;
        const double feedback = feedback_.next();
        const double mix = mix_.next();
        const double fade = stageFade_.next();
        const int running = std::max(stagesFrom_, stagesTo_);
        for (int c = 0; c < channels; ++c) {
            auto& state = state_[static_cast<std::size_t>(c)];
            const double a = allpassCoefficient(std::exp2(octave + sweepOctaves * lfo_.sine(c * spreadCycles)));
            const double x = io.channel(c)[i];
            double v = x + feedback * lastOutput_[static_cast<std::size_t>(c)];
            double from = 0.0, to = 0.0;  // the outputs after stagesFrom_ and stagesTo_ sections
            for (int s = 0; s < running; ++s) {
                // Transposed direct form: y = a·v + s;  s ← v − a·y.
                auto& z = state[static_cast<std::size_t>(s)];
                const double y = a * v + z;
                z = v - a * y;
                if (std::fabs(z) < kDenormalFloor) z = 0.0;
                v = y;
                if (s + 1 == stagesFrom_) from = y;
                if (s + 1 == stagesTo_) to = y;
            }
            const double wet = fade >= 1.0 ? to : (1.0 - fade) * from + fade * to;
            lastOutput_[static_cast<std::size_t>(c)] = wet;
            io.channel(c)[i] = static_cast<float>((1.0 - mix) * x + mix * wet);
        }
        lfo_.advance();
        if (fade >= 1.0 && stagesFrom_ != stagesTo_) stagesFrom_ = stagesTo_;
    }
}

}  // namespace reel::dsp
