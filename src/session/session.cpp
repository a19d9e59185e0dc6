#include "session/session.hpp"

namespace reel::session {

std::string SourceLocation::prefix() const {
    std::string s = file.string();
    if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(column);
    return s + ": ";
}

Seconds barBeatToSeconds(int bar, double beat, double tempo, const Meter& meter) {
    double beats = static_cast<double>(bar - 1) * meter.beatsPerBar + (beat - 1.0);
    return Seconds{beats * 60.0 / tempo};
}

}  // namespace reel::session
