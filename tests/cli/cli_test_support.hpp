#pragma once
// Shared pieces of the CLI tests: a song folder with real audio and a session file.

#include <sndfile.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/test_signals.hpp"

namespace reel::test {

/// A song folder: audio/tone.wav (1 s, 48 kHz stereo float, 440 Hz at -12 dBFS) and
/// audio/low.flac (2 s, 44.1 kHz mono 16-bit, 110 Hz), and session.yaml using both.
inline std::filesystem::path makeSongFolder(const std::string& name) {
    auto dir = scratchDir(name);
    std::filesystem::create_directories(dir / "audio");
    writeFile(dir / "audio/tone.wav", sine(440.0, 0.25, 48000.0, 48000, 2), 48000, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    writeFile(dir / "audio/low.flac", sine(110.0, 0.3, 44100.0, 88200, 1), 44100, SF_FORMAT_FLAC | SF_FORMAT_PCM_16);
    writeText(dir / "session.yaml",
              "reel: 1\n"
              "title: Test Song\n"
              "sample_rate: 48000\n"
              "tempo: 120\n"
              "meter: 4/4\n"
              "tracks:\n"
              "  - name: Tone\n"
              "    clips:\n"
              "      - {file: audio/tone.wav, at: \"1:3\", gain: -1dB, fade_in: 10ms, fade_out: 50ms}\n"
              "    volume: -3dB\n"
              "    pan: -0.5\n"
              "  - name: Low\n"
              "    clips:\n"
              "      - {file: audio/low.flac, at: 0s, from: 0.5s, length: 1s}\n"
              "    volume: -6dB\n");
    return dir;
}

inline std::string fileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Names of the files in a folder (not recursive), to prove nothing was left behind.
inline std::vector<std::string> listFolder(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace reel::test
