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
        switch (code_) {
            case VectorCode::avx2Fma: processChunkAvx2Fma(io.slice(at, n), key.slice(at, n)); break;
            case VectorCode::avx2: processChunkAvx2(io.slice(at, n), key.slice(at, n)); break;
            case VectorCode::baseline: processChunkBaseline(io.slice(at, n), key.slice(at, n)); break;
        }
    }
}

void Compressor::setVectorWidth(VectorWidth width) noexcept {
    keyed_.detector.setVectorWidth(width);
    code_ = vectorCodeFor(width);
}

namespace {

constexpr auto kToLn = static_cast<float>(kLn10Over20);

/// Stereo with one shared gain (dB): both channels times the linear gain, the block read
/// and written once.
template <Fma fma>
__attribute__((always_inline)) inline void applySharedGain(const float* __restrict gainDb, float* __restrict left,
                                                           float* __restrict right, std::int64_t numFrames) noexcept {
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const float g = expApprox<fma>(gainDb[i] * kToLn);
        left[i] *= g;
        right[i] *= g;
    }
}

/// applySharedGain() on the input delayed by a ring's run: each frame takes the ring's
/// sample and leaves its own in its place. The same products as FixedDelay::process() and
/// then applySharedGain(), in one pass instead of two.
template <Fma fma>
__attribute__((always_inline)) inline void applySharedGainDelayed(const float* __restrict gainDb,
                                                                  float* __restrict left, float* __restrict right,
                                                                  float* __restrict ringLeft,
                                                                  float* __restrict ringRight,
                                                                  std::int64_t numFrames) noexcept {
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const float g = expApprox<fma>(gainDb[i] * kToLn);
        const float delayedLeft = ringLeft[i];
        const float delayedRight = ringRight[i];
        ringLeft[i] = left[i];
        ringRight[i] = right[i];
        left[i] = delayedLeft * g;
        right[i] = delayedRight * g;
    }
}

}  // namespace

template <Fma fma>
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
            // in the micro benchmark or the 16-track render. Also tried for the FMA build,
            // and slower in BM_CompressorMixTrack (4096 frames, 20 ms lookahead; 2026-11-24):
            // the key, curve, dB-to-linear and lookahead work in AVX2 registers inside this
            // loop, eight frames ahead of and behind the recursion (15.7 µs a block against
            // 13.3 for these separate passes at the time); two frames per step (the composed
            // step is the max of three lines: 8 cycles per 2 frames instead of 6 per frame)
            // with its intercepts from a vectorized pass (13.2 µs against 12.9).
            for (std::int64_t i = 0; i < gains.numFrames(); ++i) {
                const double reduction =
                    smoother.nextWithoutHold<fma>(-compressorGainDb(g[i], thresholdDb, slope, kneeDb));
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
    // dB to linear in a separate pass from the recursion above, which vectorizes.
    if (gains.numChannels() == 1 && io.numChannels() == 2 && channels == 2 && gains.numFrames() == io.numFrames()) {
        // One shared gain on a stereo pair (the usual case; prepared for two channels, so the
        // delay has a ring for each): made linear, applied and, with a lookahead, delayed in
        // the same pass, so the block is read and written once. The lookahead delay was a
        // pass of its own (FixedDelay::process, a swap with the ring) before this one.
        const float* gainDb = gains.channel(0);
        float* left = io.channel(0);
        float* right = io.channel(1);
        if (keyed_.lookaheadFrames == 0) {
            applySharedGain<fma>(gainDb, left, right, io.numFrames());
            return;
        }
        FixedDelay& delay = keyed_.delay;
        delay.forEachRun(io.numFrames(), [&](std::int64_t first, std::int64_t count, std::size_t slot) {
            applySharedGainDelayed<fma>(gainDb + first, left + first, right + first, delay.ring(0) + slot,
                                        delay.ring(1) + slot, count);
        });
        return;
    }
    keyed_.delay.process(io);
    for (int c = 0; c < gains.numChannels(); ++c) {
        float* g = gains.channel(c);
        for (std::int64_t i = 0; i < gains.numFrames(); ++i) g[i] = expApprox<fma>(g[i] * kToLn);
    }
    applyGainEnvelope(io, gains);
}

// processChunkBody compiled three ways, picked from the CPU at run time (as FdnReverb does):
// - for the x86-64 baseline (SSE2);
// - for AVX2: its loops over a block (dB to linear, the gain applied) take eight floats per
//   instruction instead of four (the key detector has its own versions). Element-wise float
//   operations only and no FMA (AVX2 does not imply it; the build has -ffp-contract=off), so
//   the same bits as the baseline;
// - for AVX2 with FMA: as AVX2, with the envelope's step fused (GainReductionSmoother::
//   nextWithoutHold<Fma::yes>: fma + max per frame instead of multiply + add + max, the
//   recursion being the steady loop's speed) and dB to linear by expApprox<Fma::yes>. Not the
//   same bits: gains a few float ulps apart (compressor_test.cpp bounds it).
void Compressor::processChunkBaseline(AudioView io, AudioView key) noexcept { processChunkBody<Fma::no>(io, key); }
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) void Compressor::processChunkAvx2(AudioView io, AudioView key) noexcept {
    processChunkBody<Fma::no>(io, key);
}
__attribute__((target("avx2,fma"))) void Compressor::processChunkAvx2Fma(AudioView io, AudioView key) noexcept {
    processChunkBody<Fma::yes>(io, key);
}
#else
void Compressor::processChunkAvx2(AudioView io, AudioView key) noexcept { processChunkBody<Fma::no>(io, key); }
void Compressor::processChunkAvx2Fma(AudioView io, AudioView key) noexcept { processChunkBody<Fma::no>(io, key); }
#endif

}  // namespace reel::dsp
