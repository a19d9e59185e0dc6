#include "analysis/mix_stereo_scan.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "analysis/channel_weights.hpp"

namespace reel::analysis {
namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
// A filter state this small is inaudible; zeroing it keeps silence out of subnormal numbers.
constexpr double kFlushBelow = 1e-30;

// Thresholds (docs/mix-report.md).
constexpr double kActiveBelowProgrameLu = 20.0;  // windows this far under the integrated are not judged
// Uncorrelated sound (wide reverb, independent hiss in a pause) reads about 0, a little either
// side; only clearly negative windows mean parts that cancel.
constexpr double kPhaseWarning = -0.2;            // correlation below this in a 1 s window
constexpr double kPhaseProblem = -0.5;
constexpr double kPhaseMinSeconds = 0.5;          // flagged windows must cover at least this
constexpr double kFoldDownWarningDb = 3.0;        // the loss of uncorrelated L/R; more means anti-correlation
constexpr double kFoldDownProblemDb = 6.0;
constexpr double kBandFoldDownWarningDb = 6.0;
constexpr double kBandFoldDownProblemDb = 10.0;
constexpr double kImbalanceWarningLu = 1.0;
constexpr double kImbalanceProblemLu = 3.0;
constexpr double kFakeStereoProgramCorrelation = 0.998;
constexpr double kFakeStereoWindowCorrelation = 0.995;

double lufs(double energy, double frames) {
    if (!(energy > 0.0) || !(frames > 0.0)) return kMinusInf;
    return -0.691 + 10.0 * std::log10(energy / frames);
}

// Sums of the tick fields over records [last + 1 − n, last].
struct WindowSums {
    double weighted = 0, kLL = 0, kRR = 0, kLR = 0, LL = 0, RR = 0, LR = 0, frames = 0;
    void add(const StereoScan::Tick& t) {
        weighted += t.weighted;
        kLL += t.kLL;
        kRR += t.kRR;
        kLR += t.kLR;
        LL += t.LL;
        RR += t.RR;
        LR += t.LR;
        frames += t.frames;
    }
    double correlation() const {
        return LL > 0.0 && RR > 0.0 ? LR / std::sqrt(LL * RR) : std::numeric_limits<double>::quiet_NaN();
    }
    // Loudness lost when L and R are summed to M = (L+R)/2 and played on both loudspeakers:
    // stereo energy kLL + kRR against 2·Σ((kL+kR)/2)² = (kLL + kRR + 2·kLR)/2.
    double foldDownLossDb() const {
        const double mono = (kLL + kRR + 2.0 * kLR) / 2.0;
        if (!(kLL + kRR > 0.0)) return 0.0;
        if (!(mono > 0.0)) return std::numeric_limits<double>::infinity();
        return 10.0 * std::log10((kLL + kRR) / mono);
    }
    double imbalanceLu() const {  // left − right, K-weighted
        if (!(kLL > 0.0) && !(kRR > 0.0)) return 0.0;
        if (!(kRR > 0.0)) return std::numeric_limits<double>::infinity();
        if (!(kLL > 0.0)) return -std::numeric_limits<double>::infinity();
        return 10.0 * std::log10(kLL / kRR);
    }
};

WindowSums sumWindow(const MixTimeline<StereoScan::Tick>& ticks, std::size_t last, std::size_t n) {
    WindowSums s;
    const std::size_t first = last + 1 >= n ? last + 1 - n : 0;
    for (std::size_t i = first; i <= last; ++i) s.add(ticks[i]);
    return s;
}

}  // namespace

StereoScan::Tick StereoScan::Tick::merge(const Tick& a, const Tick& b) noexcept {
    return {a.weighted + b.weighted, a.kLL + b.kLL, a.kRR + b.kRR, a.kLR + b.kLR,
            a.LL + b.LL,             a.RR + b.RR,   a.LR + b.LR,   a.frames + b.frames};
}

StereoScan::StereoScan(SampleRate rate, int channels)
    : channels_(channels),
      filter_(designKWeighting(rate)),
      weights_(bs1770ChannelWeights(channels)),
      weighted_(static_cast<std::size_t>(channels) * static_cast<std::size_t>(kChunk), 0.0f),
      mid_(static_cast<std::size_t>(kChunk), 0.0f),
      tickFrames_(mixTickFrames(rate)),
      ticks_(tickFrames_) {
    assert(channels >= 1 && channels <= kMaxChannels);
}

void StereoScan::process(AudioView chunk) noexcept {
    const std::int64_t n = chunk.numFrames();
    assert(n <= kChunk);
    const BiquadCoefficients& a = filter_.shelf;
    const BiquadCoefficients& b = filter_.highPass;
    for (int c = 0; c < channels_; ++c) {
        const float* x = chunk.channel(c);
        float* y = weighted_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(kChunk);
        FilterState s = state_[static_cast<std::size_t>(c)];
        for (std::int64_t i = 0; i < n; ++i) {
            const double in = x[i];
            const double mid = a.b0 * in + a.b1 * s.in1 + a.b2 * s.in2 - a.a1 * s.mid1 - a.a2 * s.mid2;
            const double out = b.b0 * mid + b.b1 * s.mid1 + b.b2 * s.mid2 - b.a1 * s.out1 - b.a2 * s.out2;
            s.in2 = s.in1;
            s.in1 = in;
            s.mid2 = s.mid1;
            s.mid1 = mid;
            s.out2 = s.out1;
            s.out1 = out;
            y[i] = static_cast<float>(out);
        }
        for (double* v : {&s.in1, &s.in2, &s.mid1, &s.mid2, &s.out1, &s.out2})
            if (std::abs(*v) < kFlushBelow) *v = 0.0;
        state_[static_cast<std::size_t>(c)] = s;
    }

    const float* kLeft = weighted_.data();
    const float* kRight = channels_ >= 2 ? weighted_.data() + kChunk : nullptr;
    if (channels_ == 1) {
        std::copy(kLeft, kLeft + n, mid_.data());
    } else if (channels_ == 2) {
        for (std::int64_t i = 0; i < n; ++i) mid_[static_cast<std::size_t>(i)] = 0.5f * (kLeft[i] + kRight[i]);
    } else {
        const float scale = 1.0f / static_cast<float>(channels_);
        std::fill_n(mid_.begin(), n, 0.0f);
        for (int c = 0; c < channels_; ++c) {
            const float* y = weighted_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(kChunk);
            for (std::int64_t i = 0; i < n; ++i) mid_[static_cast<std::size_t>(i)] += scale * y[i];
        }
    }
    if (channels_ == 2 && identical_) identical_ = std::equal(chunk.channel(0), chunk.channel(0) + n, chunk.channel(1));

    for (std::int64_t i = 0; i < n;) {
        const std::int64_t take = std::min(n - i, tickFrames_ - inTick_);
        double weighted = 0.0;
        for (int c = 0; c < channels_; ++c) {
            const double w = weights_[static_cast<std::size_t>(c)];
            if (w <= 0.0) continue;
            const float* y = weighted_.data() + static_cast<std::size_t>(c) * static_cast<std::size_t>(kChunk);
            double sum = 0.0;
            for (std::int64_t k = i; k < i + take; ++k) sum += static_cast<double>(y[k]) * y[k];
            weighted += w * sum;
        }
        sums_[0] += weighted;
        if (channels_ == 2) {
            const float* l = chunk.channel(0);
            const float* r = chunk.channel(1);
            double kll = 0, krr = 0, klr = 0, ll = 0, rr = 0, lr = 0;
            for (std::int64_t k = i; k < i + take; ++k) {
                const double kl = kLeft[k], kr = kRight[k], xl = l[k], xr = r[k];
                kll += kl * kl;
                krr += kr * kr;
                klr += kl * kr;
                ll += xl * xl;
                rr += xr * xr;
                lr += xl * xr;
            }
            sums_[1] += kll;
            sums_[2] += krr;
            sums_[3] += klr;
            sums_[4] += ll;
            sums_[5] += rr;
            sums_[6] += lr;
        }
        inTick_ += take;
        i += take;
        if (inTick_ == tickFrames_) {
            ticks_.push({static_cast<float>(sums_[0]), static_cast<float>(sums_[1]), static_cast<float>(sums_[2]),
                         static_cast<float>(sums_[3]), static_cast<float>(sums_[4]), static_cast<float>(sums_[5]),
                         static_cast<float>(sums_[6]), static_cast<float>(inTick_)});
            sums_ = {};
            inTick_ = 0;
        }
    }
}

void StereoScan::finish() {
    if (inTick_ > 0) {
        ticks_.push({static_cast<float>(sums_[0]), static_cast<float>(sums_[1]), static_cast<float>(sums_[2]),
                     static_cast<float>(sums_[3]), static_cast<float>(sums_[4]), static_cast<float>(sums_[5]),
                     static_cast<float>(sums_[6]), static_cast<float>(inTick_)});
        sums_ = {};
        inTick_ = 0;
    }
    ticks_.finish();
}

double windowLufs(const MixTimeline<StereoScan::Tick>& ticks, std::size_t last, std::size_t records) {
    const WindowSums s = sumWindow(ticks, last, records);
    return lufs(s.weighted, s.frames);
}

std::vector<MixIssue> stereoIssues(const StereoScan& scan, const MixProgram& program,
                                   const std::optional<BandFoldDown>& bands) {
    std::vector<MixIssue> issues;
    if (!scan.stereo() || !program.audible()) return issues;
    const SampleRate rate = program.rate;
    const auto& ticks = scan.ticks();
    if (ticks.size() == 0) return issues;
    const auto frames = [&](double seconds) { return std::llround(seconds * rate.value); };
    const double integrated = program.integratedLufs.value_or(-70.0);
    const auto active = [&](const WindowSums& s) {
        const double l = lufs(s.weighted, s.frames);
        return l >= -70.0 && l >= integrated - kActiveBelowProgrameLu;
    };
    // A window's verdict belongs to its centre: the range is the centre tick, so a stretch of
    // flagged windows covers the stretch of audio that caused it, not a window's width more.
    const auto centreRange = [&](std::size_t last, std::size_t n) {
        const std::size_t centre = last >= n / 2 ? last - n / 2 : 0;
        return std::pair{ticks.startOf(centre), std::min(program.frames, ticks.startOf(centre + 1))};
    };

    // Programme figures over BS.1770-gated 400 ms blocks (absolute -70 LUFS, relative -10 LU).
    const std::size_t block = ticks.recordsIn(0.4, rate.value);
    WindowSums gated;
    for (std::size_t i = block - 1; i < ticks.size(); ++i) {
        const WindowSums s = sumWindow(ticks, i, block);
        const double l = lufs(s.weighted, s.frames);
        if (l >= -70.0 && l >= integrated - 10.0) gated.add(ticks[i]);
    }
    if (gated.frames == 0.0) return issues;

    // Phase: 1 s windows whose L/R correlation is negative.
    const std::size_t second = ticks.recordsIn(1.0, rate.value);
    IssueRanges phase(frames(0.3));
    double lowest = 1.0;
    double lowestActive = 1.0;
    bool sawActive = false;
    for (std::size_t i = std::min(second, ticks.size()) - 1; i < ticks.size(); ++i) {
        const WindowSums s = sumWindow(ticks, i, second);
        if (!active(s)) continue;
        const double r = s.correlation();
        if (std::isnan(r)) continue;
        sawActive = true;
        lowestActive = std::min(lowestActive, r);
        if (r < kPhaseWarning) {
            const auto [start, end] = centreRange(i, second);
            phase.add(start, end, -r);
            lowest = std::min(lowest, r);
        }
    }
    if (!phase.empty() && phase.coveredFrames() >= frames(kPhaseMinSeconds)) {
        MixIssue issue;
        issue.kind = MixIssueKind::phase;
        issue.severity = lowest <= kPhaseProblem ? Severity::problem : Severity::warning;
        issue.ranges = phase.inSeconds(rate);
        issue.value = lowest;
        issue.unit = "correlation";
        issue.detail = fmt::format("L/R correlation falls to {:+.2f} (1 s windows) for {:.1f} s in total", lowest,
                                   static_cast<double>(phase.coveredFrames()) / rate.value);
        issue.advice = "Check the polarity and alignment of the parts playing there (a flipped or delayed mic, a "
                       "phase-inverting widener); correct the polarity or narrow the offending part.";
        issues.push_back(std::move(issue));
    }

    // Mono fold-down: the programme, and the worst octave from the spectrum.
    const double programLoss = gated.foldDownLossDb();
    const bool bandFinding = bands && bands->lossDb >= kBandFoldDownWarningDb;
    if (programLoss >= kFoldDownWarningDb || bandFinding) {
        const std::size_t shortTerm = ticks.recordsIn(3.0, rate.value);
        IssueRanges where(frames(1.0));
        for (std::size_t i = std::min(shortTerm, ticks.size()) - 1; i < ticks.size(); ++i) {
            const WindowSums s = sumWindow(ticks, i, shortTerm);
            if (!active(s) || s.foldDownLossDb() < kFoldDownWarningDb) continue;
            const auto [start, end] = centreRange(i, shortTerm);
            where.add(start, end, s.foldDownLossDb());
        }
        if (bandFinding) {
            IssueRanges both(frames(1.0));
            // Both lists are in time order; interleave them so add() keeps its order.
            std::vector<IssueRanges::Range> all(where.ranges());
            all.insert(all.end(), bands->where.ranges().begin(), bands->where.ranges().end());
            std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
            for (const auto& r : all) both.add(r.start, r.end, r.worst);
            where = both;
        }
        MixIssue issue;
        issue.kind = MixIssueKind::monoFoldDown;
        const bool programProblem = programLoss >= kFoldDownProblemDb;
        const bool bandProblem = bandFinding && bands->lossDb >= kBandFoldDownProblemDb;
        issue.severity = programProblem || bandProblem ? Severity::problem : Severity::warning;
        if (where.empty()) where.add(program.audibleStart, program.audibleEnd, programLoss);
        issue.ranges = where.inSeconds(rate);
        const bool byBand = bandFinding && (programLoss < kFoldDownWarningDb || bands->lossDb - kBandFoldDownWarningDb >
                                                                                  programLoss - kFoldDownWarningDb);
        issue.value = byBand ? bands->lossDb : programLoss;
        issue.unit = "dB";
        issue.detail = fmt::format("summed to mono the programme loses {:.1f} dB of loudness", programLoss);
        if (bands) issue.detail += fmt::format("; the octave around {:.0f} Hz loses {:.1f} dB", bands->centreHz, bands->lossDb);
        issue.advice = "Find the parts that cancel in mono (wideners, out-of-polarity doubles, stereo chorus) and narrow "
                       "them or fix their polarity; check the mix in mono while doing it.";
        issues.push_back(std::move(issue));
    }

    // Left/right imbalance, K-weighted (what loudness a listener hears on each side).
    const double imbalance = gated.imbalanceLu();
    if (std::fabs(imbalance) > kImbalanceWarningLu) {
        const std::size_t shortTerm = ticks.recordsIn(3.0, rate.value);
        IssueRanges where(frames(1.0));
        for (std::size_t i = std::min(shortTerm, ticks.size()) - 1; i < ticks.size(); ++i) {
            const WindowSums s = sumWindow(ticks, i, shortTerm);
            const double d = s.imbalanceLu();
            if (!active(s) || std::fabs(d) <= kImbalanceWarningLu || (d > 0) != (imbalance > 0)) continue;
            const auto [start, end] = centreRange(i, shortTerm);
            where.add(start, end, std::min(std::fabs(d), 1e9));
        }
        if (where.empty()) where.add(program.audibleStart, program.audibleEnd);
        MixIssue issue;
        issue.kind = MixIssueKind::imbalance;
        issue.severity = std::fabs(imbalance) > kImbalanceProblemLu ? Severity::problem : Severity::warning;
        issue.ranges = where.inSeconds(rate);
        const char* louder = imbalance > 0 ? "left" : "right";
        if (std::isfinite(imbalance)) {
            issue.value = imbalance;
            issue.detail = fmt::format("the {} channel is {:.1f} LU louder than the other (gated K-weighted loudness)",
                                       louder, std::fabs(imbalance));
        } else {
            issue.detail = fmt::format("only the {} channel carries sound", louder);
        }
        issue.unit = "LU";
        issue.advice = "Re-centre the mix: check pan positions of the lead parts and any unbalanced stereo processing, "
                       "or correct the balance on the mix bus.";
        issues.push_back(std::move(issue));
    }

    // Fake stereo: identical channels, or correlation so close to 1 everywhere that the file
    // is a mono signal stored twice.
    const double programCorrelation = gated.correlation();
    const bool identical = scan.identicalChannels();
    if (identical || (sawActive && programCorrelation >= kFakeStereoProgramCorrelation &&
                      lowestActive >= kFakeStereoWindowCorrelation)) {
        MixIssue issue;
        issue.kind = MixIssueKind::fakeStereo;
        issue.severity = Severity::warning;
        issue.ranges = {{toSeconds(FrameCount{program.audibleStart}, rate), toSeconds(FrameCount{program.audibleEnd}, rate)}};
        issue.value = identical ? 1.0 : programCorrelation;
        issue.unit = "correlation";
        issue.detail = identical ? std::string("left and right are identical, sample for sample")
                                 : fmt::format("L/R correlation is {:.4f} overall and never below {:.3f} in any second",
                                               programCorrelation, lowestActive);
        issue.advice = "This is a mono mix stored as stereo: if that is not intended, check the export (a mono bus or a "
                       "mono render); otherwise deliver it as mono.";
        issues.push_back(std::move(issue));
    }
    return issues;
}

}  // namespace reel::analysis
