#include "engine/fade_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace reel::engine {
namespace {
double shape(double u, session::FadeCurve curve) {
    return curve == session::FadeCurve::equalPower ? std::sin(u * std::numbers::pi / 2.0) : u;
}
}  // namespace

FadeEnvelope::FadeEnvelope(double clipGain, std::int64_t clipFrames, std::int64_t fadeInFrames,
                           session::FadeCurve fadeInCurve, std::int64_t fadeOutFrames, session::FadeCurve fadeOutCurve)
    : gain_(clipGain),
      clipFrames_(clipFrames),
      fadeInFrames_(std::clamp<std::int64_t>(fadeInFrames, 0, clipFrames)),
      fadeOutFrames_(std::clamp<std::int64_t>(fadeOutFrames, 0, clipFrames)),
      fadeInCurve_(fadeInCurve),
      fadeOutCurve_(fadeOutCurve) {}

double FadeEnvelope::gainAt(std::int64_t k) const noexcept {
    double g = gain_;
    if (k < fadeInFrames_) g *= shape(static_cast<double>(k) / static_cast<double>(fadeInFrames_), fadeInCurve_);
    if (k >= clipFrames_ - fadeOutFrames_)
        g *= shape(static_cast<double>(clipFrames_ - 1 - k) / static_cast<double>(fadeOutFrames_), fadeOutCurve_);
    return g;
}

void FadeEnvelope::apply(float* x, std::int64_t first, std::int64_t numFrames) const noexcept {
    // The steady middle of a clip is a plain multiply; only frames inside a fade pay for the curve.
    const std::int64_t end = first + numFrames;
    const std::int64_t steadyBegin = std::max(first, fadeInFrames_);
    const std::int64_t steadyEnd = std::min(end, clipFrames_ - fadeOutFrames_);
    for (std::int64_t k = first; k < std::min(end, steadyBegin); ++k) x[k - first] *= static_cast<float>(gainAt(k));
    if (steadyBegin < steadyEnd && gain_ != 1.0) {
        const float g = static_cast<float>(gain_);
        for (std::int64_t k = steadyBegin; k < steadyEnd; ++k) x[k - first] *= g;
    }
    for (std::int64_t k = std::max(steadyBegin, steadyEnd); k < end; ++k) x[k - first] *= static_cast<float>(gainAt(k));
}

}  // namespace reel::engine
