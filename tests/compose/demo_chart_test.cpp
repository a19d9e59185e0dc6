// The demo song's chart (examples/songs/gravel-road.cho) parses into the structure the arranger
// and the README rely on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compose/chordpro_parser.hpp"
#include "compose/roman_numeral.hpp"

using namespace reel::compose;

namespace {
Chart demo() {
    auto chart = loadChordPro(std::string(REEL_SOURCE_DIR) + "/examples/songs/gravel-road.cho");
    EXPECT_TRUE(chart) << (chart ? "" : chart.error().message);
    return chart ? *chart : Chart{};
}
}  // namespace

TEST(DemoChart, GravelRoadHasItsSongForm) {
    const Chart chart = demo();
    EXPECT_EQ(chart.title, "Gravel Road");
    ASSERT_TRUE(chart.key);
    EXPECT_EQ(chart.key->toString(), "A minor");
    EXPECT_EQ(chart.tempo, 92.0);
    EXPECT_EQ(chart.meter.beatsPerBar, 4);
    EXPECT_EQ(chart.meter.beatUnit, 4);

    std::vector<SectionKind> kinds;
    std::vector<std::size_t> bars;
    for (const Section& s : chart.sections) {
        kinds.push_back(s.kind);
        bars.push_back(s.bars.size());
    }
    EXPECT_EQ(kinds, (std::vector<SectionKind>{SectionKind::intro, SectionKind::verse, SectionKind::chorus,
                                               SectionKind::verse, SectionKind::chorus, SectionKind::bridge,
                                               SectionKind::chorus, SectionKind::outro}));
    EXPECT_EQ(bars, (std::vector<std::size_t>{4, 8, 8, 8, 8, 8, 8, 4}));
    EXPECT_EQ(chart.totalBars(), 56);
    ASSERT_TRUE(chart.durationSeconds());
    EXPECT_NEAR(*chart.durationSeconds(), 56 * 4 * 60.0 / 92.0, 1e-9);  // 2:26
    EXPECT_GE(*chart.durationSeconds(), 120.0);
    EXPECT_LE(*chart.durationSeconds(), 180.0);

    // Both later choruses repeat the first; every verse has four lyric lines.
    EXPECT_EQ(chart.sections[4].repeatOf, 2u);
    EXPECT_EQ(chart.sections[6].repeatOf, 2u);
    EXPECT_EQ(chart.sections[6].label, "Last chorus");
    EXPECT_EQ(chart.sections[1].lyrics.size(), 4u);
    EXPECT_EQ(chart.sections[3].lyrics.size(), 4u);
    EXPECT_EQ(chart.sections[1].lyrics[0], "Dust on the dashboard, the sun sinking low,");
}

TEST(DemoChart, EveryBeatHasAChordAndTheNumeralsReadInAMinor) {
    const Chart chart = demo();
    for (const Section& s : chart.sections)
        for (const Bar& bar : s.bars) {
            int beats = 0;
            for (const BarChord& c : bar.chords) {
                EXPECT_EQ(c.startBeat, beats);
                beats += c.beats;
            }
            EXPECT_EQ(beats, 4);
        }
    auto numerals = [&](const Section& s) {
        std::vector<std::string> out;
        for (const Bar& bar : s.bars)
            for (const BarChord& c : bar.chords) out.push_back(romanNumeral(c.chord, *chart.key));
        return out;
    };
    EXPECT_EQ(numerals(chart.sections[0]), (std::vector<std::string>{"i", "VI", "III", "VII"}));
    EXPECT_EQ(numerals(chart.sections[2]), (std::vector<std::string>{"VI", "VII", "III", "i", "VI", "VII", "V7", "i"}));
    EXPECT_EQ(numerals(chart.sections[5]), (std::vector<std::string>{"iv", "i", "iv", "i", "VI", "VII", "V7/V", "V7"}));
    EXPECT_EQ(numerals(chart.sections[7]), (std::vector<std::string>{"VI", "VII", "i", "VI", "VII", "i"}));
}
