#include "compose/style.hpp"

#include <gtest/gtest.h>

namespace reel::compose {
namespace {

const char* kMinimal =
    "style: tiny\n"
    "tempo: {min: 80, max: 120, default: 100}\n"
    "humanize: {timing: 5ms, velocity: 4}\n"
    "instruments:\n"
    "  - {name: Drums, role: drums, program: 0}\n"
    "  - {name: Bass, role: bass, program: 33, volume: -6dB, chain: [{eq: {highpass: 35Hz}}]}\n"
    "drums:\n"
    "  patterns:\n"
    "    - {kick: \"x...x...\", snare: \"..x...x.\"}\n";

TEST(Style, ReadsTheMinimalStyle) {
    auto style = parseStyle(kMinimal, "tiny.yaml");
    ASSERT_TRUE(style) << style.error().message;
    EXPECT_EQ(style->name, "tiny");
    EXPECT_EQ(style->instruments.size(), 2u);
    EXPECT_EQ(style->instruments[1].program, 33);
    EXPECT_DOUBLE_EQ(style->instruments[1].volumeDb, -6.0);
    EXPECT_NE(style->instruments[1].chainYaml.find("highpass"), std::string::npos);
    EXPECT_DOUBLE_EQ(style->humanize.timingMs, 5.0);
    EXPECT_EQ(style->humanize.velocity, 4);
    EXPECT_EQ(style->drumPatterns.at(0).grids.at("kick"), "x...x...");
}

void expectError(const std::string& text, const std::string& where, const std::string& what) {
    auto style = parseStyle(text, "bad.yaml");
    ASSERT_FALSE(style) << text;
    EXPECT_NE(style.error().message.find("bad.yaml:" + where + ": "), std::string::npos) << style.error().message;
    EXPECT_NE(style.error().message.find(what), std::string::npos) << style.error().message;
}

TEST(Style, ErrorsNameLineAndColumn) {
    std::string text = kMinimal;
    expectError(text + "    - {kick: \"x..z\"}\n", "10:14", "'z' is not a step");
    expectError(std::string(kMinimal).replace(text.find("role: bass"), 10, "role: tuba"), "6:24", "unknown role \"tuba\"");
    expectError(std::string(kMinimal).replace(text.find("-6dB"), 4, "-6"), "6:51", "volume: level \"-6\" has no unit");
    expectError(text + "swing: 0.5\n", "10:1", "unknown key \"swing\"");
    expectError("style: x\ninstruments: [\n", "3:1", "YAML syntax error");
    expectError(std::string(kMinimal).replace(text.find("5ms"), 3, "500ms"), "3:20", "humanize timing");
}

TEST(Style, MissingFileIsAnError) {
    auto style = loadStyle("/nonexistent/style.yaml");
    ASSERT_FALSE(style);
    EXPECT_EQ(style.error().code, ErrorCode::fileNotFound);
}

}  // namespace
}  // namespace reel::compose
