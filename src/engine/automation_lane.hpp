#pragma once
// An automation lane resolved for playback: points in frames at the session rate and
// values in the parameter's unit, evaluated at any frame.
//
// Curves (session::AutomationCurve): linear is straight in the unit; exponential is
// straight in amplitude for dB parameters and geometric for positive values; hold steps.
// Evaluation walks forward with a cursor, so playing from start to end costs O(1) per call.

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "dsp/processor.hpp"
#include "session/session.hpp"

namespace reel::engine {

class AutomationLane {
public:
    /// Parses the lane's values in the unit of `info` and checks them against its range.
    static Result<AutomationLane> resolve(const session::AutomationLane& lane, const dsp::ParameterInfo& info,
                                          SampleRate rate);

    /// The value at a timeline frame. Frames must not go backwards between calls, except
    /// after rewind().
    double valueAt(std::int64_t frame) noexcept;
    void rewind() noexcept { cursor_ = 0; }

private:
    struct Point {
        std::int64_t frame;
        double value;
        session::AutomationCurve curve;
    };
    static double interpolate(const Point& a, const Point& b, double u, bool decibels) noexcept;

    std::vector<Point> points_;
    bool decibels_ = false;
    std::size_t cursor_ = 0;  // index of the last point at or before the last frame asked
};

/// Parses a value written in `unit` ("dB", "Hz", "s", or "" for plain numbers and ratios,
/// which may be written as percent: "35%" = 0.35).
Result<double> parseValueInUnit(std::string_view text, std::string_view unit);

}  // namespace reel::engine
