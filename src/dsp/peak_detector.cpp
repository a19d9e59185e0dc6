#include "dsp/peak_detector.hpp"

#include <algorithm>
#include <cmath>

namespace reel::dsp {

Result<void> SamplePeakDetector::prepare(const ProcessSpec& spec) {
    if (spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "peak detector: needs 1 to 8 channels");
    return {};
}

void SamplePeakDetector::process(AudioView in, float* peaks) noexcept {
    const std::int64_t numFrames = in.numFrames();
    std::fill_n(peaks, numFrames, 0.0f);
    for (int c = 0; c < in.numChannels(); ++c) {
        const float* x = in.channel(c);
        // std::max(p, NaN) keeps p: a NaN sample never becomes a peak.
        for (std::int64_t i = 0; i < numFrames; ++i) peaks[i] = std::max(peaks[i], std::fabs(x[i]));
    }
}

}  // namespace reel::dsp
