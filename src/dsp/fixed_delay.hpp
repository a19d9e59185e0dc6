#pragma once
// A fixed delay of a whole number of frames: the engine's delay compensation.
//
// It reports no latency of its own (it *is* the compensation). Memory is allocated in
// prepare(); process() is real-time safe. Delay 0 is a no-op.

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

private:
    int delayFrames_;
    int channels_ = 0;
    std::vector<std::vector<float>> rings_;  // one circular buffer per channel
    std::size_t writeIndex_ = 0;
};

}  // namespace reel::dsp
