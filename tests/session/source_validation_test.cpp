// validateSources(): the checks that need the clips' audio files.
#include <gtest/gtest.h>
#include <sndfile.h>

#include "session_files.hpp"

using namespace reel;
using namespace reel::session;

namespace {

/// A session folder with a 2-second mono file at audio/two-seconds.wav (8 kHz keeps it tiny).
std::filesystem::path sessionWithAudio(const std::string& folderName, const std::string& yaml) {
    auto path = test::writeSession(folderName, yaml);
    std::filesystem::create_directories(path.parent_path() / "audio");
    test::writeFile(path.parent_path() / "audio" / "two-seconds.wav", test::sine(440.0, 0.5, 8000.0, 16000, 1), 8000,
                    SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    return path;
}

std::string oneClip(const std::string& clip) {
    return "reel: 1\ntracks:\n  - name: A\n    clips:\n      - " + clip + "\n";
}

/// Loads (which must work) then validates (which must fail); returns the error.
Error validationError(const std::filesystem::path& path) {
    auto loaded = loadSession(path);
    EXPECT_TRUE(loaded) << loaded.error().message;
    if (!loaded) return {};
    auto valid = validateSources(*loaded);
    EXPECT_FALSE(valid);
    return valid ? Error{} : valid.error();
}

std::string at(const std::filesystem::path& path, int line, int column) {
    return path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

}  // namespace

TEST(SourceValidation, ClipsThatFitTheirSourcesPass) {
    auto path = sessionWithAudio("fit", R"(reel: 1
tracks:
  - name: A
    clips:
      - {file: audio/two-seconds.wav, at: 0s}
      - {file: audio/two-seconds.wav, at: 2s, from: 1s, length: 1s, fade_in: 1s}
      - {file: audio/two-seconds.wav, at: 4s, from: 0.5s, fade_out: 1.5s}
      - {file: audio/two-seconds.wav, at: 6s, length: 2000ms}
)");
    auto opened = openSession(path);
    EXPECT_TRUE(opened) << opened.error().message;
}

TEST(SourceValidation, MissingAudioSaysWhereItLooked) {
    auto path = sessionWithAudio("missing", oneClip("{file: audio/vox.wav, at: 0s}"));
    Error error = validationError(path);
    EXPECT_EQ(error.code, ErrorCode::fileNotFound);
    EXPECT_EQ(error.message, at(path, 5, 16) + "audio file \"audio/vox.wav\" not found (looked in " +
                                 (path.parent_path() / "audio" / "vox.wav").string() + ")");
}

TEST(SourceValidation, LoadingAloneDoesNotTouchTheAudio) {
    auto path = sessionWithAudio("no-access", oneClip("{file: audio/vox.wav, at: 0s}"));
    EXPECT_TRUE(loadSession(path));
    EXPECT_FALSE(openSession(path));
}

TEST(SourceValidation, UnreadableAudioKeepsIoReasonAndGainsTheClipPlace) {
    auto path = sessionWithAudio("corrupt", oneClip("{file: audio/notes.wav, at: 0s}"));
    test::writeText(path.parent_path() / "audio" / "notes.wav", "these are not samples, just words\n");
    Error error = validationError(path);
    EXPECT_NE(error.code, ErrorCode::fileNotFound);
    EXPECT_EQ(error.message.rfind(at(path, 5, 16), 0), 0u) << error.message;
    EXPECT_NE(error.message.find("notes.wav"), std::string::npos) << error.message;
}

TEST(SourceValidation, AClipPastTheEndOfItsSourceSaysBothNumbers) {
    auto path = sessionWithAudio("past-end", oneClip("{file: audio/two-seconds.wav, at: 0s, from: 1.5s, length: 1s}"));
    Error error = validationError(path);
    EXPECT_EQ(error.code, ErrorCode::invalidSession);
    EXPECT_EQ(error.message, at(path, 5, 9) + "clip runs past the end of \"audio/two-seconds.wav\": from 1.5s + length 1s "
                                              "= 2.5s, but the file is 2.000s long");
}

TEST(SourceValidation, AStartPastTheEndOfTheSourceIsRefused) {
    auto path = sessionWithAudio("from-end", oneClip("{file: audio/two-seconds.wav, at: 0s, from: 3s}"));
    Error error = validationError(path);
    EXPECT_EQ(error.message, at(path, 5, 9) + "from 3s is at or past the end of \"audio/two-seconds.wav\", which is "
                                              "2.000s long");
}

TEST(SourceValidation, AFadeLongerThanTheRestOfTheSourceIsRefused) {
    auto path = sessionWithAudio("fade-rest", oneClip("{file: audio/two-seconds.wav, at: 0s, from: 1s, fade_out: 1.5s}"));
    Error error = validationError(path);
    EXPECT_EQ(error.message, at(path, 5, 9) + "fade_out (1.5s) is longer than the clip (1.000s: the rest of "
                                              "\"audio/two-seconds.wav\" after 1s)");
}

TEST(SourceValidation, TheFirstBadClipInFileOrderIsReported) {
    auto path = sessionWithAudio("order", R"(reel: 1
tracks:
  - name: A
    clips:
      - {file: audio/two-seconds.wav, at: 0s}
      - {file: audio/first-missing.wav, at: 0s}
  - name: B
    clips:
      - {file: audio/second-missing.wav, at: 0s}
)");
    Error error = validationError(path);
    EXPECT_EQ(error.message.rfind(at(path, 6, 16), 0), 0u) << error.message;
    EXPECT_NE(error.message.find("first-missing.wav"), std::string::npos);
}
