#pragma once
// Delay: echoes with feedback, filtering inside the feedback loop, ping-pong and a dry/wet
// mix.
//
// Per channel (ping-pong off), with D the delay in frames and F the loop filter:
//   e = F(line(D));  line ← x + feedback · e;  y = (1 − mix) · x + mix · e
// so an impulse returns at D, 2D, 3D … with gains mix, mix·feedback, mix·feedback², …
// (the echo at (n+1)·D has mix · feedbackⁿ, each also filtered n+1 times by F).
// Ping-pong (stereo only): the mid (L+R)/2 enters the left line, the left line feeds the
// right, the right feeds back into the left; echoes alternate left, right, left … with the
// same gains. Mix is a linear dry/wet crossfade: 25 % leaves the dry at 0.75.
//
// Feedback 0–0.99 (a ratio; the session also takes 35 %). F = a 2nd-order Butterworth
// high-pass at `lowcut` and low-pass at `highcut` (RBJ cookbook, Biquad): neither gains
// above 1, so the loop gain stays below 1 and the loop is stable. lowcut at 20 Hz or below
// and highcut at 20 kHz or above switch that filter off (then the echoes are exact).
//
// Time changes glide like a tape delay: the read position approaches the target
// exponentially (50 ms time constant) at most 0.5 frame per frame, so the pitch bends by
// at most an octave down or a fifth up and the output never jumps. Delays are read with
// 4-point Lagrange interpolation (FractionalDelayLine); a whole-frame delay is exact.
// Feedback and mix glide over 20 ms, the cutoffs over 20 ms in octaves (their coefficients
// are recomputed every 32 frames, on a grid counted from reset(), so the output does not
// depend on the block size).
//
// Latency 0. tailSeconds(): until the echoes have decayed 60 dB, D·(1 + 3/−log10 feedback).
// Time range 1 ms – 6 s (the line holds 6 s). Threads: prepare() allocates; process(),
// reset(), setParams() and setParameter() are real-time safe (reset() clears 6 s of line).

#include <array>
#include <complex>
#include <span>

#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "dsp/fractional_delay_line.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class PingPong { no, yes };

class Delay final : public Processor {
public:
    static constexpr double kMaxSeconds = 6.0;
    struct Params {
        Seconds time{0.5};
        double feedback = 0.3;       // ratio, 0–0.99
        Hertz lowcut{20.0};          // high-pass in the loop; ≤ 20 Hz = off
        Hertz highcut{20000.0};      // low-pass in the loop; ≥ 20 kHz = off
        PingPong pingPong = PingPong::no;
        double mix = 0.25;           // 0 = dry, 1 = wet
    };
    enum Parameter { kTime, kFeedback, kLowcut, kHighcut, kMix };

    Delay() = default;
    explicit Delay(const Params& params) { setParams(params); }

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    double tailSeconds() const noexcept override;
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }

    /// The loop filter's exact response at frequencyHz for the settled cutoffs (1 when both
    /// are off): what each trip round the loop does besides the delay and the feedback gain.
    std::complex<double> loopFilterResponse(double frequencyHz) const noexcept;

private:
    void updateFilters(double lowcutOctave, double highcutOctave) noexcept;
    float loopFilter(int channel, float x) noexcept;

    Params params_;
    double sampleRate_ = 48000.0;
    int channels_ = 0;
    std::array<FractionalDelayLine, kMaxChannels> lines_;
    double delayFrames_ = 0.0;  // the read position now (gliding to the target)
    double glideCoefficient_ = 0.0;
    SmoothedValue feedback_, mix_, lowcutOctave_, highcutOctave_;
    Biquad lowcut_, highcut_;
    bool lowcutOn_ = false, highcutOn_ = false;
    std::int64_t framesSinceReset_ = 0;
};

}  // namespace reel::dsp
