#pragma once
// The engine shared by Chorus and Flanger: per channel, a delay line whose delay an LFO
// sweeps, with optional feedback and a dry/wet mix.
//
//   D_c(t) = delay + depth · (1 + sin(2π (φ(t) + c · spread/360))) / 2   (frames: · fs)
//   w_c    = line_c(D_c)                 (4-point Lagrange read, FractionalDelayLine)
//   line_c ← x_c + feedback · w_c
//   y_c    = (1 − mix) · x_c + mix · w_c (linear crossfade)
// so the delay sweeps between `delay` and `delay + depth`; channel c's LFO runs
// c · spread degrees ahead of channel 0 (spread 90 on stereo: right leads left by a quarter
// cycle). With depth 0 and feedback 0 it is an exact fractional delay of `delay`.
// Delays below 2 frames are clamped to 2 (the interpolator's first tap must exist).
//
// Smoothing: delay, depth and spread glide over 50 ms (a delay glide bends pitch, so it is
// slower than the 20 ms of feedback and mix); a rate change keeps the LFO phase (Lfo).
// Threads: prepare() allocates; the rest is real-time safe.

#include <array>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "dsp/fractional_delay_line.hpp"
#include "dsp/lfo.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class ModulatedDelay {
public:
    struct Settings {
        double rateHz = 1.0;
        double delaySeconds = 0.010;  // the shortest delay of the sweep
        double depthSeconds = 0.002;  // the sweep's width
        double feedback = 0.0;        // ratio, |feedback| < 1
        double mix = 0.5;             // 0 = dry, 1 = wet
        double spreadDegrees = 90.0;  // LFO phase offset between neighbouring channels
    };

    /// Allocates lines for delays up to maxDelaySeconds (+ margin) on `channels` channels.
    [[nodiscard]] Result<void> prepare(double sampleRate, int channels, double maxDelaySeconds, const Settings& settings);
    /// New targets; everything glides (see above). Real-time safe.
    void setSettings(const Settings& settings) noexcept;
    /// Clears the lines, restarts the LFO at phase 0 and jumps to the targets.
    void reset() noexcept;
    void process(AudioView io) noexcept;

    const Lfo& lfo() const noexcept { return lfo_; }
    /// The largest delay + depth the lines hold, in seconds.
    double maxDelaySeconds() const noexcept { return maxDelaySeconds_; }

private:
    Settings settings_;
    double sampleRate_ = 48000.0;
    double maxDelaySeconds_ = 0.0;
    int channels_ = 0;
    std::array<FractionalDelayLine, kMaxChannels> lines_;
    Lfo lfo_;
    SmoothedValue delay_, depth_, spread_, feedback_, mix_;
};

}  // namespace reel::dsp
