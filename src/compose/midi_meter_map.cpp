#include "compose/midi_meter_map.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace reel::compose {
namespace {

bool isPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

/// A meter segment: where it starts, its bar number there, and its meter.
struct Segment {
    std::int64_t tick;
    std::int64_t firstBar;
    MeterChange meter;
};

/// The segments of the map in order, starting with the 4/4 before the first change.
std::vector<Segment> segmentsOf(const std::vector<MeterChange>& changes, int ticksPerQuarter) {
    std::vector<Segment> segments{{0, 1, MeterChange{}}};
    for (const auto& change : changes) {
        Segment& last = segments.back();
        if (change.tick == last.tick) {
            last.meter = change;
            continue;
        }
        const std::int64_t perBar = last.meter.ticksPerBar(ticksPerQuarter);
        // A change mid-bar ends that bar early: the change starts the next bar.
        const std::int64_t bars = (change.tick - last.tick + perBar - 1) / perBar;
        segments.push_back({change.tick, last.firstBar + bars, change});
    }
    return segments;
}

}  // namespace

Result<void> MeterMap::set(const MeterChange& change) {
    if (change.tick < 0)
        return fail(ErrorCode::invalidArgument, fmt::format("meter change at tick {}: ticks start at 0", change.tick));
    auto inByte = [](int v) { return v >= 0 && v <= 255; };
    if (change.numerator < 1 || change.numerator > 255 || !inByte(change.clocksPerClick) ||
        !inByte(change.thirtySecondsPerQuarter))
        return fail(
            ErrorCode::invalidArgument,
            fmt::format("meter {}/{} (clocks {}, 32nds {}): the numerator is 1 … 255, clocks per click and "
                        "32nds per quarter 0 … 255",
                        change.numerator, change.denominator, change.clocksPerClick, change.thirtySecondsPerQuarter));
    if (!isPowerOfTwo(change.denominator) || change.denominator > 128)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("meter {}/{}: the denominator is a power of two from 1 to 128", change.numerator,
                                change.denominator));
    auto at = std::lower_bound(changes_.begin(), changes_.end(), change.tick,
                               [](const MeterChange& c, std::int64_t t) { return c.tick < t; });
    if (at != changes_.end() && at->tick == change.tick)
        *at = change;
    else
        changes_.insert(at, change);
    return {};
}

MeterChange MeterMap::meterAt(std::int64_t tick) const noexcept {
    MeterChange meter;
    for (const auto& change : changes_) {
        if (change.tick > tick) break;
        meter = change;
    }
    return meter;
}

std::int64_t MeterMap::barStartTick(int bar, int ticksPerQuarter) const noexcept {
    const auto segments = segmentsOf(changes_, ticksPerQuarter);
    const Segment* in = &segments.front();
    for (const auto& segment : segments)
        if (segment.firstBar <= bar) in = &segment;
    return in->tick + (bar - in->firstBar) * in->meter.ticksPerBar(ticksPerQuarter);
}

BarBeat MeterMap::positionAt(std::int64_t tick, int ticksPerQuarter) const noexcept {
    const auto segments = segmentsOf(changes_, ticksPerQuarter);
    const Segment* in = &segments.front();
    for (const auto& segment : segments)
        if (segment.tick <= tick) in = &segment;
    const std::int64_t perBar = in->meter.ticksPerBar(ticksPerQuarter);
    const std::int64_t offset = tick - in->tick;
    const std::int64_t barsIn = offset >= 0 ? offset / perBar : 0;
    const double ticksPerBeat = static_cast<double>(ticksPerQuarter) * 4.0 / in->meter.denominator;
    return BarBeat{static_cast<int>(in->firstBar + barsIn),
                   1.0 + static_cast<double>(offset - barsIn * perBar) / ticksPerBeat};
}

}  // namespace reel::compose
