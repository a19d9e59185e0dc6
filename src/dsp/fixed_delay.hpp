#pragma once
// A fixed delay of a whole number of frames: the engine's delay compensation, and the
// lookahead of the dynamics processors.
//
// It reports no latency of its own (it *is* the compensation). Memory is allocated in
// prepare(); process() and forEachRun() are real-time safe. Delay 0 is a no-op.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "dsp/processor.hpp"

namespace reel::dsp {

class FixedDelay final : public Processor {
public:
    explicit FixedDelay(int delayFrames = 0) : delayFrames_(delayFrames) {}
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    int delayFrames() const noexcept { return delayFrames_; }

    /// For a processor that delays its input inside its own pass over a block (a compressor's
    /// lookahead read together with the gain it applies) instead of in a pass of its own.
    /// Splits the next numFrames frames into runs whose ring slots are contiguous, calls
    /// run(firstFrame, runFrames, firstSlot) for each in frame order, and advances as
    /// process() would. For frame firstFrame + k, ring(c)[firstSlot + k] holds channel c's
    /// sample from delayFrames() ago, and the caller must replace it by the frame's input.
    /// Needs delayFrames() > 0.
    template <class Run>
    void forEachRun(std::int64_t numFrames, Run&& run) noexcept {
        if (delayFrames_ <= 0) return;  // no ring to run through (would never advance)
        const auto size = static_cast<std::size_t>(delayFrames_);
        const auto total = static_cast<std::size_t>(numFrames);
        for (std::size_t done = 0; done < total;) {
            const std::size_t count = std::min(total - done, size - writeIndex_);
            run(static_cast<std::int64_t>(done), static_cast<std::int64_t>(count), writeIndex_);
            done += count;
            writeIndex_ += count;
            if (writeIndex_ == size) writeIndex_ = 0;
        }
    }
    /// Channel c's ring of delayFrames() samples (c < the prepared channel count).
    float* ring(int channel) noexcept { return rings_[static_cast<std::size_t>(channel)].data(); }

private:
    int delayFrames_;
    int channels_ = 0;
    std::vector<std::vector<float>> rings_;  // one circular buffer per channel
    std::size_t writeIndex_ = 0;
};

}  // namespace reel::dsp
