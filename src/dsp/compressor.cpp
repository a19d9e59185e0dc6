#include "dsp/compressor.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/fast_log_exp.hpp"
#include "dsp/gain_computer.hpp"

namespace reel::dsp {
namespace {

constexpr double kGlideSeconds = 0.020;

constexpr std::array<ParameterInfo, 8> kParameters{{
    {"threshold", "dB", -80.0, 0.0, -18.0},
    {"ratio", "", 1.0, 100.0, 4.0},
    {"knee", "dB", 0.0, 24.0, 6.0},
    {"attack", "s", 0.0, 0.5, 0.010},
    {"release", "s", 0.001, 5.0, 0.150},
    {"makeup", "dB", -24.0, 48.0, 0.0},
    {"link", "%", 0.0, 1.0, 1.0},
    {"sidechain_highpass", "Hz", 0.0, 2000.0, 0.0},
}};

double clampTo(Compressor::Parameter p, double value) noexcept {
    const auto& info = kParameters[static_cast<std::size_t>(p)];
    return std::isnan(value) ? info.defaultValue : std::clamp(value, info.min, info.max);
}

double autoMakeupDb(double threshold, double slope, double knee) noexcept {
    return -compressorGainDb(0.0, threshold, slope, knee);
}

}  // namespace

std::span<const ParameterInfo> Compressor::parameterInfo() noexcept { return kParameters; }

double Compressor::staticGainDb(const Params& p, double levelDb) noexcept {
    const double slope = compressorSlope(p.ratio);
    double makeup = p.makeup.value;
    if (p.makeupMode == MakeupMode::automatic) makeup += autoMakeupDb(p.threshold.value, slope, p.knee.value);
    return compressorGainDb(levelDb, p.threshold.value, slope, p.knee.value) + makeup;
}

void Compressor::setParams(const Params& params) noexcept {
    params_ = params;
    params_.threshold = Decibels{clampTo(threshold, params.threshold.value)};
    params_.ratio = clampTo(ratio, params.ratio);
    params_.knee = Decibels{clampTo(knee, params.knee.value)};
    params_.attack = Seconds{clampTo(attack, params.attack.value)};
    params_.release = Seconds{clampTo(release, params.release.value)};
    params_.makeup = Decibels{clampTo(makeup, params.makeup.value)};
    params_.link = clampTo(link, params.link);
    params_.sidechainHighpass = Hertz{clampTo(sidechainHighpass, params.sidechainHighpass.value)};
    params_.lookahead = Seconds{std::clamp(params.lookahead.value, 0.0, kMaxLookaheadSeconds)};
    if (prepared_) applyTargets(false);
}

void Compressor::setParameter(int index, double value) noexcept {
    Params p = params_;
    switch (index) {
        case threshold: p.threshold = Decibels{value}; break;
        case ratio: p.ratio = value; break;
        case knee: p.knee = Decibels{value}; break;
        case attack: p.attack = Seconds{value}; break;
        case release: p.release = Seconds{value}; break;
        case makeup: p.makeup = Decibels{value}; break;
        case link: p.link = value; break;
        case sidechainHighpass: p.sidechainHighpass = Hertz{value}; break;
        default: return;
    }
    setParams(p);
}

void Compressor::applyTargets(bool immediate) noexcept {
    const double values[] = {params_.threshold.value, compressorSlope(params_.ratio), params_.knee.value,
                             params_.makeup.value};
    SmoothedValue* glides[] = {&threshold_, &slope_, &knee_, &makeup_};
    for (std::size_t i = 0; i < 4; ++i) {
        if (immediate) glides[i]->setImmediate(values[i]);
        else glides[i]->setTarget(values[i]);
    }
    keyed_.detector.setLink(params_.link);
    keyed_.detector.setHighpass(params_.sidechainHighpass.value);
    const double grow = GainReductionSmoother::coefficient(params_.attack.value, spec_.sampleRate);
    const double shrink = GainReductionSmoother::coefficient(params_.release.value, spec_.sampleRate);
    for (auto& smoother : keyed_.smoothers) smoother.setBallistics(grow, shrink, 0);
}

Result<void> Compressor::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.maxBlock < 1 || spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "compressor: needs a positive rate and block size and 1 to 8 channels");
    spec_ = spec;
    if (auto prepared = keyed_.prepare(spec, params_.lookahead.value, params_.detection); !prepared) return prepared;
    const auto glide = static_cast<std::int64_t>(kGlideSeconds * spec.sampleRate);
    for (SmoothedValue* v : {&threshold_, &slope_, &knee_, &makeup_}) v->prepare(glide, 0.0);
    prepared_ = true;
    reset();
    return {};
}

void Compressor::reset() noexcept {
    applyTargets(true);
    keyed_.reset();
    gainReductionDb_ = 0.0;
}

void Compressor::process(AudioView io) noexcept {
    AudioView key = keyed_.sidechain.take(io);
    gainReductionDb_ = 0.0;
    if (!prepared_) return;
    for (std::int64_t at = 0; at < io.numFrames(); at += spec_.maxBlock) {
        const std::int64_t n = std::min<std::int64_t>(spec_.maxBlock, io.numFrames() - at);
        if (avx2_)
            processChunkAvx2(io.slice(at, n), key.slice(at, n));
        else
            processChunkBaseline(io.slice(at, n), key.slice(at, n));
    }
}

__attribute__((always_inline)) inline void Compressor::processChunkBody(AudioView io, AudioView key) noexcept {
    const int channels = std::min(io.numChannels(), spec_.channels);
    // Fully linked with every channel's envelope in the same state: one envelope serves all.
    const bool shared = keyed_.detector.fullyLinked() && keyed_.smoothersAgree(channels);
    const AudioView gains = keyed_.detector.process(key, channels, shared ? Linking::full : Linking::perChannel);
    const bool automatic = params_.makeupMode == MakeupMode::automatic;
    double peakReduction = gainReductionDb_;
    const bool steady = !threshold_.isSmoothing() && !slope_.isSmoothing() && !knee_.isSmoothing() && !makeup_.isSmoothing();
    if (steady) {
        // No parameter gliding (the usual case): the loop of the else branch with its four
        // glides read once.
        const double thresholdDb = threshold_.current();
        const double slope = slope_.current();
        const double kneeDb = knee_.current();
        const double makeupDb = makeup_.current() + (automatic ? autoMakeupDb(thresholdDb, slope, kneeDb) : 0.0);
        for (int c = 0; c < gains.numChannels(); ++c) {
            // A local copy, so the envelope stays in registers (stores to g could alias it).
            GainReductionSmoother smoother = keyed_.smoothers[static_cast<std::size_t>(c)];
            float* g = gains.channel(c);
            // The compressor never holds: the smoother's short-chain step (the loop's speed
            // is its one recursion; the curve and the peak are off that chain). Computing the
            // curve in a separate vectorized pass first was tried on 2026-11-24: no faster,
            // in the micro benchmark or the 16-track render.
            for (std::int64_t i = 0; i < gains.numFrames(); ++i) {
                const double reduction = smoother.nextWithoutHold(-compressorGainDb(g[i], thresholdDb, slope, kneeDb));
                peakReduction = std::max(peakReduction, reduction);
                g[i] = static_cast<float>(makeupDb - reduction);
            }
            smoother.settle();
            keyed_.smoothers[static_cast<std::size_t>(c)] = smoother;
        }
    } else {
        for (std::int64_t i = 0; i < gains.numFrames(); ++i) {
            const double thresholdDb = threshold_.next();
            const double slope = slope_.next();
            const double kneeDb = knee_.next();
            double makeupDb = makeup_.next();
            if (automatic) makeupDb += autoMakeupDb(thresholdDb, slope, kneeDb);
            for (int c = 0; c < gains.numChannels(); ++c) {
                float& g = gains.channel(c)[i];  // holds the level in dB, becomes the linear gain
                const double target = -compressorGainDb(g, thresholdDb, slope, kneeDb);
                const double reduction = keyed_.smoothers[static_cast<std::size_t>(c)].next(target);
                peakReduction = std::max(peakReduction, reduction);
                g = static_cast<float>(makeupDb - reduction);  // the gain in dB, made linear below
            }
        }
    }
    if (shared)
        for (int c = 1; c < channels; ++c) keyed_.smoothers[static_cast<std::size_t>(c)] = keyed_.smoothers[0];
    gainReductionDb_ = peakReduction;
    keyed_.delay.process(io);
    // dB to linear in a separate pass from the recursion above, which vectorizes.
    constexpr auto kToLn = static_cast<float>(kLn10Over20);
    if (gains.numChannels() == 1 && io.numChannels() == 2 && gains.numFrames() == io.numFrames()) {
        // One shared gain on a stereo pair (the usual case): made linear and applied in the
        // same pass, so the block is read and written once (applyGainEnvelope's products).
        const float* gainDb = gains.channel(0);
        float* __restrict left = io.channel(0);
        float* __restrict right = io.channel(1);
        for (std::int64_t i = 0; i < io.numFrames(); ++i) {
            const float g = expApprox(gainDb[i] * kToLn);
            left[i] *= g;
            right[i] *= g;
        }
        return;
    }
    for (int c = 0; c < gains.numChannels(); ++c) {
        float* g = gains.channel(c);
        for (std::int64_t i = 0; i < gains.numFrames(); ++i) g[i] = expApprox(g[i] * kToLn);
    }
    applyGainEnvelope(io, gains);
}

// processChunkBody compiled for the x86-64 baseline and for AVX2 (as FdnReverb does): its
// loops over a block (dB to linear and the gain applied) take eight floats per instruction
// instead of four (the key detector has its own two versions). Element-wise float operations only and
// no FMA (AVX2 does not imply it; the build has -ffp-contract=off), so the same bits.
void Compressor::processChunkBaseline(AudioView io, AudioView key) noexcept { processChunkBody(io, key); }
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void Compressor::processChunkAvx2(AudioView io, AudioView key) noexcept {
    processChunkBody(io, key);
}
#else
void Compressor::processChunkAvx2(AudioView io, AudioView key) noexcept { processChunkBody(io, key); }
#endif

}  // namespace reel::dsp
