#include "cli/progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace reel::cli {

ProgressDisplay ProgressBar::displayFor(bool quiet) {
    return (!quiet && ::isatty(STDERR_FILENO)) ? ProgressDisplay::shown : ProgressDisplay::hidden;
}

ProgressBar::ProgressBar(std::string label, ProgressDisplay display)
    : label_(std::move(label)), shown_(display == ProgressDisplay::shown), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(double fraction) {
    if (!shown_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - lastDraw_ < std::chrono::milliseconds(50) && fraction < 1.0) return;
    lastDraw_ = now;
    drawn_ = true;
    fraction = std::clamp(fraction, 0.0, 1.0);
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '-');
    std::fputs(fmt::format("\r{} [{}] {:3.0f}%  {:.1f}s", label_, bar, fraction * 100.0, elapsed).c_str(), stderr);
    std::fflush(stderr);
}

void ProgressBar::finish() {
    if (!drawn_) return;
    std::fputs("\r\x1b[2K", stderr);  // erase the line
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace reel::cli
