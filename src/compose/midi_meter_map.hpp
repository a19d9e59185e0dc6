#pragma once
// The meter map of a MIDI song: time-signature meta events (FF 58) as bars and beats.
//
// Standard MIDI File 1.0 ("Meta-Event Definitions", FF 58 04 nn dd cc bb): nn/2^dd is the
// time signature, cc the MIDI clocks per metronome click and bb the notated 32nd notes per
// MIDI quarter note (24 clocks). Until the first time signature the meter is 4/4, as the
// spec assumes. A change is taken to start a new bar (the spec expects them on bar lines;
// one written mid-bar ends that bar early).

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/unit_text.hpp"

namespace reel::compose {

/// From `tick` on, bars of numerator/denominator.
struct MeterChange {
    std::int64_t tick = 0;
    int numerator = 4;                // beats per bar, 1 … 255
    int denominator = 4;              // the note value of a beat: 1, 2, 4 … 128 (2^dd in the file)
    int clocksPerClick = 24;          // MIDI clocks (24 per quarter note) per metronome click, 0 … 255
    int thirtySecondsPerQuarter = 8;  // notated 32nd notes per quarter note (8 = normal), 0 … 255
    friend bool operator==(const MeterChange&, const MeterChange&) = default;

    /// Ticks in one bar of this meter.
    std::int64_t ticksPerBar(int ticksPerQuarter) const noexcept {
        return static_cast<std::int64_t>(numerator) * ticksPerQuarter * 4 / denominator;
    }
};

/// Meter changes in tick order; an empty map is 4/4 throughout.
class MeterMap {
public:
    /// Sets the meter from change.tick (≥ 0) on, replacing a change at the same tick.
    /// Errors (invalidArgument): a negative tick; a numerator outside 1 … 255; clocks or
    /// 32nds outside 0 … 255 (informational, and some files write 0); a denominator that is
    /// not a power of two from 1 to 128.
    Result<void> set(const MeterChange& change);

    /// The changes, sorted by tick, one per tick.
    const std::vector<MeterChange>& changes() const noexcept { return changes_; }
    /// The meter in effect at `tick` (4/4 before the first change).
    MeterChange meterAt(std::int64_t tick) const noexcept;

    /// The tick where bar `bar` (1 = the first) starts.
    std::int64_t barStartTick(int bar, int ticksPerQuarter) const noexcept;
    /// The bar and beat (both from 1; the beat fractional) of `tick`.
    BarBeat positionAt(std::int64_t tick, int ticksPerQuarter) const noexcept;

    friend bool operator==(const MeterMap&, const MeterMap&) = default;

private:
    std::vector<MeterChange> changes_;
};

}  // namespace reel::compose
