#pragma once
// An arrangement as plain data: sections in playing order, each with its bars (the chord on
// every beat), energy and the instruments that play. Made by arrange() (arranger.hpp) or read
// from arrangement.yaml (arrangement_file.hpp); played by makeParts() (arranger_parts.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "compose/chord.hpp"
#include "compose/style.hpp"
#include "session/session.hpp"

namespace reel::compose {

inline constexpr int kTicksPerQuarter = 480;

/// A chord in a bar (as compose::BarChord of a chart).
struct BeatChord {
    Chord chord;
    int startBeat = 0;  // beats after the bar line
    int beats = 1;
    bool held = false;  // continues the chord before it, not struck again
};

struct ArrangedBar {
    std::vector<BeatChord> chords;  // in time order, covering the bar
    /// The chord sounding on `beat` (0-based; beats past the end give the last chord).
    const BeatChord& at(int beat) const;
};

struct ArrangedSection {
    std::string name;    // "Verse 1", "Build"
    std::string kind;    // intro, verse, prechorus, chorus, bridge, …, break, build, ending
    std::vector<ArrangedBar> bars;
    double energy = 0.5;     // 0 … 1 at the section's start
    double energyEnd = 0.5;  // at its end (a build rises, a decrescendo falls)
    std::vector<std::string> instruments;  // the style instruments that play here
    int chartSection = -1;  // the chart section it comes from; -1 for one the arranger added
};

struct Arrangement {
    std::string title;
    std::string key;      // "A minor"; may be empty
    double tempo = 100.0;
    session::Meter meter;
    std::uint32_t seed = 1;
    std::vector<ArrangedSection> sections;

    int totalBars() const;
};

/// Ticks in one bar of the arrangement's meter.
std::int64_t ticksPerBar(const session::Meter& meter) noexcept;

/// Which style instruments play in a section of this kind and energy (by their min_energy;
/// a break keeps only pad and comping; an ending keeps everyone).
std::vector<std::string> instrumentsFor(const Style& style, const std::string& kind, double energy);

}  // namespace reel::compose
