// Transposition: target keys spelled the usual way, notes keeping their function, and round
// trips that return every key and chord exactly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compose/transpose.hpp"

using namespace reel::compose;

namespace {

Key key(const char* name) { return Key::parse(name).value(); }
Chord chord(const char* symbol) { return Chord::parse(symbol).value(); }

std::string moved(const char* symbol, int semitones, const char* inKey) {
    return transposeChord(chord(symbol), semitones, key(inKey)).toString();
}

// Chords a song in a key may hold: the diatonic ones, borrowed ones, secondary dominants,
// slash chords and altered dominants, written relative to the key's tonic below.
const std::vector<std::pair<int, const char*>> kMajorProgression = {
    {0, "maj7"}, {2, "m7"},  {4, "m7"}, {5, "maj7/0"}, {7, "7"},  {9, "m7"},  {11, "m7b5"},
    {2, "7"},    {4, "7b9"}, {10, ""},  {8, ""},       {5, "m6"}, {7, "/11"}, {1, "dim7"},
};

}  // namespace

TEST(Transpose, TargetKeysTakeTheirUsualSpelling) {
    EXPECT_EQ(transposeKey(key("Am"), 2).shortName(), "Bm");
    EXPECT_EQ(transposeKey(key("Am"), 1).shortName(), "Bbm");
    EXPECT_EQ(transposeKey(key("Am"), -1).shortName(), "G#m");
    EXPECT_EQ(transposeKey(key("C"), 6).shortName(), "Gb");
    EXPECT_EQ(transposeKey(key("C"), -1).shortName(), "B");
    EXPECT_EQ(transposeKey(key("C"), 1).shortName(), "Db");
    EXPECT_EQ(transposeKey(key("Em"), 11).shortName(), "Ebm");
    EXPECT_EQ(transposeKey(key("D dorian"), 4).toString(), "F# dorian");
    // Moving by whole octaves keeps the key as written, however it is spelled.
    EXPECT_EQ(transposeKey(key("A#m"), 0).shortName(), "A#m");
    EXPECT_EQ(transposeKey(key("C#"), 12).shortName(), "C#");
}

TEST(Transpose, FlatKeysGetFlatsAndSharpKeysSharps) {
    std::vector<std::string> up3, up2;
    for (const char* symbol : {"C", "F", "G7", "Bb", "Am", "E7", "Dm7/C"}) {
        up3.push_back(moved(symbol, 3, "C"));
        up2.push_back(moved(symbol, 2, "C"));
    }
    EXPECT_EQ(up3, (std::vector<std::string>{"Eb", "Ab", "Bb7", "Db", "Cm", "G7", "Fm7/Eb"}));
    EXPECT_EQ(up2, (std::vector<std::string>{"D", "G", "A7", "C", "Bm", "F#7", "Em7/D"}));
}

TEST(Transpose, NotesKeepTheirFunctionInTheNewKey) {
    // In A minor the leading tone G# becomes A in Bb minor, not Bb; E7 (V7) becomes F7.
    EXPECT_EQ(moved("E7", 1, "Am"), "F7");
    EXPECT_EQ(moved("G#dim", 1, "Am"), "Adim");
    EXPECT_EQ(moved("Am/G#", 1, "Am"), "Bbm/A");
    EXPECT_EQ(moved("E7", -1, "Am"), "D#7");  // G# minor's dominant
    EXPECT_EQ(moved("B7", 4, "Am"), "D#7");   // V7/V in C# minor
    EXPECT_EQ(moved("F", 6, "Am"), "Cb");     // VI of Eb minor (six flats beats D# minor's six sharps)
}

TEST(Transpose, WithoutAKeyTheNewRootTakesItsUsualSpelling) {
    EXPECT_EQ(transposeChord(chord("C"), 1).toString(), "Db");
    EXPECT_EQ(transposeChord(chord("Am"), 1).toString(), "Bbm");
    EXPECT_EQ(transposeChord(chord("Am"), 3).toString(), "Cm");
    EXPECT_EQ(transposeChord(chord("F#m7"), 3).toString(), "Am7");
    EXPECT_EQ(transposeChord(chord("G/B"), 2).toString(), "A/C#");
    EXPECT_EQ(transposeChord(chord("D7"), 4).toString(), "Gb7");  // Gb and F# major tie at six; flats win
    EXPECT_EQ(transposeChord(chord("D7"), 5).toString(), "G7");
    EXPECT_EQ(transposeChord(chord("N.C."), 4).toString(), "N.C.");
}

TEST(Transpose, RoundTripsReturnEveryKeyAndChordExactly) {
    for (Mode mode : {Mode::major, Mode::minor, Mode::dorian, Mode::mixolydian}) {
        for (int tonic = 0; tonic < 12; ++tonic) {
            const Key home = conventionalKey(tonic, mode);
            std::vector<Chord> song;
            for (auto [offset, suffix] : kMajorProgression) {
                const Note root = transposeNote(
                    home.tonic, Interval::between(Note{Letter::C, 0}, spellPitchClass(offset, Accidentals::flats)));
                std::string symbol = root.toString();
                std::string text = suffix;
                if (auto slash = text.find('/'); slash != std::string::npos) {
                    const int bassOffset = std::stoi(text.substr(slash + 1));
                    const Note bass = transposeNote(
                        home.tonic,
                        Interval::between(Note{Letter::C, 0}, spellPitchClass(bassOffset, Accidentals::sharps)));
                    text = text.substr(0, slash) + "/" + bass.toString();
                }
                song.push_back(chord((symbol + text).c_str()));
            }
            for (int semitones = -11; semitones <= 11; ++semitones) {
                const Key there = transposeKey(home, semitones);
                EXPECT_EQ(transposeKey(there, -semitones), home) << home.toString() << " " << semitones;
                EXPECT_LE(std::abs(there.signature().fifths), 6) << there.toString();
                for (const Chord& c : song) {
                    const Chord away = transposeChord(c, semitones, home);
                    EXPECT_EQ(away.pitchClasses(), c.pitchClasses().transposed(semitones)) << c.toString();
                    const Chord back = transposeChord(away, -semitones, there);
                    EXPECT_EQ(back, c) << c.toString() << " in " << home.toString() << " by " << semitones << " -> "
                                       << away.toString() << " -> " << back.toString();
                }
            }
        }
    }
}
