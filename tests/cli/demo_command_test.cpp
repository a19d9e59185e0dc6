#include "cli/demo_command.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "cli/cli_test_support.hpp"
#include "session/session_loader.hpp"

namespace reel::cli {
namespace {

std::int64_t frames(const std::filesystem::path& path) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) return -1;
    sf_close(f);
    return info.frames;
}

TEST(DemoCommand, RunsEveryStageAndLeavesASongFolder) {
    const auto dir = test::scratchDir("demo") / "gravel-road";
    auto options = commonOptions();
    const auto command = demoCommand();
    options.insert(options.end(), command.options.begin(), command.options.end());
    auto args = Arguments::parse({dir.string()}, options);
    ASSERT_TRUE(args);
    testing::internal::CaptureStdout();
    ASSERT_EQ(command.run(*args, OutputMode{true, true}), ExitStatus::ok);
    const std::string out = testing::internal::GetCapturedStdout();
    for (const char* stage : {"\"chart\"", "\"arrange\"", "\"midi\"", "\"stems\"", "\"mix\"", "\"master\"", "\"report\""})
        EXPECT_NE(out.find(stage), std::string::npos) << stage << " in " << out;
    EXPECT_NE(out.find("\"integrated_lufs\":-14"), std::string::npos) << out;
    for (const char* f : {"chart.cho", "arrangement.yaml", "session.yaml", "mix.wav", "master.wav", "master-report.json", "master-report.html", "mix-report.txt", "mix-report.json"})
        EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
    auto song = session::loadSession(dir / "session.yaml");
    ASSERT_TRUE(song) << song.error().message;
    // 56 chart bars + break, build and ending (2 each) at 92 bpm in 4/4.
    const auto musicFrames = static_cast<std::int64_t>(62 * 4 * 60.0 / 92.0 * 48000.0);
    const auto mix = frames(dir / "mix.wav");
    EXPECT_GE(mix, musicFrames);
    // Plus the tails: the GM kit's crash cymbal releases for about 7.5 s, the reverb bus
    // rings for 1.5 x its 1.8 s decay.
    EXPECT_LE(mix, musicFrames + 11 * 48000);
    for (const auto& track : song->tracks) {
        std::string name;
        for (unsigned char c : track.name) name += static_cast<char>(std::tolower(c));
        const auto stem = frames(dir / "stems" / (name + ".wav"));
        EXPECT_GE(stem, musicFrames - 2 * static_cast<std::int64_t>(4 * 60.0 / 92.0 * 48000.0)) << track.name;
        EXPECT_LE(stem, mix) << track.name;
    }
}

}  // namespace
}  // namespace reel::cli
