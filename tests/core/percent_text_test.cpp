#include "core/percent_text.hpp"

#include <gtest/gtest.h>

using namespace reel;

TEST(PercentText, PercentagesAndRatiosMeanTheSame) {
    EXPECT_DOUBLE_EQ(*parsePercent("35%"), 0.35);
    EXPECT_DOUBLE_EQ(*parsePercent("35 %"), 0.35);
    EXPECT_DOUBLE_EQ(*parsePercent("0.35"), 0.35);
    EXPECT_DOUBLE_EQ(*parsePercent("100%"), 1.0);
    EXPECT_DOUBLE_EQ(*parsePercent("-40%"), -0.4);
    EXPECT_DOUBLE_EQ(*parsePercent("+12.5%"), 0.125);
}

TEST(PercentText, OtherTextSaysWhatToWrite) {
    for (const char* bad : {"35dB", "abc", "%", "", "35%%", "0.3.5"}) {
        auto r = parsePercent(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::parseError);
        EXPECT_NE(r.error().message.find("35% or 0.35"), std::string::npos) << r.error().message;
    }
}
