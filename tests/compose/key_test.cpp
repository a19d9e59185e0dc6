// Keys: every major and minor key's signature and scale, modes, parsing, conventional spelling.
#include <gtest/gtest.h>

#include <string>

#include "compose/key.hpp"

using namespace reel::compose;

namespace {

std::string joined(const std::array<Note, 7>& notes) {
    std::string text;
    for (const Note& n : notes) text += (text.empty() ? "" : " ") + n.toString();
    return text;
}
std::string joined(const std::vector<Note>& notes) {
    std::string text;
    for (const Note& n : notes) text += (text.empty() ? "" : " ") + n.toString();
    return text;
}

struct KeyCase {
    const char* key;
    int fifths;
    const char* scale;
    const char* signature;
};

void expectKeys(const std::vector<KeyCase>& cases) {
    for (const KeyCase& c : cases) {
        auto key = Key::parse(c.key);
        ASSERT_TRUE(key) << c.key << ": " << key.error().message;
        EXPECT_EQ(key->signature().fifths, c.fifths) << c.key;
        EXPECT_EQ(joined(key->scale()), c.scale) << c.key;
        EXPECT_EQ(joined(key->signature().accidentals), c.signature) << c.key;
        PitchClassSet fromScale;
        for (const Note& n : key->scale()) fromScale.insert(n.pitchClass());
        EXPECT_EQ(key->pitchClasses(), fromScale) << c.key;
        EXPECT_EQ(key->pitchClasses().size(), 7) << c.key;
    }
}

}  // namespace

TEST(Key, EveryMajorKeyHasItsSignatureAndScale) {
    expectKeys({
        {"C", 0, "C D E F G A B", ""},
        {"G", 1, "G A B C D E F#", "F#"},
        {"D", 2, "D E F# G A B C#", "F# C#"},
        {"A", 3, "A B C# D E F# G#", "F# C# G#"},
        {"E", 4, "E F# G# A B C# D#", "F# C# G# D#"},
        {"B", 5, "B C# D# E F# G# A#", "F# C# G# D# A#"},
        {"F#", 6, "F# G# A# B C# D# E#", "F# C# G# D# A# E#"},
        {"C#", 7, "C# D# E# F# G# A# B#", "F# C# G# D# A# E# B#"},
        {"F", -1, "F G A Bb C D E", "Bb"},
        {"Bb", -2, "Bb C D Eb F G A", "Bb Eb"},
        {"Eb", -3, "Eb F G Ab Bb C D", "Bb Eb Ab"},
        {"Ab", -4, "Ab Bb C Db Eb F G", "Bb Eb Ab Db"},
        {"Db", -5, "Db Eb F Gb Ab Bb C", "Bb Eb Ab Db Gb"},
        {"Gb", -6, "Gb Ab Bb Cb Db Eb F", "Bb Eb Ab Db Gb Cb"},
        {"Cb", -7, "Cb Db Eb Fb Gb Ab Bb", "Bb Eb Ab Db Gb Cb Fb"},
    });
}

TEST(Key, EveryMinorKeyHasItsSignatureAndScale) {
    expectKeys({
        {"Am", 0, "A B C D E F G", ""},
        {"Em", 1, "E F# G A B C D", "F#"},
        {"Bm", 2, "B C# D E F# G A", "F# C#"},
        {"F#m", 3, "F# G# A B C# D E", "F# C# G#"},
        {"C#m", 4, "C# D# E F# G# A B", "F# C# G# D#"},
        {"G#m", 5, "G# A# B C# D# E F#", "F# C# G# D# A#"},
        {"D#m", 6, "D# E# F# G# A# B C#", "F# C# G# D# A# E#"},
        {"A#m", 7, "A# B# C# D# E# F# G#", "F# C# G# D# A# E# B#"},
        {"Dm", -1, "D E F G A Bb C", "Bb"},
        {"Gm", -2, "G A Bb C D Eb F", "Bb Eb"},
        {"Cm", -3, "C D Eb F G Ab Bb", "Bb Eb Ab"},
        {"Fm", -4, "F G Ab Bb C Db Eb", "Bb Eb Ab Db"},
        {"Bbm", -5, "Bb C Db Eb F Gb Ab", "Bb Eb Ab Db Gb"},
        {"Ebm", -6, "Eb F Gb Ab Bb Cb Db", "Bb Eb Ab Db Gb Cb"},
        {"Abm", -7, "Ab Bb Cb Db Eb Fb Gb", "Bb Eb Ab Db Gb Cb Fb"},
    });
}

TEST(Key, ModesTakeTheirParentMajorsSignature) {
    expectKeys({
        {"D dorian", 0, "D E F G A B C", ""},
        {"E phrygian", 0, "E F G A B C D", ""},
        {"F lydian", 0, "F G A B C D E", ""},
        {"G mixolydian", 0, "G A B C D E F", ""},
        {"B locrian", 0, "B C D E F G A", ""},
        {"C dorian", -2, "C D Eb F G A Bb", "Bb Eb"},
        {"A mixolydian", 2, "A B C# D E F# G", "F# C#"},
        {"Bb lydian", -1, "Bb C D E F G A", "Bb"},
        {"F# phrygian", 2, "F# G A B C# D E", "F# C#"},
        {"C ionian", 0, "C D E F G A B", ""},
        {"A aeolian", 0, "A B C D E F G", ""},
    });
}

TEST(Key, HarmonicAndMelodicMinorRaiseDegreesButKeepTheSignature) {
    expectKeys({
        {"A harmonic minor", 0, "A B C D E F G#", ""},
        {"A melodic minor", 0, "A B C D E F# G#", ""},
        {"C harmonic minor", -3, "C D Eb F G Ab B", "Bb Eb Ab"},
        {"E melodic minor", 1, "E F# G A B C# D#", "F#"},
        {"G# harmonic minor", 5, "G# A# B C# D# E F##", "F# C# G# D# A#"},
    });
}

TEST(Key, SignaturesDescribeThemselves) {
    EXPECT_EQ(Key::parse("C")->signature().toString(), "no sharps or flats");
    EXPECT_EQ(Key::parse("G")->signature().toString(), "1 sharp (F#)");
    EXPECT_EQ(Key::parse("Bbm")->signature().toString(), "5 flats (Bb Eb Ab Db Gb)");
}

TEST(Key, ParsesTheUsualWaysOfWritingAKey) {
    struct Case {
        const char* text;
        const char* full;
        const char* shortName;
    };
    const Case cases[] = {
        {"Am", "A minor", "Am"},
        {"A minor", "A minor", "Am"},
        {"A min", "A minor", "Am"},
        {"A Minor", "A minor", "Am"},
        {"  Am  ", "A minor", "Am"},
        {"A-", "A minor", "Am"},
        {"C", "C major", "C"},
        {"C major", "C major", "C"},
        {"C maj", "C major", "C"},
        {"CM", "C major", "C"},
        {"Bb", "Bb major", "Bb"},
        {"Ebm", "Eb minor", "Ebm"},
        {"F#m", "F# minor", "F#m"},
        {"F# dorian", "F# dorian", "F# dorian"},
        {"D harmonic minor", "D harmonic minor", "D harmonic minor"},
        {"D  Melodic   Minor", "D melodic minor", "D melodic minor"},
        {"A aeolian", "A minor", "Am"},
        {"C ionian", "C major", "C"},
        {"G Mixolydian", "G mixolydian", "G mixolydian"},
    };
    for (const Case& c : cases) {
        auto key = Key::parse(c.text);
        ASSERT_TRUE(key) << c.text << ": " << key.error().message;
        EXPECT_EQ(key->toString(), c.full) << c.text;
        EXPECT_EQ(key->shortName(), c.shortName) << c.text;
        EXPECT_EQ(Key::parse(key->shortName()).value(), *key) << c.text;
        EXPECT_EQ(Key::parse(key->toString()).value(), *key) << c.text;
    }
}

TEST(Key, BadKeysSayWhatWasExpected) {
    auto noNote = Key::parse("H minor");
    ASSERT_FALSE(noNote);
    EXPECT_NE(noNote.error().message.find("does not start with a note name"), std::string::npos);
    EXPECT_NE(noNote.error().message.find("like Am, F# minor or D dorian"), std::string::npos);
    auto typo = Key::parse("D dorain");
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("unknown mode \"dorain\"; did you mean \"dorian\"?"), std::string::npos)
        << typo.error().message;
    auto far = Key::parse("C blues");
    ASSERT_FALSE(far);
    EXPECT_NE(far.error().message.find("unknown mode"), std::string::npos);
    EXPECT_FALSE(Key::parse(""));
    EXPECT_FALSE(Key::parse("a minor"));
}

TEST(Key, ConventionalSpellingHasTheFewestAccidentalsAndFlatsOnATie) {
    const char* majors[] = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};
    const char* minors[] = {"Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm"};
    for (int pc = 0; pc < 12; ++pc) {
        EXPECT_EQ(conventionalKey(pc, Mode::major).shortName(), majors[pc]) << pc;
        EXPECT_EQ(conventionalKey(pc, Mode::minor).shortName(), minors[pc]) << pc;
        EXPECT_LE(std::abs(conventionalKey(pc, Mode::major).signature().fifths), 6);
    }
    EXPECT_EQ(conventionalKey(6, Mode::dorian).toString(), "F# dorian");  // 4 sharps, not Gb dorian's 8 flats
    EXPECT_EQ(conventionalKey(-3, Mode::minor).shortName(), "Am");        // any integer wraps
}

TEST(Key, RelativeKeysShareTheirPitchClasses) {
    EXPECT_EQ(Key::parse("Am")->pitchClasses(), Key::parse("C")->pitchClasses());
    EXPECT_EQ(Key::parse("D dorian")->pitchClasses(), Key::parse("C")->pitchClasses());
    EXPECT_EQ(Key::parse("C")->pitchClasses(), (PitchClassSet{0, 2, 4, 5, 7, 9, 11}));
    EXPECT_EQ(Key::parse("Gm")->pitchClasses(), Key::parse("Bb")->pitchClasses());
    EXPECT_EQ(Key::parse("C")->pitchClasses().transposed(7), Key::parse("G")->pitchClasses());
    EXPECT_EQ(Key::parse("A harmonic minor")->pitchClasses().toString(), "{0,2,4,5,8,9,11}");
}
