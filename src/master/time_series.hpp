#pragma once
// A time series of bounded size: values at a fixed step that doubles when the store is full.
//
// The report draws short-term loudness and gain reduction over the whole song; an hour-long
// DJ mix must not make those stores grow without bound (DESIGN.md: memory does not grow with
// song length). When the store holds kCapacity values, neighbouring pairs are merged (the
// larger kept for gain reduction, where the worst moment matters; the first kept for
// loudness, which is already a 3 s average) and the step doubles. Header-only, no allocation
// after construction.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace reel::master {

/// How two neighbouring values become one when the series halves its resolution.
enum class Merge { keepFirst, keepLarger };

class TimeSeries {
public:
    static constexpr std::size_t kCapacity = 4096;

    /// A series whose first value is at time 0 and which starts with a step of stepSeconds.
    explicit TimeSeries(double stepSeconds = 0.1, Merge merge = Merge::keepFirst)
        : step_(stepSeconds), merge_(merge) {
        values_.reserve(kCapacity);
    }

    /// Offers the value at the next fine-grid instant (every stepSeconds given at construction).
    void push(double value) {
        // While the step is a multiple of the fine step, fold fine values into one.
        if (pending_ == 0 || merge_ == Merge::keepFirst) {
            if (pending_ == 0) carry_ = value;
        } else {
            carry_ = std::max(carry_, value);
        }
        if (++pending_ < stride_) return;
        pending_ = 0;
        if (values_.size() == kCapacity) halve();
        values_.push_back(carry_);
    }

    const std::vector<double>& values() const noexcept { return values_; }
    /// Seconds between stored values.
    double stepSeconds() const noexcept { return step_ * static_cast<double>(stride_); }

private:
    void halve() {
        const std::size_t half = values_.size() / 2;
        for (std::size_t i = 0; i < half; ++i)
            values_[i] = merge_ == Merge::keepLarger ? std::max(values_[2 * i], values_[2 * i + 1]) : values_[2 * i];
        values_.resize(half);
        stride_ *= 2;
    }

    double step_;
    Merge merge_;
    std::vector<double> values_;
    std::int64_t stride_ = 1;   // fine values per stored value
    std::int64_t pending_ = 0;  // fine values folded into carry_
    double carry_ = 0.0;
};

}  // namespace reel::master
