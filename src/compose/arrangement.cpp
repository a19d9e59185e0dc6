#include "compose/arrangement.hpp"

namespace reel::compose {

const BeatChord& ArrangedBar::at(int beat) const {
    const BeatChord* found = &chords.front();
    for (const auto& c : chords)
        if (c.startBeat <= beat) found = &c;
    return *found;
}

int Arrangement::totalBars() const {
    int n = 0;
    for (const auto& s : sections) n += static_cast<int>(s.bars.size());
    return n;
}

std::int64_t ticksPerBar(const session::Meter& meter) noexcept {
    return static_cast<std::int64_t>(meter.beatsPerBar) * kTicksPerQuarter * 4 / meter.beatUnit;
}

std::vector<std::string> instrumentsFor(const Style& style, const std::string& kind, double energy) {
    std::vector<std::string> names;
    for (const auto& inst : style.instruments) {
        bool plays = energy + 1e-9 >= inst.minEnergy;
        if (kind == "break") plays = inst.role == PartRole::pad || inst.role == PartRole::comping;
        if (kind == "ending") plays = true;
        if (plays) names.push_back(inst.name);
    }
    return names;
}

}  // namespace reel::compose
