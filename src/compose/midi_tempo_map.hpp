#pragma once
// The tempo map of a MIDI song: set-tempo meta events (FF 51) as ticks -> seconds.
//
// Standard MIDI File 1.0 ("Meta-Event Definitions", FF 51 03 tttttt): tempo is written in
// microseconds per quarter note; until the first set-tempo event it is 500000 (120 bpm,
// the spec's default). A tick is 1/ticksPerQuarter of a quarter note (the header's
// division). Conversions are exact: the microsecond·tick products are summed in integers
// and divided once, so secondsAt() is the nearest double to the true value.

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::compose {

/// From `tick` on, a quarter note lasts `microsecondsPerQuarter`.
struct TempoChange {
    std::int64_t tick = 0;
    int microsecondsPerQuarter = 500000;
    friend bool operator==(const TempoChange&, const TempoChange&) = default;
};

/// Tempo changes in tick order; an empty map is 120 bpm throughout.
class TempoMap {
public:
    /// The spec's tempo before any set-tempo event: 120 quarter notes per minute.
    static constexpr int kDefaultMicrosecondsPerQuarter = 500000;
    /// The largest tempo value the 3-byte field holds.
    static constexpr int kMaxMicrosecondsPerQuarter = 0xFFFFFF;

    /// Sets the tempo from `tick` (≥ 0) on, replacing a change at the same tick.
    /// Errors (invalidArgument): a negative tick, a value outside 1 … 0xFFFFFF µs.
    Result<void> set(std::int64_t tick, int microsecondsPerQuarter);
    /// Shorthand for set() with quarter notes per minute (rounded to whole microseconds).
    Result<void> setBpm(std::int64_t tick, double quartersPerMinute);

    /// The changes, sorted by tick, one per tick.
    const std::vector<TempoChange>& changes() const noexcept { return changes_; }
    /// Microseconds per quarter note in effect at `tick`.
    int microsecondsPerQuarterAt(std::int64_t tick) const noexcept;

    /// Seconds from tick 0 to `tick` (≥ 0); `ticksPerQuarter` > 0.
    Seconds secondsAt(std::int64_t tick, int ticksPerQuarter) const noexcept;
    /// The (fractional) tick at `seconds` (≥ 0): the inverse of secondsAt().
    double tickAt(Seconds seconds, int ticksPerQuarter) const noexcept;

    friend bool operator==(const TempoMap&, const TempoMap&) = default;

private:
    std::vector<TempoChange> changes_;
};

}  // namespace reel::compose
