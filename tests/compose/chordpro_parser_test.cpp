// ChordPro charts: a full chart's sections, bars, beats, lyrics and metadata; the bar notation;
// and every error at its exact line and column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compose/chordpro_parser.hpp"

using namespace reel::compose;

namespace {

Chart parsed(const std::string& text) {
    auto chart = parseChordPro(text, "song.cho");
    EXPECT_TRUE(chart) << (chart ? "" : chart.error().message);
    return chart ? *chart : Chart{};
}

/// A bar as "Am:0+2 F:2+2", held chords marked "~": what the arranger reads.
std::string barText(const Bar& bar) {
    std::string text;
    for (const BarChord& c : bar.chords)
        text += (text.empty() ? "" : " ") + std::string(c.held ? "~" : "") + c.chord.toString() + ":" +
                std::to_string(c.startBeat) + "+" + std::to_string(c.beats);
    return text;
}
std::vector<std::string> barTexts(const Section& section) {
    std::vector<std::string> bars;
    for (const Bar& bar : section.bars) bars.push_back(barText(bar));
    return bars;
}

::testing::AssertionResult failsAt(const std::string& text, int line, int column, const std::string& expected) {
    auto chart = parseChordPro(text, "song.cho");
    if (chart) return ::testing::AssertionFailure() << "parsed without an error";
    if (chart.error().code != reel::ErrorCode::parseError) return ::testing::AssertionFailure() << "not a parseError";
    const std::string prefix = "song.cho:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    const std::string& message = chart.error().message;
    if (message.rfind(prefix, 0) != 0)
        return ::testing::AssertionFailure() << "message does not start with \"" << prefix << "\": " << message;
    if (message.find(expected) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << expected << "\": " << message;
    return ::testing::AssertionSuccess();
}

const char* kFullChart = R"(# A test chart
{title: Test Song}
{subtitle: For the tests}
{artist: Nobody}
{composer: Someone}
{key: Am}
{tempo: 120}
{time: 4/4}
{capo: 2}
{comment: Play it gently}

{start_of_part: Intro}
| Am . F . | C G | % |
{end_of_part}

{start_of_verse}
[Am]Walking on [F]gravel
[C]under the [G]sky
{end_of_verse}

{soc: Chorus}
{beats_per_chord: 2}
[F]Home [G]again, [C]home [E7]again
{c: softly}
{eoc}

{bars_per_chord: 1}
{start_of_verse: Verse 2}
[Am]Walking [*riff]on
| . . F . |
{end_of_verse}

{chorus}

{sob}
| Dm | [Am] | x2
{eob}

{start_of_outro}
[N.C.] [Am]
{end_of_outro}
)";

}  // namespace

TEST(ChordPro, AFullChartHasItsMetadataSectionsBarsAndLyrics) {
    const Chart chart = parsed(kFullChart);
    EXPECT_EQ(chart.file, "song.cho");
    EXPECT_EQ(chart.title, "Test Song");
    EXPECT_EQ(chart.subtitle, "For the tests");
    EXPECT_EQ(chart.artist, "Nobody");
    ASSERT_EQ(chart.info.size(), 1u);
    EXPECT_EQ(chart.info[0], (std::pair<std::string, std::string>{"composer", "Someone"}));
    ASSERT_TRUE(chart.key);
    EXPECT_EQ(chart.key->toString(), "A minor");
    EXPECT_EQ(chart.tempo, 120.0);
    EXPECT_EQ(chart.meter.beatsPerBar, 4);
    EXPECT_EQ(chart.meter.beatUnit, 4);
    EXPECT_EQ(chart.capo, 2);
    EXPECT_EQ(chart.comments, std::vector<std::string>{"Play it gently"});

    ASSERT_EQ(chart.sections.size(), 7u);
    const Section& intro = chart.sections[0];
    EXPECT_EQ(intro.kind, SectionKind::intro);  // from {start_of_part: Intro}
    EXPECT_EQ(intro.label, "Intro");
    EXPECT_EQ(intro.where.line, 12);
    EXPECT_EQ(barTexts(intro), (std::vector<std::string>{"Am:0+2 F:2+2", "C:0+2 G:2+2", "C:0+2 G:2+2"}));

    const Section& verse = chart.sections[1];
    EXPECT_EQ(verse.kind, SectionKind::verse);
    EXPECT_EQ(verse.label, "");
    EXPECT_EQ(verse.title(), "Verse");
    EXPECT_EQ(barTexts(verse), (std::vector<std::string>{"Am:0+4", "F:0+4", "C:0+4", "G:0+4"}));
    EXPECT_EQ(verse.lyrics, (std::vector<std::string>{"Walking on gravel", "under the sky"}));
    ASSERT_TRUE(verse.key);
    EXPECT_EQ(verse.key->shortName(), "Am");
    EXPECT_EQ(verse.tempo, 120.0);

    const Section& chorus = chart.sections[2];
    EXPECT_EQ(chorus.kind, SectionKind::chorus);
    EXPECT_EQ(chorus.label, "Chorus");
    EXPECT_EQ(barTexts(chorus), (std::vector<std::string>{"F:0+2 G:2+2", "C:0+2 E7:2+2"}));
    EXPECT_EQ(chorus.lyrics, std::vector<std::string>{"Home again, home again"});
    EXPECT_EQ(chorus.comments, std::vector<std::string>{"softly"});
    EXPECT_FALSE(chorus.repeatOf);

    const Section& verse2 = chart.sections[3];
    EXPECT_EQ(verse2.label, "Verse 2");
    EXPECT_EQ(barTexts(verse2), (std::vector<std::string>{"Am:0+4", "~Am:0+2 F:2+2"}));
    EXPECT_EQ(verse2.lyrics, std::vector<std::string>{"Walking on"});  // [*riff] is an annotation

    const Section& repeat = chart.sections[4];
    EXPECT_EQ(repeat.kind, SectionKind::chorus);
    EXPECT_EQ(repeat.label, "Chorus");
    EXPECT_EQ(repeat.repeatOf, 2u);
    EXPECT_EQ(repeat.where.line, 33);
    EXPECT_EQ(barTexts(repeat), barTexts(chorus));
    EXPECT_EQ(repeat.lyrics, chorus.lyrics);

    EXPECT_EQ(chart.sections[5].kind, SectionKind::bridge);
    EXPECT_EQ(barTexts(chart.sections[5]), (std::vector<std::string>{"Dm:0+4", "Am:0+4", "Dm:0+4", "Am:0+4"}));
    EXPECT_EQ(chart.sections[6].kind, SectionKind::outro);
    EXPECT_EQ(barTexts(chart.sections[6]), (std::vector<std::string>{"N.C.:0+4", "Am:0+4"}));

    EXPECT_EQ(chart.totalBars(), 19);
    ASSERT_TRUE(chart.durationSeconds());
    EXPECT_DOUBLE_EQ(*chart.durationSeconds(), 19 * 4 * 60.0 / 120.0);
    EXPECT_EQ(chart.writtenChords.size(), 18u);  // a {chorus} repeat or a % writes no chords
    ASSERT_EQ(chart.writtenKeys.size(), 1u);
    EXPECT_EQ(chart.writtenKeys[0].where.line, 6);
    EXPECT_EQ(chart.writtenKeys[0].where.column, 7);
}

TEST(ChordPro, WrittenChordsKnowWhereTheyStand) {
    const Chart chart = parsed("{sov}\n[Am]Walking on [F]gravel\n| C . [G7(b9, #11)] . |\n{eov}\n");
    ASSERT_EQ(chart.writtenChords.size(), 4u);
    EXPECT_EQ(chart.writtenChords[0].where.line, 2);
    EXPECT_EQ(chart.writtenChords[0].where.column, 2);
    EXPECT_EQ(chart.writtenChords[1].where.column, 17);
    EXPECT_EQ(chart.writtenChords[2].where.column, 3);
    EXPECT_EQ(chart.writtenChords[3].chord.toString(), "G7b9#11");
    EXPECT_EQ(chart.writtenChords[3].where.column, 8);
    EXPECT_EQ(chart.writtenChords[3].where.length, std::string("G7(b9, #11)").size());
}

TEST(ChordPro, BarLinesSplitBarsIntoEqualParts) {
    const Chart chart =
        parsed("{time: 6/8}\n{sov}\n| Am . . F . . | C G | Dm | [E7] . E7/G# . E7 . |\n| Am || F |\n| C | G\n{eov}\n");
    EXPECT_EQ(chart.meter.beatsPerBar, 6);
    EXPECT_EQ(chart.meter.beatUnit, 8);
    EXPECT_EQ(barTexts(chart.sections[0]),
              (std::vector<std::string>{"Am:0+3 F:3+3", "C:0+3 G:3+3", "Dm:0+6", "E7:0+2 E7/G#:2+2 E7:4+2", "Am:0+6",
                                        "F:0+6", "C:0+6", "G:0+6"}));
}

TEST(ChordPro, ChordLengthsTieOverBarLines) {
    const Chart chart =
        parsed("{bars_per_chord: 2}\n{sov}\n[Am]la [F]la\n{eov}\n{beats_per_chord: 3}\n{sov}\n[C]la [G]la\n{eov}\n");
    EXPECT_EQ(barTexts(chart.sections[0]), (std::vector<std::string>{"Am:0+4", "~Am:0+4", "F:0+4", "~F:0+4"}));
    // Three beats each: G is tied over the bar line, and held to the end of its bar at the section's end.
    EXPECT_EQ(barTexts(chart.sections[1]), (std::vector<std::string>{"C:0+3 G:3+1", "~G:0+4"}));
}

TEST(ChordPro, ABarLineAfterLyricChordsStartsOnABarLine) {
    const Chart chart = parsed("{beats_per_chord: 2}\n{sov}\n[Am]la\n| F |\n{eov}\n");
    EXPECT_EQ(barTexts(chart.sections[0]), (std::vector<std::string>{"Am:0+4", "F:0+4"}));
}

TEST(ChordPro, RepeatsCopyBarsAndKeepTies) {
    const Chart chart = parsed("{sov}\n| Am | . . F . | % | x2\n| % |\n{eov}\n");
    // A copied bar that began tied to a chord other than the one sounding before it strikes
    // its chord instead: the % after ". . F ." starts with Am struck, since F sounds before it.
    EXPECT_EQ(barTexts(chart.sections[0]),
              (std::vector<std::string>{"Am:0+4", "~Am:0+2 F:2+2", "Am:0+2 F:2+2", "Am:0+4", "~Am:0+2 F:2+2",
                                        "Am:0+2 F:2+2", "Am:0+2 F:2+2"}));
}

TEST(ChordPro, SectionKindsAndLabels) {
    const Chart chart = parsed(
        "{start_of_intro}\n| Am |\n{end_of_intro}\n"
        "{start_of_part: Pre-Chorus 2}\n| F |\n{end_of_part}\n"
        "{start_of_part: Breakdown}\n| F |\n{end_of_part}\n"
        "{start_of_verse label=\"Verse 3\"}\n| G |\n{end_of_verse}\n"
        "{start_of_solo}\n| G |\n{end_of_solo}\n"
        "{start_of_part: Coda}\n| Am |\n{end_of_part}\n");
    ASSERT_EQ(chart.sections.size(), 6u);
    EXPECT_EQ(chart.sections[0].kind, SectionKind::intro);
    EXPECT_EQ(chart.sections[1].kind, SectionKind::prechorus);
    EXPECT_EQ(chart.sections[1].label, "Pre-Chorus 2");
    EXPECT_EQ(chart.sections[2].kind, SectionKind::part);
    EXPECT_EQ(chart.sections[3].label, "Verse 3");
    EXPECT_EQ(chart.sections[4].kind, SectionKind::solo);
    EXPECT_EQ(chart.sections[5].kind, SectionKind::outro);
}

TEST(ChordPro, LinesOutsideSectionsFormAPart) {
    const Chart chart = parsed("{title: Loose}\n[Am]One [F]two\n{start_of_chorus}\n[C]three\n{end_of_chorus}\n");
    ASSERT_EQ(chart.sections.size(), 2u);
    EXPECT_EQ(chart.sections[0].kind, SectionKind::part);
    EXPECT_EQ(chart.sections[0].label, "");
    EXPECT_EQ(chart.sections[0].bars.size(), 2u);
    EXPECT_EQ(chart.sections[0].where.line, 2);
    EXPECT_EQ(chart.sections[1].kind, SectionKind::chorus);
}

TEST(ChordPro, SettingsChangeBetweenSectionsAndTabsAreLeftOut) {
    const Chart chart = parsed(
        "{key: C}\n{tempo: 100 bpm}\n{sov}\n| C |\n{eov}\n{key: D}\n{tempo: 80}\n{time: 3/4}\n{soc}\n| D . . |\n"
        "{start_of_tab}\ne|--[x]--{\n{end_of_tab}\n{eoc}\n");
    EXPECT_EQ(chart.key->shortName(), "C");
    EXPECT_EQ(chart.tempo, 100.0);
    EXPECT_EQ(chart.meter.beatsPerBar, 4);
    EXPECT_EQ(chart.sections[1].key->shortName(), "D");
    EXPECT_EQ(chart.sections[1].tempo, 80.0);
    EXPECT_EQ(chart.sections[1].meter.beatsPerBar, 3);
    EXPECT_EQ(barTexts(chart.sections[1]), std::vector<std::string>{"D:0+3"});
    EXPECT_DOUBLE_EQ(*chart.durationSeconds(), 4 * 60.0 / 100.0 + 3 * 60.0 / 80.0);
    EXPECT_EQ(chart.writtenKeys.size(), 2u);
}

TEST(ChordPro, WithoutTempoThereIsNoDurationAndWithoutKeyTheFirstChordGivesOne) {
    const Chart chart = parsed("{sov}\n[N.C.] [Em7] [C]\n{eov}\n");
    EXPECT_FALSE(chart.durationSeconds());
    EXPECT_FALSE(chart.key);
    ASSERT_TRUE(chart.analysisKey());
    EXPECT_EQ(chart.analysisKey()->toString(), "E minor");
}

TEST(ChordPro, WindowsLineEndsAndAByteOrderMarkAreFine) {
    const Chart chart = parsed("\xEF\xBB\xBF{title: Crlf}\r\n{sov}\r\n[Am]la\r\n{eov}\r\n");
    EXPECT_EQ(chart.title, "Crlf");
    EXPECT_EQ(chart.sections[0].lyrics, std::vector<std::string>{"la"});
}

TEST(ChordProErrors, UnknownDirectiveSuggestsTheClosest) {
    EXPECT_TRUE(failsAt("{title: X}\n{titel: Y}\n", 2, 2, "unknown directive \"titel\"; did you mean \"title\"?"));
    EXPECT_TRUE(
        failsAt("{start_of_vers}\n", 1, 2, "unknown directive \"start_of_vers\"; did you mean \"start_of_verse\"?"));
    EXPECT_TRUE(failsAt("  {Tempoo: 92}\n", 1, 4, "unknown directive \"tempoo\"; did you mean \"tempo\"?"));
    EXPECT_TRUE(failsAt("{foobarbaz}\n", 1, 2, "unknown directive \"foobarbaz\" (known: title,"));
}

TEST(ChordProErrors, UnbalancedBracketsAndBraces) {
    EXPECT_TRUE(
        failsAt("{sov}\n[Am Walking\n{eov}\n", 2, 1, "\"[\" is not closed; a chord is written in brackets, like [Am]"));
    EXPECT_TRUE(failsAt("{sov}\n[Am Walking [F]on\n{eov}\n", 2, 1, "\"[\" is not closed"));
    EXPECT_TRUE(failsAt("{sov}\nAm] Walking\n{eov}\n", 2, 3, "\"]\" without \"[\""));
    EXPECT_TRUE(failsAt("{title: Gravel Road\n", 1, 1, "\"{\" is not closed; a directive ends with \"}\""));
    EXPECT_TRUE(failsAt("{sov}\n[Am]Walking }\n{eov}\n", 2, 13, "\"}\" without \"{\""));
    EXPECT_TRUE(failsAt("{sov}\n[Am]la {c: x}\n{eov}\n", 2, 8, "a directive stands alone on its line"));
    EXPECT_TRUE(failsAt("{title: x} extra\n", 1, 12, "text after the directive"));
    EXPECT_TRUE(failsAt("{sov}\n| Am | [F |\n{eov}\n", 2, 8, "\"[\" is not closed"));
    EXPECT_TRUE(failsAt("{sov}\n| Am } F |\n{eov}\n", 2, 6, "\"}\" does not belong in a bar line"));
    EXPECT_TRUE(failsAt("{ }\n", 1, 1, "empty directive"));
}

TEST(ChordProErrors, ChordsThatDoNotParseAreNamedWhereTheyStand) {
    EXPECT_TRUE(failsAt("{sov}\n[Am]Walking on [Hm]gravel\n{eov}\n", 2, 17,
                        "chord \"Hm\": expected a note A to G at the start (or N.C. for no chord)"));
    EXPECT_TRUE(failsAt("{sov}\n| Am | Xq7 |\n{eov}\n", 2, 8, "chord \"Xq7\""));
    EXPECT_TRUE(failsAt("{sov}\n[Am7x]la\n{eov}\n", 2, 2, "unexpected \"x\" after \"Am7\""));
    EXPECT_TRUE(failsAt("{sov}\n[]la\n{eov}\n", 2, 2, "empty chord []"));
    // Columns count characters: é is two bytes but one column.
    EXPECT_TRUE(failsAt("{sov}\nCaf\xC3\xA9 [Hm]la\n{eov}\n", 2, 7, "chord \"Hm\""));
}

TEST(ChordProErrors, SectionsMustOpenAndCloseInPairs) {
    EXPECT_TRUE(failsAt("{title: x}\n{start_of_chorus}\n[Am]la\n", 2, 1,
                        "chorus opened here is not closed; add {end_of_chorus}"));
    EXPECT_TRUE(failsAt("{sov}\n[Am]la\n{eov}\n{end_of_chorus}\n", 4, 1, "{end_of_chorus} without {start_of_chorus}"));
    EXPECT_TRUE(failsAt("{start_of_verse: V1}\n[Am]la\n{end_of_chorus}\n", 3, 1,
                        "{end_of_chorus} closes the verse \"V1\" opened at 1:1; write {end_of_verse}"));
    EXPECT_TRUE(failsAt("{sov}\n[Am]la\n{soc}\n", 3, 1,
                        "{start_of_chorus} inside the verse opened at 1:1; close that first with {end_of_verse}"));
    EXPECT_TRUE(failsAt("{sov}\n[Am]la\n{eov}\n{start_of_tab}\ne|---\n", 4, 1, "tablature opened here is not closed"));
    EXPECT_TRUE(failsAt("{eot}\n", 1, 1, "{end_of_tab} without {start_of_tab}"));
}

TEST(ChordProErrors, ASectionNeedsBars) {
    EXPECT_TRUE(
        failsAt("{sov}\n[Am]la\n{eov}\n{start_of_bridge: Bridge}\njust words\n{end_of_bridge}\n", 4, 1,
                "bridge \"Bridge\" has no bars; give it chords ([Am] over the lyrics) or a bar line (| Am | F |)"));
    EXPECT_TRUE(failsAt("{sov}\n{eov}\n", 1, 1, "verse has no bars"));
    EXPECT_TRUE(
        failsAt("{title: x}\nwords alone\n{sov}\n[Am]la\n{eov}\n", 2, 1, "lines outside any section have no chords"));
    EXPECT_TRUE(failsAt("{title: x}\n# nothing else\n", 1, 1, "the chart has no chords"));
}

TEST(ChordProErrors, BadSettingValues) {
    EXPECT_TRUE(
        failsAt("{tempo: fast}\n", 1, 9, "tempo \"fast\" is not a tempo; expected beats per minute from 20 to 400"));
    EXPECT_TRUE(failsAt("{tempo: 500}\n", 1, 9, "tempo \"500\" is not a tempo"));
    EXPECT_TRUE(failsAt("{tempo}\n", 1, 7, "tempo \"\" is not a tempo"));
    EXPECT_TRUE(failsAt("{time: 4-4}\n", 1, 8, "time \"4-4\" is not a meter; expected beats per bar / note value"));
    EXPECT_TRUE(failsAt("{time: 4/3}\n", 1, 8, "time \"4/3\" is not a meter"));
    EXPECT_TRUE(failsAt("{time: 0/4}\n", 1, 8, "time \"0/4\" is not a meter"));
    EXPECT_TRUE(failsAt("{key: H}\n", 1, 7, "key \"H\" does not start with a note name"));
    EXPECT_TRUE(failsAt("{key: A dorain}\n", 1, 7, "did you mean \"dorian\"?"));
    EXPECT_TRUE(failsAt("{capo: -1}\n", 1, 8, "capo \"-1\" is not a fret; expected 0 to 24"));
    EXPECT_TRUE(failsAt("{bars_per_chord: 0}\n", 1, 18, "bars_per_chord \"0\" is not a chord length"));
    EXPECT_TRUE(failsAt("{title}\n", 1, 1, "{title} needs a value, like {title: …}"));
    EXPECT_TRUE(failsAt("{sov}\n[Am]la\n{key: C}\n{eov}\n", 3, 1,
                        "{key} inside the verse opened at 1:1; change it between sections"));
}

TEST(ChordProErrors, BarsThatDoNotFitTheMeter) {
    EXPECT_TRUE(failsAt("{sov}\n| Am F C |\n{eov}\n", 2, 3,
                        "3 entries in a bar of 4/4; a bar splits into equal parts, so write 1, 2, 4 entries"));
    EXPECT_TRUE(failsAt("{time: 3/4}\n{sov}\n| Am F |\n{eov}\n", 3, 3,
                        "2 entries in a bar of 3/4; a bar splits into equal parts, so write 1, 3 entries"));
    EXPECT_TRUE(
        failsAt("{sov}\n| . Am |\n{eov}\n", 2, 3, "\".\" holds the chord before it, but the verse has no chord yet"));
    EXPECT_TRUE(
        failsAt("{sov}\n| % |\n{eov}\n", 2, 3, "% repeats the bar before, but this is the section's first bar"));
    EXPECT_TRUE(
        failsAt("{sov}\n| Am % |\n{eov}\n", 2, 6, "% repeats a whole bar, so it stands alone between bar lines"));
    EXPECT_TRUE(failsAt("{sov}\n| Am | | F |\n{eov}\n", 2, 6,
                        "empty bar; write a chord, . to hold or % to repeat the bar before"));
}

TEST(ChordProErrors, ChorusRepeatNeedsAChorusBefore) {
    EXPECT_TRUE(failsAt("{chorus}\n", 1, 1, "{chorus} repeats the last chorus, but none came before"));
    EXPECT_TRUE(failsAt("{soc}\n[Am]la\n{eoc}\n{sov}\n[F]la\n{chorus}\n{eov}\n", 6, 1,
                        "{chorus} inside the verse opened at 4:1; close it first with {end_of_verse}"));
}

TEST(ChordProErrors, MissingAndFolderFilesAreReported) {
    auto missing = loadChordPro("/nonexistent/song.cho");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, reel::ErrorCode::fileNotFound);
    EXPECT_EQ(missing.error().message, "/nonexistent/song.cho: no such file");
    auto folder = loadChordPro("/tmp");
    ASSERT_FALSE(folder);
    EXPECT_EQ(folder.error().code, reel::ErrorCode::fileUnreadable);
}
