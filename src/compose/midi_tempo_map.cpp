#include "compose/midi_tempo_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace reel::compose {

Result<void> TempoMap::set(std::int64_t tick, int microsecondsPerQuarter) {
    if (tick < 0)
        return fail(ErrorCode::invalidArgument, fmt::format("tempo change at tick {}: ticks start at 0", tick));
    if (microsecondsPerQuarter < 1 || microsecondsPerQuarter > kMaxMicrosecondsPerQuarter)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("tempo {} µs per quarter note is outside 1 … {} (the 3-byte field of FF 51)",
                                microsecondsPerQuarter, kMaxMicrosecondsPerQuarter));
    auto at = std::lower_bound(changes_.begin(), changes_.end(), tick,
                               [](const TempoChange& c, std::int64_t t) { return c.tick < t; });
    if (at != changes_.end() && at->tick == tick)
        at->microsecondsPerQuarter = microsecondsPerQuarter;
    else
        changes_.insert(at, TempoChange{tick, microsecondsPerQuarter});
    return {};
}

Result<void> TempoMap::setBpm(std::int64_t tick, double quartersPerMinute) {
    if (!(quartersPerMinute > 0.0) || !std::isfinite(quartersPerMinute))
        return fail(ErrorCode::invalidArgument, fmt::format("tempo {} bpm: write more than 0", quartersPerMinute));
    const double micros = std::round(60'000'000.0 / quartersPerMinute);
    if (micros < 1.0 || micros > kMaxMicrosecondsPerQuarter)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("tempo {} bpm is outside what a MIDI file holds (about 3.58 to 60000000 bpm)",
                                quartersPerMinute));
    return set(tick, static_cast<int>(micros));
}

int TempoMap::microsecondsPerQuarterAt(std::int64_t tick) const noexcept {
    int micros = kDefaultMicrosecondsPerQuarter;
    for (const auto& change : changes_) {
        if (change.tick > tick) break;
        micros = change.microsecondsPerQuarter;
    }
    return micros;
}

Seconds TempoMap::secondsAt(std::int64_t tick, int ticksPerQuarter) const noexcept {
    // µs·ticks summed in integers (exact up to 2^63, years of music), one rounding at the end.
    std::int64_t microTicks = 0;
    std::int64_t from = 0;
    std::int64_t micros = kDefaultMicrosecondsPerQuarter;
    for (const auto& change : changes_) {
        if (change.tick >= tick) break;
        microTicks += (change.tick - from) * micros;
        from = change.tick;
        micros = change.microsecondsPerQuarter;
    }
    microTicks += (tick - from) * micros;
    return Seconds{static_cast<double>(microTicks) / (static_cast<double>(ticksPerQuarter) * 1e6)};
}

double TempoMap::tickAt(Seconds seconds, int ticksPerQuarter) const noexcept {
    // Walk the segments in µs·ticks (as secondsAt does) until the one holding `seconds`.
    const double target = seconds.value * static_cast<double>(ticksPerQuarter) * 1e6;
    std::int64_t microTicks = 0;
    std::int64_t from = 0;
    std::int64_t micros = kDefaultMicrosecondsPerQuarter;
    for (const auto& change : changes_) {
        const std::int64_t next = microTicks + (change.tick - from) * micros;
        if (static_cast<double>(next) > target) break;
        microTicks = next;
        from = change.tick;
        micros = change.microsecondsPerQuarter;
    }
    return static_cast<double>(from) + (target - static_cast<double>(microTicks)) / static_cast<double>(micros);
}

}  // namespace reel::compose
