#pragma once
// The utility strip: gain, polarity, channel swap and mono fold-down.
//
// Gain changes are smoothed over 20 ms (no zipper noise). Mono sums to (L+R)/2 on both
// sides. Latency 0. setParams() is real-time safe and may be called between blocks.

#include "core/units.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_gain.hpp"

namespace reel::dsp {

enum class Polarity { normal, inverted };
enum class ChannelSwap { no, yes };
enum class MonoFold { no, yes };

class Utility final : public Processor {
public:
    struct Params {
        Decibels gain{0.0};
        Polarity polarity = Polarity::normal;
        ChannelSwap swap = ChannelSwap::no;
        MonoFold mono = MonoFold::no;
    };

    Utility() = default;
    explicit Utility(const Params& params) : params_(params) {}
    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void setParams(const Params& params) noexcept;
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    /// One automatable parameter: gain (dB).
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;

private:
    double linearGain() const noexcept;
    Params params_;
    SmoothedGain gain_;
};

}  // namespace reel::dsp
