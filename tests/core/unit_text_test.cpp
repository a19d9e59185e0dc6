#include "core/unit_text.hpp"

#include <gtest/gtest.h>

using namespace reel;

TEST(UnitText, ParsesDecibelsWithAndWithoutSpaceAndSign) {
    EXPECT_DOUBLE_EQ(parseDecibels("-6dB")->value, -6.0);
    EXPECT_DOUBLE_EQ(parseDecibels("+1.5 dB")->value, 1.5);
    EXPECT_DOUBLE_EQ(parseDecibels("0dB")->value, 0.0);
}

TEST(UnitText, BareNumberWhereUnitIsNeededSaysWhatToWrite) {
    auto r = parseDecibels("-6");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::parseError);
    EXPECT_NE(r.error().message.find("write -6dB"), std::string::npos) << r.error().message;
}

TEST(UnitText, ParsesSecondsAndMilliseconds) {
    EXPECT_DOUBLE_EQ(parseSeconds("12.5s")->value, 12.5);
    EXPECT_DOUBLE_EQ(parseSeconds("250ms")->value, 0.25);
    EXPECT_FALSE(parseSeconds("250"));
    EXPECT_FALSE(parseSeconds("3dB"));
    EXPECT_FALSE(parseSeconds("abc"));
}

TEST(UnitText, ParsesHertzAndKilohertz) {
    EXPECT_DOUBLE_EQ(parseHertz("80Hz")->value, 80.0);
    EXPECT_DOUBLE_EQ(parseHertz("2.5kHz")->value, 2500.0);
    EXPECT_FALSE(parseHertz("80"));
}

TEST(UnitText, ParsesBarBeat) {
    auto p = parseBarBeat("9:2.5");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->bar, 9);
    EXPECT_DOUBLE_EQ(p->beat, 2.5);
    EXPECT_FALSE(parseBarBeat("0:1"));
    EXPECT_FALSE(parseBarBeat("1.5:1"));
    EXPECT_FALSE(parseBarBeat("x:1"));
    EXPECT_TRUE(looksLikeBarBeat("9:1"));
    EXPECT_FALSE(looksLikeBarBeat("9s"));
}
