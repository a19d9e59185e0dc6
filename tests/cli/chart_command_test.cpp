// `reel chart`: prints the demo chart, transposes it (printed and written), answers in JSON,
// and reports bad charts (exit 1) and bad usage (exit 2) without writing anything.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_test_support.hpp"

using namespace reel::test;

namespace {
const std::string kDemo = std::string(REEL_SOURCE_DIR) + "/examples/songs/gravel-road.cho";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST(ChartCommand, PrintsTheDemoChartWithBarsAndNumerals) {
    auto result = runReel({"chart", kDemo});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_TRUE(has(result.out, "Gravel Road (Reel demo song) by The Reel Examples\n")) << result.out;
    EXPECT_TRUE(has(result.out, "key A minor, 92 bpm, 4/4: 56 bars, 2:26.1\n")) << result.out;
    EXPECT_TRUE(has(result.out,
                    "intro \"Intro\": 4 bars (bars 1-4)\n"
                    "     1 | Am     | F      | C      | G      |\n"
                    "       | i      | VI     | III    | VII    |\n"))
        << result.out;
    EXPECT_TRUE(has(result.out, "bridge \"Bridge\": 8 bars (bars 37-44)\n")) << result.out;
    EXPECT_TRUE(has(result.out, "| VI     | VII    | V7/V   | V7     |")) << result.out;
    EXPECT_TRUE(has(result.out, "chorus \"Last chorus\": 8 bars (bars 45-52), repeats \"Chorus\"")) << result.out;
    EXPECT_TRUE(has(result.out, "    53 | F G    | Am     | F G    | Am     |")) << result.out;
    EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(ChartCommand, TransposesBySemitonesWithTheNewKeysSpelling) {
    auto up = runReel({"chart", kDemo, "--transpose", "+1"});
    ASSERT_EQ(up.exitCode, 0) << up.err;
    EXPECT_TRUE(has(up.out, "key Bb minor, 92 bpm")) << up.out;
    EXPECT_TRUE(has(up.out, "transposed +1 semitone: A minor -> Bb minor")) << up.out;
    EXPECT_TRUE(has(up.out, "| Bbm    | Gb     | Db     | Ab     |")) << up.out;
    auto down = runReel({"chart", kDemo, "--transpose", "-2"});
    ASSERT_EQ(down.exitCode, 0) << down.err;
    EXPECT_TRUE(has(down.out, "transposed -2 semitones: A minor -> G minor")) << down.out;
    EXPECT_TRUE(has(down.out, "| Gm     | Eb     | Bb     | F      |")) << down.out;
}

TEST(ChartCommand, WritesTheTransposedChordProAndBackAgain) {
    auto dir = scratchDir("chart-write");
    const auto inE = dir / "gravel-road-em.cho";
    auto result = runReel({"chart", kDemo, "--key", "Em", "-o", inE.string()});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_TRUE(has(result.out, "transposed -5 semitones: A minor -> E minor")) << result.out;
    EXPECT_TRUE(has(result.out, "wrote " + inE.string())) << result.out;
    const std::string written = fileBytes(inE);
    EXPECT_TRUE(has(written, "{key: Em}\n")) << written;
    EXPECT_TRUE(has(written, "[Em]Dust on the dashboard, the [C]sun sinking low,\n")) << written;
    EXPECT_TRUE(has(written, "| Em | C | G | D |\n")) << written;
    EXPECT_TRUE(has(written, "# Gravel Road: the demo song's chord chart")) << written;  // comments stay

    const auto back = dir / "back.cho";
    ASSERT_EQ(runReel({"chart", inE.string(), "--key", "A", "-o", back.string()}).exitCode, 0);
    EXPECT_EQ(fileBytes(back), fileBytes(kDemo));
    EXPECT_EQ(listFolder(dir), (std::vector<std::string>{"back.cho", "gravel-road-em.cho"}));
}

TEST(ChartCommand, JsonHasEveryBarWithBeatsNumeralsAndNotes) {
    auto result = runReel({"chart", kDemo, "--json"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    for (const char* part :
         {"\"title\":\"Gravel Road\"", "\"key\":\"A minor\"", "\"tempo_bpm\":92.00", "\"meter\":\"4/4\"", "\"bars\":56",
          "\"duration_s\":146.087", "\"kind\":\"bridge\"", "\"first_bar\":37",
          "{\"bar\":43,\"chords\":[{\"beat\":1,\"beats\":4,\"chord\":\"B7\",\"held\":false,\"roman\":"
          "\"V7/V\",\"notes\":[\"B\",\"D#\",\"F#\",\"A\"],\"bass\":null}]}",
          "{\"bar\":53,\"chords\":[{\"beat\":1,\"beats\":2,\"chord\":\"F\"", "{\"beat\":3,\"beats\":2,\"chord\":\"G\"",
          "\"repeat_of\":2", "\"lyrics\":[\"Dust on the dashboard, the sun sinking low,\""})
        EXPECT_TRUE(has(result.out, part)) << part << " in " << result.out;
}

TEST(ChartCommand, AChartWithAnErrorExitsOneNamingThePlace) {
    auto dir = scratchDir("chart-bad");
    writeText(dir / "song.cho", "{title: Bad}\n{start_of_verse}\n[Am]Walking on [Hm]gravel\n{end_of_verse}\n");
    auto result = runReel({"chart", (dir / "song.cho").string(), "-o", (dir / "out.cho").string()});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_TRUE(has(result.err, (dir / "song.cho").string() + ":3:17: chord \"Hm\": expected a note A to G"))
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out.cho"));

    writeText(dir / "open.cho", "{start_of_chorus}\n[Am]la\n");
    auto open = runReel({"chart", (dir / "open.cho").string(), "--json"});
    EXPECT_EQ(open.exitCode, 1);
    EXPECT_TRUE(has(open.out, "\"exit_status\":1")) << open.out;
    EXPECT_TRUE(has(open.err, "open.cho:1:1: chorus opened here is not closed; add {end_of_chorus}")) << open.err;

    EXPECT_EQ(runReel({"chart", (dir / "missing.cho").string()}).exitCode, 1);
    EXPECT_EQ(runReel({"chart", kDemo, "-o", (dir / "no-folder" / "x.cho").string()}).exitCode, 1);
    EXPECT_EQ(listFolder(dir), (std::vector<std::string>{"open.cho", "song.cho"}));
}

TEST(ChartCommand, BadUsageExitsTwo) {
    auto dir = scratchDir("chart-usage");
    EXPECT_EQ(runReel({"chart"}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, kDemo}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, "--transpose", "2", "--key", "G"}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, "--transpose", "two"}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, "--transpose", "25"}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, "--key", "H"}).exitCode, 2);
    EXPECT_EQ(runReel({"chart", kDemo, "--frobnicate"}).exitCode, 2);
    auto mode = runReel({"chart", kDemo, "--key", "G major"});
    EXPECT_EQ(mode.exitCode, 2);
    EXPECT_TRUE(has(mode.err, "the chart is in A minor; transposing keeps the mode, so write --key G or --key G minor"))
        << mode.err;
    writeText(dir / "song.cho", "{sov}\n[Am]la\n{eov}\n");
    const std::string before = fileBytes(dir / "song.cho");
    auto same = runReel({"chart", (dir / "song.cho").string(), "--transpose", "2", "-o", (dir / "song.cho").string()});
    EXPECT_EQ(same.exitCode, 2);
    EXPECT_TRUE(has(same.err, "output would overwrite the chart")) << same.err;
    EXPECT_EQ(fileBytes(dir / "song.cho"), before);
}

TEST(ChartCommand, HelpExplainsBarsAndShowsExamples) {
    auto result = runReel({"chart", "--help"});
    EXPECT_EQ(result.exitCode, 0);
    EXPECT_TRUE(has(result.out, "Usage: reel chart SONG.cho")) << result.out;
    EXPECT_TRUE(has(result.out, "| Am . F . | C G | % | x2")) << result.out;
    EXPECT_TRUE(has(result.out, "reel chart song.cho --key G -o song-in-g.cho")) << result.out;
}
