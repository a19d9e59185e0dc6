#include "dsp/saturation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::dsp {
namespace {

constexpr double kTubeBias = 0.3;
const double kTubeTanhBias = std::tanh(kTubeBias);
const double kTubeSlope = 1.0 - kTubeTanhBias * kTubeTanhBias;  // tanh'(b): normalises the slope at 0 to 1
/// Below this input step ADAA's difference quotient loses precision; use f at the midpoint.
constexpr double kAdaaMinStep = 1e-5;

/// ln cosh x without overflow: |x| + ln(1 + e^{-2|x|}) − ln 2.
double logCosh(double x) noexcept {
    const double a = std::fabs(x);
    return a + std::log1p(std::exp(-2.0 * a)) - std::numbers::ln2;
}

struct Tape {
    static double f(double x) noexcept { return std::tanh(x); }
    static double antiderivative(double x) noexcept { return logCosh(x); }
};
struct Tube {
    static double f(double x) noexcept { return (std::tanh(x + kTubeBias) - kTubeTanhBias) / kTubeSlope; }
    static double antiderivative(double x) noexcept { return (logCosh(x + kTubeBias) - x * kTubeTanhBias) / kTubeSlope; }
};
struct Hard {
    static double f(double x) noexcept { return std::clamp(x, -1.0, 1.0); }
    static double antiderivative(double x) noexcept {
        const double a = std::fabs(x);
        return a <= 1.0 ? 0.5 * x * x : a - 0.5;
    }
};

template <class Curve>
void shapeAdaa(float* x, std::int64_t numFrames, double& previousX, double& previousF) noexcept {
    double x0 = previousX, f0 = previousF;
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const double x1 = x[i];
        const double f1 = Curve::antiderivative(x1);
        const double step = x1 - x0;
        x[i] = static_cast<float>(std::fabs(step) > kAdaaMinStep ? (f1 - f0) / step : Curve::f(0.5 * (x0 + x1)));
        x0 = x1;
        f0 = f1;
    }
    previousX = x0;
    previousF = f0;
}

template <class Curve>
void shapeDirect(float* x, std::int64_t numFrames) noexcept {
    for (std::int64_t i = 0; i < numFrames; ++i) x[i] = static_cast<float>(Curve::f(x[i]));
}

double antiderivative(SaturationCurve curve, double x) noexcept {
    switch (curve) {
        case SaturationCurve::tape: return Tape::antiderivative(x);
        case SaturationCurve::tube: return Tube::antiderivative(x);
        case SaturationCurve::hard: return Hard::antiderivative(x);
    }
    return 0.0;
}

constexpr ParameterInfo kParameters[] = {
    {"drive", "dB", -12.0, 36.0, 6.0},
    {"output", "dB", -48.0, 24.0, 0.0},
    {"mix", "", 0.0, 1.0, 1.0},
};

constexpr double kRampSeconds = 0.020;

}  // namespace

double Saturation::curve(SaturationCurve c, double x) noexcept {
    switch (c) {
        case SaturationCurve::tape: return Tape::f(x);
        case SaturationCurve::tube: return Tube::f(x);
        case SaturationCurve::hard: return Hard::f(x);
    }
    return x;
}

std::span<const ParameterInfo> Saturation::parameters() const noexcept { return kParameters; }

Result<void> Saturation::prepare(const ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > kMaxChannels || spec.maxBlock < 1 || !(spec.sampleRate > 0.0))
        return fail(ErrorCode::invalidArgument, "saturation: bad process spec");
    spec_ = spec;
    const int factor = static_cast<int>(params_.oversampling);
    // ADAA only runs oversampled; its half top-rate sample is absorbed by the oversampler.
    auto prepared = oversampler_.prepare(factor, spec.channels, spec.maxBlock,
                                         factor > 1 ? TopRateDelay::halfSample : TopRateDelay::none);
    if (!prepared) return prepared;
    dryDelay_ = FixedDelay(oversampler_.latency());
    if (auto d = dryDelay_.prepare(spec); !d) return d;
    dry_.resize(spec.channels, spec.maxBlock);
    dcBlocker_.setCoefficients(BiquadCoefficients::firstOrderHighPass(5.0, spec.sampleRate));
    const auto ramp = static_cast<std::int64_t>(kRampSeconds * spec.sampleRate);
    drive_.prepare(ramp, toGain(params_.drive).value);
    output_.prepare(ramp, toGain(params_.output).value);
    mix_.prepare(ramp, params_.mix);
    reset();
    return {};
}

void Saturation::resetShapers() noexcept {
    for (auto& s : shapers_) {
        s.previousX = 0.0;
        s.previousF = antiderivative(params_.curve, 0.0);
    }
    refreshShapers_ = false;
}

void Saturation::reset() noexcept {
    oversampler_.reset();
    dryDelay_.reset();
    dcBlocker_.reset();
    drive_.setImmediate(toGain(params_.drive).value);
    output_.setImmediate(toGain(params_.output).value);
    mix_.setImmediate(params_.mix);
    resetShapers();
}

void Saturation::setParams(const Params& params) noexcept {
    if (params.curve != params_.curve) refreshShapers_ = true;
    params_ = params;  // the oversampling factor in use stays the one prepare() set up
    params_.drive = Decibels{std::clamp(params_.drive.value, kParameters[kDrive].min, kParameters[kDrive].max)};
    params_.output = Decibels{std::clamp(params_.output.value, kParameters[kOutput].min, kParameters[kOutput].max)};
    params_.mix = std::clamp(params_.mix, 0.0, 1.0);
    drive_.setTarget(toGain(params_.drive).value);
    output_.setTarget(toGain(params_.output).value);
    mix_.setTarget(params_.mix);
}

void Saturation::setParameter(int index, double value) noexcept {
    if (index < 0 || index >= static_cast<int>(std::size(kParameters))) return;
    const auto& info = kParameters[index];
    value = std::clamp(value, info.min, info.max);
    Params p = params_;
    switch (index) {
        case kDrive: p.drive = Decibels{value}; break;
        case kOutput: p.output = Decibels{value}; break;
        case kMix: p.mix = value; break;
        default: break;
    }
    setParams(p);
}

void Saturation::shape(float* x, std::int64_t numFrames, ShaperState& state) const noexcept {
    if (oversampler_.factor() == 1) {
        switch (params_.curve) {
            case SaturationCurve::tape: shapeDirect<Tape>(x, numFrames); break;
            case SaturationCurve::tube: shapeDirect<Tube>(x, numFrames); break;
            case SaturationCurve::hard: shapeDirect<Hard>(x, numFrames); break;
        }
        return;
    }
    switch (params_.curve) {
        case SaturationCurve::tape: shapeAdaa<Tape>(x, numFrames, state.previousX, state.previousF); break;
        case SaturationCurve::tube: shapeAdaa<Tube>(x, numFrames, state.previousX, state.previousF); break;
        case SaturationCurve::hard: shapeAdaa<Hard>(x, numFrames, state.previousX, state.previousF); break;
    }
}

void Saturation::process(AudioView io) noexcept {
    const int channels = std::min(io.numChannels(), spec_.channels);
    const std::int64_t numFrames = io.numFrames();
    if (channels == 0 || numFrames == 0) return;
    if (refreshShapers_) {
        for (auto& s : shapers_) s.previousF = antiderivative(params_.curve, s.previousX);
        refreshShapers_ = false;
    }

    // Dry copy, delayed to line up with the wet path.
    std::array<float*, kMaxChannels> dryPointers{};
    for (int c = 0; c < channels; ++c) {
        dryPointers[static_cast<std::size_t>(c)] = dry_.channel(c);
        std::copy_n(io.channel(c), numFrames, dry_.channel(c));
    }
    AudioView dry(dryPointers, channels, numFrames);
    dryDelay_.process(dry);

    // Drive, one gain per frame shared by the channels.
    SmoothedValue drive = drive_;
    for (int c = 0; c < channels; ++c) {
        drive = drive_;
        float* x = io.channel(c);
        for (std::int64_t i = 0; i < numFrames; ++i) x[i] = static_cast<float>(x[i] * drive.next());
    }
    drive_ = drive;

    std::array<float*, kMaxChannels> wetPointers{};
    for (int c = 0; c < channels; ++c) wetPointers[static_cast<std::size_t>(c)] = io.channel(c);
    AudioView wet(wetPointers, channels, numFrames);
    AudioView top = oversampler_.upsample(wet);
    for (int c = 0; c < channels; ++c) shape(top.channel(c), top.numFrames(), shapers_[static_cast<std::size_t>(c)]);
    oversampler_.downsample(wet);
    if (params_.curve == SaturationCurve::tube)
        for (int c = 0; c < channels; ++c) dcBlocker_.processChannel(c, io.channel(c), numFrames);

    SmoothedValue mix = mix_, output = output_;
    for (int c = 0; c < channels; ++c) {
        mix = mix_;
        output = output_;
        float* y = io.channel(c);
        const float* d = dry.channel(c);
        for (std::int64_t i = 0; i < numFrames; ++i) {
            const double m = mix.next();
            y[i] = static_cast<float>(output.next() * ((1.0 - m) * d[i] + m * y[i]));
        }
    }
    mix_ = mix;
    output_ = output;
}

}  // namespace reel::dsp
