#pragma once
// Typed units: a value's unit lives in its type, never only in a comment (STYLE.md).
//
// Each type is trivially copyable and constexpr, with no implicit construction from double,
// so `Decibels x = 6.0;` does not compile and `Decibels{6.0}` or `6_dB` must be written.
// A *frame* is one time step across all channels; a *sample* is one value in one channel.

#include <cmath>
#include <cstdint>

namespace reel {

/// A level ratio in decibels (20·log10 of an amplitude ratio).
struct Decibels {
    double value = 0.0;
    constexpr Decibels() = default;
    explicit constexpr Decibels(double db) : value(db) {}
    friend constexpr Decibels operator+(Decibels a, Decibels b) { return Decibels{a.value + b.value}; }
    friend constexpr Decibels operator-(Decibels a, Decibels b) { return Decibels{a.value - b.value}; }
    constexpr Decibels operator-() const { return Decibels{-value}; }
    friend constexpr auto operator<=>(Decibels, Decibels) = default;
};

/// A linear amplitude factor (1.0 = unity, 0.5 ≈ -6.02 dB).
struct Gain {
    double value = 1.0;
    constexpr Gain() = default;
    explicit constexpr Gain(double linear) : value(linear) {}
    friend constexpr Gain operator*(Gain a, Gain b) { return Gain{a.value * b.value}; }
    friend constexpr auto operator<=>(Gain, Gain) = default;
};

/// Converts decibels to a linear amplitude factor: 10^(dB/20).
inline Gain toGain(Decibels db) { return Gain{std::pow(10.0, db.value / 20.0)}; }
/// Converts a linear amplitude factor to decibels; 0 gives -inf.
inline Decibels toDecibels(Gain g) { return Decibels{20.0 * std::log10(g.value)}; }

/// A frequency in hertz.
struct Hertz {
    double value = 0.0;
    constexpr Hertz() = default;
    explicit constexpr Hertz(double hz) : value(hz) {}
    friend constexpr auto operator<=>(Hertz, Hertz) = default;
};

/// A duration or a position on the timeline, in seconds.
struct Seconds {
    double value = 0.0;
    constexpr Seconds() = default;
    explicit constexpr Seconds(double s) : value(s) {}
    friend constexpr Seconds operator+(Seconds a, Seconds b) { return Seconds{a.value + b.value}; }
    friend constexpr Seconds operator-(Seconds a, Seconds b) { return Seconds{a.value - b.value}; }
    friend constexpr auto operator<=>(Seconds, Seconds) = default;
};

/// Frames per second of a stream.
struct SampleRate {
    double value = 48000.0;
    constexpr SampleRate() = default;
    explicit constexpr SampleRate(double hz) : value(hz) {}
    friend constexpr auto operator<=>(SampleRate, SampleRate) = default;
};

/// A number of frames (a duration at some sample rate).
struct FrameCount {
    std::int64_t value = 0;
    constexpr FrameCount() = default;
    explicit constexpr FrameCount(std::int64_t n) : value(n) {}
    friend constexpr FrameCount operator+(FrameCount a, FrameCount b) { return FrameCount{a.value + b.value}; }
    friend constexpr FrameCount operator-(FrameCount a, FrameCount b) { return FrameCount{a.value - b.value}; }
    friend constexpr auto operator<=>(FrameCount, FrameCount) = default;
};

/// A frame index on a timeline. Position − position = count; position + count = position.
struct FramePosition {
    std::int64_t value = 0;
    constexpr FramePosition() = default;
    explicit constexpr FramePosition(std::int64_t n) : value(n) {}
    friend constexpr FrameCount operator-(FramePosition a, FramePosition b) { return FrameCount{a.value - b.value}; }
    friend constexpr FramePosition operator+(FramePosition a, FrameCount b) { return FramePosition{a.value + b.value}; }
    friend constexpr FramePosition operator-(FramePosition a, FrameCount b) { return FramePosition{a.value - b.value}; }
    friend constexpr auto operator<=>(FramePosition, FramePosition) = default;
};

/// Seconds to frames at a rate, rounded to the nearest frame.
inline FrameCount toFrames(Seconds s, SampleRate rate) {
    return FrameCount{static_cast<std::int64_t>(std::llround(s.value * rate.value))};
}
/// Frames to seconds at a rate.
constexpr Seconds toSeconds(FrameCount n, SampleRate rate) {
    return Seconds{static_cast<double>(n.value) / rate.value};
}

namespace literals {
constexpr Decibels operator""_dB(long double v) { return Decibels{static_cast<double>(v)}; }
constexpr Decibels operator""_dB(unsigned long long v) { return Decibels{static_cast<double>(v)}; }
constexpr Hertz operator""_Hz(long double v) { return Hertz{static_cast<double>(v)}; }
constexpr Hertz operator""_Hz(unsigned long long v) { return Hertz{static_cast<double>(v)}; }
constexpr Hertz operator""_kHz(long double v) { return Hertz{static_cast<double>(v) * 1000.0}; }
constexpr Hertz operator""_kHz(unsigned long long v) { return Hertz{static_cast<double>(v) * 1000.0}; }
constexpr Seconds operator""_s(long double v) { return Seconds{static_cast<double>(v)}; }
constexpr Seconds operator""_s(unsigned long long v) { return Seconds{static_cast<double>(v)}; }
constexpr Seconds operator""_ms(long double v) { return Seconds{static_cast<double>(v) / 1000.0}; }
constexpr Seconds operator""_ms(unsigned long long v) { return Seconds{static_cast<double>(v) / 1000.0}; }
}  // namespace literals

}  // namespace reel
