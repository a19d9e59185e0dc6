#include "dsp/convolution_reverb.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace reel::dsp {
namespace {

constexpr double kMaxPredelaySeconds = 0.5;
constexpr double kPredelayGlideSeconds = 0.25;
constexpr double kMixGlideSeconds = 0.02;

// clang-format off
constexpr ParameterInfo kParameters[] = {
    {"mix", "%", 0.0, 1.0, 0.3},
    {"predelay", "s", 0.0, kMaxPredelaySeconds, 0.0},
    {"gain", "dB", -60.0, 24.0, 0.0},
};
// clang-format on

std::int64_t roundFrames(double seconds, double rate) {
    return static_cast<std::int64_t>(std::llround(seconds * rate));
}

}  // namespace

ConvolutionReverb::ConvolutionReverb(AudioBuffer impulseResponse, const Params& params)
    : ir_(std::move(impulseResponse)), params_(params) {}

ConvolutionReverb::ConvolutionReverb(AudioBuffer impulseResponse)
    : ConvolutionReverb(std::move(impulseResponse), Params{}) {}

std::span<const ParameterInfo> ConvolutionReverb::parameters() const noexcept { return kParameters; }

Result<void> ConvolutionReverb::prepare(const ProcessSpec& spec) {
    if (ir_.numFrames() == 0 || ir_.numChannels() == 0)
        return fail(ErrorCode::invalidArgument, "convolution: the impulse response is empty");
    if (ir_.numChannels() > 2)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("convolution: the impulse response has {} channels; use a mono or stereo one",
                                ir_.numChannels()));
    if (!(spec.sampleRate > 0.0)) return fail(ErrorCode::invalidArgument, "convolution: sample rate must be positive");
    sampleRate_ = spec.sampleRate;
    const int channels = std::clamp(spec.channels, 1, 2);
    convolvers_.clear();
    convolvers_.resize(static_cast<std::size_t>(channels));
    for (int c = 0; c < channels; ++c) {
        const float* taps = ir_.channel(std::min(c, ir_.numChannels() - 1));
        if (auto ok = convolvers_[static_cast<std::size_t>(c)].prepare(
                std::span<const float>(taps, static_cast<std::size_t>(ir_.numFrames())));
            !ok)
            return ok;
    }
    predelay_.prepare(channels, roundFrames(kMaxPredelaySeconds, sampleRate_),
                      roundFrames(kPredelayGlideSeconds, sampleRate_));
    mix_.prepare(roundFrames(kMixGlideSeconds, sampleRate_), 0.0);
    gain_.prepare(roundFrames(kMixGlideSeconds, sampleRate_), 1.0);
    prepared_ = true;
    applyParams(true);
    reset();
    return {};
}

void ConvolutionReverb::applyParams(bool immediate) noexcept {
    if (!prepared_) return;
    const double mix = std::clamp(params_.mix, 0.0, 1.0);
    const double gain = std::pow(10.0, std::clamp(params_.gain.value, -60.0, 24.0) / 20.0);
    const double predelay = std::clamp(params_.predelay.value, 0.0, kMaxPredelaySeconds) * sampleRate_;
    if (immediate) {
        mix_.setImmediate(mix);
        gain_.setImmediate(gain);
        predelay_.setDelayImmediate(predelay);
    } else {
        mix_.setTarget(mix);
        gain_.setTarget(gain);
        predelay_.setDelay(predelay);
    }
}

void ConvolutionReverb::setParams(const Params& params) noexcept {
    params_ = params;
    applyParams(false);
}

void ConvolutionReverb::setParameter(int index, double value) noexcept {
    if (index < 0 || index >= static_cast<int>(std::size(kParameters))) return;
    const double v = std::clamp(value, kParameters[index].min, kParameters[index].max);
    Params p = params_;
    switch (index) {
        case kMix:
            p.mix = v;
            break;
        case kPredelay:
            p.predelay = Seconds{v};
            break;
        case kGain:
            p.gain = Decibels{v};
            break;
        default:
            return;
    }
    setParams(p);
}

double ConvolutionReverb::tailSeconds() const noexcept {
    return static_cast<double>(ir_.numFrames()) / sampleRate_ +
           std::clamp(params_.predelay.value, 0.0, kMaxPredelaySeconds);
}

void ConvolutionReverb::reset() noexcept {
    for (auto& convolver : convolvers_) convolver.reset();
    predelay_.reset();
    mix_.setImmediate(mix_.target());
    gain_.setImmediate(gain_.target());
}

void ConvolutionReverb::process(AudioView io) noexcept {
    if (!prepared_) return;
    const int channels = std::min(io.numChannels(), static_cast<int>(convolvers_.size()));
    if (channels == 0) return;
    alignas(16) float wet[2][kChunk];
    for (std::int64_t start = 0; start < io.numFrames(); start += kChunk) {
        const std::int64_t n = std::min(kChunk, io.numFrames() - start);
        std::array<float*, kMaxChannels> wetPtrs{};
        for (int c = 0; c < channels; ++c) {
            std::copy_n(io.channel(c) + start, n, wet[c]);
            wetPtrs[static_cast<std::size_t>(c)] = wet[c];
        }
        predelay_.process(AudioView{wetPtrs, channels, n});
        for (int c = 0; c < channels; ++c) convolvers_[static_cast<std::size_t>(c)].process(wet[c], wet[c], n);
        if (!mix_.isSmoothing() && !gain_.isSmoothing()) {
            const auto mix = static_cast<float>(mix_.current());
            const auto wetGain = static_cast<float>(mix_.current() * gain_.current());
            for (int c = 0; c < channels; ++c) {
                float* x = io.channel(c) + start;
                for (std::int64_t k = 0; k < n; ++k) x[k] = (1.0f - mix) * x[k] + wetGain * wet[c][k];
            }
            continue;
        }
        // Gliding: the same arithmetic per frame with the gains of that frame.
        for (std::int64_t k = 0; k < n; ++k) {
            const double mixNow = mix_.next();
            const auto mix = static_cast<float>(mixNow);
            const auto wetGain = static_cast<float>(mixNow * gain_.next());
            for (int c = 0; c < channels; ++c) {
                float* x = io.channel(c) + start;
                x[k] = (1.0f - mix) * x[k] + wetGain * wet[c][k];
            }
        }
    }
}

}  // namespace reel::dsp
