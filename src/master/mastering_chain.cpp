#include "master/mastering_chain.hpp"

#include <cmath>
#include <limits>

namespace reel::master {
namespace {

bool isNeutral(const dsp::Equalizer::Params& params) {
    if (params.highPass.type != dsp::BandType::off || params.lowPass.type != dsp::BandType::off) return false;
    for (const auto& band : params.bands)
        if (band.type != dsp::BandType::off && band.gain.value != 0.0) return false;
    return true;
}

void scale(AudioView io, float gain) noexcept {
    if (gain == 1.0f) return;
    for (int c = 0; c < io.numChannels(); ++c) {
        float* x = io.channel(c);
        for (std::int64_t i = 0; i < io.numFrames(); ++i) x[i] *= gain;
    }
}

}  // namespace

Result<std::unique_ptr<PreLimiterChain>> PreLimiterChain::create(const MasteringPlan& plan, SampleRate rate, int channels,
                                                                int maxBlock) {
    if (channels < 1 || channels > 2) return fail(ErrorCode::formatUnsupported, "mastering works on mono or stereo programmes");
    std::unique_ptr<PreLimiterChain> chain(new PreLimiterChain());
    chain->channels_ = channels;
    const dsp::ProcessSpec spec{rate.value, maxBlock, channels};
    const dsp::ProcessSpec one{rate.value, maxBlock, 1};
    chain->midSide_ = channels == 2 && plan.midSide;
    chain->eqActive_ = !isNeutral(plan.midEq) || (chain->midSide_ && !isNeutral(plan.sideEq));
    // Left/right mode: both channels get the mid settings; mid/side: channel 1 is the side.
    chain->eq_[0].setParams(plan.midEq, dsp::Glide::jump);
    chain->eq_[1].setParams(chain->midSide_ ? plan.sideEq : plan.midEq, dsp::Glide::jump);
    for (auto& eq : chain->eq_)
        if (auto ok = eq.prepare(one); !ok) return std::unexpected(ok.error());
    chain->stereoActive_ = channels == 2 && (plan.width != 1.0 || plan.monoBelow.value > 0.0);
    chain->stereo_.setParams({plan.width, 0.0, plan.monoBelow, 0.0});
    if (auto ok = chain->stereo_.prepare(spec); !ok) return std::unexpected(ok.error());
    chain->compress_ = plan.compress;
    chain->compressor_.setParams(plan.compressor);
    if (auto ok = chain->compressor_.prepare(spec); !ok) return std::unexpected(ok.error());
    chain->multiband_ = plan.multiband && !plan.compress;
    if (chain->multiband_)
        if (auto ok = chain->multibandCompressor_.prepare(spec, plan.multibandParams); !ok) return std::unexpected(ok.error());
    chain->reset();
    return chain;
}

void PreLimiterChain::encodeMidSide(AudioView io) noexcept {
    float* left = io.channel(0);
    float* right = io.channel(1);
    for (std::int64_t i = 0; i < io.numFrames(); ++i) {
        const float l = left[i], r = right[i];
        left[i] = 0.5f * (l + r);
        right[i] = 0.5f * (l - r);
    }
}

void PreLimiterChain::processEq(int channel, float* samples, std::int64_t numFrames) noexcept {
    const std::array<float*, kMaxChannels> pointer{samples};
    eq_[static_cast<std::size_t>(channel)].process(AudioView(pointer, 1, numFrames));
}

void PreLimiterChain::processDynamics(AudioView io) noexcept {
    if (eqActive_ && midSide_) {
        float* mid = io.channel(0);
        float* side = io.channel(1);
        for (std::int64_t i = 0; i < io.numFrames(); ++i) {
            const float m = mid[i], s = side[i];
            mid[i] = m + s;
            side[i] = m - s;
        }
    }
    if (stereoActive_) stereo_.process(io);
    if (compress_) compressor_.process(io);
    if (multiband_) multibandCompressor_.process(io);
}

int PreLimiterChain::latency() const noexcept {
    return compress_ ? compressor_.latency() : multiband_ ? multibandCompressor_.latency() : 0;
}

void PreLimiterChain::reset() noexcept {
    for (auto& eq : eq_) eq.reset();
    stereo_.reset();
    compressor_.reset();
    multibandCompressor_.reset();
}

Result<std::unique_ptr<LimiterChain>> LimiterChain::create(const MasteringPlan& plan, SampleRate rate, int channels, int maxBlock) {
    std::unique_ptr<LimiterChain> chain(new LimiterChain());
    auto detector = std::make_unique<CachedPeakDetector>();
    chain->detector_ = detector.get();
    const dsp::Limiter::Params limits{plan.limiterCeiling, plan.limiterRelease, plan.limiterLookahead};
    chain->limiter_ = std::make_unique<dsp::Limiter>(limits, std::move(detector));
    if (auto ok = chain->limiter_->prepare({rate.value, maxBlock, channels}); !ok) return std::unexpected(ok.error());
    chain->setGains(plan.drive, plan.limiterCeiling, plan.trim);
    chain->reset();
    return chain;
}

void LimiterChain::setGains(Decibels drive, Decibels limiterCeiling, Decibels trim) noexcept {
    drive_ = static_cast<float>(toGain(drive).value);
    trim_ = static_cast<float>(toGain(trim).value);
    auto params = limiter_->params();
    params.ceiling = limiterCeiling;
    limiter_->setParams(params);
}

void LimiterChain::reset() noexcept { limiter_->reset(); }  // also jumps the ceiling to its target

double LimiterChain::peakIntoLimiterDbtp() const noexcept {
    const float peak = detector_->maxPeak();
    return peak > 0.0f ? 20.0 * std::log10(static_cast<double>(peak)) : -std::numeric_limits<double>::infinity();
}

void LimiterChain::process(AudioView io, const float* peaks) noexcept {
    detector_->setSource(peaks, drive_);
    scale(io, drive_);
    limiter_->process(io);
    scale(io, trim_);
}

}  // namespace reel::master
