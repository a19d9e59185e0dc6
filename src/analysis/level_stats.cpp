#include "analysis/level_stats.hpp"

#include <cassert>
#include <cmath>

namespace reel::analysis {

LevelStats::LevelStats(int channels) : channels_(channels) {
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
    float peak = peak_;
    std::int64_t clipped = clipped_;
    for (int c = 0; c < channels_; ++c) {
        const float* x = audio.channel(c);
        double sum = sums_[static_cast<std::size_t>(c)];
        double squares = squares_[static_cast<std::size_t>(c)];
        for (std::int64_t i = 0; i < n; ++i) {
            const double v = x[i];
            sum += v;
            squares += v * v;
        }
        // Peak and clip count in their own loop: no cross-iteration floating-point sum, so it
        // vectorizes.
        std::int64_t over = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const float a = std::fabs(x[i]);
            peak = a > peak ? a : peak;
            over += a >= 1.0f ? 1 : 0;
        }
        sums_[static_cast<std::size_t>(c)] = sum;
        squares_[static_cast<std::size_t>(c)] = squares;
        clipped += over;
    }
    peak_ = peak;
    clipped_ = clipped;
    frames_ += n;
}

std::optional<Decibels> LevelStats::samplePeakDbfs() const noexcept {
    if (!(peak_ > 0.0f)) return std::nullopt;
    return Decibels{20.0 * std::log10(static_cast<double>(peak_))};
}

std::optional<Decibels> LevelStats::rmsDbfs() const noexcept {
    double squares = 0.0;
    for (int c = 0; c < channels_; ++c) squares += squares_[static_cast<std::size_t>(c)];
    if (frames_ == 0 || !(squares > 0.0)) return std::nullopt;
    const double meanSquare = squares / (static_cast<double>(frames_) * channels_);
    return Decibels{10.0 * std::log10(meanSquare)};
}

std::optional<double> LevelStats::dcOffset() const noexcept {
    if (frames_ == 0) return std::nullopt;
    double largest = 0.0;
    for (int c = 0; c < channels_; ++c) {
        const double mean = sums_[static_cast<std::size_t>(c)] / static_cast<double>(frames_);
        if (std::abs(mean) > std::abs(largest)) largest = mean;
    }
    return largest;
}

}  // namespace reel::analysis
