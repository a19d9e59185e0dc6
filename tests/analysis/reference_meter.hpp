#pragma once
// libebur128 as the test oracle for LoudnessMeter (used, not copied: this only calls its API).
//
// The audio is fed to libebur128 in the same pieces as LoudnessMeter's 5 ms sub-blocks, and
// momentary / short-term loudness are read after each piece, so both meters evaluate their
// windows at the same instants. Header-only: the test CMake compiles only *_test.cpp files.

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "core/audio_buffer.hpp"

namespace reel::test {

struct ReferenceReading {
    double integrated = -std::numeric_limits<double>::infinity();  // libebur128 loudness_global
    double range = 0.0;                                              // libebur128 loudness_range (1 Hz)
    double momentaryMax = -std::numeric_limits<double>::infinity(); // max over sub-block instants
    double shortTermMax = -std::numeric_limits<double>::infinity(); // max over the instants read
    std::vector<double> momentary;         // at every sub-block instant from 400 ms on
    std::vector<double> shortTerm100ms;    // at every 100 ms from 3 s on (for LRA at 10 Hz)
};

/// Feeds `audio` to libebur128 piece by piece. Short-term loudness is read every 100 ms, and
/// also at every sub-block instant when `shortTermEverySubBlock` (costly: 3 s sums each time).
inline ReferenceReading measureWithLibebur128(const AudioBuffer& audio, unsigned long sampleRate,
                                              bool shortTermEverySubBlock = false) {
    const int channels = audio.numChannels();
    ebur128_state* st = ebur128_init(static_cast<unsigned>(channels), sampleRate, EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!st) throw std::runtime_error("ebur128_init failed");
    const std::int64_t per100ms = static_cast<std::int64_t>((sampleRate + 5) / 10);
    constexpr int kSubBlocks = 20;

    ReferenceReading r;
    std::vector<float> interleaved;
    std::int64_t position = 0;
    int sub = 0;
    while (position < audio.numFrames()) {
        const std::int64_t begin = per100ms * sub / kSubBlocks;
        const std::int64_t end = per100ms * (sub + 1) / kSubBlocks;
        const std::int64_t n = std::min(end - begin, audio.numFrames() - position);
        interleaved.resize(static_cast<std::size_t>(n * channels));
        for (std::int64_t i = 0; i < n; ++i)
            for (int c = 0; c < channels; ++c)
                interleaved[static_cast<std::size_t>(i * channels + c)] = audio.channel(c)[position + i];
        ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(n));
        position += n;
        if (n < end - begin) break;  // a partial sub-block at the end is not an evaluation instant
        sub = (sub + 1) % kSubBlocks;
        double value = 0.0;
        if (position >= 4 * per100ms) {
            ebur128_loudness_momentary(st, &value);
            r.momentary.push_back(value);
            r.momentaryMax = std::max(r.momentaryMax, value);
        }
        if (position >= 30 * per100ms && (sub == 0 || shortTermEverySubBlock)) {
            ebur128_loudness_shortterm(st, &value);
            if (sub == 0) r.shortTerm100ms.push_back(value);
            r.shortTermMax = std::max(r.shortTermMax, value);
        }
    }
    ebur128_loudness_global(st, &r.integrated);
    ebur128_loudness_range(st, &r.range);
    ebur128_destroy(&st);
    return r;
}

/// libebur128's integrated loudness and loudness range of `audio`, fed in one piece.
inline ReferenceReading libebur128Totals(const AudioBuffer& audio, unsigned long sampleRate) {
    const int channels = audio.numChannels();
    ebur128_state* st = ebur128_init(static_cast<unsigned>(channels), sampleRate, EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!st) throw std::runtime_error("ebur128_init failed");
    std::vector<float> interleaved(static_cast<std::size_t>(audio.numFrames() * channels));
    for (std::int64_t i = 0; i < audio.numFrames(); ++i)
        for (int c = 0; c < channels; ++c) interleaved[static_cast<std::size_t>(i * channels + c)] = audio.channel(c)[i];
    ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(audio.numFrames()));
    ReferenceReading r;
    ebur128_loudness_global(st, &r.integrated);
    ebur128_loudness_range(st, &r.range);
    ebur128_destroy(&st);
    return r;
}

/// EBU Tech 3342 loudness range of short-term values (LUFS) read at 10 Hz, with the same
/// gates and nearest-rank percentiles libebur128 applies to its own 1 Hz values.
inline std::optional<double> rangeOf(const std::vector<double>& shortTermLufs) {
    std::vector<double> energies;
    for (double l : shortTermLufs) {
        const double e = std::pow(10.0, (l + 0.691) / 10.0);
        if (l >= -70.0) energies.push_back(e);
    }
    if (energies.empty()) return std::nullopt;
    double mean = 0.0;
    for (double e : energies) mean += e;
    mean /= static_cast<double>(energies.size());
    std::vector<double> gated;
    for (double e : energies)
        if (e >= mean * 0.01) gated.push_back(e);
    std::sort(gated.begin(), gated.end());
    const auto at = [&](double p) {
        return gated[static_cast<std::size_t>(static_cast<double>(gated.size() - 1) * p + 0.5)];
    };
    return 10.0 * std::log10(at(0.95)) - 10.0 * std::log10(at(0.10));
}

}  // namespace reel::test
