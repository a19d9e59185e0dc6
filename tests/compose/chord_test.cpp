// Chord symbols: a large table of spellings with their tones and canonical names, the folding
// of equivalent spellings, and errors that say what was expected.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "compose/chord.hpp"

using namespace reel::compose;

namespace {

struct ChordCase {
    const char* symbol;     // as written
    const char* canonical;  // Chord::toString()
    const char* notes;      // Chord::notes(), spelled from the root
    const char* bass;       // "" when none
};

// Tones by the rules of chord.hpp: 9 = 1 3 5 7 9, 11 = the whole stack, 13 = 1 3 5 7 9 13
// (the 11 only over a minor third), an alteration replaces its natural degree.
const ChordCase kChords[] = {
    // triads
    {"C", "C", "C E G", ""},
    {"Cm", "Cm", "C Eb G", ""},
    {"Cmin", "Cm", "C Eb G", ""},
    {"Cmi", "Cm", "C Eb G", ""},
    {"C-", "Cm", "C Eb G", ""},
    {"Cdim", "Cdim", "C Eb Gb", ""},
    {"C\xC2\xB0", "Cdim", "C Eb Gb", ""},
    {"Co", "Cdim", "C Eb Gb", ""},
    {"Caug", "Caug", "C E G#", ""},
    {"C+", "Caug", "C E G#", ""},
    {"Csus2", "Csus2", "C D G", ""},
    {"Csus4", "Csus4", "C F G", ""},
    {"Csus", "Csus4", "C F G", ""},
    {"C5", "C5", "C G", ""},
    {"Cmaj", "C", "C E G", ""},
    {"CM", "C", "C E G", ""},
    // sixths
    {"C6", "C6", "C E G A", ""},
    {"Cm6", "Cm6", "C Eb G A", ""},
    {"C6/9", "C6/9", "C E G A D", ""},
    {"C69", "C6/9", "C E G A D", ""},
    {"Cm6/9", "Cm6/9", "C Eb G A D", ""},
    // sevenths
    {"C7", "C7", "C E G Bb", ""},
    {"Cmaj7", "Cmaj7", "C E G B", ""},
    {"CM7", "Cmaj7", "C E G B", ""},
    {"CMaj7", "Cmaj7", "C E G B", ""},
    {"C\xCE\x94"
     "7",
     "Cmaj7", "C E G B", ""},
    {"C\xCE\x94", "Cmaj7", "C E G B", ""},
    {"Cma7", "Cmaj7", "C E G B", ""},
    {"C^7", "Cmaj7", "C E G B", ""},
    {"Cm7", "Cm7", "C Eb G Bb", ""},
    {"Cmin7", "Cm7", "C Eb G Bb", ""},
    {"Cmi7", "Cm7", "C Eb G Bb", ""},
    {"C-7", "Cm7", "C Eb G Bb", ""},
    {"CmMaj7", "CmMaj7", "C Eb G B", ""},
    {"Cmmaj7", "CmMaj7", "C Eb G B", ""},
    {"Cm(maj7)", "CmMaj7", "C Eb G B", ""},
    {"CmM7", "CmMaj7", "C Eb G B", ""},
    {"C-\xCE\x94"
     "7",
     "CmMaj7", "C Eb G B", ""},
    {"Cm7b5", "Cm7b5", "C Eb Gb Bb", ""},
    {"Cm7(b5)", "Cm7b5", "C Eb Gb Bb", ""},
    {"Cmin7b5", "Cm7b5", "C Eb Gb Bb", ""},
    {"C\xC3\xB8", "Cm7b5", "C Eb Gb Bb", ""},
    {"C\xC3\xB8"
     "7",
     "Cm7b5", "C Eb Gb Bb", ""},
    {"Cdim7", "Cdim7", "C Eb Gb Bbb", ""},
    {"C\xC2\xB0"
     "7",
     "Cdim7", "C Eb Gb Bbb", ""},
    {"Co7", "Cdim7", "C Eb Gb Bbb", ""},
    {"Caug7", "C7#5", "C E G# Bb", ""},
    {"C+7", "C7#5", "C E G# Bb", ""},
    {"C7#5", "C7#5", "C E G# Bb", ""},
    {"C7+5", "C7#5", "C E G# Bb", ""},
    {"Caugmaj7", "Cmaj7#5", "C E G# B", ""},
    {"C+M7", "Cmaj7#5", "C E G# B", ""},
    {"C7sus4", "C7sus4", "C F G Bb", ""},
    {"C7sus", "C7sus4", "C F G Bb", ""},
    {"C7sus2", "C7sus2", "C D G Bb", ""},
    // extensions
    {"C9", "C9", "C E G Bb D", ""},
    {"Cmaj9", "Cmaj9", "C E G B D", ""},
    {"CM9", "Cmaj9", "C E G B D", ""},
    {"Cm9", "Cm9", "C Eb G Bb D", ""},
    {"C11", "C11", "C E G Bb D F", ""},
    {"Cm11", "Cm11", "C Eb G Bb D F", ""},
    {"Cmaj11", "Cmaj11", "C E G B D F", ""},
    {"C13", "C13", "C E G Bb D A", ""},
    {"Cmaj13", "Cmaj13", "C E G B D A", ""},
    {"Cm13", "Cm13", "C Eb G Bb D F A", ""},
    {"CmMaj9", "CmMaj9", "C Eb G B D", ""},
    {"C9sus4", "C9sus4", "C F G Bb D", ""},
    {"C13sus4", "C13sus4", "C F G Bb D A", ""},
    {"Cm9b5", "Cm9b5", "C Eb Gb Bb D", ""},
    // added tones
    {"Cadd9", "Cadd9", "C E G D", ""},
    {"Cadd2", "Cadd9", "C E G D", ""},
    {"C(add9)", "Cadd9", "C E G D", ""},
    {"Cm(add9)", "Cmadd9", "C Eb G D", ""},
    {"Cmadd9", "Cmadd9", "C Eb G D", ""},
    {"Cadd11", "Cadd11", "C E G F", ""},
    {"Cadd4", "Cadd11", "C E G F", ""},
    {"Cadd13", "Cadd13", "C E G A", ""},
    {"Csus4add9", "Csus4add9", "C F G D", ""},
    {"Csus2(add11)", "Csus2add11", "C D G F", ""},
    {"C7add13", "C7add13", "C E G Bb A", ""},
    {"C7(13)", "C7add13", "C E G Bb A", ""},
    {"C13add11", "C13add11", "C E G Bb D F A", ""},
    // alterations
    {"C7b9", "C7b9", "C E G Bb Db", ""},
    {"C7#9", "C7#9", "C E G Bb D#", ""},
    {"C7b5", "C7b5", "C E Gb Bb", ""},
    {"C7#11", "C7#11", "C E G Bb F#", ""},
    {"C7b13", "C7b13", "C E G Bb Ab", ""},
    {"C7(b9,#11)", "C7b9#11", "C E G Bb Db F#", ""},
    {"C7(b9, #11)", "C7b9#11", "C E G Bb Db F#", ""},
    {"C7(b9 #11)", "C7b9#11", "C E G Bb Db F#", ""},
    {"C7b9#11", "C7b9#11", "C E G Bb Db F#", ""},
    {"C7(#11,b9)", "C7b9#11", "C E G Bb Db F#", ""},
    {"C7-9", "C7b9", "C E G Bb Db", ""},
    {"C7\xE2\x99\xAD"
     "9",
     "C7b9", "C E G Bb Db", ""},
    {"C7\xE2\x99\xAF"
     "9",
     "C7#9", "C E G Bb D#", ""},
    {"C13b9", "C13b9", "C E G Bb Db A", ""},
    {"C13#11", "C13#11", "C E G Bb D F# A", ""},
    {"C13(#11)", "C13#11", "C E G Bb D F# A", ""},
    {"C9#11", "C9#11", "C E G Bb D F#", ""},
    {"Cmaj7#11", "Cmaj7#11", "C E G B F#", ""},
    {"Cmaj9#11", "Cmaj9#11", "C E G B D F#", ""},
    {"C7#9b13", "C7#9b13", "C E G Bb D# Ab", ""},
    {"C7b9b13", "C7b9b13", "C E G Bb Db Ab", ""},
    {"C7b9#9", "C7b9#9", "C E G Bb Db D#", ""},
    {"C7b5#5", "C7b5#5", "C E Gb G# Bb", ""},
    {"C7(b5,#9)", "C7b5#9", "C E Gb Bb D#", ""},
    {"C(b5)", "C(b5)", "C E Gb", ""},
    {"C(b9)", "C(b9)", "C E G Db", ""},
    {"C(b9,#11)", "C(b9,#11)", "C E G Db F#", ""},
    {"C(b5,#11)", "C(b5,#11)", "C E Gb", ""},  // one note per pitch class: F# is Gb
    {"Cm(b5)", "Cdim", "C Eb Gb", ""},
    {"C(#5)", "Caug", "C E G#", ""},
    {"C9b9", "C7b9", "C E G Bb Db", ""},
    {"C11#11", "C9#11", "C E G Bb D F#", ""},
    {"C6#5", "C6#5", "C E G# A", ""},
    {"Cdimadd9", "Cdimadd9", "C Eb Gb D", ""},
    // slash chords
    {"C/E", "C/E", "C E G", "E"},
    {"C/G", "C/G", "C E G", "G"},
    {"Am7/G", "Am7/G", "A C E G", "G"},
    {"D/F#", "D/F#", "D F# A", "F#"},
    {"G7/B", "G7/B", "G B D F", "B"},
    {"Dm7/C", "Dm7/C", "D F A C", "C"},
    {"C/Bb", "C/Bb", "C E G", "Bb"},
    {"C6/9/E", "C6/9/E", "C E G A D", "E"},
    {"F#7b9/A#", "F#7b9/A#", "F# A# C# E G", "A#"},
    {"C/C", "C", "C E G", ""},
    {"C5/G", "C5/G", "C G", "G"},
    // other roots and spellings
    {"F#m7", "F#m7", "F# A C# E", ""},
    {"Bbmaj7", "Bbmaj7", "Bb D F A", ""},
    {"Ebm", "Ebm", "Eb Gb Bb", ""},
    {"C#dim7", "C#dim7", "C# E G Bb", ""},
    {"Cbmaj7", "Cbmaj7", "Cb Eb Gb Bb", ""},
    {"B#7", "B#7", "B# D## F## A#", ""},
    {"E\xE2\x99\xAD"
     "7",
     "Eb7", "Eb G Bb Db", ""},
    {"F\xE2\x99\xAF"
     "m",
     "F#m", "F# A C#", ""},
    {"Abm7b5", "Abm7b5", "Ab Cb Ebb Gb", ""},
    {"Gb6/9", "Gb6/9", "Gb Bb Db Eb Ab", ""},
    {"Bbb", "Bbb", "Bbb Db Fb", ""},
    {"Cb5", "Cb5", "Cb Gb", ""},
    {"Ab(b5)", "Ab(b5)", "Ab C Ebb", ""},
    {"A7(13)", "A7add13", "A C# E G F#", ""},
    {"G#dim", "G#dim", "G# B D", ""},
    {"Dbaug", "Dbaug", "Db F A", ""},
    {"Esus4", "Esus4", "E A B", ""},
    {"Ebsus2", "Ebsus2", "Eb F Bb", ""},
    {"Fx7", "F##7", "F## A## C## E#", ""},
    // no chord
    {"N.C.", "N.C.", "", ""},
    {"NC", "N.C.", "", ""},
};

std::string joined(const std::vector<Note>& notes) {
    std::string text;
    for (const Note& n : notes) text += (text.empty() ? "" : " ") + n.toString();
    return text;
}

}  // namespace

TEST(Chord, TableOfSymbolsGivesTonesAndCanonicalNames) {
    EXPECT_GE(std::size(kChords), 80u);
    for (const ChordCase& c : kChords) {
        auto chord = Chord::parse(c.symbol);
        ASSERT_TRUE(chord) << c.symbol << ": " << chord.error().message;
        EXPECT_EQ(chord->toString(), c.canonical) << c.symbol;
        EXPECT_EQ(joined(chord->notes()), c.notes) << c.symbol;
        EXPECT_EQ(chord->bass ? chord->bass->toString() : "", c.bass) << c.symbol;
        // The pitch set is the notes' pitch classes plus the bass.
        PitchClassSet expected;
        std::istringstream names(c.notes);
        for (std::string name; names >> name;) expected.insert(Note::parse(name).value().pitchClass());
        if (*c.bass) expected.insert(Note::parse(c.bass).value().pitchClass());
        EXPECT_EQ(chord->pitchClasses(), expected) << c.symbol;
    }
}

TEST(Chord, CanonicalNamesParseBackToTheSameChord) {
    for (const ChordCase& c : kChords) {
        const Chord chord = Chord::parse(c.symbol).value();
        auto again = Chord::parse(chord.toString());
        ASSERT_TRUE(again) << c.symbol << " -> " << chord.toString() << ": " << again.error().message;
        EXPECT_EQ(*again, chord) << c.symbol << " -> " << chord.toString();
    }
}

TEST(Chord, TonesCarryDegreesAndSemitones) {
    const auto tones = Chord::parse("C13b9").value().tones();
    const std::vector<ChordTone> expected = {{1, 0}, {3, 4}, {5, 7}, {7, 10}, {9, 13}, {13, 21}};
    EXPECT_EQ(tones, expected);
    EXPECT_EQ(Chord::parse("Cdim7")->tones().back(), (ChordTone{7, 9}));
    EXPECT_TRUE(Chord::none().tones().empty());
    EXPECT_EQ(Chord::none().pitchClasses().size(), 0);
}

TEST(Chord, SuffixIsTheQualityAlone) {
    EXPECT_EQ(Chord::parse("F#m7b5/E")->suffix(), "m7b5");
    EXPECT_EQ(Chord::parse("Bb")->suffix(), "");
    EXPECT_EQ(Chord::parse("Ab(b9)")->suffix(), "(b9)");
    EXPECT_TRUE(Chord::parse("Ebm")->hasMinorThird());
    EXPECT_TRUE(Chord::parse("Bdim")->hasMinorThird());
    EXPECT_FALSE(Chord::parse("Bsus4")->hasMinorThird());
}

TEST(Chord, BadSymbolsSayWhatWasExpected) {
    struct Case {
        const char* symbol;
        const char* message;
    };
    const Case cases[] = {
        {"H7", "chord \"H7\": expected a note A to G at the start (or N.C. for no chord)"},
        {"am", "chord \"am\": a chord's root is a capital letter; write Am"},
        {"", "empty chord"},
        {"Cq7",
         "chord \"Cq7\": unexpected \"q7\" after \"C\"; expected a quality (m, dim, aug, sus4, 5), a number (6, 7, "
         "9, 11, 13), maj7, an alteration (b5, #5, b9, #9, #11, b13), add9 or /bass"},
        {"Am7x", "unexpected \"x\" after \"Am7\""},
        {"C79", "unexpected \"9\" after \"C7\""},
        {"C2", "unexpected \"2\" after \"C\""},
        {"C7b11", "chord \"C7b11\": \"b11\" is not an alteration; expected b5, #5, b9, #9, #11 or b13"},
        {"C7#13", "\"#13\" is not an alteration"},
        {"C7b", "\"b\" is not an alteration"},
        {"C7(b9", "chord \"C7(b9\": \"(\" at \"(b9\" is not closed; expected \")\""},
        {"C/", "chord \"C/\": expected a bass note (A to G) after \"/\" in \"C/\""},
        {"C/H", "expected a bass note (A to G) after \"/\""},
        {"C/E7", "unexpected \"7\" after \"C/E\""},
        {"Cmsus4", "sus replaces the third, so a minor, diminished or augmented chord cannot be suspended"},
        {"Csus2sus4", "one sus per chord"},
        {"C9add9", "add9 in a chord that already has its 9th"},
        {"Cadd9add9", "add9 is given twice"},
        {"Cadd", "expected 2, 4, 9, 11 or 13 after \"add\" in \"Cadd\""},
        {"Cadd7", "expected 2, 4, 9, 11 or 13 after \"add\""},
        {"C7b9b9", "b9 is given twice"},
        {"C+#5", "the augmented fifth is given twice"},
        {"Cdimb5", "the diminished fifth is given twice"},
        {"C7b9add9", "add9 in a chord that already has its 9th"},
        {"C7add9b9", "add9 clashes with an altered 9th"},
        {"C5b9", "a power chord (5) has only its root and fifth"},
    };
    for (const Case& c : cases) {
        auto chord = Chord::parse(c.symbol);
        ASSERT_FALSE(chord) << c.symbol << " parsed as " << chord->toString();
        EXPECT_EQ(chord.error().code, reel::ErrorCode::parseError);
        EXPECT_NE(chord.error().message.find(c.message), std::string::npos)
            << c.symbol << ": " << chord.error().message;
    }
}

TEST(Chord, TransposingByAnIntervalMovesRootAndBass) {
    const Chord moved = transposeChord(Chord::parse("Am7/G").value(), Interval::parse("M2").value());
    EXPECT_EQ(moved.toString(), "Bm7/A");
    EXPECT_EQ(transposeChord(Chord::none(), Interval::parse("M2").value()).toString(), "N.C.");
}
