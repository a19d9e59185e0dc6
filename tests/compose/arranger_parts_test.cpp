#include "compose/arranger_parts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "compose/style.hpp"

namespace reel::compose {

// arranger_test.cpp: the test chart (intro, verse, chorus, verse, break, build, chorus, outro, ending).
Arrangement arrangerTestArrangement(const Style& style, std::uint32_t seed);

namespace {

Style testStyle(const std::string& name = "pop") {
    auto style = loadStyle(std::filesystem::path(REEL_SOURCE_DIR) / "examples/styles" / (name + ".yaml"));
    EXPECT_TRUE(style) << style.error().message;
    return *style;
}

Arrangement testArrangement(const Style& style, std::uint32_t seed = 1) { return arrangerTestArrangement(style, seed); }

const ArrangedPart& partFor(const std::vector<ArrangedPart>& parts, PartRole role) {
    auto it = std::find_if(parts.begin(), parts.end(), [&](const ArrangedPart& p) { return p.instrument->role == role; });
    EXPECT_NE(it, parts.end());
    return *it;
}

TEST(ArrangerParts, DrumsPlayOnChannelTenAndTheOthersNot) {
    const auto style = testStyle();
    const auto parts = makeParts(testArrangement(style), style);
    for (const auto& part : parts) {
        ASSERT_EQ(part.song.tracks.size(), 1u);
        ASSERT_FALSE(part.song.tracks[0].notes.empty()) << part.instrument->name;
        for (const auto& n : part.song.tracks[0].notes) EXPECT_EQ(n.channel == 9, part.instrument->role == PartRole::drums);
    }
}

TEST(ArrangerParts, BassPlaysAChordToneOnEveryDownbeat) {
    const auto style = testStyle();
    const auto a = testArrangement(style);
    const auto parts = makeParts(a, style, HumanizeMode::off);
    const auto& bass = partFor(parts, PartRole::bass).song.tracks[0].notes;
    const auto barTicks = ticksPerBar(a.meter);
    std::int64_t barStart = 0;
    int checked = 0;
    for (const auto& s : a.sections) {
        const bool plays = std::count(s.instruments.begin(), s.instruments.end(), "Bass") > 0;
        for (const auto& bar : s.bars) {
            for (const auto& n : bass)
                if (n.startTick == barStart) {
                    EXPECT_TRUE(bar.at(0).chord.pitchClasses().contains(n.key % 12)) << s.name << " key " << n.key;
                    ++checked;
                }
            EXPECT_TRUE(!plays || (s.kind == "ending" && &bar != &s.bars.front()) || std::any_of(bass.begin(), bass.end(), [&](const MidiNote& n) { return n.startTick == barStart; }));
            barStart += barTicks;
        }
    }
    EXPECT_GT(checked, 20);
}

TEST(ArrangerParts, CompingMovesLittleBetweenChords) {
    const auto style = testStyle();
    const auto parts = makeParts(testArrangement(style), style, HumanizeMode::off);
    const auto& notes = partFor(parts, PartRole::comping).song.tracks[0].notes;
    std::map<std::int64_t, std::vector<int>> chords;
    for (const auto& n : notes) chords[n.startTick].push_back(n.key);
    std::vector<int> previous;
    for (auto& [tick, keys] : chords) {
        std::sort(keys.begin(), keys.end());
        EXPECT_GE(keys.front(), 52);
        EXPECT_LE(keys.back(), 76);
        if (!previous.empty() && previous.size() == keys.size()) {
            int moved = 0;
            for (std::size_t k = 0; k < keys.size(); ++k) moved += std::abs(keys[k] - previous[k]);
            EXPECT_LE(moved, 12) << "at tick " << tick;
        }
        previous = keys;
    }
}

TEST(ArrangerParts, HumanizeStaysWithinTheStylesBoundsAndIsDeterministic) {
    const auto style = testStyle();
    const auto a = testArrangement(style, 42);
    const auto straight = makeParts(a, style, HumanizeMode::off);
    const auto human = makeParts(a, style, HumanizeMode::on);
    EXPECT_EQ(makeParts(a, style, HumanizeMode::on)[1].song, human[1].song);
    const double ticksPerMs = a.tempo * kTicksPerQuarter / 60000.0;
    const auto maxTicks = static_cast<std::int64_t>(style.humanize.timingMs * ticksPerMs);
    ASSERT_GT(maxTicks, 0);
    ASSERT_EQ(straight.size(), human.size());
    bool moved = false;
    for (std::size_t p = 0; p < straight.size(); ++p) {
        // Match notes per key in time order: the jitter is far smaller than the grid.
        std::map<std::pair<int, int>, std::vector<MidiNote>> s, h;
        for (const auto& n : straight[p].song.tracks[0].notes) s[{n.channel, n.key}].push_back(n);
        for (const auto& n : human[p].song.tracks[0].notes) h[{n.channel, n.key}].push_back(n);
        ASSERT_EQ(s.size(), h.size());
        for (auto& [key, notes] : s) {
            ASSERT_EQ(notes.size(), h[key].size());
            for (std::size_t i = 0; i < notes.size(); ++i) {
                const auto dt = std::abs(h[key][i].startTick - notes[i].startTick);
                const auto dv = std::abs(h[key][i].velocity - notes[i].velocity);
                EXPECT_LE(dt, maxTicks);
                EXPECT_LE(dv, style.humanize.velocity);
                moved = moved || dt > 0;
            }
        }
    }
    EXPECT_TRUE(moved);
    const auto other = makeParts(testArrangement(style, 43), style, HumanizeMode::on);
    EXPECT_NE(other[1].song, human[1].song) << "another seed, other jitter";
}

TEST(ArrangerParts, EveryShippedStyleMakesAPartPerInstrument) {
    for (const char* name : {"pop", "rock", "ballad", "funk", "folk"}) {
        const auto style = testStyle(name);
        const auto parts = makeParts(testArrangement(style), style);
        EXPECT_EQ(parts.size(), style.instruments.size()) << name;
    }
}

}  // namespace
}  // namespace reel::compose
