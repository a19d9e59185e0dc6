#include "session/session.hpp"

#include <algorithm>

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

const ParamValue* sidechainParam(const ProcessorConfig& config) {
    auto it = config.params.find("sidechain");
    return it == config.params.end() ? nullptr : &it->second;
}

bool keysASidechain(const Session& session, const std::string& name) {
    auto keyedIn = [&](const std::vector<ProcessorConfig>& chain) {
        return std::any_of(chain.begin(), chain.end(), [&](const auto& config) {
            const auto* param = sidechainParam(config);
            return param && param->text == name;
        });
    };
    return keyedIn(session.master.chain) ||
           std::any_of(session.tracks.begin(), session.tracks.end(), [&](const auto& t) { return keyedIn(t.chain); }) ||
           std::any_of(session.buses.begin(), session.buses.end(), [&](const auto& b) { return keyedIn(b.chain); });
}

}  // namespace reel::session
