// Transposed charts: chords and keys move with the spelling of the new key, the ChordPro text is
// rewritten in place, a round trip gives back the original text, and files are written whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compose/chordpro_parser.hpp"
#include "compose/chordpro_writer.hpp"
#include "support/test_signals.hpp"

using namespace reel::compose;

namespace {

const char* kSong = R"(# kept as it is
{title: Round Trip}
{key: Am}
{start_of_verse: Verse 1}
[Am]Walking on [F]gravel, [C]under the [G]sky
| Dm7 . E7 . | Am/G . F#m7b5 . | B7 | E7(b9) |
{end_of_verse}
{key: C major}
{start_of_chorus}
[C]Home [Am7]again [D7]now [G7sus4]
[N.C.]
{end_of_chorus}
)";

Chart parsedSong(const std::string& text) { return parseChordPro(text, "song.cho").value(); }

std::string chordsOf(const Chart& chart) {
    std::string text;
    for (const Section& section : chart.sections)
        for (const Bar& bar : section.bars)
            for (const BarChord& c : bar.chords)
                if (!c.held) text += (text.empty() ? "" : " ") + c.chord.toString();
    return text;
}

std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST(ChordProWriter, TransposingMovesChordsAndKeysWithTheirSpelling) {
    const Chart moved = transposeChart(parsedSong(kSong), 1);
    EXPECT_EQ(moved.key->toString(), "Bb minor");
    EXPECT_EQ(moved.sections[1].key->toString(), "Db major");
    // In Bb minor the leading tone is A; the C major part becomes Db with flats.
    EXPECT_EQ(chordsOf(moved), "Bbm Gb Db Ab Ebm7 F7 Bbm/Ab Gm7b5 C7 F7b9 Db Bbm7 Eb7 Ab7sus4 N.C.");
    EXPECT_EQ(rewriteChordPro(kSong, moved), R"(# kept as it is
{title: Round Trip}
{key: Bbm}
{start_of_verse: Verse 1}
[Bbm]Walking on [Gb]gravel, [Db]under the [Ab]sky
| Ebm7 . F7 . | Bbm/Ab . Gm7b5 . | C7 | F7b9 |
{end_of_verse}
{key: Db major}
{start_of_chorus}
[Db]Home [Bbm7]again [Eb7]now [Ab7sus4]
[N.C.]
{end_of_chorus}
)");
}

TEST(ChordProWriter, SharpKeysGetSharps) {
    const Chart moved = transposeChart(parsedSong(kSong), 2);
    EXPECT_EQ(chordsOf(moved), "Bm G D A Em7 F#7 Bm/A G#m7b5 C#7 F#7b9 D Bm7 E7 A7sus4 N.C.");
}

TEST(ChordProWriter, EveryRoundTripGivesBackTheText) {
    // Chords already in canonical spelling (E7b9, not E7(b9)) come back byte for byte.
    std::string canonical = kSong;
    canonical.replace(canonical.find("E7(b9)"), 6, "E7b9");
    const Chart original = parsedSong(canonical);
    for (int semitones = -11; semitones <= 11; ++semitones) {
        const std::string there = rewriteChordPro(canonical, transposeChart(original, semitones));
        const std::string back = rewriteChordPro(there, transposeChart(parsedSong(there), -semitones));
        EXPECT_EQ(back, canonical) << semitones << "\n" << there;
    }
}

TEST(ChordProWriter, TransposingToAKeyUsesItsSpelling) {
    const Chart sharp = transposeChartTo(parsedSong(kSong), Note::parse("F#").value());
    EXPECT_EQ(sharp.key->toString(), "F# minor");
    EXPECT_EQ(sharp.sections[0].bars[0].chords[0].chord.toString(), "F#m");
    EXPECT_EQ(sharp.sections[1].key->toString(), "A major");
    // Gb minor would need nine flats, so the usual spelling stands in for it.
    EXPECT_EQ(transposeChartTo(parsedSong(kSong), Note::parse("Gb").value()).key->toString(), "F# minor");
    EXPECT_EQ(chordsOf(transposeChartTo(parsedSong(kSong), Note::parse("A").value())), chordsOf(parsedSong(kSong)));

    const Chart inC = parsedSong("{key: C}\n{sov}\n[C] [F] [G7] [Bb]\n{eov}\n");
    EXPECT_EQ(chordsOf(transposeChartTo(inC, Note::parse("Gb").value())), "Gb Cb Db7 Fb");
    EXPECT_EQ(chordsOf(transposeChartTo(inC, Note::parse("F#").value())), "F# B C#7 E");
    EXPECT_EQ(transposeChartTo(inC, Note::parse("F#").value()).key->toString(), "F# major");
}

TEST(ChordProWriter, ChartsWithoutKeyMoveByTheirFirstChord) {
    const Chart chart = parsedSong("{sov}\n[Em] [C] [D] [B7]\n{eov}\n");
    const Chart moved = transposeChart(chart, 1);
    EXPECT_FALSE(moved.key);
    EXPECT_EQ(chordsOf(moved), "Fm Db Eb C7");
}

TEST(ChordProWriter, SavingWritesTheWholeFileAndLeavesNothingElse) {
    const auto dir = reel::test::scratchDir("chordpro-save");
    const auto path = dir / "out.cho";
    ASSERT_TRUE(saveTextFile(path, "{title: A}\n"));
    ASSERT_TRUE(saveTextFile(path, "{title: B}\n"));
    EXPECT_EQ(fileText(path), "{title: B}\n");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
    auto failed = saveTextFile(dir / "missing" / "out.cho", "x");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, reel::ErrorCode::ioError);
    EXPECT_NE(failed.error().message.find("cannot create a temporary file"), std::string::npos)
        << failed.error().message;
    EXPECT_FALSE(saveTextFile(dir, "x"));  // a folder is not a file
}
