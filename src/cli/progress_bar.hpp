#pragma once
// A one-line progress bar on stderr for long work, drawn only on a terminal.
//
// Redraws at most ~20 times a second and erases itself when done, so the command's real
// output (stdout) stays clean. Quiet when stderr is not a TTY or when --quiet is given.

#include <chrono>
#include <string>

namespace reel::cli {

enum class ProgressDisplay { hidden, shown };

class ProgressBar {
public:
    ProgressBar(std::string label, ProgressDisplay display);
    ~ProgressBar();
    /// fraction in [0, 1].
    void update(double fraction);
    /// Shown only when stderr is a terminal and quiet is not asked for.
    static ProgressDisplay displayFor(bool quiet);

private:
    void finish();
    std::string label_;
    bool shown_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace reel::cli
