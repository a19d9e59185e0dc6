#include "core/note_value.hpp"

#include <gtest/gtest.h>

using namespace reel;

TEST(NoteValue, PlainDottedAndTripletValues) {
    EXPECT_DOUBLE_EQ(parseNoteValue("1/4")->wholeNotes, 0.25);
    EXPECT_DOUBLE_EQ(parseNoteValue("1/8.")->wholeNotes, 0.1875);
    EXPECT_DOUBLE_EQ(parseNoteValue("1/8t")->wholeNotes, 1.0 / 12.0);
    EXPECT_DOUBLE_EQ(parseNoteValue("1/16")->wholeNotes, 0.0625);
    EXPECT_DOUBLE_EQ(parseNoteValue("3/16")->wholeNotes, 0.1875);
    EXPECT_DOUBLE_EQ(parseNoteValue("1/4..")->wholeNotes, 0.4375);
    EXPECT_DOUBLE_EQ(parseNoteValue(" 1/2T ")->wholeNotes, 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(parseNoteValue("1/1")->wholeNotes, 1.0);
}

TEST(NoteValue, DottedEighthAt120BpmIs375Ms) {
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/8."), 120.0, 4).value, 0.375);
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/4"), 120.0, 4).value, 0.5);
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/8t"), 120.0, 4).value, 1.0 / 6.0);
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/16"), 90.0, 4).value, 60.0 / 90.0 / 4.0);
}

TEST(NoteValue, TheTempoCountsTheMetersBeatUnit) {
    // 6/8 at 120: 120 eighths a minute (session.hpp's convention), so an eighth is 0.5 s.
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/8"), 120.0, 8).value, 0.5);
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/4."), 120.0, 8).value, 1.5);
    // 2/2 at 60: a half note per second, so a quarter is 0.5 s.
    EXPECT_DOUBLE_EQ(noteValueSeconds(*parseNoteValue("1/4"), 60.0, 2).value, 0.5);
}

TEST(NoteValue, BadTextSaysWhatToWrite) {
    for (const char* bad : {"1/3", "1/0", "0/4", "x/4", "1/4x", "1/", "/4", "1/256", "1.5/4", "375ms"}) {
        auto r = parseNoteValue(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().message.find("1/8. (dotted)"), std::string::npos) << r.error().message;
    }
    EXPECT_TRUE(looksLikeNoteValue("1/8."));
    EXPECT_FALSE(looksLikeNoteValue("375ms"));
}
