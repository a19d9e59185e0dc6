#include "cli/arrange_command.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "cli/cli_test_support.hpp"
#include "compose/midi_file.hpp"
#include "compose/arrangement_file.hpp"
#include "session/session_loader.hpp"

namespace reel::cli {
namespace {

const char* kShortChart =
    "{title: Short}\n{key: G}\n{tempo: 120}\n"
    "{start_of_verse}\n| G | Em |\n{end_of_verse}\n"
    "{start_of_chorus}\n| C | D |\n{end_of_chorus}\n"
    "{chorus}\n";

ExitStatus runArrange(const std::vector<std::string>& args, OutputMode mode = {false, true}) {
    auto options = commonOptions();
    const auto command = arrangeCommand();
    options.insert(options.end(), command.options.begin(), command.options.end());
    auto parsed = Arguments::parse(args, options);
    EXPECT_TRUE(parsed) << parsed.error().message;
    return command.run(*parsed, mode);
}

double fileSeconds(const std::filesystem::path& path) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) return -1;
    sf_close(f);
    return static_cast<double>(info.frames) / info.samplerate;
}

TEST(ArrangeCommand, WritesASongFolderThatRenders) {
    const auto dir = test::scratchDir("arrange-e2e");
    test::writeText(dir / "short.cho", kShortChart);
    const auto song = dir / "song";
    ASSERT_EQ(runArrange({(dir / "short.cho").string(), "--style", "pop", "-o", song.string()}), ExitStatus::ok);
    for (const char* f : {"session.yaml", "arrangement.yaml", "chart.cho", "parts/drums.mid", "parts/bass.mid", "parts/piano.mid", "parts/strings.mid"})
        EXPECT_TRUE(std::filesystem::exists(song / f)) << f;
    auto drums = compose::readMidiFile(song / "parts/drums.mid");
    ASSERT_TRUE(drums) << drums.error().message;
    EXPECT_EQ(drums->format, compose::MidiFormat::multiTrack);
    ASSERT_FALSE(drums->tempo.changes().empty());
    EXPECT_EQ(drums->tempo.changes()[0].microsecondsPerQuarter, 500000);
    ASSERT_FALSE(drums->meter.changes().empty());
    for (const auto& n : drums->tracks.at(0).notes) EXPECT_EQ(n.channel, 9);

    auto session = session::loadSession(song / "session.yaml");
    ASSERT_TRUE(session) << session.error().message;
    EXPECT_EQ(session->tracks.size(), 4u);
    EXPECT_EQ(session->buses.size(), 1u);
    // intro 2 + verse 2 + chorus 2 + break 2 + build 2 + chorus 2 + ending 2 bars at 120 bpm: 28 s.
    int bars = 0;
    for (const auto& s : session->sections) bars += s.bars;
    EXPECT_EQ(bars, 14);

    auto rendered = test::runReel({"render", (song / "session.yaml").string(), "-o", (song / "mix.wav").string(), "--quiet"});
    ASSERT_EQ(rendered.exitCode, 0) << rendered.err;
    const double seconds = fileSeconds(song / "mix.wav");
    EXPECT_GE(seconds, 28.0 - 0.05);
    // The parts' length plus the release tails: TimGM6mb's crash cymbal releases for about
    // 7.5 s and the reverb bus rings for 1.5 x its decay.
    EXPECT_LE(seconds, 28.0 + 11.0) << "the parts' length plus the release tails";
}

TEST(ArrangeCommand, RearrangesFromAnEditedArrangement) {
    const auto dir = test::scratchDir("arrange-from");
    test::writeText(dir / "short.cho", kShortChart);
    const auto song = dir / "song";
    ASSERT_EQ(runArrange({(dir / "short.cho").string(), "-o", song.string()}), ExitStatus::ok);
    const std::string before = test::fileBytes(song / "arrangement.yaml");
    // Arranging again from the file gives the same parts.
    const std::string bass = test::fileBytes(song / "parts/bass.mid");
    ASSERT_EQ(runArrange({"--from", (song / "arrangement.yaml").string()}), ExitStatus::ok);
    EXPECT_EQ(test::fileBytes(song / "parts/bass.mid"), bass);
    EXPECT_EQ(test::fileBytes(song / "arrangement.yaml"), before);
    // An edit: the verse's bars change.
    std::string edited = before;
    const auto at = edited.find("| G | Em |");
    ASSERT_NE(at, std::string::npos);
    edited.replace(at, 10, "| G | Em | C | D |");
    test::writeText(song / "arrangement.yaml", edited);
    ASSERT_EQ(runArrange({"--from", (song / "arrangement.yaml").string()}), ExitStatus::ok);
    auto file = compose::loadArrangement(song / "arrangement.yaml");
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->arrangement.totalBars(), 16);
}

TEST(ArrangeCommand, AChartWithErrorsWritesNothing) {
    const auto dir = test::scratchDir("arrange-bad");
    test::writeText(dir / "bad.cho", "{title: Bad}\n{start_of_verse}\n[Am]Walking [Hm7]on\n{end_of_verse}\n");
    testing::internal::CaptureStderr();
    EXPECT_EQ(runArrange({(dir / "bad.cho").string(), "-o", (dir / "song").string()}), ExitStatus::failed);
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("bad.cho:3:"), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(dir / "song"));
    EXPECT_EQ(test::listFolder(dir), (std::vector<std::string>{"bad.cho"}));
}

TEST(ArrangeCommand, UnknownStyleListsTheStyles) {
    const auto dir = test::scratchDir("arrange-style");
    test::writeText(dir / "short.cho", kShortChart);
    testing::internal::CaptureStderr();
    EXPECT_EQ(runArrange({(dir / "short.cho").string(), "--style", "polka", "-o", (dir / "song").string()}), ExitStatus::failed);
    const std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("pop, rock, ballad, funk, folk"), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(dir / "song"));
}

}  // namespace
}  // namespace reel::cli
