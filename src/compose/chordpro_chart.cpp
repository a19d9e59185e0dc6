#include "compose/chordpro_chart.hpp"

#include <array>
#include <cctype>
#include <cstdlib>

#include "compose/transpose.hpp"

namespace reel::compose {

std::string_view sectionKindName(SectionKind kind) noexcept {
    static constexpr std::array<std::string_view, 10> kNames = {
        "intro", "verse", "prechorus", "chorus", "bridge", "instrumental", "solo", "interlude", "outro", "part"};
    return kNames[static_cast<std::size_t>(kind)];
}

const BarChord& Bar::at(int beat) const {
    for (const BarChord& c : chords)
        if (beat < c.startBeat + c.beats) return c;
    return chords.back();
}

std::string Section::title() const {
    if (!label.empty()) return label;
    std::string name(sectionKindName(kind));
    name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    return name;
}

int Chart::totalBars() const {
    int bars = 0;
    for (const Section& section : sections) bars += static_cast<int>(section.bars.size());
    return bars;
}

std::optional<double> Chart::durationSeconds() const {
    double seconds = 0.0;
    for (const Section& section : sections) {
        if (!section.tempo) return std::nullopt;
        seconds += section.beats() * 60.0 / *section.tempo;
    }
    return seconds;
}

std::optional<Key> Chart::analysisKey() const {
    if (key) return key;
    for (const WrittenChord& written : writtenChords)
        if (!written.chord.noChord)
            return Key{written.chord.root, written.chord.hasMinorThird() ? Mode::minor : Mode::major};
    return std::nullopt;
}

namespace {

/// Moves everything in a chart. Each key moves to `firstTonic` when that is its new pitch class
/// (the caller's spelling of the target), else to its conventional spelling; chords move by the
/// interval of the key they were written in.
Chart moveChart(const Chart& chart, int semitones, const std::optional<Note>& firstTonic) {
    const std::optional<Key> fallback = chart.analysisKey();
    if (!fallback) return chart;
    auto moveKey = [&](const Key& key) {
        if (firstTonic && firstTonic->pitchClass() == wrapPitchClass(key.tonic.pitchClass() + semitones)) {
            const Key asNamed{*firstTonic, key.mode};
            if (std::abs(asNamed.signature().fifths) <= 7) return asNamed;  // Gb minor's nine flats are no one's choice
        }
        return transposeKey(key, semitones);
    };
    auto moveChord = [&](const Chord& chord, const std::optional<Key>& written) {
        const Key& key = written ? *written : *fallback;
        return transposeChord(chord, Interval::between(key.tonic, moveKey(key).tonic));
    };
    Chart moved = chart;
    if (chart.key) moved.key = moveKey(*chart.key);
    for (Section& section : moved.sections) {
        for (Bar& bar : section.bars)
            for (BarChord& c : bar.chords) c.chord = moveChord(c.chord, section.key);
        if (section.key) section.key = moveKey(*section.key);
    }
    for (WrittenChord& written : moved.writtenChords) {
        written.chord = moveChord(written.chord, written.key);
        if (written.key) written.key = moveKey(*written.key);
    }
    for (WrittenKey& written : moved.writtenKeys) written.key = moveKey(written.key);
    return moved;
}

}  // namespace

Chart transposeChart(const Chart& chart, int semitones) { return moveChart(chart, semitones, std::nullopt); }

Chart transposeChartTo(const Chart& chart, const Note& tonic) {
    const std::optional<Key> key = chart.analysisKey();
    if (!key) return chart;
    return moveChart(chart, wrapPitchClass(tonic.pitchClass() - key->tonic.pitchClass()), tonic);
}

}  // namespace reel::compose
