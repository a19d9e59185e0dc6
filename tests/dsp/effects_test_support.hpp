#pragma once
// Shared checks for the effects processors' tests (delay, chorus, flanger, phaser,
// saturation): the behaviour every processor owes (silence, block-size invariance, reset,
// no allocation, NaN recovery, smooth parameter steps) and signal measurements (spectra,
// tone levels, a phase demodulator that reads a modulated delay back out of a sine).

#include <fftw3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <functional>
#include <memory>
#include <numbers>
#include <vector>

#include "dsp/processor.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

using MakeProcessor = std::function<std::unique_ptr<dsp::Processor>()>;

/// Processes a copy of `input` in blocks of `block` frames (prepared for maxBlock).
inline AudioBuffer processInBlocks(dsp::Processor& p, const AudioBuffer& input, std::int64_t block) {
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += block)
        p.process(out.view().slice(at, std::min<std::int64_t>(block, out.numFrames() - at)));
    return out;
}

/// Creates, prepares (rate, maxBlock 4096, the input's channels) and runs in blocks.
inline AudioBuffer runFresh(const MakeProcessor& make, const AudioBuffer& input, double rate, std::int64_t block = 4096) {
    auto p = make();
    EXPECT_TRUE(p->prepare({rate, 4096, input.numChannels()}));
    return processInBlocks(*p, input, block);
}

inline float maxAbs(const AudioBuffer& b, std::int64_t from = 0) {
    float m = 0.0f;
    for (int c = 0; c < b.numChannels(); ++c)
        for (std::int64_t i = from; i < b.numFrames(); ++i) m = std::max(m, std::fabs(b.channel(c)[i]));
    return m;
}

inline void expectSilenceGivesSilence(const MakeProcessor& make, double rate = 48000.0) {
    AudioBuffer silence(2, 10000);
    auto out = runFresh(make, silence, rate, 512);
    EXPECT_EQ(maxAbs(out), 0.0f);
}

/// Bit-exact output for blocks of 1, 7, 64, 4095 and 4096 (the prepared maximum).
inline void expectSameOutputForAnyBlockSize(const MakeProcessor& make, const AudioBuffer& input, double rate = 48000.0) {
    const auto reference = runFresh(make, input, rate, 4096);
    for (std::int64_t block : {1, 7, 64, 4095}) {
        const auto other = runFresh(make, input, rate, block);
        for (int c = 0; c < input.numChannels(); ++c)
            for (std::int64_t i = 0; i < input.numFrames(); ++i)
                ASSERT_EQ(other.channel(c)[i], reference.channel(c)[i]) << "block " << block << " channel " << c << " frame " << i;
    }
}

inline void expectResetReproducesFirstRun(const MakeProcessor& make, const AudioBuffer& input, double rate = 48000.0) {
    auto p = make();
    ASSERT_TRUE(p->prepare({rate, 4096, input.numChannels()}));
    const auto first = processInBlocks(*p, input, 500);
    p->reset();
    const auto second = processInBlocks(*p, input, 500);
    for (int c = 0; c < input.numChannels(); ++c)
        for (std::int64_t i = 0; i < input.numFrames(); ++i) ASSERT_EQ(second.channel(c)[i], first.channel(c)[i]) << i;
}

/// process(), setParameter() on every parameter and reset() allocate nothing.
inline void expectNoAllocation(const MakeProcessor& make, double rate = 48000.0) {
    auto p = make();
    ASSERT_TRUE(p->prepare({rate, 512, 2}));
    auto io = noise(512, 2, 0.5);
    AllocationCounter counter;
    p->process(io.view());
    const auto params = p->parameters();
    for (std::size_t k = 0; k < params.size(); ++k)
        p->setParameter(static_cast<int>(k), 0.5 * (params[k].min + params[k].max));
    p->process(io.view());
    p->reset();
    p->process(io.view());
    EXPECT_EQ(counter.count(), 0u);
}

/// A NaN in the input may poison the state, but reset() must clear it.
inline void expectFiniteAfterNaNAndReset(const MakeProcessor& make, double rate = 48000.0) {
    auto p = make();
    ASSERT_TRUE(p->prepare({rate, 1024, 2}));
    auto io = noise(1024, 2, 0.5);
    io.channel(0)[100] = std::numeric_limits<float>::quiet_NaN();
    io.channel(1)[200] = std::numeric_limits<float>::infinity();
    p->process(io.view());
    p->reset();
    for (int block = 0; block < 12; ++block) {
        auto clean = noise(1024, 2, 0.5, static_cast<unsigned>(block + 7));
        p->process(clean.view());
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 1024; ++i) ASSERT_TRUE(std::isfinite(clean.channel(c)[i])) << block << " " << i;
    }
}

/// Amplitude (peak, linear) of the component at frequencyHz, by a single-bin DFT over n
/// frames; exact when n spans a whole number of its periods.
inline double toneAmplitude(const float* x, std::int64_t n, double frequencyHz, double rate) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * frequencyHz / rate;
    for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * std::polar(1.0, -w * static_cast<double>(i));
    return 2.0 * std::abs(sum) / static_cast<double>(n);
}

/// The component's phase in radians (relative to a cosine starting at frame 0).
inline double tonePhase(const float* x, std::int64_t n, double frequencyHz, double rate) {
    std::complex<double> sum = 0.0;
    const double w = 2.0 * std::numbers::pi * frequencyHz / rate;
    for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * std::polar(1.0, -w * static_cast<double>(i));
    return std::arg(sum);
}

/// Magnitudes of the real FFT of x (rectangular window unless `hann`), scaled so a sine of
/// peak amplitude A that falls on a bin reads A.
inline std::vector<double> amplitudeSpectrum(const float* x, int n, bool hann = false) {
    std::vector<float> in(static_cast<std::size_t>(n));
    double windowSum = 0.0;
    for (int i = 0; i < n; ++i) {
        const double w = hann ? 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n) : 1.0;
        windowSum += w;
        in[static_cast<std::size_t>(i)] = static_cast<float>(x[i] * w);
    }
    std::vector<fftwf_complex> out(static_cast<std::size_t>(n / 2 + 1));
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
    fftwf_execute(plan);
    fftwf_destroy_plan(plan);
    std::vector<double> magnitude(out.size());
    for (std::size_t k = 0; k < out.size(); ++k)
        magnitude[k] = 2.0 * std::hypot(out[k][0], out[k][1]) / windowSum;
    return magnitude;
}

/// Energy farther than bandHz from f0 and its harmonics (up to `harmonics`), relative to
/// all the energy, in dB, over a Hann-windowed stretch: how much a change splatters.
inline double offBandEnergyDb(const float* x, int n, double f0, double rate, double bandHz, int harmonics = 1) {
    const auto m = amplitudeSpectrum(x, n, true);
    double total = 0.0, off = 0.0;
    for (std::size_t k = 1; k < m.size(); ++k) {
        const double f = static_cast<double>(k) * rate / n;
        const double e = m[k] * m[k];
        total += e;
        bool near = false;
        for (int h = 1; h <= harmonics; ++h) near = near || std::fabs(f - h * f0) <= bandHz;
        if (!near) off += e;
    }
    return 10.0 * std::log10(off / total + 1e-30);
}

/// Steps parameter `index` from `from` to `to` at frame `stepAt` while a sine of f0 plays,
/// and returns {splatter of the processor's glide, splatter of an instantaneous jump} in dB
/// (offBandEnergyDb over `window` frames centred on the step). The jump is what an
/// unsmoothed processor would do: the steady output at `from` spliced onto the one at `to`.
struct Splatter {
    double glideDb;
    double jumpDb;
};
inline Splatter stepSplatter(const MakeProcessor& make, int index, double from, double to, double f0,
                             double rate = 48000.0, std::int64_t stepAt = 48000, int window = 8192, double bandHz = 300.0,
                             int harmonics = 1) {
    const auto input = sine(f0, 0.5, rate, stepAt + window, 2);
    auto run = [&](double first, double second) {
        auto p = make();
        p->setParameter(index, first);
        EXPECT_TRUE(p->prepare({rate, 4096, 2}));
        AudioBuffer out = input;
        auto processRange = [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t at = begin; at < end; at += 4096)
                p->process(out.view().slice(at, std::min<std::int64_t>(4096, end - at)));
        };
        processRange(0, stepAt);
        p->setParameter(index, second);
        processRange(stepAt, out.numFrames());
        return out;
    };
    const auto glide = run(from, to);
    const auto before = run(from, from);
    const auto after = run(to, to);
    AudioBuffer jump = before;
    std::copy_n(after.channel(0) + stepAt, window, jump.channel(0) + stepAt);
    const std::int64_t start = stepAt - window / 2;
    return {offBandEnergyDb(glide.channel(0) + start, window, f0, rate, bandHz, harmonics),
            offBandEnergyDb(jump.channel(0) + start, window, f0, rate, bandHz, harmonics)};
}

/// Reads a time-varying delay back out of a processed sine: y(t) = A sin(ω (t − D(t))).
/// Demodulates against e^{-jωt}, averages over exactly `periods` periods of the carrier
/// (rate / f0 must be a whole number of frames) and unwraps the phase. Returns D(t) in
/// frames (up to a whole number of carrier periods, fixed by `nearFrames` at the start).
inline std::vector<double> demodulatedDelay(const float* y, std::int64_t n, double f0, double rate, double nearFrames) {
    const auto period = static_cast<std::int64_t>(std::llround(rate / f0));
    const double w = 2.0 * std::numbers::pi * f0 / rate;
    std::vector<std::complex<double>> z(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) z[static_cast<std::size_t>(i)] = static_cast<double>(y[i]) * std::polar(1.0, -w * static_cast<double>(i));
    std::vector<double> delay;
    std::complex<double> running = 0.0;
    for (std::int64_t i = 0; i < period; ++i) running += z[static_cast<std::size_t>(i)];
    double previous = 0.0, unwrapped = 0.0;
    for (std::int64_t i = period; i < n; ++i) {
        // sin(ωt − ωD) · e^{−jωt} averages to (1/2j) e^{−jωD}: phase −π/2 − ωD.
        const double phase = std::arg(running) + std::numbers::pi / 2.0;
        if (delay.empty()) {
            unwrapped = phase;
        } else {
            double step = phase - previous;
            step -= 2.0 * std::numbers::pi * std::round(step / (2.0 * std::numbers::pi));
            unwrapped += step;
        }
        previous = phase;
        // The window is centred (period-1)/2 frames before i.
        delay.push_back(-unwrapped / w);
        running += z[static_cast<std::size_t>(i)] - z[static_cast<std::size_t>(i - period)];
    }
    const double periodsOff = std::round((nearFrames - delay.front()) / static_cast<double>(period));
    for (double& d : delay) d += periodsOff * static_cast<double>(period);
    return delay;
}

/// The fundamental rate of a slowly varying trace, from its upward crossings of its mean
/// (with hysteresis of a fifth of its half range, so ripple near the mean is not counted):
/// (crossings − 1) / (time between the first and last), in Hz.
inline double crossingRateHz(const std::vector<double>& trace, double rate) {
    double mean = 0.0;
    for (double v : trace) mean += v;
    mean /= static_cast<double>(trace.size());
    const auto [low, high] = std::minmax_element(trace.begin(), trace.end());
    const double hysteresis = 0.2 * 0.5 * (*high - *low);
    std::vector<double> crossings;
    bool armed = false;
    for (std::size_t i = 1; i < trace.size(); ++i) {
        if (trace[i] < mean - hysteresis) armed = true;
        if (armed && trace[i - 1] < mean && trace[i] >= mean) {
            // Interpolate the crossing between the two frames.
            const double f = (mean - trace[i - 1]) / (trace[i] - trace[i - 1]);
            crossings.push_back(static_cast<double>(i - 1) + f);
            armed = false;
        }
    }
    if (crossings.size() < 2) return 0.0;
    return static_cast<double>(crossings.size() - 1) * rate / (crossings.back() - crossings.front());
}

}  // namespace reel::test
