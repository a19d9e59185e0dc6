#pragma once
// Helpers shared by the dynamics processor tests (compressor, gate/expander, de-esser,
// limiter): block-wise runs, steady levels, level measurements and a splatter meter.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numbers>

#include "core/audio_buffer.hpp"
#include "dsp/biquad.hpp"
#include "dsp/processor.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

inline double toDb(double linear) { return 20.0 * std::log10(linear); }
inline double fromDb(double db) { return std::pow(10.0, db / 20.0); }

/// A constant ("DC") signal: the steady level a peak detector reads exactly.
inline AudioBuffer constant(float value, std::int64_t numFrames, int channels = 1) {
    AudioBuffer out(channels, numFrames);
    for (int c = 0; c < channels; ++c) std::fill_n(out.channel(c), numFrames, value);
    return out;
}

/// Runs `input` through a prepared processor in blocks of `block` frames and returns the
/// output. If `key` is given, it is handed over as the sidechain before each block.
/// `beforeBlock(frame)` runs before each block (automation, parameter changes).
inline AudioBuffer runInBlocks(dsp::Processor& processor, const AudioBuffer& input, std::int64_t block,
                               AudioBuffer* key = nullptr,
                               const std::function<void(std::int64_t)>& beforeBlock = {}) {
    AudioBuffer io = input;
    for (std::int64_t at = 0; at < io.numFrames(); at += block) {
        const std::int64_t n = std::min(block, io.numFrames() - at);
        if (beforeBlock) beforeBlock(at);
        if (key) processor.setSidechain(key->view().slice(at, n));
        processor.process(io.view().slice(at, n));
    }
    return io;
}

/// True if two buffers hold bit-identical samples.
inline ::testing::AssertionResult identical(const AudioBuffer& a, const AudioBuffer& b) {
    if (a.numChannels() != b.numChannels() || a.numFrames() != b.numFrames())
        return ::testing::AssertionFailure() << "shapes differ";
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i)
            if (std::memcmp(&a.channel(c)[i], &b.channel(c)[i], sizeof(float)) != 0)
                return ::testing::AssertionFailure()
                       << "channel " << c << " frame " << i << ": " << a.channel(c)[i] << " vs " << b.channel(c)[i];
    return ::testing::AssertionSuccess();
}

inline bool allFinite(const AudioBuffer& a) {
    for (int c = 0; c < a.numChannels(); ++c)
        for (std::int64_t i = 0; i < a.numFrames(); ++i)
            if (!std::isfinite(a.channel(c)[i])) return false;
    return true;
}

/// RMS of frames [from, to) of one channel.
inline double rms(const AudioBuffer& a, int channel, std::int64_t from, std::int64_t to) {
    double sum = 0.0;
    for (std::int64_t i = from; i < to; ++i) sum += double(a.channel(channel)[i]) * a.channel(channel)[i];
    return std::sqrt(sum / static_cast<double>(to - from));
}

/// Amplitude of the `hz` component in frames [from, to) of one channel (a single-bin DFT;
/// exact for a tone with a whole number of periods in the span).
inline double toneAmplitude(const AudioBuffer& a, int channel, double hz, double rate, std::int64_t from, std::int64_t to) {
    double re = 0.0, im = 0.0;
    for (std::int64_t i = from; i < to; ++i) {
        const double phase = 2.0 * std::numbers::pi * hz * static_cast<double>(i) / rate;
        re += a.channel(channel)[i] * std::cos(phase);
        im += a.channel(channel)[i] * std::sin(phase);
    }
    return 2.0 * std::hypot(re, im) / static_cast<double>(to - from);
}

enum class Splatter { above, below };

/// Energy far from a tone: RMS (dB re the RMS of frames [from, to) itself) of what an
/// 8th-order high-pass (Splatter::above) or low-pass (below) at `cutoffHz` lets through in
/// [from, to). A 500 Hz tone under a 4 kHz high-pass reads below −140 dB, and so does a
/// 10 kHz tone over a 1.5 kHz low-pass; a gain step on the tone splatters broadband energy.
inline double splatterDb(const AudioBuffer& a, int channel, double cutoffHz, double rate, std::int64_t from,
                         std::int64_t to, Splatter side = Splatter::above) {
    AudioBuffer filtered(1, a.numFrames());
    std::copy_n(a.channel(channel), a.numFrames(), filtered.channel(0));
    for (int stage = 0; stage < 4; ++stage) {
        dsp::Biquad filter;
        filter.setCoefficients(side == Splatter::above
                                   ? dsp::BiquadCoefficients::highPass(cutoffHz, std::numbers::sqrt2 / 2.0, rate)
                                   : dsp::BiquadCoefficients::lowPass(cutoffHz, std::numbers::sqrt2 / 2.0, rate));
        filter.processChannel(0, filtered.channel(0), filtered.numFrames());
    }
    return toDb(rms(filtered, 0, from, to) / rms(a, channel, from, to));
}

}  // namespace reel::test
