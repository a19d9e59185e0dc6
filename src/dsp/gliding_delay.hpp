#pragma once
// A multichannel delay line whose delay glides to a new value instead of jumping, so a
// changed or automated delay (a reverb's predelay, a delay effect's time) never clicks.
//
// Convention: delays are whole frames when steady (targets are rounded), so a steady delay
// is an exact copy of the input; during a glide the read position moves linearly from the
// old delay to the new one over the glide time, read with linear interpolation — the pitch
// bends for that moment, as on a tape delay whose speed changes. This is the "varying
// delay line" of J. Dattorro, "Effect Design, Part 2: Delay-Line Modulation and Chorus"
// (JAES 45(10), 1997), with the interpolation he calls linear.
//
// A lengthening glide moves at most half a frame per frame (it takes longer than the glide
// time when it must: 0 → 500 ms takes 1 s): the read position then still moves forward, at
// half speed or more, so the sound bends down an octave at most and never plays backwards
// (before 2026-11-25 a long jump read the past in reverse). It also means that a glide
// away from a steady delay d never reads further back than d + 1 frames before its start,
// so at a steady 0 the line keeps only the last frame (see remember()) instead of writing
// every frame into memory no read would touch, which cost about 3 % of a 16-track render
// with a reverb on every track.
//
// Threads: prepare() allocates (off the audio thread); everything else is real-time safe.
// Latency: none beyond the delay itself (which is the point).

#include <array>
#include <cstdint>
#include <vector>

#include "core/audio_buffer.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class GlidingDelay {
public:
    /// Allocates room for delays up to maxDelayFrames on `channels` channels (≤ kMaxChannels);
    /// a change of delay takes glideFrames. Clears the line; the delay becomes 0.
    void prepare(int channels, std::int64_t maxDelayFrames, std::int64_t glideFrames);
    /// Glides to `frames` (rounded to a whole frame, clamped to [0, maxDelayFrames]) over the
    /// glide time, or longer where the delay grows by more than half the glide time's frames.
    void setDelay(double frames) noexcept;
    /// Jumps to `frames` with no glide and clears the line (the frames a jump would read were
    /// not all kept): for prepare/reset time, or before audio flows.
    void setDelayImmediate(double frames) noexcept;
    /// The delay now (fractional during a glide) and where it is going, in frames.
    double delay() const noexcept { return delay_.current(); }
    double targetDelay() const noexcept { return delay_.target(); }
    /// True while the delay moves toward its target.
    bool isGliding() const noexcept { return delay_.isSmoothing(); }
    std::int64_t maxDelay() const noexcept { return maxDelay_; }
    /// Clears the audio held and ends any glide at its target.
    void reset() noexcept;
    /// Delays every channel of a block in place (channels beyond the prepared count pass).
    void process(AudioView io) noexcept;
    /// What process() does at a steady delay of 0, for a caller that skips it there: keeps
    /// the block's last frame, all that a later glide can read of it (the older tap of its
    /// first interpolated read), without touching the block. The frame waits in the object
    /// until a glide starts (not in the ring, where each block's frame would land on a cold
    /// cache line).
    void remember(AudioView input) noexcept;

private:
    static constexpr std::int64_t kChunk = 64;  // frames written before they are read back
    void processSteady(AudioView io, std::int64_t delayFrames) noexcept;
    void storeLastFrame() noexcept;
    void processGliding(AudioView io) noexcept;

    std::vector<float> buffer_;  // channels_ rings of size_ floats, back to back
    std::size_t size_ = 1;       // a power of two
    std::size_t mask_ = 0;
    std::size_t write_ = 0;  // where the next frame is written
    int channels_ = 0;
    std::int64_t maxDelay_ = 0;
    std::int64_t glideFrames_ = 1;
    // remember()'s last frame, for the ring slot before write_ (storeLastFrame()).
    std::array<float, kMaxChannels> lastFrame_{};
    int lastFrameChannels_ = 0;
    bool lastFramePending_ = false;
    SmoothedValue delay_;
};

}  // namespace reel::dsp
