#pragma once
// Signal recipes for the analysis tests: tones at a level in dBFS (peak), silence, noise,
// and concatenation, built segment by segment the way EBU Tech 3341/3342 describe their
// test signals. Header-only: the test CMake compiles only *_test.cpp files.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <random>
#include <vector>

#include "core/audio_buffer.hpp"

namespace reel::test {

/// Planar audio under construction: segments appended in time order.
class SignalBuilder {
public:
    SignalBuilder(double sampleRate, int channels)
        : rate_(sampleRate), channels_(static_cast<std::size_t>(channels)), data_(channels_) {}

    /// A sine of `frequencyHz`, peak level `levelDbfs` per channel (NaN: silent channel),
    /// lasting `seconds` (rounded to frames), starting at phase `phaseDegrees`.
    SignalBuilder& tone(double frequencyHz, std::vector<double> levelDbfs, double seconds, double phaseDegrees = 0.0) {
        const std::int64_t n = frames(seconds);
        lastStart_ = numFrames();
        const double phase = phaseDegrees * std::numbers::pi / 180.0;
        for (std::size_t c = 0; c < channels_; ++c) {
            const double level = levelDbfs.size() == 1 ? levelDbfs[0] : levelDbfs[c];
            const double amplitude = std::isnan(level) ? 0.0 : std::pow(10.0, level / 20.0);
            for (std::int64_t i = 0; i < n; ++i)
                data_[c].push_back(static_cast<float>(
                    amplitude * std::sin(2.0 * std::numbers::pi * frequencyHz * static_cast<double>(i) / rate_ + phase)));
        }
        return *this;
    }
    SignalBuilder& tone(double frequencyHz, double levelDbfs, double seconds, double phaseDegrees = 0.0) {
        return tone(frequencyHz, std::vector<double>{levelDbfs}, seconds, phaseDegrees);
    }
    /// A sine whose peak amplitude is given linearly (for true-peak cases such as 1.41).
    SignalBuilder& toneAmplitude(double frequencyHz, double amplitude, double seconds, double phaseDegrees) {
        return tone(frequencyHz, 20.0 * std::log10(amplitude), seconds, phaseDegrees);
    }
    /// Raised-cosine fade-in and fade-out of `seconds` at the ends of the last tone, so it
    /// starts and stops without the step whose band-limited reconstruction overshoots.
    SignalBuilder& fadeEdges(double seconds) {
        const std::int64_t n = frames(seconds);
        const std::int64_t end = numFrames();
        for (auto& channel : data_)
            for (std::int64_t i = 0; i < n && lastStart_ + i < end; ++i) {
                const double g = 0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(i) / static_cast<double>(n));
                channel[static_cast<std::size_t>(lastStart_ + i)] *= static_cast<float>(g);
                channel[static_cast<std::size_t>(end - 1 - i)] *= static_cast<float>(g);
            }
        return *this;
    }
    SignalBuilder& silence(double seconds) {
        const std::int64_t n = frames(seconds);
        for (auto& channel : data_) channel.insert(channel.end(), static_cast<std::size_t>(n), 0.0f);
        return *this;
    }
    /// Uniform white noise, peak `levelDbfs` per channel (NaN: silent), independent channels.
    SignalBuilder& noise(std::vector<double> levelDbfs, double seconds, unsigned seed = 7) {
        const std::int64_t n = frames(seconds);
        std::mt19937 rng(seed);
        for (std::size_t c = 0; c < channels_; ++c) {
            const double level = levelDbfs.size() == 1 ? levelDbfs[0] : levelDbfs[c];
            const double amplitude = std::isnan(level) ? 0.0 : std::pow(10.0, level / 20.0);
            std::uniform_real_distribution<double> dist(-amplitude, amplitude);
            for (std::int64_t i = 0; i < n; ++i) data_[c].push_back(static_cast<float>(dist(rng)));
        }
        return *this;
    }
    SignalBuilder& noise(double levelDbfs, double seconds, unsigned seed = 7) {
        return noise(std::vector<double>{levelDbfs}, seconds, seed);
    }

    std::int64_t numFrames() const { return static_cast<std::int64_t>(data_[0].size()); }

    AudioBuffer build() const {
        AudioBuffer out(static_cast<int>(channels_), numFrames());
        for (std::size_t c = 0; c < channels_; ++c)
            std::copy(data_[c].begin(), data_[c].end(), out.channel(static_cast<int>(c)));
        return out;
    }

private:
    std::int64_t frames(double seconds) const { return std::llround(seconds * rate_); }

    double rate_;
    std::size_t channels_;
    std::int64_t lastStart_ = 0;
    std::vector<std::vector<float>> data_;
};

/// Frames of `audio` [start, start + count) as a view.
inline AudioView viewOf(AudioBuffer& audio, std::int64_t start, std::int64_t count) {
    return audio.view().slice(start, count);
}

}  // namespace reel::test
