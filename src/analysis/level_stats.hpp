#pragma once
// Sample-level statistics of a stream: sample peak, RMS, DC offset and clipped samples.
//
// Conventions (all over every sample of every channel, unweighted, no filtering):
//  - sample peak: 20·log10(max |x|) dBFS;
//  - RMS: 10·log10(mean of x²) dBFS, where the mean runs over all samples of all channels,
//    so a full-scale sine reads -3.01 dBFS (the AES17 "dB FS" convention would read 0);
//  - DC offset: each channel's mean; the one with the largest magnitude is reported, with
//    its sign, in linear full-scale units;
//  - clipped samples: the number of samples (not runs, not frames) with |x| ≥ the clip level,
//    counted in every channel. A clip three samples long on both channels of a stereo file
//    counts 6. The clip level is 1.0 for float audio; an integer file clips at its highest
//    code, 1 − 2^−(b−1) for b bits (a 16-bit encoder saturates at 32767/32768), which
//    clipLevelOf() gives.
// Undefined values (digital silence: peak and RMS of -inf; no frames: DC) are nullopt.
// Sums run in double precision in 4 interleaved partial sums (frame index mod 4), so they
// are fast yet always add the same samples in the same order: results do not depend on
// block size.
// Threads: one thread at a time per instance; process() and reset() are real-time safe.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/audio_buffer.hpp"
#include "core/units.hpp"

namespace reel::analysis {

/// The level at which a file's samples clip: its highest code for integer PCM ("PCM 16-bit":
/// 1 − 2^−15), 1.0 for float and lossy encodings. Only meaningful at the file's own rate
/// (resampled samples are no longer codes).
float clipLevelOf(const std::string& encoding) noexcept;

class LevelStats {
public:
    /// Prepares for 1 – kMaxChannels channels; samples with |x| ≥ clipLevel count as clipped.
    explicit LevelStats(int channels, float clipLevel = 1.0f);

    /// Measures the next frames; audio.numChannels() must equal channels().
    void process(AudioView audio) noexcept;
    /// Forgets everything measured.
    void reset() noexcept;

    /// 20·log10(max |x|), dBFS.
    std::optional<Decibels> samplePeakDbfs() const noexcept;
    /// 10·log10(mean x² over all samples of all channels), dBFS (full-scale sine: -3.01).
    std::optional<Decibels> rmsDbfs() const noexcept;
    /// The channel mean with the largest magnitude (signed, linear full scale).
    std::optional<double> dcOffset() const noexcept;
    /// Samples with |x| ≥ the clip level, all channels.
    std::int64_t clippedSamples() const noexcept { return clipped_; }
    /// Frames measured.
    FrameCount frames() const noexcept { return FrameCount{frames_}; }
    int channels() const noexcept { return channels_; }

private:
    int channels_ = 0;
    std::int64_t frames_ = 0;
    std::int64_t clipped_ = 0;
    float clipLevel_ = 1.0f;
    float peak_ = 0.0f;
    static constexpr int kLanes = 4;
    using Lanes = std::array<double, kLanes>;
    std::array<Lanes, kMaxChannels> sums_{};      // lane j: frames whose index ≡ j (mod 4)
    std::array<Lanes, kMaxChannels> squares_{};

    static double total(const Lanes& lanes) { return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]); }
};

}  // namespace reel::analysis
