#include "analysis/mix_sibilance.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace reel::analysis {
namespace {

constexpr double kBandLowHz = 5000.0;
constexpr double kBandHighHz = 9000.0;
// Q of the two sections of a 4th-order Butterworth: 1 / (2 cos(π/8)) and 1 / (2 cos(3π/8)).
constexpr double kButterworthQ1 = 0.54119610014619690;
constexpr double kButterworthQ2 = 1.30656296487637653;
constexpr double kDominantShare = 0.5;     // band energy ≥ half the frame's energy
constexpr double kSustainShare = 0.25;    // an open event lasts while the band is within 6 dB of the programme
constexpr double kProgrammeSeconds = 3.0;  // the short-term window of EBU R128
constexpr std::int64_t kMinEventFrames = 2;   // 20 ms
constexpr std::int64_t kMaxEventFrames = 30;  // 300 ms
constexpr std::int64_t kMinEvents = 3;
// Frames quieter than this (mean square, -60 dB) are not judged.
constexpr double kFloor = 1e-6;

}  // namespace

SibilanceDetector::SibilanceDetector(SampleRate rate)
    : enabled_(rate.value >= 22000.0),
      frameLength_(std::max<std::int64_t>(1, std::llround(rate.value / 100.0))),
      events_(0) {
    if (!enabled_) return;
    band_[0].setCoefficients(dsp::BiquadCoefficients::highPass(kBandLowHz, kButterworthQ1, rate.value));
    band_[1].setCoefficients(dsp::BiquadCoefficients::highPass(kBandLowHz, kButterworthQ2, rate.value));
    band_[2].setCoefficients(dsp::BiquadCoefficients::lowPass(kBandHighHz, kButterworthQ1, rate.value));
    band_[3].setCoefficients(dsp::BiquadCoefficients::lowPass(kBandHighHz, kButterworthQ2, rate.value));
    history_.assign(static_cast<std::size_t>(std::llround(kProgrammeSeconds * 100.0)), 0.0);
}

void SibilanceDetector::process(const float* kMid, std::int64_t numFrames) noexcept {
    if (!enabled_) return;
    for (std::int64_t i = 0; i < numFrames; ++i) {
        const float x = kMid[i];
        float y = x;
        for (auto& section : band_) y = section.processSample(0, y);
        bandSum_ += static_cast<double>(y) * y;
        fullSum_ += static_cast<double>(x) * x;
        if (++inFrame_ == frameLength_) endFrame();
    }
}

void SibilanceDetector::endFrame() noexcept {
    const double n = static_cast<double>(inFrame_);
    const double band = bandSum_ / n;
    const double full = fullSum_ / n;
    const std::int64_t frameIndex = framesSeen_;
    framesSeen_ += 1;
    inFrame_ = 0;
    bandSum_ = fullSum_ = 0.0;

    // The programme level: mean broadband energy per frame over the last 3 s, this one included.
    historySum_ += full - history_[historyAt_];
    history_[historyAt_] = full;
    historyAt_ = (historyAt_ + 1) % history_.size();
    historyFilled_ = std::min(history_.size(), historyFilled_ + 1);
    if (historyAt_ == 0) {  // re-add once per lap so rounding cannot accumulate
        historySum_ = 0.0;
        for (double e : history_) historySum_ += e;
    }
    const double programme = historySum_ / static_cast<double>(historyFilled_);

    // An event starts on a frame that is both loud and dominated by the band; it lasts while the
    // band stays loud, dominant or not, so a cymbal wash that a drum hit briefly outweighs stays
    // one long event (and is rejected as too long) instead of becoming several short ones.
    // Once open, 6 dB of hysteresis: a steady wash that hovers around the programme level (which
    // it raises itself) must not flicker into short events.
    const bool loud = band >= kFloor && programme > 0.0 && band >= programme;
    const bool sustained = programme > 0.0 && band >= kSustainShare * programme;  // no absolute floor: level-independent
    const bool dominant = band >= kDominantShare * full;
    if ((open_ && sustained) || (loud && dominant)) {
        if (!open_) {
            open_ = true;
            eventStart_ = frameIndex;
            eventExcess_ = -1e9;
            hits_ = 0;
        }
        eventLastHit_ = frameIndex;
        missed_ = 0;
        ++hits_;
        eventExcess_ = std::max(eventExcess_, 10.0 * std::log10(band / programme));
    } else if (open_ && ++missed_ > 1) {
        closeEvent();
    }
}

void SibilanceDetector::closeEvent() noexcept {
    open_ = false;
    const std::int64_t length = eventLastHit_ - eventStart_ + 1;
    if (length < kMinEventFrames || length > kMaxEventFrames) return;
    ++count_;
    if (eventExcess_ >= kLoudExcessDb) ++loudCount_;
    events_.add(eventStart_ * frameLength_, (eventLastHit_ + 1) * frameLength_, eventExcess_);
}

void SibilanceDetector::finish() noexcept {
    if (open_) closeEvent();
}

std::vector<MixIssue> sibilanceIssues(const SibilanceDetector& detector, const MixProgram& program) {
    std::vector<MixIssue> issues;
    if (!detector.enabled() || detector.eventCount() < kMinEvents) return issues;
    const IssueRanges report = detector.events().mergedWithGap(std::llround(1.0 * program.rate.value));
    MixIssue issue;
    issue.kind = MixIssueKind::sibilance;
    issue.severity = detector.loudEventCount() >= kMinEvents ? Severity::problem : Severity::warning;
    issue.ranges = report.inSeconds(program.rate);
    issue.value = detector.events().worst();
    issue.unit = "dB";
    issue.detail = fmt::format("{} bursts of 5-9 kHz energy that dominate the sound and reach the programme level; the "
                               "loudest is {:+.1f} dB above it ({} at +{:.0f} dB or more)",
                               detector.eventCount(), *issue.value, detector.loudEventCount(),
                               SibilanceDetector::kLoudExcessDb);
    issue.advice = "De-ess the vocal (a de-esser around 5-9 kHz, or clip gain on the worst consonants) rather than "
                   "dulling the whole mix.";
    issues.push_back(std::move(issue));
    return issues;
}

}  // namespace reel::analysis
