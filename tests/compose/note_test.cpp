// Spelled notes and intervals: names, pitch classes, interval qualities, moving notes by intervals.
#include <gtest/gtest.h>

#include "compose/interval.hpp"
#include "compose/note.hpp"

using namespace reel::compose;

namespace {
Note note(const char* name) { return Note::parse(name).value(); }
}  // namespace

TEST(Note, NamesGiveSpellingAndPitchClass) {
    struct Case {
        const char* text;
        Letter letter;
        int accidental;
        int pitchClass;
        const char* printed;
    };
    const Case cases[] = {
        {"C", Letter::C, 0, 0, "C"},
        {"C#", Letter::C, 1, 1, "C#"},
        {"Db", Letter::D, -1, 1, "Db"},
        {"B#", Letter::B, 1, 0, "B#"},
        {"Cb", Letter::C, -1, 11, "Cb"},
        {"E#", Letter::E, 1, 5, "E#"},
        {"Fb", Letter::F, -1, 4, "Fb"},
        {"F##", Letter::F, 2, 7, "F##"},
        {"Fx", Letter::F, 2, 7, "F##"},
        {"Bbb", Letter::B, -2, 9, "Bbb"},
        {"A", Letter::A, 0, 9, "A"},
        {"G#", Letter::G, 1, 8, "G#"},
        {"E\xE2\x99\xAD", Letter::E, -1, 3, "Eb"},
        {"F\xE2\x99\xAF", Letter::F, 1, 6, "F#"},
        {"G\xF0\x9D\x84\xAA", Letter::G, 2, 9, "G##"},
        {"D\xF0\x9D\x84\xAB", Letter::D, -2, 0, "Dbb"},
    };
    for (const Case& c : cases) {
        auto parsed = Note::parse(c.text);
        ASSERT_TRUE(parsed) << c.text << ": " << parsed.error().message;
        EXPECT_EQ(parsed->letter, c.letter) << c.text;
        EXPECT_EQ(parsed->accidental, c.accidental) << c.text;
        EXPECT_EQ(parsed->pitchClass(), c.pitchClass) << c.text;
        EXPECT_EQ(parsed->toString(), c.printed) << c.text;
    }
}

TEST(Note, BadNamesSayWhatWasExpected) {
    for (const char* text : {"H", "c", "", "C###", "Dbbb", "C#b", "C7"}) {
        auto parsed = Note::parse(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_NE(parsed.error().message.find("expected a letter A to G"), std::string::npos) << parsed.error().message;
    }
}

TEST(Note, ReadNoteTakesTheLongestSpellingAtTheStart) {
    auto read = readNote("Bbmaj7");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->note, (Note{Letter::B, -1}));
    EXPECT_EQ(read->length, 2u);
    EXPECT_EQ(readNote("Bbb5")->length, 3u);  // B double flat, then the power chord's 5
    EXPECT_EQ(readNote("C#b9")->length, 2u);  // a flat after a sharp belongs to what follows
    EXPECT_FALSE(readNote("m7"));
}

TEST(Note, PitchClassesAreSpelledWithTheAskedAccidentals) {
    const char* sharps[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    const char* flats[] = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};
    for (int pc = 0; pc < 12; ++pc) {
        EXPECT_EQ(spellPitchClass(pc, Accidentals::sharps).toString(), sharps[pc]);
        EXPECT_EQ(spellPitchClass(pc, Accidentals::flats).toString(), flats[pc]);
    }
    EXPECT_EQ(spellPitchClass(-1, Accidentals::flats).toString(), "B");
    EXPECT_EQ(spellPitchClass(13, Accidentals::flats).toString(), "Db");
}

TEST(Note, MidiNumbersFollowTheLetterOctave) {
    EXPECT_EQ(midiNumber(note("C"), 4), 60);
    EXPECT_EQ(midiNumber(note("A"), 4), 69);
    EXPECT_EQ(midiNumber(note("B#"), 3), 60);
    EXPECT_EQ(midiNumber(note("Cb"), 4), 59);
    EXPECT_EQ(midiNumber(note("C"), -1), 0);
}

TEST(Interval, BetweenNotesNamesTheSpelledInterval) {
    struct Case {
        const char* from;
        const char* to;
        const char* name;
        int semitones;
    };
    const Case cases[] = {
        {"C", "C", "P1", 0},    {"C", "Db", "m2", 1},  {"C", "D", "M2", 2},   {"C", "D#", "A2", 3},
        {"C", "Eb", "m3", 3},   {"C", "E", "M3", 4},   {"C", "Fb", "d4", 4},  {"C", "F", "P4", 5},
        {"C", "F#", "A4", 6},   {"C", "Gb", "d5", 6},  {"C", "G", "P5", 7},   {"C", "G#", "A5", 8},
        {"C", "Ab", "m6", 8},   {"C", "A", "M6", 9},   {"C", "Bbb", "d7", 9}, {"C", "Bb", "m7", 10},
        {"C", "B", "M7", 11},   {"E", "C", "m6", 8},   {"B", "F", "d5", 6},   {"A", "G#", "M7", 11},
        {"F#", "C", "d5", 6},   {"Bb", "A", "M7", 11}, {"B#", "C", "d2", 0},  {"G", "F", "m7", 10},
        {"Eb", "C", "M6", 9},   {"C", "B#", "A7", 0},  {"C#", "Bb", "d7", 9}, {"Cb", "F", "A4", 6},
        {"Cb", "F#", "AA4", 7},
    };
    for (const Case& c : cases) {
        const Interval interval = Interval::between(note(c.from), note(c.to));
        EXPECT_EQ(interval.name(), c.name) << c.from << " -> " << c.to;
        EXPECT_EQ(interval.semitones, c.semitones) << c.from << " -> " << c.to;
    }
}

TEST(Interval, NamesParseBackAndInvert) {
    for (const char* name : {"P1", "m2", "M2", "A2", "d3", "m3", "M3", "A3", "d4", "P4",  "A4", "d5",
                             "P5", "A5", "d6", "m6", "M6", "A6", "d7", "m7", "M7", "AA4", "dd5"}) {
        auto interval = Interval::parse(name);
        ASSERT_TRUE(interval) << name;
        EXPECT_EQ(interval->name(), name);
        const Interval back = interval->inverted().inverted();
        EXPECT_EQ(back, *interval) << name;
    }
    EXPECT_EQ(Interval::parse("M3")->inverted().name(), "m6");
    EXPECT_EQ(Interval::parse("A4")->inverted().name(), "d5");
    EXPECT_EQ(Interval::parse("P1")->inverted().name(), "P1");
    EXPECT_EQ(Interval::parse("m2")->inverted().name(), "M7");
    for (const char* bad : {"", "M", "P3", "M4", "x5", "m8", "3"}) EXPECT_FALSE(Interval::parse(bad)) << bad;
}

TEST(Interval, TransposingANoteSpellsByLetters) {
    auto up = [](const char* from, const char* interval) {
        return transposeNote(note(from), Interval::parse(interval).value()).toString();
    };
    EXPECT_EQ(up("C", "M3"), "E");
    EXPECT_EQ(up("E", "M3"), "G#");
    EXPECT_EQ(up("Ab", "M3"), "C");
    EXPECT_EQ(up("Gb", "P4"), "Cb");
    EXPECT_EQ(up("F#", "P5"), "C#");
    EXPECT_EQ(up("G#", "M2"), "A#");
    EXPECT_EQ(up("D#", "M3"), "F##");
    EXPECT_EQ(up("C", "d7"), "Bbb");
    EXPECT_EQ(up("B", "m2"), "C");
    EXPECT_EQ(up("G##", "M3"), "B##");
    // Beyond a double sharp the pitch is respelled on the nearest letter.
    EXPECT_EQ(up("B##", "M3"), "F");
    EXPECT_EQ(up("Fbb", "d4"), "G");
}

TEST(Interval, UpThenByTheInversionIsTheSameNote) {
    const char* notes[] = {"C", "C#", "Db", "D",  "Eb", "E",  "F",  "F#", "Gb",
                           "G", "Ab", "A",  "Bb", "B",  "Cb", "B#", "E#", "Fb"};
    for (const char* name : notes)
        for (const char* interval : {"m2", "M2", "m3", "M3", "P4", "A4", "d5", "P5", "m6", "M6", "m7", "M7"}) {
            const Interval i = Interval::parse(interval).value();
            EXPECT_EQ(transposeNote(transposeNote(note(name), i), i.inverted()), note(name)) << name << " " << interval;
        }
}
