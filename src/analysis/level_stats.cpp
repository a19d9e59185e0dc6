#include "analysis/level_stats.hpp"

#include <cassert>
#include <cmath>
#include <cstdio>

namespace reel::analysis {
namespace {

float larger(float a, float b) { return b > a ? b : a; }

}  // namespace

float clipLevelOf(const std::string& encoding) noexcept {
    int bits = 0;
    if (std::sscanf(encoding.c_str(), "PCM %d-bit", &bits) == 1 && bits >= 8 && bits <= 32)
        return static_cast<float>(1.0 - std::ldexp(1.0, -(bits - 1)));
    return 1.0f;
}

LevelStats::LevelStats(int channels, float clipLevel) : channels_(channels), clipLevel_(clipLevel) {
    assert(channels >= 1 && channels <= kMaxChannels);
}

void LevelStats::reset() noexcept {
    frames_ = 0;
    clipped_ = 0;
    peak_ = 0.0f;
    sums_ = {};
    squares_ = {};
}

void LevelStats::process(AudioView audio) noexcept {
    assert(audio.numChannels() == channels_);
    const std::int64_t n = audio.numFrames();
    for (int c = 0; c < channels_; ++c) {
        const float* x = audio.channel(c);
        Lanes& sum = sums_[static_cast<std::size_t>(c)];
        Lanes& squares = squares_[static_cast<std::size_t>(c)];
        // Each frame goes to the lane of its stream index mod 4: the first frames until the
        // index is a multiple of 4, then whole groups of 4 (which GCC vectorizes), then the rest.
        std::int64_t i = 0;
        for (; i < n && (frames_ + i) % kLanes != 0; ++i) {
            const auto lane = static_cast<std::size_t>((frames_ + i) % kLanes);
            sum[lane] += x[i];
            squares[lane] += static_cast<double>(x[i]) * x[i];
        }
        for (; i + kLanes <= n; i += kLanes)
            for (int j = 0; j < kLanes; ++j) {
                const double v = x[i + j];
                sum[static_cast<std::size_t>(j)] += v;
                squares[static_cast<std::size_t>(j)] += v * v;
            }
        for (; i < n; ++i) {
            const auto lane = static_cast<std::size_t>((frames_ + i) % kLanes);
            sum[lane] += x[i];
            squares[lane] += static_cast<double>(x[i]) * x[i];
        }
        // Peak and clip count: 8 independent lanes, so the comparisons vectorize too.
        std::array<float, 8> peaks{};
        std::array<std::int64_t, 8> over{};
        std::int64_t k = 0;
        for (; k + 8 <= n; k += 8)
            for (std::size_t j = 0; j < 8; ++j) {
                const float a = std::fabs(x[k + static_cast<std::int64_t>(j)]);
                peaks[j] = larger(peaks[j], a);
                over[j] += a >= clipLevel_ ? 1 : 0;
            }
        for (; k < n; ++k) {
            const float a = std::fabs(x[k]);
            peaks[0] = larger(peaks[0], a);
            over[0] += a >= clipLevel_ ? 1 : 0;
        }
        for (std::size_t j = 0; j < 8; ++j) {
            peak_ = larger(peak_, peaks[j]);
            clipped_ += over[j];
        }
    }
    frames_ += n;
}

std::optional<Decibels> LevelStats::samplePeakDbfs() const noexcept {
    if (!(peak_ > 0.0f)) return std::nullopt;
    return Decibels{20.0 * std::log10(static_cast<double>(peak_))};
}

std::optional<Decibels> LevelStats::rmsDbfs() const noexcept {
    double squares = 0.0;
    for (int c = 0; c < channels_; ++c) squares += total(squares_[static_cast<std::size_t>(c)]);
    if (frames_ == 0 || !(squares > 0.0)) return std::nullopt;
    const double meanSquare = squares / (static_cast<double>(frames_) * channels_);
    return Decibels{10.0 * std::log10(meanSquare)};
}

std::optional<double> LevelStats::dcOffset() const noexcept {
    if (frames_ == 0) return std::nullopt;
    double largest = 0.0;
    for (int c = 0; c < channels_; ++c) {
        const double mean = total(sums_[static_cast<std::size_t>(c)]) / static_cast<double>(frames_);
        if (std::abs(mean) > std::abs(largest)) largest = mean;
    }
    return largest;
}

}  // namespace reel::analysis
