#include "dsp/level_detector.hpp"

namespace reel::dsp {

void LevelDetector::prepare(int channels, LevelDetection detection, std::int64_t rmsWindowFrames) {
    detection_ = detection;
    windows_.clear();
    if (detection == LevelDetection::rms) {
        windows_.resize(static_cast<std::size_t>(channels > 0 ? channels : 1));
        for (auto& window : windows_) window.prepare(rmsWindowFrames);
    }
}

void LevelDetector::reset() noexcept {
    for (auto& window : windows_) window.reset();
}

}  // namespace reel::dsp
