#pragma once
// Sibilance: short bursts of 5–9 kHz energy that stick out of the programme ("s", "sh", "t").
//
// A heuristic, stated plainly. The K-weighted mid signal is cut into 10 ms frames; each frame
// has its energy in the 5–9 kHz band (4th-order Butterworth high-pass at 5 kHz and low-pass at
// 9 kHz, RBJ cookbook sections) and its broadband energy. A frame is sibilant when
//   - the band holds at least half of the frame's K-weighted energy (the frame *sounds* like
//     an "s": the band dominates what is heard), and
//   - the band's energy in the frame is at least the mean broadband energy per frame of the
//     last 3 s (the short-term programme level): the "s" is as loud as the whole mix;
// and a burst that starts on a sibilant frame and lasts while the band stays within 6 dB of the
// programme level (gaps of one frame allowed) is one event, accepted when it lasts 20–300 ms.
// Longer bursts are cymbals or noise, not consonants; shorter ones are clicks.
// 5–9 kHz is where de-essers for vocals usually listen (sibilant energy of "s" lies mostly
// between about 4 and 10 kHz); the numbers are our choice, not a standard.
// Events per file: fewer than 3 are not reported (anything can make one); 3 or more are a
// warning, and a problem when 3 or more rise 6 dB or more above the programme level.
// Needs a sample rate of at least 22 kHz (the band must fit under Nyquist).
// Threads: one at a time per instance; process() does not allocate.

#include <array>
#include <cstdint>
#include <vector>

#include "analysis/mix_issue.hpp"
#include "core/units.hpp"
#include "dsp/biquad.hpp"

namespace reel::analysis {

class SibilanceDetector {
public:
    explicit SibilanceDetector(SampleRate rate);

    /// Whether the rate allows the check (≥ 22 kHz).
    bool enabled() const noexcept { return enabled_; }
    /// Scans the next frames of the K-weighted mid signal.
    void process(const float* kMid, std::int64_t numFrames) noexcept;
    /// Closes an open event; call once after the last process().
    void finish() noexcept;

    /// Accepted events, worst = their peak excess over the programme (dB).
    const IssueRanges& events() const noexcept { return events_; }
    std::int64_t eventCount() const noexcept { return count_; }
    /// Events rising kLoudExcessDb or more above the programme.
    std::int64_t loudEventCount() const noexcept { return loudCount_; }

    static constexpr double kLoudExcessDb = 6.0;

private:
    void endFrame() noexcept;
    void closeEvent() noexcept;

    bool enabled_ = false;
    std::int64_t frameLength_ = 1;
    std::array<dsp::Biquad, 4> band_{};  // two high-pass and two low-pass sections
    std::int64_t framesSeen_ = 0;        // samples consumed
    std::int64_t inFrame_ = 0;
    double bandSum_ = 0.0, fullSum_ = 0.0;

    std::vector<double> history_;  // broadband energy of the last 3 s of frames (ring)
    std::size_t historyAt_ = 0;
    std::size_t historyFilled_ = 0;
    double historySum_ = 0.0;

    // The open event, in frames of the stream.
    bool open_ = false;
    std::int64_t eventStart_ = 0, eventLastHit_ = 0;
    std::int64_t missed_ = 0;
    double eventExcess_ = 0.0;
    std::int64_t hits_ = 0;

    IssueRanges events_;
    std::int64_t count_ = 0;
    std::int64_t loudCount_ = 0;
};

/// The sibilance issue, if any, from a finished detector.
std::vector<MixIssue> sibilanceIssues(const SibilanceDetector& detector, const MixProgram& program);

}  // namespace reel::analysis
