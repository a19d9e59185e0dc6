#pragma once
// Helpers for the session tests: a session file written into a fresh folder, loaded, and
// its error checked for the exact "path:line:column: " prefix.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "session/session_loader.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

/// Writes `yaml` as song.yaml in a fresh folder named after the test; returns its path.
inline std::filesystem::path writeSession(const std::string& folderName, const std::string& yaml) {
    auto dir = scratchDir("session-" + folderName);
    auto path = dir / "song.yaml";
    writeText(path, yaml);
    return path;
}

/// Loads `yaml` and expects it to fail with a message that starts at line:column of the file
/// and contains `expected`.
inline ::testing::AssertionResult failsAt(const std::string& folderName, const std::string& yaml, int line, int column,
                                          const std::string& expected) {
    auto path = writeSession(folderName, yaml);
    auto loaded = session::loadSession(path);
    if (loaded) return ::testing::AssertionFailure() << "loaded without an error";
    const std::string& message = loaded.error().message;
    const std::string prefix = path.string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    if (message.rfind(prefix, 0) != 0)
        return ::testing::AssertionFailure() << "message does not start with \"" << prefix << "\": " << message;
    if (message.find(expected) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << expected << "\": " << message;
    return ::testing::AssertionSuccess();
}

/// Runs in another working folder for its lifetime, restoring the old one after.
class WorkingFolder {
public:
    explicit WorkingFolder(const std::filesystem::path& dir) : previous_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
    }
    ~WorkingFolder() { std::filesystem::current_path(previous_); }
    WorkingFolder(const WorkingFolder&) = delete;
    WorkingFolder& operator=(const WorkingFolder&) = delete;

private:
    std::filesystem::path previous_;
};

}  // namespace reel::test
