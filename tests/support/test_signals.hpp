#pragma once
// Helpers shared by the test suites: synthetic signals, scratch folders, files written
// with libsndfile directly (independent of reel's own io), and running the reel binary.

#include <filesystem>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"

namespace reel::test {

/// A sine of `frequencyHz` at peak amplitude `amplitude` (linear), the same on every channel.
AudioBuffer sine(double frequencyHz, double amplitude, double sampleRate, std::int64_t numFrames, int channels = 2);
/// Each sample's value is its frame index times `step` ("staircase"), plus `channelOffset`·c.
AudioBuffer staircase(std::int64_t numFrames, int channels, float step = 1.0f / 65536.0f, float channelOffset = 0.0f);
/// Deterministic white noise in [-amplitude, amplitude].
AudioBuffer noise(std::int64_t numFrames, int channels, double amplitude, unsigned seed = 1);

/// A fresh, empty folder under the system temp folder, unique to this test process.
std::filesystem::path scratchDir(const std::string& name);

/// Writes a file with libsndfile; `sndfileFormat` is e.g. SF_FORMAT_WAV | SF_FORMAT_FLOAT.
void writeFile(const std::filesystem::path& path, const AudioBuffer& audio, int sampleRate, int sndfileFormat);
/// Reads a whole file with libsndfile into planar float; sets *sampleRate if given.
AudioBuffer readFile(const std::filesystem::path& path, int* sampleRate = nullptr);

/// Writes text to a file (session YAML and the like).
void writeText(const std::filesystem::path& path, const std::string& text);

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
/// Runs the built `reel` binary with arguments (shell-quoted here), capturing its output.
CommandResult runReel(const std::vector<std::string>& args);

}  // namespace reel::test
