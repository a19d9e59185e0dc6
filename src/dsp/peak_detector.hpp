#pragma once
// What a peak limiter measures: a per-frame peak magnitude, behind an interface so a
// different detector can be swapped in.
//
// SamplePeakDetector reports max over channels of |x| (sample peak). A true-peak detector
// (oversampled, ITU-R BS.1770-4 Annex 2) can implement the same interface: it reports the
// largest inter-sample peak it finds around each frame and, if it needs to look ahead,
// declares that delay as latency(); the limiter delays its audio by that much more, so the
// peaks still line up with the samples they belong to.
//
// Threads: prepare() off the audio thread; process() and reset() real-time safe.

#include <cstdint>

#include "dsp/processor.hpp"

namespace reel::dsp {

class PeakDetector {
public:
    virtual ~PeakDetector() = default;
    /// Allocates for the spec (channels, largest block, rate).
    [[nodiscard]] virtual Result<void> prepare(const ProcessSpec& spec) = 0;
    /// Writes peaks[i] ≥ 0, the peak magnitude (linear) belonging to input frame
    /// i − latency(), for every frame of `in`; `in` is not modified. NaN samples are ignored.
    virtual void process(AudioView in, float* peaks) noexcept = 0;
    virtual void reset() noexcept = 0;
    /// Frames between a sample entering and its peak coming out of process().
    virtual int latency() const noexcept { return 0; }
};

/// The sample peak: max over channels of |x|, no latency.
class SamplePeakDetector final : public PeakDetector {
public:
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView in, float* peaks) noexcept override;
    void reset() noexcept override {}
};

}  // namespace reel::dsp
