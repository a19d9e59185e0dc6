#pragma once
// A bounded store of per-interval measurements ("records") over a whole programme.
//
// The mix report decides most issues only at the end (a window is "quiet" relative to the
// integrated loudness, which is known only then), so it keeps small records at a fixed step
// (100 ms ticks, 3 s segments, spectral frames) and looks at them afterwards. Memory must not
// grow with the programme (DESIGN.md): at kCapacity records (65 536: 1.8 h of 100 ms ticks)
// neighbouring pairs are merged and the step doubles, so a 10-hour file keeps the same memory
// at a coarser step. Records therefore hold sums and maxima, never means:
//     static Record Record::merge(const Record& earlier, const Record& later) noexcept;
// combines two neighbours exactly (sums add, maxima take the larger).
// Header-only; allocation only in the constructor.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace reel::analysis {

template <class Record>
class MixTimeline {
public:
    static constexpr std::size_t kCapacity = std::size_t{1} << 16;

    /// A timeline whose records start as `framesPerStep` frames each.
    explicit MixTimeline(std::int64_t framesPerStep, std::size_t capacity = kCapacity)
        : step_(framesPerStep), capacity_(capacity & ~std::size_t{1}) {
        records_.reserve(capacity_);
    }

    /// Offers the record of the next step (the last one may cover fewer frames).
    void push(const Record& record) {
        carry_ = pending_ == 0 ? record : Record::merge(carry_, record);
        if (++pending_ < stride_) return;
        flush(Carry::whole);
    }
    /// Stores a partly filled last record (call once, after the last push).
    void finish() {
        if (pending_ > 0) flush(Carry::partial);
    }

    std::size_t size() const noexcept { return records_.size(); }
    const Record& operator[](std::size_t i) const noexcept { return records_[i]; }
    /// Frames one stored record covers (the initial step times the merges so far).
    std::int64_t framesPerRecord() const noexcept { return step_ * stride_; }
    /// How many stored records make `seconds` at a rate (at least 1): a window's length.
    std::size_t recordsIn(double seconds, double sampleRate) const noexcept {
        const auto n = std::llround(seconds * sampleRate / static_cast<double>(framesPerRecord()));
        return static_cast<std::size_t>(n > 1 ? n : 1);
    }
    /// The first frame of record i.
    std::int64_t startOf(std::size_t i) const noexcept { return static_cast<std::int64_t>(i) * framesPerRecord(); }

private:
    // Stores the carried record, first halving a full store; after a halving the carry is only
    // half of a record at the new step, so it keeps collecting until it is whole.
    enum class Carry { whole, partial };
    void flush(Carry carry) {
        if (records_.size() == capacity_) {
            const std::size_t half = records_.size() / 2;
            for (std::size_t i = 0; i < half; ++i) records_[i] = Record::merge(records_[2 * i], records_[2 * i + 1]);
            records_.resize(half);
            stride_ *= 2;
            if (carry == Carry::whole && pending_ < stride_) return;
        }
        records_.push_back(carry_);
        pending_ = 0;
    }

    std::int64_t step_;
    std::size_t capacity_;
    std::vector<Record> records_;
    Record carry_{};
    std::int64_t pending_ = 0;
    std::int64_t stride_ = 1;  // steps per stored record
};

}  // namespace reel::analysis
