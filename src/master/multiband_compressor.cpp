#include "master/multiband_compressor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::master {
namespace {

constexpr double kButterworthQ = std::numbers::sqrt2 / 2.0;

}  // namespace

Result<void> ThreeBandCrossover::setFrequencies(Hertz f1, Hertz f2, SampleRate rate) {
    if (!(f1.value >= 20.0 && f1.value < f2.value && f2.value < 0.45 * rate.value))
        return fail(ErrorCode::invalidArgument,
                    fmt::format("multiband crossovers at {:.0f} and {:.0f} Hz: expected 20 Hz <= low < high < {:.0f} Hz", f1.value,
                                f2.value, 0.45 * rate.value));
    rate_ = rate.value;
    for (int k = 0; k < 2; ++k) {
        lowPass1_[static_cast<std::size_t>(k)].setCoefficients(dsp::BiquadCoefficients::lowPass(f1.value, kButterworthQ, rate_));
        highPass1_[static_cast<std::size_t>(k)].setCoefficients(dsp::BiquadCoefficients::highPass(f1.value, kButterworthQ, rate_));
        lowPass2_[static_cast<std::size_t>(k)].setCoefficients(dsp::BiquadCoefficients::lowPass(f2.value, kButterworthQ, rate_));
        highPass2_[static_cast<std::size_t>(k)].setCoefficients(dsp::BiquadCoefficients::highPass(f2.value, kButterworthQ, rate_));
    }
    allPass2_.setCoefficients(dsp::BiquadCoefficients::allPass(f2.value, kButterworthQ, rate_));
    reset();
    return {};
}

void ThreeBandCrossover::reset() noexcept {
    for (auto* group : {&lowPass1_, &highPass1_, &lowPass2_, &highPass2_})
        for (auto& section : *group) section.reset();
    allPass2_.reset();
}

void ThreeBandCrossover::split(int channel, const float* in, float* lowOut, float* midOut, float* highOut,
                               std::int64_t numFrames) noexcept {
    // low = AP_f2 · LR4low_f1 · x;  rest = LR4high_f1 · x;  mid = LR4low_f2 · rest;  high = LR4high_f2 · rest.
    std::copy(in, in + numFrames, lowOut);
    std::copy(in, in + numFrames, highOut);
    const std::array<dsp::Biquad*, 3> low{&lowPass1_[0], &lowPass1_[1], &allPass2_};
    dsp::processCascade(low, channel, lowOut, numFrames);
    const std::array<dsp::Biquad*, 2> rest{&highPass1_[0], &highPass1_[1]};
    dsp::processCascade(rest, channel, highOut, numFrames);
    std::copy(highOut, highOut + numFrames, midOut);
    const std::array<dsp::Biquad*, 2> mid{&lowPass2_[0], &lowPass2_[1]};
    dsp::processCascade(mid, channel, midOut, numFrames);
    const std::array<dsp::Biquad*, 2> high{&highPass2_[0], &highPass2_[1]};
    dsp::processCascade(high, channel, highOut, numFrames);
}

std::complex<double> ThreeBandCrossover::response(Band band, Hertz frequency) const noexcept {
    const double f = frequency.value;
    auto squared = [&](const std::array<dsp::Biquad, 2>& pair) {
        return pair[0].coefficients().response(f, rate_) * pair[1].coefficients().response(f, rate_);
    };
    switch (band) {
        case Band::low: return squared(lowPass1_) * allPass2_.coefficients().response(f, rate_);
        case Band::mid: return squared(highPass1_) * squared(lowPass2_);
        case Band::high: return squared(highPass1_) * squared(highPass2_);
    }
    return 0.0;
}

Result<void> MultibandCompressor::prepare(const dsp::ProcessSpec& spec, const Params& params) {
    if (spec.channels < 1 || spec.channels > kMaxChannels || spec.maxBlock < 1)
        return fail(ErrorCode::invalidArgument, "multiband compressor: needs 1 to 8 channels and a positive block size");
    if (auto ok = crossover_.setFrequencies(params.lowCrossover, params.highCrossover, SampleRate{spec.sampleRate}); !ok) return ok;
    for (std::size_t b = 0; b < 3; ++b) {
        compressors_[b].setParams(params.bands[b]);
        if (auto ok = compressors_[b].prepare(spec); !ok) return ok;
        bands_[b].resize(spec.channels, spec.maxBlock);
    }
    return {};
}

void MultibandCompressor::process(AudioView io) noexcept {
    const std::int64_t n = io.numFrames();
    for (int c = 0; c < io.numChannels(); ++c)
        crossover_.split(c, io.channel(c), bands_[0].channel(c), bands_[1].channel(c), bands_[2].channel(c), n);
    for (std::size_t b = 0; b < 3; ++b) compressors_[b].process(bands_[b].view(n));
    for (int c = 0; c < io.numChannels(); ++c) {
        float* y = io.channel(c);
        const float* l = bands_[0].channel(c);
        const float* m = bands_[1].channel(c);
        const float* h = bands_[2].channel(c);
        for (std::int64_t i = 0; i < n; ++i) y[i] = (l[i] + m[i]) + h[i];
    }
}

void MultibandCompressor::reset() noexcept {
    crossover_.reset();
    for (auto& c : compressors_) c.reset();
}

double MultibandCompressor::gainReductionDb() const noexcept {
    double most = 0.0;
    for (const auto& c : compressors_) most = std::max(most, c.gainReductionDb());
    return most;
}

}  // namespace reel::master
