#include "compose/arranger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "compose/chordpro_parser.hpp"
#include "compose/style.hpp"

namespace reel::compose {
namespace {

const char* kChart =
    "{title: Test}\n{key: C}\n{tempo: 100}\n"
    "{start_of_verse}\n| C | Am | F | G7 |\n{end_of_verse}\n"
    "{start_of_chorus}\n| F . G . | C/E | Dm7 | G |\n{end_of_chorus}\n"
    "{start_of_verse: Verse 2}\n| C | Am | F | G7 |\n{end_of_verse}\n"
    "{chorus}\n"
    "{start_of_outro}\n| F | C |\n{end_of_outro}\n";

Style testStyle() {
    auto style = loadStyle(std::filesystem::path(REEL_SOURCE_DIR) / "examples/styles/pop.yaml");
    EXPECT_TRUE(style) << style.error().message;
    return *style;
}

Arrangement testArrangement(const Style& style, std::uint32_t seed = 1);

}  // namespace

// Shared with arranger_parts_test.cpp, which cannot include the chart headers next to the MIDI
// ones (both declare a compose::KeySignature).
Arrangement arrangerTestArrangement(const Style& style, std::uint32_t seed) {
    auto chart = parseChordPro(kChart, "test.cho");
    EXPECT_TRUE(chart) << chart.error().message;
    ArrangeOptions options;
    options.seed = seed;
    auto a = arrange(*chart, style, options);
    EXPECT_TRUE(a) << a.error().message;
    return *a;
}

namespace {

Arrangement testArrangement(const Style& style, std::uint32_t seed) { return arrangerTestArrangement(style, seed); }

std::vector<std::string> kinds(const Arrangement& a) {
    std::vector<std::string> out;
    for (const auto& s : a.sections) out.push_back(s.kind);
    return out;
}

TEST(Arranger, KeepsTheChartsSectionsInOrderWithTheirBars) {
    const auto style = testStyle();
    const auto chart = parseChordPro(kChart, "test.cho");
    ASSERT_TRUE(chart);
    const auto a = testArrangement(style);
    std::vector<int> fromChart;
    for (const auto& s : a.sections)
        if (s.chartSection >= 0) {
            fromChart.push_back(s.chartSection);
            const auto& source = chart->sections[static_cast<std::size_t>(s.chartSection)];
            EXPECT_EQ(s.bars.size(), source.bars.size()) << s.name;
            EXPECT_EQ(s.kind, std::string(sectionKindName(source.kind)));
        }
    EXPECT_EQ(fromChart, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(Arranger, AddsIntroBreakBuildBeforeTheLastChorusAndAnEnding) {
    const auto a = testArrangement(testStyle());
    EXPECT_EQ(kinds(a), (std::vector<std::string>{"intro", "verse", "chorus", "verse", "break", "build", "chorus", "outro", "ending"}));
    EXPECT_EQ(a.sections.front().bars.size(), 4u);
    EXPECT_EQ(a.totalBars(), 4 + 4 + 4 + 4 + 2 + 2 + 4 + 2 + 2);
    const auto& build = a.sections[5];
    EXPECT_LT(build.energy, build.energyEnd);
    const auto& outro = a.sections[7];
    EXPECT_GT(outro.energy, outro.energyEnd) << "the decrescendo falls";
    EXPECT_EQ(a.sections.back().bars.front().chords.front().chord.toString(), "C");
}

TEST(Arranger, BreakDropsDrumsAndBass) {
    const auto a = testArrangement(testStyle());
    const auto& brk = a.sections[4];
    EXPECT_EQ(std::count(brk.instruments.begin(), brk.instruments.end(), "Drums"), 0);
    EXPECT_EQ(std::count(brk.instruments.begin(), brk.instruments.end(), "Bass"), 0);
    EXPECT_FALSE(brk.instruments.empty());
}

TEST(Arranger, EveryShippedStyleLoadsAndArranges) {
    for (const char* name : {"pop", "rock", "ballad", "funk", "folk"}) {
        auto style = loadStyle(std::filesystem::path(REEL_SOURCE_DIR) / "examples/styles" / (std::string(name) + ".yaml"));
        ASSERT_TRUE(style) << style.error().message;
        const auto a = testArrangement(*style);
        EXPECT_EQ(a.sections.size(), 9u) << name;
    }
}

TEST(Arranger, ArrangesTheDemoChart) {
    auto chart = loadChordPro(std::filesystem::path(REEL_SOURCE_DIR) / "examples/songs/gravel-road.cho");
    ASSERT_TRUE(chart) << chart.error().message;
    auto a = arrange(*chart, testStyle());
    ASSERT_TRUE(a);
    EXPECT_EQ(a->sections.front().kind, "intro");
    EXPECT_EQ(a->sections.front().chartSection, 0) << "the chart's own intro is kept, none added";
    EXPECT_EQ(a->totalBars(), chart->totalBars() + 2 + 2 + 2);
}

}  // namespace
}  // namespace reel::compose
