#include "analysis/mix_level_scan.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include <fmt/format.h>


namespace reel::analysis {
namespace {

inline float larger(float a, float b) { return b > a ? b : a; }

std::string timeText(std::int64_t frames, SampleRate rate) {
    return fmt::format("{:.1f} s", static_cast<double>(frames) / rate.value);
}

}  // namespace

LevelScan::Tick LevelScan::Tick::merge(const Tick& a, const Tick& b) noexcept {
    Tick t;
    t.samplePeak = std::max(a.samplePeak, b.samplePeak);
    t.truePeak = std::max(a.truePeak, b.truePeak);
    for (std::size_t c = 0; c < t.sums.size(); ++c) t.sums[c] = a.sums[c] + b.sums[c];
    t.frames = a.frames + b.frames;
    return t;
}

LevelScan::LevelScan(SampleRate rate, int channels)
    : rate_(rate),
      channels_(channels),
      tickFrames_(mixTickFrames(rate)),
      interpolated_(rate, channels),
      channelPeaks_(static_cast<std::size_t>(kChunk), 0.0f),
      framePeaks_(static_cast<std::size_t>(kChunk), 0.0f),
      clips_(std::llround(0.01 * rate.value)),
      overs_(std::llround(0.01 * rate.value)),
      ticks_(tickFrames_) {
    assert(channels >= 1 && channels <= kMaxChannels);
}

void LevelScan::process(AudioView audio) noexcept {
    for (std::int64_t done = 0; done < audio.numFrames();) {
        const std::int64_t n = std::min(kChunk, audio.numFrames() - done);
        scanChunk(audio.slice(done, n));
        done += n;
    }
}

void LevelScan::closeRun(int channel, std::int64_t endFrame) noexcept {
    const auto c = static_cast<std::size_t>(channel);
    if (runLength_[c] >= kClipRunSamples) {
        ++clipRuns_;
        longestRun_ = std::max(longestRun_, runLength_[c]);
        clips_.add(runStart_[c], endFrame, static_cast<double>(runLength_[c]));
    }
    runLength_[c] = 0;
}

void LevelScan::scanChunk(AudioView chunk) noexcept {
    const std::int64_t n = chunk.numFrames();
    std::fill_n(framePeaks_.begin(), n, 0.0f);
    for (int c = 0; c < channels_; ++c) {
        const float* x = chunk.channel(c);
        interpolated_.framePeaks(c, x, n, channelPeaks_.data());
        for (std::int64_t i = 0; i < n; ++i)
            framePeaks_[static_cast<std::size_t>(i)] = larger(framePeaks_[static_cast<std::size_t>(i)], channelPeaks_[static_cast<std::size_t>(i)]);

        // Clipped runs, samples beyond full scale, the audible span.
        auto& length = runLength_[static_cast<std::size_t>(c)];
        for (std::int64_t i = 0; i < n; ++i) {
            const float a = std::fabs(x[i]);
            if (a >= kClipLevel) {
                if (length == 0) runStart_[static_cast<std::size_t>(c)] = frames_ + i;
                ++length;
                if (a > 1.0f) ++beyond_;
            } else if (length > 0) {
                closeRun(c, frames_ + i);
            }
            if (a >= kAudibleLevel) {
                if (audibleStart_ < 0) audibleStart_ = frames_ + i;
                audibleEnd_ = std::max(audibleEnd_, frames_ + i + 1);
            }
        }
    }

    // Overs and the per-tick figures, frame by frame on the tick grid.
    for (std::int64_t i = 0; i < n;) {
        const std::int64_t take = std::min(n - i, tickFrames_ - inTick_);
        for (std::int64_t k = i; k < i + take; ++k) {
            const float tp = framePeaks_[static_cast<std::size_t>(k)];
            tick_.truePeak = larger(tick_.truePeak, tp);
            if (tp > 1.0f) {
                const std::int64_t at = std::max<std::int64_t>(0, frames_ + k - InterpolatedPeaks::kDelayFrames);
                overs_.add(at, at + 1, static_cast<double>(tp));
            }
        }
        for (int c = 0; c < channels_; ++c) {
            const float* x = chunk.channel(c);
            double sum = 0.0;
            float peak = tick_.samplePeak;
            for (std::int64_t k = i; k < i + take; ++k) {
                sum += x[k];
                peak = larger(peak, std::fabs(x[k]));
            }
            tick_.samplePeak = peak;
            tickSums_[static_cast<std::size_t>(c)] += sum;
            channelSums_[static_cast<std::size_t>(c)] += sum;
        }
        inTick_ += take;
        i += take;
        if (inTick_ == tickFrames_) {
            for (int c = 0; c < channels_; ++c)
                tick_.sums[static_cast<std::size_t>(c)] = static_cast<float>(tickSums_[static_cast<std::size_t>(c)]);
            tick_.frames = static_cast<float>(inTick_);
            ticks_.push(tick_);
            tick_ = {};
            tickSums_ = {};
            inTick_ = 0;
        }
    }
    frames_ += n;
}

void LevelScan::finish() {
    for (int c = 0; c < channels_; ++c) closeRun(c, frames_);
    if (inTick_ > 0) {
        for (int c = 0; c < channels_; ++c)
            tick_.sums[static_cast<std::size_t>(c)] = static_cast<float>(tickSums_[static_cast<std::size_t>(c)]);
        tick_.frames = static_cast<float>(inTick_);
        ticks_.push(tick_);
        inTick_ = 0;
    }
    ticks_.finish();
}

std::vector<MixIssue> levelIssues(const LevelScan& scan, const MixProgram& program) {
    std::vector<MixIssue> issues;
    const SampleRate rate = program.rate;
    const auto frames = [&](double seconds) { return std::llround(seconds * rate.value); };
    const IssueRanges clipReport = scan.clipRanges().mergedWithGap(frames(1.0));

    if (scan.clipRuns() > 0) {
        MixIssue issue;
        issue.kind = MixIssueKind::clipping;
        // Ten separate runs is no longer an accident at one peak; it is a level set too hot.
        issue.severity = scan.clipRuns() >= 10 ? Severity::problem : Severity::warning;
        issue.ranges = clipReport.inSeconds(rate);
        issue.value = static_cast<double>(scan.clipRuns());
        issue.unit = "runs";
        issue.detail = fmt::format("{} run{} of {} or more full-scale samples (longest {} samples, {:.2f} ms) in {} place{}",
                                   scan.clipRuns(), scan.clipRuns() == 1 ? "" : "s", LevelScan::kClipRunSamples,
                                   scan.longestClipRun(), 1000.0 * static_cast<double>(scan.longestClipRun()) / rate.value,
                                   clipReport.ranges().size(), clipReport.ranges().size() == 1 ? "" : "s");
        if (scan.samplesBeyondFullScale() > 0) {
            issue.detail += fmt::format("; {} floating-point samples lie beyond full scale", scan.samplesBeyondFullScale());
            issue.advice = "Lower the mix bus level (floating-point overs are recoverable by turning the file down before "
                           "converting it); for flat-topped runs, lower the gain before the stage that clips and re-render.";
        } else {
            issue.advice = "Find the stage that clips (a track, a bus or the export) and lower its level or use a limiter "
                           "there, then re-render the mix; clipped samples cannot be restored by mastering.";
        }
        issues.push_back(std::move(issue));
    }

    // Inter-sample overs that are not the overshoot around clipping: within a clipped passage
    // the flat tops of one or two samples between the runs overshoot too.
    IssueRanges overs = scan.overRanges();
    overs.removeOverlapping(clipReport, frames(0.01));
    if (!overs.empty()) {
        const double peakDb = 20.0 * std::log10(*overs.worst());
        const IssueRanges report = overs.mergedWithGap(frames(1.0));
        MixIssue issue;
        issue.kind = MixIssueKind::interSampleOvers;
        // Above +1 dBTP a DAC or a lossy encoder clips audibly; up to that it is a margin issue.
        issue.severity = peakDb > 1.0 ? Severity::problem : Severity::warning;
        issue.ranges = report.inSeconds(rate);
        issue.value = peakDb;
        issue.unit = "dBTP";
        issue.detail = fmt::format("the reconstructed waveform reaches {:+.2f} dBTP (4x oversampled) between samples in {} place{}",
                                   peakDb, report.ranges().size(), report.ranges().size() == 1 ? "" : "s");
        issue.advice = "Leave headroom: keep the mix's true peak below -1 dBTP (AES TD1008) by lowering the master fader "
                       "or using a true-peak limiter, so converters and lossy encoders do not clip.";
        issues.push_back(std::move(issue));
    }

    // DC offset: the channel whose mean is largest.
    if (scan.framesProcessed() > 0) {
        int worstChannel = 0;
        double worst = 0.0;
        for (int c = 0; c < scan.channels(); ++c) {
            const double mean = scan.channelSums()[static_cast<std::size_t>(c)] / static_cast<double>(scan.framesProcessed());
            if (std::fabs(mean) > std::fabs(worst)) {
                worst = mean;
                worstChannel = c;
            }
        }
        const double magnitude = std::fabs(worst);
        // -60 dBFS of DC is harmless but measurable; -40 dBFS costs headroom and thumps at
        // edits and fades; -26 dBFS is a fault in the chain (a bad converter or plugin).
        if (magnitude >= 0.001) {
            const auto& ticks = scan.ticks();
            // Where: 3 s windows whose mean on that channel is at least the info threshold.
            const auto window = std::max<std::int64_t>(1, std::llround(3.0 * rate.value / static_cast<double>(ticks.framesPerRecord())));
            IssueRanges where(frames(1.0));
            for (std::size_t start = 0; start < ticks.size(); start += static_cast<std::size_t>(window)) {
                double sum = 0.0, count = 0.0;
                const std::size_t end = std::min(ticks.size(), start + static_cast<std::size_t>(window));
                for (std::size_t t = start; t < end; ++t) {
                    sum += ticks[t].sums[static_cast<std::size_t>(worstChannel)];
                    count += ticks[t].frames;
                }
                if (count > 0 && std::fabs(sum / count) >= 0.001)
                    where.add(ticks.startOf(start), std::min(program.frames, ticks.startOf(end)), std::fabs(sum / count));
            }
            MixIssue issue;
            issue.kind = MixIssueKind::dcOffset;
            issue.severity = magnitude >= 0.05 ? Severity::problem : magnitude >= 0.01 ? Severity::warning : Severity::info;
            issue.ranges = where.empty() ? std::vector<TimeRange>{{Seconds{0.0}, toSeconds(FrameCount{program.frames}, rate)}}
                                         : where.inSeconds(rate);
            issue.value = 20.0 * std::log10(magnitude);
            issue.unit = "dBFS";
            const char* name = scan.channels() == 2 ? (worstChannel == 0 ? "left" : "right") : nullptr;
            issue.detail = name ? fmt::format("the {} channel's mean is {:+.4f} of full scale", name, worst)
                                : fmt::format("channel {}'s mean is {:+.4f} of full scale", worstChannel + 1, worst);
            issue.advice = "Remove the offset with a high-pass filter (10-20 Hz) on the track or bus that carries it, "
                           "or a DC-removal process before mastering.";
            issues.push_back(std::move(issue));
        }
    }

    // Leading and trailing silence below -60 dBFS.
    const std::int64_t minSilence = frames(0.5);
    const auto silenceSeverity = [&](std::int64_t n) { return n >= frames(2.0) ? Severity::warning : Severity::info; };
    if (!program.audible() && program.frames > 0) {
        MixIssue issue;
        issue.kind = MixIssueKind::leadingSilence;
        issue.severity = Severity::problem;
        issue.ranges = {{Seconds{0.0}, toSeconds(FrameCount{program.frames}, rate)}};
        issue.value = toSeconds(FrameCount{program.frames}, rate).value;
        issue.unit = "s";
        issue.detail = "no sample reaches -60 dBFS: the file is silent or nearly so";
        issue.advice = "Check the export: the wrong tracks, a muted master or a render range outside the song.";
        issues.push_back(std::move(issue));
        return issues;
    }
    if (program.audibleStart >= minSilence) {
        MixIssue issue;
        issue.kind = MixIssueKind::leadingSilence;
        issue.severity = silenceSeverity(program.audibleStart);
        issue.ranges = {{Seconds{0.0}, toSeconds(FrameCount{program.audibleStart}, rate)}};
        issue.value = toSeconds(FrameCount{program.audibleStart}, rate).value;
        issue.unit = "s";
        issue.detail = fmt::format("{} below -60 dBFS before the first sound", timeText(program.audibleStart, rate));
        issue.advice = "Trim the start to a few tens of milliseconds before the first sound (keep it if the gap is intended).";
        issues.push_back(std::move(issue));
    }
    const std::int64_t tail = program.frames - program.audibleEnd;
    if (tail >= minSilence) {
        MixIssue issue;
        issue.kind = MixIssueKind::trailingSilence;
        issue.severity = silenceSeverity(tail);
        issue.ranges = {{toSeconds(FrameCount{program.audibleEnd}, rate), toSeconds(FrameCount{program.frames}, rate)}};
        issue.value = toSeconds(FrameCount{tail}, rate).value;
        issue.unit = "s";
        issue.detail = fmt::format("{} below -60 dBFS after the last sound", timeText(tail, rate));
        issue.advice = "Trim the end after the last decay has faded (keep it if the gap is intended).";
        issues.push_back(std::move(issue));
    }
    return issues;
}

}  // namespace reel::analysis
