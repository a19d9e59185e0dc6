#pragma once
// Programme loudness per ITU-R BS.1770-4 and EBU Tech 3341 / 3342: integrated loudness,
// loudness range, and the maxima of momentary (400 ms) and short-term (3 s) loudness.
//
// Algorithm. Each channel is K-weighted (k_weighting.hpp, double precision) and its squares
// are summed over sub-blocks of 5 ms (each 100 ms step split into 20 sub-blocks; when 100 ms
// is not a multiple of 20 frames the sub-blocks differ by one frame). A sub-block's energy is
// the BS.1770 channel-weighted sum (channel_weights.hpp). From those sums:
//  - momentary and short-term loudness are evaluated at every sub-block boundary, so their
//    maxima are found on a 5 ms grid (EBU Tech 3341 cases 10, 13 move bursts in 20 ms steps);
//  - every 100 ms a 400 ms gating block (75 % overlap) feeds integrated loudness: absolute gate
//    -70 LUFS, relative gate -10 LU (BS.1770-4 Annex 1, eq. 2 to 7);
//  - every 100 ms a 3 s short-term value (the ≥ 10 Hz of Tech 3342 (2016); libebur128 still
//    takes 1 Hz) feeds loudness range: absolute gate -70 LUFS, relative gate -20 LU,
//    LRA = 95th − 10th percentile (nearest rank, as libebur128).
// The 100 ms grid starts at the first frame and "100 ms" is round(rate / 10) frames, as in
// libebur128, so gating blocks are the same blocks libebur128 measures. The blocks are kept in
// fixed-size loudness histograms with exact per-bin energy sums (gating_histogram.hpp), so
// memory does not grow with programme length and process() never allocates; the results
// equal libebur128's to 0.01 LU (tests/analysis/libebur128_equivalence_test.cpp).
//
// Results are undefined (nullopt) when nothing can be measured: integrated loudness and LRA
// when no block passes the gates (silence, or less than 400 ms / 3 s of audio); the momentary
// maximum before 400 ms of audio, the short-term maximum before 3 s; and any of them whose
// energy is zero (digital silence reads -inf, which is not a number a report can carry).
//
// Block-size independence: every sum runs in frame order and restarts at fixed positions of
// the stream, so results are bit-identical however the audio is split into process() calls.
// Threads: one thread at a time per instance. process() and reset() are real-time safe.

#include <array>
#include <cstdint>
#include <optional>

#include "analysis/gating_histogram.hpp"
#include "analysis/k_weighting.hpp"
#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::analysis {

class LoudnessMeter {
public:
    /// Whether a meter can measure this format: rate 8 kHz – 768 kHz, 1 – 8 channels.
    static Result<void> checkFormat(SampleRate rate, int channels);

    /// Prepares a meter (allocates ~330 kB). Precondition: checkFormat(rate, channels) succeeds.
    LoudnessMeter(SampleRate rate, int channels);

    /// Measures the next frames of the stream; audio.numChannels() must equal channels().
    void process(AudioView audio) noexcept;
    /// Forgets everything measured, as if just constructed.
    void reset() noexcept;

    /// Gated integrated loudness (LUFS), BS.1770-4.
    std::optional<Decibels> integratedLufs() const noexcept;
    /// Loudness range (LU), EBU Tech 3342.
    std::optional<Decibels> loudnessRangeLu() const noexcept;
    /// Highest momentary loudness (400 ms window, LUFS) so far.
    std::optional<Decibels> momentaryMaxLufs() const noexcept;
    /// Highest short-term loudness (3 s window, LUFS) so far.
    std::optional<Decibels> shortTermMaxLufs() const noexcept;
    /// Momentary loudness of the 400 ms ending at the last sub-block boundary (LUFS).
    std::optional<Decibels> momentaryLufs() const noexcept;
    /// Short-term loudness of the 3 s ending at the last sub-block boundary (LUFS).
    std::optional<Decibels> shortTermLufs() const noexcept;

    int channels() const noexcept { return channels_; }
    SampleRate sampleRate() const noexcept { return rate_; }
    /// Frames measured since construction or reset().
    FrameCount framesProcessed() const noexcept { return FrameCount{framesProcessed_}; }

    static constexpr int kSubBlocksPer100ms = 20;

private:
    static constexpr int kMomentaryBlocks = 4;    // 400 ms in 100 ms steps
    static constexpr int kShortTermBlocks = 30;   // 3 s
    static constexpr int kBlockRing = 32;         // ≥ kShortTermBlocks
    static constexpr int kSubRing = kShortTermBlocks * kSubBlocksPer100ms;

    // Direct form I: the recursion y[n] ← a1·y[n-1] is one multiply and one subtraction long,
    // the shortest dependency chain a biquad allows (the filters are latency-bound).
    struct FilterState {
        double in1 = 0.0, in2 = 0.0;        // input of the shelf
        double shelf1 = 0.0, shelf2 = 0.0;  // output of the shelf = input of the high-pass
        double out1 = 0.0, out2 = 0.0;      // output of the high-pass
    };

    template <int N>
    void filterChannels(const int* channels, const AudioView& audio, std::int64_t start, std::int64_t numFrames) noexcept;
    void completeSubBlock() noexcept;
    void complete100ms() noexcept;
    double windowEnergy(int blocks) const noexcept;

    SampleRate rate_;
    int channels_ = 0;
    std::int64_t framesPer100ms_ = 0;
    std::array<std::int64_t, kSubBlocksPer100ms> subBlockFrames_{};
    std::array<double, kMaxChannels> weights_{};
    std::array<int, kMaxChannels> measured_{};  // channels with a weight > 0 (not the LFE)
    int numMeasured_ = 0;
    KWeighting filter_;

    std::array<FilterState, kMaxChannels> state_{};
    std::array<double, kMaxChannels> subBlockSums_{};  // squares of the current sub-block
    std::int64_t framesInSubBlock_ = 0;
    int subBlockIn100ms_ = 0;           // completed sub-blocks of the current 100 ms step
    double current100msEnergy_ = 0.0;   // their energies summed

    std::array<double, kSubRing> subBlockEnergies_{};
    std::array<double, kBlockRing> blockEnergies_{};  // completed 100 ms steps
    std::int64_t subBlocksDone_ = 0;
    std::int64_t blocksDone_ = 0;
    std::int64_t framesProcessed_ = 0;

    double momentaryMaxEnergy_ = -1.0;  // < 0: not evaluated yet
    double shortTermMaxEnergy_ = -1.0;
    GatingHistogram gatingBlocks_;      // 400 ms blocks above the absolute gate
    GatingHistogram shortTermBlocks_;   // 3 s blocks above the absolute gate, 10 per second
};

}  // namespace reel::analysis
