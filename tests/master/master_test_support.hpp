#pragma once
// Synthetic programme material for the mastering tests, and an independent loudness reading.
//
// "Programme material": what a short mix looks like to a mastering chain — broadband noise
// shaped like music (more energy low than high), a bass line and two tones, drum-like
// decaying bursts that make the peaks stand well above the loudness, and sections at
// different levels (a quiet verse and a loud chorus) so loudness range and gating matter.
// Deterministic (fixed seeds). Loudness is read with libebur128 (the yardstick),
// true peak with analysis::TruePeakMeter (4× oversampled, BS.1770-4 Annex 2).

#include <ebur128.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/true_peak_meter.hpp"
#include "core/audio_buffer.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

/// `seconds` of stereo (or mono) programme material at `rate`, scaled by `gainDb`.
/// `drums` scales the drum-like bursts (0.5 makes peaks some 15 dB above the loudness).
inline AudioBuffer programMaterial(double seconds, double rate, int channels = 2, double gainDb = 0.0, unsigned seed = 7,
                                   double drums = 0.5) {
    const auto n = static_cast<std::int64_t>(seconds * rate);
    AudioBuffer out(channels, n);
    std::mt19937 rng(seed);
    std::normal_distribution<double> white(0.0, 1.0);
    const double gain = std::pow(10.0, gainDb / 20.0);
    double low1 = 0.0, low2 = 0.0;  // one-pole low-passes make the noise fall toward the top
    double burst = 0.0;
    const auto beat = static_cast<std::int64_t>(0.5 * rate);
    for (std::int64_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate;
        // Sections: 0–40 % quiet verse (−9 dB), then a loud chorus, with 20 ms ramps.
        const double section = t < 0.4 * seconds ? 0.355 : 1.0;
        if (i % beat == 0) burst = 1.0;
        burst *= std::exp(-1.0 / (0.06 * rate));
        const double w = white(rng);
        low1 += 0.05 * (w - low1);
        low2 += 0.3 * (w - low2);
        const double noiseBed = 0.10 * low1 * 6.0 + 0.05 * low2 + 0.01 * w;
        const double bass = 0.22 * std::sin(2.0 * M_PI * 55.0 * t) * (0.6 + 0.4 * std::sin(2.0 * M_PI * 0.5 * t));
        const double tones = 0.06 * std::sin(2.0 * M_PI * 440.0 * t) + 0.03 * std::sin(2.0 * M_PI * 2500.0 * t);
        const double drum = drums * burst * white(rng);
        for (int c = 0; c < channels; ++c) {
            const double spread = c == 0 ? 1.0 : 0.92;  // a little stereo
            const double x = section * (noiseBed * spread + bass + tones * (c == 0 ? 1.0 : 0.8) + drum * (c == 0 ? 0.9 : 1.0));
            out.channel(c)[i] = static_cast<float>(gain * x);
        }
    }
    return out;
}

/// The names in a folder, sorted (to prove that nothing was left half-written).
inline std::vector<std::string> filesIn(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// libebur128's integrated loudness (LUFS) of a file.
inline double libebur128Integrated(const std::filesystem::path& path) {
    int rate = 0;
    AudioBuffer audio = readFile(path, &rate);
    ebur128_state* st = ebur128_init(static_cast<unsigned>(audio.numChannels()), static_cast<unsigned long>(rate), EBUR128_MODE_I);
    if (!st) throw std::runtime_error("ebur128_init failed");
    std::vector<float> interleaved(static_cast<std::size_t>(audio.numFrames() * audio.numChannels()));
    for (std::int64_t i = 0; i < audio.numFrames(); ++i)
        for (int c = 0; c < audio.numChannels(); ++c)
            interleaved[static_cast<std::size_t>(i * audio.numChannels() + c)] = audio.channel(c)[i];
    ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(audio.numFrames()));
    double loudness = 0.0;
    ebur128_loudness_global(st, &loudness);
    ebur128_destroy(&st);
    return loudness;
}

/// True peak (dBTP, 4× oversampled) of a file, read with libsndfile.
inline double truePeakOf(const std::filesystem::path& path) {
    int rate = 0;
    AudioBuffer audio = readFile(path, &rate);
    analysis::TruePeakMeter meter(SampleRate{static_cast<double>(rate)}, audio.numChannels());
    meter.process(audio.view());
    auto tp = meter.truePeakDbtp();
    return tp ? tp->value : -1000.0;
}

}  // namespace reel::test
