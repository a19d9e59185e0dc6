// Roman numerals: diatonic chords, minor keys' raised degrees, borrowed chords, secondary
// dominants and leading-tone chords by the documented rule, slash basses as scale degrees.
#include <gtest/gtest.h>

#include "compose/roman_numeral.hpp"

using namespace reel::compose;

namespace {

struct Case {
    const char* chord;
    const char* numeral;
};

void expectNumerals(const char* keyName, std::initializer_list<Case> cases) {
    const Key key = Key::parse(keyName).value();
    for (const Case& c : cases) {
        auto chord = Chord::parse(c.chord);
        ASSERT_TRUE(chord) << c.chord;
        EXPECT_EQ(romanNumeral(*chord, key), c.numeral) << c.chord << " in " << keyName;
    }
}

}  // namespace

TEST(RomanNumeral, DiatonicChordsInMajor) {
    expectNumerals("C", {{"C", "I"},
                         {"Dm", "ii"},
                         {"Em", "iii"},
                         {"F", "IV"},
                         {"G", "V"},
                         {"Am", "vi"},
                         {"Bdim", "vii\xC2\xB0"},
                         {"Cmaj7", "Imaj7"},
                         {"Dm7", "ii7"},
                         {"Em7", "iii7"},
                         {"Fmaj7", "IVmaj7"},
                         {"G7", "V7"},
                         {"Am7", "vi7"},
                         {"Bm7b5",
                          "vii\xC3\xB8"
                          "7"},
                         {"G9", "V9"},
                         {"G13", "V13"},
                         {"Dm9", "ii9"},
                         {"F6", "IV6"},
                         {"Csus4", "Isus4"},
                         {"G7sus4", "V7sus4"},
                         {"Cadd9", "Iadd9"},
                         {"C5", "I5"},
                         {"N.C.", "N.C."}});
}

TEST(RomanNumeral, MinorKeysTakeTheNaturalAndRaisedSixthAndSeventhUnmarked) {
    expectNumerals("Am", {{"Am", "i"},
                          {"Bdim", "ii\xC2\xB0"},
                          {"Bm7b5",
                           "ii\xC3\xB8"
                           "7"},
                          {"C", "III"},
                          {"Dm", "iv"},
                          {"Dm7", "iv7"},
                          {"D", "IV"},
                          {"Em", "v"},
                          {"E", "V"},
                          {"E7", "V7"},
                          {"F", "VI"},
                          {"Fmaj7", "VImaj7"},
                          {"G", "VII"},
                          {"G7", "VII7"},
                          {"G#dim", "vii\xC2\xB0"},
                          {"G#dim7",
                           "vii\xC2\xB0"
                           "7"},
                          {"Caug", "III+"},
                          {"AmMaj7", "imaj7"}});
    expectNumerals("Gm", {{"D7", "V7"},
                          {"Gm", "i"},
                          {"Eb", "VI"},
                          {"F", "VII"},
                          {"F#dim7",
                           "vii\xC2\xB0"
                           "7"}});
}

TEST(RomanNumeral, BorrowedChordsGetAccidentalsByTheirLetter) {
    expectNumerals("C", {{"Bb", "bVII"},
                         {"Ab", "bVI"},
                         {"Eb", "bIII"},
                         {"Fm", "iv"},
                         {"Fm6", "iv6"},
                         {"D", "II"},
                         {"Db", "bII"},
                         {"Dbmaj7", "bIImaj7"},
                         {"Bb7", "bVII7"},
                         {"Caug", "I+"},
                         {"C#dim", "#i\xC2\xB0"},
                         {"E", "III"},
                         {"Gm", "v"},
                         {"Cm", "i"}});
}

TEST(RomanNumeral, DominantSeventhsOutsideTheKeyAreSecondaryDominants) {
    // The rule: a dominant seventh whose notes leave the key and that resolves a fifth down to
    // a major or minor degree (not the tonic) is V7/x; a plain major triad is not.
    expectNumerals("C", {{"D7", "V7/V"},
                         {"E7", "V7/vi"},
                         {"A7", "V7/ii"},
                         {"B7", "V7/iii"},
                         {"C7", "V7/IV"},
                         {"D9", "V9/V"},
                         {"E7b9", "V7b9/vi"},
                         {"D7/F#", "V7/V/#4"},
                         {"D", "II"},
                         {"G7", "V7"},
                         {"G7b9", "V7b9"},
                         {"F#7", "#IV7"},
                         {"C#dim7",
                          "vii\xC2\xB0"
                          "7/ii"},
                         {"F#m7b5",
                          "vii\xC3\xB8"
                          "7/V"},
                         {"G#dim7",
                          "vii\xC2\xB0"
                          "7/vi"},
                         {"Bdim7",
                          "vii\xC2\xB0"
                          "7"}});
    expectNumerals("Am", {{"B7", "V7/V"}, {"C7", "V7/VI"}, {"A7", "V7/iv"}, {"D7", "IV7"}, {"E7", "V7"}});
    expectNumerals("G", {{"A7", "V7/V"}, {"E7", "V7/ii"}, {"D7", "V7"}});
}

TEST(RomanNumeral, SlashBassIsWrittenAsItsScaleDegree) {
    expectNumerals(
        "C", {{"C/E", "I/3"}, {"C/G", "I/5"}, {"G/B", "V/7"}, {"Am7/G", "vi7/5"}, {"C/Bb", "I/b7"}, {"F/C", "IV/1"}});
    expectNumerals("G", {{"D/F#", "V/7"}, {"C/G", "IV/1"}});
    expectNumerals("Am", {{"Am/G#", "i/7"}, {"Am/G", "i/7"}, {"E/G#", "V/7"}, {"Am/C", "i/3"}});
}

TEST(RomanNumeral, ModesCountOnTheirOwnScale) {
    expectNumerals("D dorian", {{"Dm", "i"}, {"G", "IV"}, {"C", "VII"}, {"Em", "ii"}, {"F", "III"}});
    expectNumerals("G mixolydian", {{"G", "I"}, {"F", "VII"}, {"C", "IV"}, {"Dm", "v"}});
    expectNumerals("Bb", {{"F7", "V7"}, {"Eb", "IV"}, {"Cm7", "ii7"}, {"Ab", "bVII"}});
    expectNumerals("F#", {{"C#7", "V7"}, {"D#m", "vi"}, {"E#dim", "vii\xC2\xB0"}, {"Fdim", "bi\xC2\xB0"}});
}

TEST(RomanNumeral, ScaleDegreesCarryTheirAccidentals) {
    const Key c = Key::parse("C").value();
    EXPECT_EQ(scaleDegree(Note::parse("E").value(), c), "3");
    EXPECT_EQ(scaleDegree(Note::parse("Bb").value(), c), "b7");
    EXPECT_EQ(scaleDegree(Note::parse("F#").value(), c), "#4");
    EXPECT_EQ(scaleDegree(Note::parse("Gb").value(), c), "b5");
}
