#include "dsp/downward_expander.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/gain_computer.hpp"

namespace reel::dsp {
namespace {

constexpr double kGlideSeconds = 0.020;

constexpr std::array<ParameterInfo, 9> kExpanderParameters{{
    {"threshold", "dB", -100.0, 0.0, -40.0},
    {"ratio", "", 1.0, 100.0, 2.0},
    {"range", "dB", -120.0, 0.0, -80.0},
    {"knee", "dB", 0.0, 24.0, 0.0},
    {"attack", "s", 0.0, 0.5, 0.005},
    {"hold", "s", 0.0, 2.0, 0.0},
    {"release", "s", 0.001, 5.0, 0.100},
    {"link", "%", 0.0, 1.0, 1.0},
    {"sidechain_highpass", "Hz", 0.0, 2000.0, 0.0},
}};

constexpr std::array<ParameterInfo, 9> kGateParameters{{
    {"threshold", "dB", -100.0, 0.0, -50.0},
    {"ratio", "", 1.0, 100.0, 100.0},
    {"range", "dB", -120.0, 0.0, -80.0},
    {"knee", "dB", 0.0, 24.0, 0.0},
    {"attack", "s", 0.0, 0.5, 0.001},
    {"hold", "s", 0.0, 2.0, 0.010},
    {"release", "s", 0.001, 5.0, 0.100},
    {"link", "%", 0.0, 1.0, 1.0},
    {"sidechain_highpass", "Hz", 0.0, 2000.0, 0.0},
}};

double clampTo(DownwardExpander::Parameter p, double value) noexcept {
    const auto& info = kExpanderParameters[static_cast<std::size_t>(p)];
    return std::isnan(value) ? info.defaultValue : std::clamp(value, info.min, info.max);
}

}  // namespace

std::span<const ParameterInfo> DownwardExpander::parameterInfo(Kind kind) noexcept {
    if (kind == Kind::gate) return kGateParameters;
    return kExpanderParameters;
}

DownwardExpander::Params DownwardExpander::defaults(Kind kind) noexcept {
    const auto& info = kind == Kind::gate ? kGateParameters : kExpanderParameters;
    Params p;
    p.threshold = Decibels{info[threshold].defaultValue};
    p.ratio = info[ratio].defaultValue;
    p.range = Decibels{info[range].defaultValue};
    p.knee = Decibels{info[knee].defaultValue};
    p.attack = Seconds{info[attack].defaultValue};
    p.hold = Seconds{info[hold].defaultValue};
    p.release = Seconds{info[release].defaultValue};
    p.link = info[link].defaultValue;
    p.sidechainHighpass = Hertz{info[sidechainHighpass].defaultValue};
    return p;
}

double DownwardExpander::staticGainDb(const Params& p, double levelDb) noexcept {
    return expanderGainDb(levelDb, p.threshold.value, expanderSlope(p.ratio), p.knee.value, p.range.value);
}

void DownwardExpander::setParams(const Params& params) noexcept {
    params_ = params;
    params_.threshold = Decibels{clampTo(threshold, params.threshold.value)};
    params_.ratio = clampTo(ratio, params.ratio);
    params_.range = Decibels{clampTo(range, params.range.value)};
    params_.knee = Decibels{clampTo(knee, params.knee.value)};
    params_.attack = Seconds{clampTo(attack, params.attack.value)};
    params_.hold = Seconds{clampTo(hold, params.hold.value)};
    params_.release = Seconds{clampTo(release, params.release.value)};
    params_.link = clampTo(link, params.link);
    params_.sidechainHighpass = Hertz{clampTo(sidechainHighpass, params.sidechainHighpass.value)};
    params_.lookahead = Seconds{std::clamp(params.lookahead.value, 0.0, Compressor::kMaxLookaheadSeconds)};
    if (prepared_) applyTargets(false);
}

void DownwardExpander::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case threshold: p.threshold = Decibels{value}; break;
        case ratio: p.ratio = value; break;
        case range: p.range = Decibels{value}; break;
        case knee: p.knee = Decibels{value}; break;
        case attack: p.attack = Seconds{value}; break;
        case hold: p.hold = Seconds{value}; break;
        case release: p.release = Seconds{value}; break;
        case link: p.link = value; break;
        case sidechainHighpass: p.sidechainHighpass = Hertz{value}; break;
        default: return;
    }
    setParams(p);
}

void DownwardExpander::applyTargets(bool immediate) noexcept {
    const double values[] = {params_.threshold.value, expanderSlope(params_.ratio), params_.knee.value,
                             params_.range.value};
    SmoothedValue* glides[] = {&threshold_, &slope_, &knee_, &range_};
    for (std::size_t i = 0; i < 4; ++i) {
        if (immediate) glides[i]->setImmediate(values[i]);
        else glides[i]->setTarget(values[i]);
    }
    keyed_.detector.setLink(params_.link);
    keyed_.detector.setHighpass(params_.sidechainHighpass.value);
    // The attenuation grows when the gain closes (release) and shrinks when it opens (attack).
    const double grow = GainReductionSmoother::coefficient(params_.release.value, spec_.sampleRate);
    const double shrink = GainReductionSmoother::coefficient(params_.attack.value, spec_.sampleRate);
    const auto holdFrames = static_cast<std::int64_t>(std::llround(params_.hold.value * spec_.sampleRate));
    for (auto& smoother : keyed_.smoothers) smoother.setBallistics(grow, shrink, holdFrames);
}

Result<void> DownwardExpander::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.maxBlock < 1 || spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "expander: needs a positive rate and block size and 1 to 8 channels");
    spec_ = spec;
    if (auto prepared = keyed_.prepare(spec, params_.lookahead.value, params_.detection); !prepared) return prepared;
    const auto glide = static_cast<std::int64_t>(kGlideSeconds * spec.sampleRate);
    for (SmoothedValue* v : {&threshold_, &slope_, &knee_, &range_}) v->prepare(glide, 0.0);
    prepared_ = true;
    reset();
    return {};
}

void DownwardExpander::reset() noexcept {
    applyTargets(true);
    keyed_.reset();
    gainReductionDb_ = 0.0;
}

void DownwardExpander::process(AudioView io) noexcept {
    AudioView key = keyed_.sidechain.take(io);
    gainReductionDb_ = 0.0;
    if (!prepared_) return;
    for (std::int64_t at = 0; at < io.numFrames(); at += spec_.maxBlock) {
        const std::int64_t n = std::min<std::int64_t>(spec_.maxBlock, io.numFrames() - at);
        processChunk(io.slice(at, n), key.slice(at, n));
    }
}

void DownwardExpander::processChunk(AudioView io, AudioView key) noexcept {
    const int channels = std::min(io.numChannels(), spec_.channels);
    const bool shared = keyed_.detector.fullyLinked() && keyed_.smoothersAgree(channels);
    const AudioView gains = keyed_.detector.process(key, channels, shared ? Linking::full : Linking::perChannel);
    double peakReduction = gainReductionDb_;
    for (std::int64_t i = 0; i < gains.numFrames(); ++i) {
        const double thresholdDb = threshold_.next();
        const double slope = slope_.next();
        const double kneeDb = knee_.next();
        const double rangeDb = range_.next();
        for (int c = 0; c < gains.numChannels(); ++c) {
            float& g = gains.channel(c)[i];  // holds the level in dB, becomes the linear gain
            const double target = -expanderGainDb(g, thresholdDb, slope, kneeDb, rangeDb);
            const double reduction = keyed_.smoothers[static_cast<std::size_t>(c)].next(target);
            peakReduction = std::max(peakReduction, reduction);
            g = static_cast<float>(decibelsToGain(-reduction));
        }
    }
    if (shared)
        for (int c = 1; c < channels; ++c) keyed_.smoothers[static_cast<std::size_t>(c)] = keyed_.smoothers[0];
    gainReductionDb_ = peakReduction;
    keyed_.delay.process(io);
    applyGainEnvelope(io, gains);
}

}  // namespace reel::dsp
