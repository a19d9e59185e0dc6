#pragma once
// Synthetic "mixes" for the mix-report tests: a clean, well-balanced programme and the
// edits that give it one problem each (a clipped stretch, a flipped channel, an EQ boost,
// a noisy pause, ...), plus running the report on a file written from them.
//
// The clean mix is noise shaped like a finished mix rather than a tone: a mono low end
// (white noise through a one-pole low-pass at 100 Hz and a +5 dB low shelf at 120 Hz, so the
// 1/3-octave band energy is about flat up to 100 Hz and falls about 3 dB/octave above, within
// 0.5 dB/octave of the report's reference curve),
// a decorrelated side above 300 Hz (L/R correlation about 0.9, not mono), a beat (2 Hz
// envelope decaying in 80 ms: a peak-to-loudness ratio a mix keeps) and sections 6 dB apart
// (a loudness range over 2 LU), a 20 Hz high-pass (no DC), peak -3 dBFS. Deterministic.
// Header-only: the test CMake compiles only *_test.cpp files.

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "analysis/mix_report.hpp"
#include "core/audio_buffer.hpp"
#include "dsp/biquad.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

inline constexpr double kMixRate = 44100.0;

struct MixRecipe {
    double seconds = 20.0;
    double peakDbfs = -3.0;       // sample peak after normalization
    double sideHighDb = -6.0;     // side vs mid gain above 300 Hz
    double sideLowDb = -60.0;     // side vs mid gain of a low-passed (< 150 Hz) side component
    bool sections = true;         // 5 s sections at 0, -6, 0, -3 dB
    unsigned seed = 11;
};

inline std::int64_t mixFrames(double seconds) { return std::llround(seconds * kMixRate); }

/// Scales every channel so the sample peak is `peakDbfs`.
inline void normalize(AudioBuffer& audio, double peakDbfs) {
    float peak = 0.0f;
    for (int c = 0; c < audio.numChannels(); ++c)
        for (std::int64_t i = 0; i < audio.numFrames(); ++i) peak = std::max(peak, std::fabs(audio.channel(c)[i]));
    if (!(peak > 0.0f)) return;
    const auto scale = static_cast<float>(std::pow(10.0, peakDbfs / 20.0) / peak);
    for (int c = 0; c < audio.numChannels(); ++c)
        for (std::int64_t i = 0; i < audio.numFrames(); ++i) audio.channel(c)[i] *= scale;
}

/// The clean mix (see the file comment), stereo at 44.1 kHz.
inline AudioBuffer makeMix(const MixRecipe& recipe) {
    const std::int64_t n = mixFrames(recipe.seconds);
    AudioBuffer out(2, n);
    std::mt19937 rng(recipe.seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    dsp::Biquad midLow, midShelf, sideLow, sideHigh, sideHigh2, lowSide, lowSide2, dcBlock;
    midLow.setCoefficients(dsp::BiquadCoefficients::firstOrderLowPass(100.0, kMixRate));
    midShelf.setCoefficients(dsp::BiquadCoefficients::lowShelf(120.0, 0.707, 5.0, kMixRate));
    sideLow.setCoefficients(dsp::BiquadCoefficients::firstOrderLowPass(100.0, kMixRate));
    sideHigh.setCoefficients(dsp::BiquadCoefficients::highPass(300.0, 0.707, kMixRate));
    sideHigh2.setCoefficients(dsp::BiquadCoefficients::highPass(300.0, 0.707, kMixRate));
    lowSide.setCoefficients(dsp::BiquadCoefficients::lowPass(120.0, 0.707, kMixRate));
    lowSide2.setCoefficients(dsp::BiquadCoefficients::lowPass(120.0, 0.707, kMixRate));
    dcBlock.setCoefficients(dsp::BiquadCoefficients::highPass(20.0, 0.707, kMixRate));
    const double sideHighGain = std::pow(10.0, recipe.sideHighDb / 20.0);
    const double sideLowGain = std::pow(10.0, recipe.sideLowDb / 20.0);
    const double sectionGain[] = {1.0, 0.5, 1.0, 0.708};
    for (std::int64_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / kMixRate;
        const double mid = midShelf.processSample(0, midLow.processSample(0, static_cast<float>(gauss(rng))));
        const double high = sideHigh2.processSample(0, sideHigh.processSample(0, sideLow.processSample(0, static_cast<float>(gauss(rng)))));
        const double low = lowSide2.processSample(0, lowSide.processSample(0, static_cast<float>(gauss(rng))));
        const double side = sideHighGain * high + sideLowGain * low;
        const double beat = 0.35 + 0.65 * std::exp(-std::fmod(t, 0.5) / 0.08);
        const double section = recipe.sections ? sectionGain[static_cast<std::size_t>(t / 5.0) % 4] : 1.0;
        const double g = beat * section;
        out.channel(0)[i] = dcBlock.processSample(0, static_cast<float>(g * (mid + side)));
        out.channel(1)[i] = dcBlock.processSample(1, static_cast<float>(g * (mid - side)));
    }
    normalize(out, recipe.peakDbfs);
    return out;
}

/// The clean mix of the default recipe (made once per test program), or of another recipe.
inline AudioBuffer cleanMix(const MixRecipe& recipe = {}) {
    const MixRecipe standard;
    const bool isStandard = recipe.seconds == standard.seconds && recipe.peakDbfs == standard.peakDbfs &&
                            recipe.sideHighDb == standard.sideHighDb && recipe.sideLowDb == standard.sideLowDb &&
                            recipe.sections == standard.sections && recipe.seed == standard.seed;
    if (!isStandard) return makeMix(recipe);
    static const AudioBuffer made = makeMix(standard);
    return made;
}

/// Applies a filter to frames [from, to) of every channel (the whole buffer by default).
inline void filterRange(AudioBuffer& audio, const dsp::BiquadCoefficients& c, double fromSeconds = 0.0,
                        double toSeconds = 1e9) {
    dsp::Biquad filter;
    filter.setCoefficients(c);
    const std::int64_t from = mixFrames(fromSeconds);
    const std::int64_t to = std::min(audio.numFrames(), mixFrames(toSeconds));
    for (int ch = 0; ch < audio.numChannels(); ++ch)
        for (std::int64_t i = from; i < to; ++i) audio.channel(ch)[i] = filter.processSample(ch, audio.channel(ch)[i]);
}

/// A steep linear-phase low-pass at `cutoffHz` (255-tap Blackman-windowed sinc: about 1 kHz
/// of transition at 44.1 kHz, 74 dB of stopband), the shape a resampler or a lossy encoder
/// leaves. The output is aligned with the input (the filter's delay removed).
inline void brickwallLowPass(AudioBuffer& audio, double cutoffHz) {
    constexpr int kTaps = 255;
    constexpr int kHalf = kTaps / 2;
    std::vector<float> h(kTaps);
    double sum = 0.0;
    for (int k = 0; k < kTaps; ++k) {
        const double u = k - kHalf;
        const double x = 2.0 * cutoffHz / kMixRate;
        const double sinc = u == 0 ? x : std::sin(M_PI * x * u) / (M_PI * u);
        const double w = 0.42 - 0.5 * std::cos(2 * M_PI * k / (kTaps - 1)) + 0.08 * std::cos(4 * M_PI * k / (kTaps - 1));
        h[static_cast<std::size_t>(k)] = static_cast<float>(sinc * w);
        sum += sinc * w;
    }
    for (float& v : h) v = static_cast<float>(v / sum);
    const std::int64_t n = audio.numFrames();
    std::vector<float> in(static_cast<std::size_t>(n + 2 * kHalf), 0.0f);
    for (int c = 0; c < audio.numChannels(); ++c) {
        std::copy(audio.channel(c), audio.channel(c) + n, in.begin() + kHalf);
        float* out = audio.channel(c);
        for (std::int64_t i = 0; i < n; ++i) {
            float y = 0.0f;
            for (int k = 0; k < kTaps; ++k) y += h[static_cast<std::size_t>(k)] * in[static_cast<std::size_t>(i + k)];
            out[i] = y;
        }
    }
}

/// Multiplies frames [from, to) of one channel (−1: all) by a gain.
inline void scaleRange(AudioBuffer& audio, double gain, double fromSeconds = 0.0, double toSeconds = 1e9, int channel = -1) {
    const std::int64_t from = mixFrames(fromSeconds);
    const std::int64_t to = std::min(audio.numFrames(), mixFrames(toSeconds));
    for (int ch = 0; ch < audio.numChannels(); ++ch) {
        if (channel >= 0 && ch != channel) continue;
        for (std::int64_t i = from; i < to; ++i) audio.channel(ch)[i] = static_cast<float>(audio.channel(ch)[i] * gain);
    }
}

/// `first` followed by `second` (the same channel count).
inline AudioBuffer concatenate(const AudioBuffer& first, const AudioBuffer& second) {
    AudioBuffer out(first.numChannels(), first.numFrames() + second.numFrames());
    for (int c = 0; c < first.numChannels(); ++c) {
        std::copy(first.channel(c), first.channel(c) + first.numFrames(), out.channel(c));
        std::copy(second.channel(c), second.channel(c) + second.numFrames(), out.channel(c) + first.numFrames());
    }
    return out;
}

/// Writes the audio as a 32-bit float WAV (values beyond full scale survive) and reports it.
inline analysis::MixReport reportOf(const AudioBuffer& audio, const std::string& name, double rate = kMixRate) {
    const auto dir = scratchDir("mix-" + name);
    const auto path = dir / "mix.wav";
    writeFile(path, audio, static_cast<int>(rate), SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    auto report = analysis::reportMixIssues(path);
    EXPECT_TRUE(report.has_value()) << (report ? "" : report.error().message);
    std::filesystem::remove_all(dir);
    return report ? *report : analysis::MixReport{};
}

/// The issue of a kind, or nullptr.
inline const analysis::MixIssue* findIssue(const analysis::MixReport& report, analysis::MixIssueKind kind) {
    for (const auto& issue : report.issues)
        if (issue.kind == kind) return &issue;
    return nullptr;
}

/// Every issue's kind and detail, for failure messages.
inline std::string describe(const analysis::MixReport& report) {
    std::string text;
    for (const auto& issue : report.issues)
        text += std::string(analysis::kindName(issue.kind)) + " (" + analysis::severityName(issue.severity) + "): " +
                issue.detail + "\n";
    return text.empty() ? "no issues" : text;
}

/// The ranges of an issue start within `tolerance` of `start`, end within it of `end`, and
/// none lies outside [start − tolerance, end + tolerance].
inline void expectRangesSpan(const analysis::MixIssue& issue, double start, double end, double tolerance) {
    ASSERT_FALSE(issue.ranges.empty()) << analysis::kindName(issue.kind);
    EXPECT_NEAR(issue.ranges.front().start.value, start, tolerance) << analysis::kindName(issue.kind);
    EXPECT_NEAR(issue.ranges.back().end.value, end, tolerance) << analysis::kindName(issue.kind);
    for (const auto& r : issue.ranges) {
        EXPECT_GE(r.start.value, start - tolerance) << analysis::kindName(issue.kind);
        EXPECT_LE(r.end.value, end + tolerance) << analysis::kindName(issue.kind);
        EXPECT_LE(r.start.value, r.end.value);
    }
}

}  // namespace reel::test
