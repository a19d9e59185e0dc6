#include "compose/arranger.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

namespace reel::compose {
namespace {


std::string kindOf(SectionKind kind) { return std::string(sectionKindName(kind)); }

ArrangedBar barOf(const Chord& chord, int beatsPerBar) {
    ArrangedBar bar;
    bar.chords.push_back({chord, 0, beatsPerBar, false});
    return bar;
}

std::vector<ArrangedBar> barsOf(const std::vector<Bar>& bars) {
    std::vector<ArrangedBar> out;
    for (const auto& bar : bars) {
        ArrangedBar a;
        for (const auto& c : bar.chords) a.chords.push_back({c.chord, c.startBeat, c.beats, c.held});
        out.push_back(std::move(a));
    }
    return out;
}

/// The last chord that sounds in a section (N.C. skipped), or nothing.
std::optional<Chord> lastChord(const std::vector<ArrangedBar>& bars) {
    for (auto b = bars.rbegin(); b != bars.rend(); ++b)
        for (auto c = b->chords.rbegin(); c != b->chords.rend(); ++c)
            if (!c->chord.noChord) return c->chord;
    return std::nullopt;
}

std::vector<ArrangedBar> lastBars(const std::vector<ArrangedBar>& bars, std::size_t count) {
    count = std::min(count, bars.size());
    return {bars.end() - static_cast<std::ptrdiff_t>(count), bars.end()};
}

}  // namespace


Result<Arrangement> arrange(const Chart& chart, const Style& style, const ArrangeOptions& options) {
    if (chart.totalBars() == 0) return fail(ErrorCode::invalidArgument, chart.file + ": the chart has no bars to arrange");
    Arrangement a;
    a.title = chart.title;
    if (auto key = chart.analysisKey()) a.key = key->toString();
    a.tempo = chart.tempo.value_or(style.tempoDefault);
    a.meter = chart.meter;
    a.seed = options.seed;
    const int beatsPerBar = a.meter.beatsPerBar;

    auto add = [&](std::string name, std::string kind, std::vector<ArrangedBar> bars, int from) {
        ArrangedSection s;
        s.name = std::move(name);
        s.energy = s.energyEnd = style.energyFor(kind);
        s.kind = std::move(kind);
        s.bars = std::move(bars);
        s.chartSection = from;
        a.sections.push_back(std::move(s));
    };

    const auto& sections = chart.sections;
    int lastChorus = -1;
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i].kind == SectionKind::chorus) lastChorus = static_cast<int>(i);
    // Where the break and the build go: before the last chorus, or (no chorus) the last section.
    int climax = lastChorus >= 1 ? lastChorus : static_cast<int>(sections.size()) - 1;
    if (climax < 1) climax = -1;  // a one-section chart: no room for a break or a build

    if (sections.front().kind != SectionKind::intro) {
        const auto first = barsOf(sections.front().bars);
        add("Intro", "intro", {first.begin(), first.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(4, first.size()))}, -1);
    }
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const int index = static_cast<int>(i);
        if (index == climax) {
            const auto before = barsOf(sections[i - 1].bars);
            add("Break", "break", lastBars(before, 2), -1);
            add("Build", "build", lastBars(before, 2), -1);
            a.sections.back().energy = 0.45;
            a.sections.back().energyEnd = std::min(1.0, style.energyFor("chorus") + 0.1);
        }
        add(sections[i].title(), kindOf(sections[i].kind), barsOf(sections[i].bars), index);
        if (index == climax) a.sections.back().energy = a.sections.back().energyEnd = std::min(1.0, style.energyFor("chorus") + 0.1);
    }
    // The decrescendo: whatever follows the climax falls toward the ending.
    const std::size_t climaxAt = [&] {
        for (std::size_t i = 0; i < a.sections.size(); ++i)
            if (a.sections[i].chartSection == climax && climax >= 0) return i;
        return a.sections.size() - 1;
    }();
    if (climaxAt + 1 < a.sections.size()) {
        double level = a.sections[climaxAt].energyEnd;
        const double step = (level - 0.3) / static_cast<double>(a.sections.size() - climaxAt - 1);
        for (std::size_t i = climaxAt + 1; i < a.sections.size(); ++i) {
            a.sections[i].energy = level;
            a.sections[i].energyEnd = level - step;
            level -= step;
        }
    } else {
        a.sections.back().energyEnd = std::max(0.3, a.sections.back().energy - 0.2);
    }
    const Chord last = lastChord(barsOf(sections.back().bars)).value_or(Chord::none());
    add("Ending", "ending", {barOf(last, beatsPerBar), barOf(last, beatsPerBar)}, -1);
    a.sections.back().energy = a.sections.back().energyEnd = 0.5;

    for (auto& s : a.sections) s.instruments = instrumentsFor(style, s.kind, std::max(s.energy, s.energyEnd));
    if (options.melody == MelodyGuide::yes)
        for (auto& s : a.sections)
            if (s.chartSection >= 0 && !chart.sections[static_cast<std::size_t>(s.chartSection)].lyrics.empty())
                s.instruments.push_back("Melody");
    return a;
}

}  // namespace reel::compose
