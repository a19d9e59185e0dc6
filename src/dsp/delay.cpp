#include "dsp/delay.hpp"

#include <algorithm>
#include <cmath>

namespace reel::dsp {
namespace {
constexpr ParameterInfo kParameters[] = {
    {"time", "s", 0.001, Delay::kMaxSeconds, 0.5},
    {"feedback", "", 0.0, 0.99, 0.3},
    {"lowcut", "Hz", 20.0, 20000.0, 20.0},
    {"highcut", "Hz", 20.0, 20000.0, 20000.0},
    {"mix", "", 0.0, 1.0, 0.25},
};
constexpr double kLowcutOffHz = 20.0;
constexpr double kHighcutOffHz = 20000.0;
constexpr double kGlideSeconds = 0.050;   // time constant of the delay-time glide
constexpr double kMaxGlideSpeed = 0.5;    // frames of delay change per frame
constexpr double kRampSeconds = 0.020;
constexpr std::int64_t kControlFrames = 32;  // filter coefficient update period
constexpr double kButterworthQ = 0.7071067811865476;
constexpr float kDenormalFloor = 1e-30f;
}  // namespace

std::span<const ParameterInfo> Delay::parameters() const noexcept { return kParameters; }

Result<void> Delay::prepare(const ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > kMaxChannels || !(spec.sampleRate > 0.0))
        return fail(ErrorCode::invalidArgument, "delay: bad channel count or sample rate");
    sampleRate_ = spec.sampleRate;
    channels_ = spec.channels;
    const auto maxFrames = static_cast<std::int64_t>(std::ceil(kMaxSeconds * sampleRate_)) + 4;
    for (int c = 0; c < channels_; ++c) lines_[static_cast<std::size_t>(c)].prepare(maxFrames);
    glideCoefficient_ = 1.0 - std::exp(-1.0 / (kGlideSeconds * sampleRate_));
    const auto ramp = static_cast<std::int64_t>(kRampSeconds * sampleRate_);
    feedback_.prepare(ramp, params_.feedback);
    mix_.prepare(ramp, params_.mix);
    lowcutOctave_.prepare(ramp, std::log2(params_.lowcut.value));
    highcutOctave_.prepare(ramp, std::log2(params_.highcut.value));
    reset();
    return {};
}

void Delay::reset() noexcept {
    for (int c = 0; c < channels_; ++c) lines_[static_cast<std::size_t>(c)].reset();
    delayFrames_ = params_.time.value * sampleRate_;
    feedback_.setImmediate(params_.feedback);
    mix_.setImmediate(params_.mix);
    lowcutOctave_.setImmediate(std::log2(params_.lowcut.value));
    highcutOctave_.setImmediate(std::log2(params_.highcut.value));
    lowcut_.reset();
    highcut_.reset();
    lowcutOn_ = highcutOn_ = false;
    updateFilters(lowcutOctave_.current(), highcutOctave_.current());
    framesSinceReset_ = 0;
}

void Delay::setParams(const Params& params) noexcept {
    auto clampTo = [](double v, int index) { return std::clamp(v, kParameters[index].min, kParameters[index].max); };
    params_ = params;
    params_.time = Seconds{clampTo(params.time.value, kTime)};
    params_.feedback = clampTo(params.feedback, kFeedback);
    params_.lowcut = Hertz{clampTo(params.lowcut.value, kLowcut)};
    params_.highcut = Hertz{clampTo(params.highcut.value, kHighcut)};
    params_.mix = clampTo(params.mix, kMix);
    feedback_.setTarget(params_.feedback);
    mix_.setTarget(params_.mix);
    lowcutOctave_.setTarget(std::log2(params_.lowcut.value));
    highcutOctave_.setTarget(std::log2(params_.highcut.value));
}

void Delay::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case kTime: p.time = Seconds{value}; break;
        case kFeedback: p.feedback = value; break;
        case kLowcut: p.lowcut = Hertz{value}; break;
        case kHighcut: p.highcut = Hertz{value}; break;
        case kMix: p.mix = value; break;
        default: return;
    }
    setParams(p);
}

double Delay::tailSeconds() const noexcept {
    const double longest = std::max(params_.time.value, delayFrames_ / sampleRate_);
    const double g = params_.feedback;
    return g < 1e-3 ? longest : longest * (1.0 + 3.0 / -std::log10(g));
}

void Delay::updateFilters(double lowcutOctave, double highcutOctave) noexcept {
    const double low = std::exp2(lowcutOctave), high = std::exp2(highcutOctave);
    const bool lowOn = low > kLowcutOffHz * (1.0 + 1e-9);
    const bool highOn = high < kHighcutOffHz * (1.0 - 1e-9);
    // A filter switching on starts from rest rather than from state it had long ago.
    if (lowOn && !lowcutOn_) lowcut_.reset();
    if (highOn && !highcutOn_) highcut_.reset();
    lowcutOn_ = lowOn;
    highcutOn_ = highOn;
    const double nyquistGuard = 0.45 * sampleRate_;
    if (lowOn) lowcut_.setCoefficients(BiquadCoefficients::highPass(std::min(low, nyquistGuard), kButterworthQ, sampleRate_));
    if (highOn) highcut_.setCoefficients(BiquadCoefficients::lowPass(std::min(high, nyquistGuard), kButterworthQ, sampleRate_));
}

std::complex<double> Delay::loopFilterResponse(double frequencyHz) const noexcept {
    std::complex<double> h = 1.0;
    if (lowcutOn_) h *= lowcut_.coefficients().response(frequencyHz, sampleRate_);
    if (highcutOn_) h *= highcut_.coefficients().response(frequencyHz, sampleRate_);
    return h;
}

float Delay::loopFilter(int channel, float x) noexcept {
    if (lowcutOn_) x = lowcut_.processSample(channel, x);
    if (highcutOn_) x = highcut_.processSample(channel, x);
    return x;
}

void Delay::process(AudioView io) noexcept {
    const int channels = std::min(io.numChannels(), channels_);
    const bool pingPong = params_.pingPong == PingPong::yes && channels == 2;
    const double target = params_.time.value * sampleRate_;
    for (std::int64_t i = 0; i < io.numFrames(); ++i) {
        if (framesSinceReset_ % kControlFrames == 0 && (lowcutOctave_.isSmoothing() || highcutOctave_.isSmoothing()))
            updateFilters(lowcutOctave_.skip(kControlFrames), highcutOctave_.skip(kControlFrames));
        ++framesSinceReset_;

        const double gap = target - delayFrames_;
        if (std::fabs(gap) < 1e-6) delayFrames_ = target;
        else delayFrames_ += std::clamp(gap * glideCoefficient_, -kMaxGlideSpeed, kMaxGlideSpeed);
        const double feedback = feedback_.next();
        const double mix = mix_.next();

        if (pingPong) {
            float* left = io.channel(0);
            float* right = io.channel(1);
            const float echoLeft = loopFilter(0, lines_[0].read(delayFrames_));
            const float echoRight = loopFilter(1, lines_[1].read(delayFrames_));
            float intoLeft = static_cast<float>(0.5 * (left[i] + right[i]) + feedback * echoRight);
            float intoRight = static_cast<float>(feedback * echoLeft);
            if (std::fabs(intoLeft) < kDenormalFloor) intoLeft = 0.0f;
            if (std::fabs(intoRight) < kDenormalFloor) intoRight = 0.0f;
            lines_[0].push(intoLeft);
            lines_[1].push(intoRight);
            left[i] = static_cast<float>((1.0 - mix) * left[i] + mix * echoLeft);
            right[i] = static_cast<float>((1.0 - mix) * right[i] + mix * echoRight);
            continue;
        }
        for (int c = 0; c < channels; ++c) {
            float& x = io.channel(c)[i];
            const float echo = loopFilter(c, lines_[static_cast<std::size_t>(c)].read(delayFrames_));
            float into = static_cast<float>(x + feedback * echo);
            if (std::fabs(into) < kDenormalFloor) into = 0.0f;
            lines_[static_cast<std::size_t>(c)].push(into);
            x = static_cast<float>((1.0 - mix) * x + mix * echo);
        }
    }
}

}  // namespace reel::dsp
