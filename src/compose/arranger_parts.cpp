#include "compose/arranger_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>

namespace reel::compose {
namespace {

constexpr int kDrumChannel = 9;  // GM channel 10

/// Deterministic integers in [-bound, bound] (mt19937 is the same everywhere; distributions are not).
class Jitter {
public:
    explicit Jitter(std::uint32_t seed) : rng_(seed) {}
    int next(int bound) { return bound <= 0 ? 0 : static_cast<int>(rng_() % static_cast<std::uint32_t>(2 * bound + 1)) - bound; }

private:
    std::mt19937 rng_;
};

/// A voicing of `chord` in [low, high] that moves least from `previous` (or sits mid-range).
std::vector<int> voiceChord(const Chord& chord, const std::vector<int>& previous, int low, int high, std::size_t maxNotes) {
    // The tones that matter most first: third, seventh, root, fifth, then the colours.
    std::vector<int> pcs;
    const int root = chord.root.pitchClass();
    auto tones = chord.tones();
    auto push = [&](int pc) {
        pc = wrapPitchClass(pc);
        if (std::find(pcs.begin(), pcs.end(), pc) == pcs.end() && pcs.size() < maxNotes) pcs.push_back(pc);
    };
    for (int degree : {3, 2, 4, 7, 6}) {
        for (const auto& t : tones)
            if (t.degree == degree) push(root + t.semitones);
    }
    push(root);
    for (const auto& t : tones) push(root + t.semitones);
    if (pcs.empty()) return {};
    std::sort(pcs.begin(), pcs.end());
    // Candidates: each close-position inversion at each octave that fits the range.
    std::vector<std::vector<int>> candidates;
    for (std::size_t bottom = 0; bottom < pcs.size(); ++bottom)
        for (int base = low - low % 12 - 12; base <= high; base += 12) {
            std::vector<int> v;
            int note = base + pcs[bottom];
            for (std::size_t k = 0; k < pcs.size(); ++k) {
                const int pc = pcs[(bottom + k) % pcs.size()];
                while (wrapPitchClass(note) != pc) ++note;
                v.push_back(note);
                ++note;
            }
            if (v.front() >= low && v.back() <= high) candidates.push_back(v);
        }
    if (candidates.empty()) return {};
    const int centre = (low + high) / 2;
    auto cost = [&](const std::vector<int>& v) {
        if (previous.empty()) {
            int sum = 0;
            for (int n : v) sum += n;
            return std::abs(sum / static_cast<int>(v.size()) - centre);
        }
        int c = 0;
        for (std::size_t k = 0; k < v.size(); ++k) c += std::abs(v[k] - previous[std::min(k, previous.size() - 1)]);
        return c;
    };
    return *std::min_element(candidates.begin(), candidates.end(), [&](const auto& x, const auto& y) { return cost(x) < cost(y); });
}

int bassNote(int pitchClass, int low) {
    int n = low + wrapPitchClass(pitchClass - low);
    return n;
}


/// The chord sounding at a tick of a bar (step position within it).
const BeatChord& chordAtStep(const ArrangedBar& bar, std::size_t step, std::size_t steps, int beatsPerBar) {
    const int beat = static_cast<int>(step * static_cast<std::size_t>(beatsPerBar) / steps);
    return bar.at(beat);
}

int velocityFor(double energy, int base) {
    return std::clamp(static_cast<int>(std::lround(base * (0.55 + 0.45 * energy))), 1, 127);
}

}  // namespace

const StyleInstrument& melodyGuideInstrument() {
    static const StyleInstrument guide{"Melody", PartRole::melody, 73, 0.0, {64, 84}, -12.0, 0.1, -16.0, ""};
    return guide;
}

std::vector<ArrangedPart> makeParts(const Arrangement& arrangement, const Style& style, HumanizeMode humanize) {
    const std::int64_t barTicks = ticksPerBar(arrangement.meter);
    const int beatsPerBar = arrangement.meter.beatsPerBar;
    const std::int64_t beatTicks = barTicks / beatsPerBar;
    std::vector<StyleInstrument> extra;
    std::vector<const StyleInstrument*> band;
    for (const auto& inst : style.instruments) band.push_back(&inst);
    const StyleInstrument& melodyGuide = melodyGuideInstrument();
    bool wantsMelody = false;
    for (const auto& s : arrangement.sections)
        for (const auto& n : s.instruments) wantsMelody = wantsMelody || n == "Melody";
    if (wantsMelody && std::none_of(band.begin(), band.end(), [](auto* i) { return i->name == "Melody"; })) band.push_back(&melodyGuide);

    std::vector<ArrangedPart> parts;
    for (std::size_t index = 0; index < band.size(); ++index) {
        const StyleInstrument& inst = *band[index];
        const int channel = inst.role == PartRole::drums ? kDrumChannel : 0;
        std::vector<MidiNote> notes;
        auto note = [&](int key, std::int64_t start, std::int64_t length, int velocity) {
            notes.push_back({channel, std::clamp(key, 0, 127), std::clamp(velocity, 1, 127), start, std::max<std::int64_t>(length, 1), 64});
        };
        std::vector<int> previousVoicing;
        std::int64_t barStart = 0;
        bool playsAnywhere = false;
        for (std::size_t si = 0; si < arrangement.sections.size(); ++si) {
            const auto& section = arrangement.sections[si];
            const bool plays = std::find(section.instruments.begin(), section.instruments.end(), inst.name) != section.instruments.end();
            const bool nextExists = si + 1 < arrangement.sections.size();
            for (std::size_t b = 0; b < section.bars.size(); ++b, barStart += barTicks) {
                if (!plays) continue;
                playsAnywhere = true;
                const ArrangedBar& bar = section.bars[b];
                const double progress = section.bars.size() > 1 ? static_cast<double>(b) / static_cast<double>(section.bars.size() - 1) : 0.0;
                const double energy = section.energy + (section.energyEnd - section.energy) * progress;
                const bool ending = section.kind == "ending";
                const ArrangedBar* nextBar = b + 1 < section.bars.size() ? &section.bars[b + 1]
                                     : nextExists && !arrangement.sections[si + 1].bars.empty() ? &arrangement.sections[si + 1].bars.front()
                                                                                              : nullptr;
                switch (inst.role) {
                    case PartRole::drums: {
                        if (ending) {
                            if (b == 0) {
                                note(*drumKey("kick"), barStart, beatTicks, velocityFor(energy, 115));
                                note(*drumKey("crash"), barStart, barTicks, velocityFor(energy, 115));
                            }
                            break;
                        }
                        const DrumPattern* pattern = &style.drumPatterns.front();
                        for (const auto& p : style.drumPatterns)
                            if (energy + 1e-9 >= p.minEnergy) pattern = &p;
                        const bool fill = b + 1 == section.bars.size() && nextExists && !style.fill.grids.empty() &&
                                          (section.kind == "build" || section.bars.size() >= 4);
                        std::map<std::string, std::string> grids = pattern->grids;
                        if (fill)
                            for (const auto& [drum, grid] : style.fill.grids) {
                                // The fill replaces the pattern over the steps where it plays anything.
                                for (auto& [otherDrum, other] : grids)
                                    for (std::size_t k = 0; k < grid.size() && k < other.size(); ++k)
                                        if (grid[k] != '.' && grid[k] != '-' && otherDrum != "kick" && otherDrum != drum)
                                            other[k * other.size() / grid.size()] = '.';
                                auto& target = grids[drum];
                                if (target.size() != grid.size()) target = std::string(grid.size(), '.');
                                for (std::size_t k = 0; k < grid.size(); ++k)
                                    if (grid[k] != '.' && grid[k] != '-') target[k] = grid[k];
                            }
                        for (const auto& [drum, grid] : grids) {
                            const auto key = drumKey(drum);
                            for (std::size_t k = 0; k < grid.size(); ++k) {
                                const char c = grid[k];
                                if (c == '.' || c == '-') continue;
                                const int base = c == 'X' ? 118 : c == 'g' ? 55 : 96;
                                note(*key, barStart + barTicks * static_cast<std::int64_t>(k) / static_cast<std::int64_t>(grid.size()),
                                     barTicks / static_cast<std::int64_t>(grid.size()), velocityFor(energy, base));
                            }
                        }
                        if (b == 0 && energy >= 0.6 && section.kind != "build")
                            note(*drumKey("crash"), barStart, barTicks / 2, velocityFor(energy, 105));
                        break;
                    }
                    case PartRole::bass: {
                        const std::string& grid = ending ? std::string("x") : style.bassRhythm;
                        if (ending && b > 0) break;
                        const std::size_t steps = grid.size();
                        const std::int64_t stepTicks = barTicks / static_cast<std::int64_t>(steps);
                        std::vector<std::size_t> hits;
                        for (std::size_t k = 0; k < steps; ++k)
                            if (grid[k] != '.' && grid[k] != '-') hits.push_back(k);
                        for (std::size_t h = 0; h < hits.size(); ++h) {
                            const std::size_t k = hits[h];
                            const BeatChord& bc = chordAtStep(bar, k, steps, beatsPerBar);
                            if (bc.chord.noChord) continue;
                            // A chord struck on this beat gets its root, whatever the rhythm says.
                            const bool onChange = bc.startBeat * static_cast<int>(steps) == static_cast<int>(k) * beatsPerBar;
                            const int rootPc = bc.chord.bass ? bc.chord.bass->pitchClass() : bc.chord.root.pitchClass();
                            int key = bassNote(rootPc, inst.range[0]);
                            char c = onChange ? 'x' : grid[k];
                            if (c == 'o' && key + 12 <= inst.range[1]) key += 12;
                            if (c == 'f') key = bassNote(bc.chord.root.pitchClass() + 7, inst.range[0]);
                            if (c == 'a') {
                                const std::size_t nextStep = h + 1 < hits.size() ? hits[h + 1] : steps;
                                const BeatChord* target = nextStep < steps ? &chordAtStep(bar, nextStep, steps, beatsPerBar)
                                                                          : nextBar ? &nextBar->at(0) : nullptr;
                                if (target && !target->chord.noChord) {
                                    const int pc = target->chord.bass ? target->chord.bass->pitchClass() : target->chord.root.pitchClass();
                                    key = bassNote(pc, inst.range[0]) - 1;
                                    if (key < inst.range[0]) key += 2;
                                }
                            }
                            const std::size_t gapSteps = (h + 1 < hits.size() ? hits[h + 1] : steps) - k;
                            const auto length = ending ? barTicks * 2
                                                       : static_cast<std::int64_t>(static_cast<double>(gapSteps * stepTicks) * style.bassGate);
                            note(key, barStart + static_cast<std::int64_t>(k) * stepTicks, length, velocityFor(energy, k == 0 ? 108 : 96));
                        }
                        break;
                    }
                    case PartRole::comping:
                    case PartRole::pad:
                    case PartRole::melody: {
                        if (ending && b > 0) break;
                        std::vector<std::pair<std::int64_t, std::int64_t>> strikes;  // start, length (ticks in bar)
                        std::vector<int> accents;
                        if (inst.role == PartRole::comping && !ending) {
                            const auto& grid = style.compRhythm;
                            const std::int64_t stepTicks = barTicks / static_cast<std::int64_t>(grid.size());
                            std::vector<std::size_t> hits;
                            for (std::size_t k = 0; k < grid.size(); ++k)
                                if (grid[k] != '.' && grid[k] != '-') hits.push_back(k);
                            // Every chord change is struck, even off the rhythm.
                            for (const auto& bc : bar.chords) {
                                const auto k = static_cast<std::size_t>(bc.startBeat) * grid.size() / static_cast<std::size_t>(beatsPerBar);
                                if (!bc.held && std::find(hits.begin(), hits.end(), k) == hits.end()) hits.push_back(k);
                            }
                            std::sort(hits.begin(), hits.end());
                            for (std::size_t h = 0; h < hits.size(); ++h) {
                                const std::size_t next = h + 1 < hits.size() ? hits[h + 1] : grid.size();
                                strikes.push_back({static_cast<std::int64_t>(hits[h]) * stepTicks,
                                                   static_cast<std::int64_t>(static_cast<double>((next - hits[h]) * stepTicks) * style.compGate)});
                                accents.push_back(grid[hits[h]] == 'X' ? 110 : 92);
                            }
                        } else {
                            for (const auto& bc : bar.chords) {
                                if (bc.held && inst.role != PartRole::pad && b > 0) continue;
                                const std::int64_t length = ending ? barTicks * 2 : bc.beats * beatTicks;
                                strikes.push_back({bc.startBeat * beatTicks, inst.role == PartRole::melody ? std::min(length, 2 * beatTicks) : length});
                                accents.push_back(inst.role == PartRole::melody ? 90 : 80);
                            }
                        }
                        for (std::size_t s = 0; s < strikes.size(); ++s) {
                            const auto [at, length] = strikes[s];
                            const BeatChord& bc = bar.at(static_cast<int>(at / beatTicks));
                            if (bc.chord.noChord) continue;
                            if (inst.role == PartRole::melody) {
                                auto voicing = voiceChord(bc.chord, previousVoicing, inst.range[0], inst.range[1], 2);
                                if (voicing.empty()) continue;
                                previousVoicing = voicing;
                                note(voicing.back(), barStart + at, length, velocityFor(energy, accents[s]));
                                continue;
                            }
                            auto voicing = voiceChord(bc.chord, previousVoicing, inst.range[0], inst.range[1], 4);
                            if (voicing.empty()) continue;
                            previousVoicing = voicing;
                            for (int key : voicing) note(key, barStart + at, length, velocityFor(energy, accents[s]));
                        }
                        break;
                    }
                }
            }
        }
        if (!playsAnywhere) continue;
        if (humanize == HumanizeMode::on) {
            Jitter jitter(arrangement.seed * 7919u + static_cast<std::uint32_t>(index));
            const double ticksPerMs = arrangement.tempo * (4.0 / arrangement.meter.beatUnit) * kTicksPerQuarter / 60000.0;
            const int maxTicks = static_cast<int>(std::floor(style.humanize.timingMs * ticksPerMs));
            for (auto& n : notes) {
                n.startTick = std::max<std::int64_t>(0, n.startTick + jitter.next(maxTicks));
                n.velocity = std::clamp(n.velocity + jitter.next(style.humanize.velocity), 1, 127);
            }
        }
        std::stable_sort(notes.begin(), notes.end(), [](const MidiNote& x, const MidiNote& y) { return x.startTick < y.startTick; });
        ArrangedPart part;
        part.instrument = &inst;
        part.song.format = MidiFormat::multiTrack;
        part.song.ticksPerQuarter = kTicksPerQuarter;
        (void)part.song.tempo.setBpm(0, arrangement.tempo * 4.0 / arrangement.meter.beatUnit);
        MeterChange meter;
        meter.numerator = arrangement.meter.beatsPerBar;
        meter.denominator = arrangement.meter.beatUnit;
        (void)part.song.meter.set(meter);
        MidiTrack track;
        track.name = inst.name;
        track.notes = std::move(notes);
        std::int64_t end = barStart;
        for (const auto& n : track.notes) end = std::max(end, n.startTick + n.lengthTicks);
        track.endTick = end;
        if (inst.role != PartRole::drums)
            track.events.push_back({0, MidiEventKind::programChange, channel, inst.program, 0, {}});
        part.song.tracks.push_back(std::move(track));
        parts.push_back(std::move(part));
    }
    return parts;
}

}  // namespace reel::compose
