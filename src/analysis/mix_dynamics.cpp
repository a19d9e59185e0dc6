#include "analysis/mix_dynamics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace reel::analysis {
namespace {

constexpr double kPlrWarningLu = 8.0;
constexpr double kPlrProblemLu = 6.0;
constexpr double kSteadyLraLu = 2.0;
constexpr double kQuietBelowProgrammeLu = 15.0;
constexpr double kSteadyWithinLu = 3.0;
constexpr double kNoiseFlatness = 0.25;
constexpr double kMinPassageSeconds = 1.0;

double toDb(double linear) { return linear > 0.0 ? 20.0 * std::log10(linear) : -std::numeric_limits<double>::infinity(); }

}  // namespace

std::vector<MixIssue> dynamicsIssues(const StereoScan& loudness, const LevelScan& levels, const MixSpectrum& spectrum,
                                     const MixProgram& program) {
    std::vector<MixIssue> issues;
    if (!program.integratedLufs || !program.audible()) return issues;
    const double integrated = *program.integratedLufs;
    const SampleRate rate = program.rate;
    const auto& ticks = loudness.ticks();
    const auto& peaks = levels.ticks();
    const std::size_t count = std::min(ticks.size(), peaks.size());
    const auto frames = [&](double seconds) { return std::llround(seconds * rate.value); };
    const auto centreRange = [&](std::size_t last, std::size_t n) {
        const std::size_t centre = last >= n / 2 ? last - n / 2 : 0;
        return std::pair{ticks.startOf(centre), std::min(program.frames, ticks.startOf(centre + 1))};
    };

    // Over-compression.
    if (program.truePeakDbtp) {
        const double plr = *program.truePeakDbtp - integrated;
        const bool squashed = plr < kPlrWarningLu;
        const bool steady = program.loudnessRangeLu && *program.loudnessRangeLu < kSteadyLraLu;
        if (squashed || steady) {
            IssueRanges where(frames(1.0));
            const std::size_t shortTerm = ticks.recordsIn(3.0, rate.value);
            if (squashed) {
                for (std::size_t i = shortTerm - 1; i < count; ++i) {
                    const double st = windowLufs(ticks, i, shortTerm);
                    if (!(st >= -70.0) || st < integrated - 10.0) continue;
                    float peak = 0.0f;
                    for (std::size_t k = i + 1 - shortTerm; k <= i; ++k) peak = std::max(peak, peaks[k].truePeak);
                    const double psr = toDb(peak) - st;
                    if (psr < kPlrWarningLu) {
                        const auto [start, end] = centreRange(i, shortTerm);
                        where.add(start, end, -psr);
                    }
                }
            }
            MixIssue issue;
            issue.kind = MixIssueKind::overCompressed;
            issue.severity = plr < kPlrProblemLu ? Severity::problem : squashed ? Severity::warning : Severity::info;
            issue.ranges = where.empty() ? std::vector<TimeRange>{{toSeconds(FrameCount{program.audibleStart}, rate),
                                                                    toSeconds(FrameCount{program.audibleEnd}, rate)}}
                                         : where.inSeconds(rate);
            issue.value = plr;
            issue.unit = "LU";
            issue.detail = fmt::format("peak-to-loudness ratio {:.1f} LU (true peak {:+.1f} dBTP, integrated {:.1f} LUFS)", plr,
                                       *program.truePeakDbtp, integrated);
            if (program.loudnessRangeLu) issue.detail += fmt::format(", loudness range {:.1f} LU", *program.loudnessRangeLu);
            issue.advice = squashed ? "Back off the mix-bus compression and limiting and leave loudness to mastering; "
                                      "aim for a mix with a PLR of 10 LU or more."
                                    : "The loudness hardly changes through the song: if the sections should contrast, "
                                      "give them room (automation, less bus compression).";
            issues.push_back(std::move(issue));
        }
    }

    // Noisy floor: steady, noise-like quiet passages.
    const std::size_t momentary = ticks.recordsIn(0.4, rate.value);
    const std::size_t minTicks = ticks.recordsIn(kMinPassageSeconds, rate.value);
    IssueRanges noise(frames(1.0));
    double loudestFloor = -std::numeric_limits<double>::infinity();
    struct Passage {
        std::size_t first = 0, last = 0;
        double low = 0.0, high = 0.0, energy = 0.0;
    };
    const auto judge = [&](const Passage& p) {
        if (p.last + 1 - p.first < minTicks) return;
        const std::size_t firstAudio = p.first + 1 >= momentary ? p.first + 1 - momentary : 0;
        const std::int64_t from = ticks.startOf(firstAudio);
        const std::int64_t to = std::min(program.frames, ticks.startOf(p.last + 1));
        // Windows straddling the passage's edges hear the music around it: judge the inside.
        const std::int64_t half = spectrum.windowFrames() / 2;
        auto flatness = spectrum.meanFlatness(from + half, to - half);
        if (!flatness) flatness = spectrum.meanFlatness(from, to);
        if (!flatness || *flatness < kNoiseFlatness) return;
        const double level = -0.691 + 10.0 * std::log10(p.energy / static_cast<double>(p.last + 1 - p.first));
        loudestFloor = std::max(loudestFloor, level);
        noise.add(from, to, level);
    };
    std::optional<Passage> open;
    for (std::size_t i = momentary - 1; i < ticks.size(); ++i) {
        const double m = windowLufs(ticks, i, momentary);
        const bool quiet = m >= -70.0 && m <= integrated - kQuietBelowProgrammeLu;
        if (open && quiet && std::max(open->high, m) - std::min(open->low, m) <= kSteadyWithinLu) {
            open->last = i;
            open->low = std::min(open->low, m);
            open->high = std::max(open->high, m);
            open->energy += std::pow(10.0, (m + 0.691) / 10.0);
            continue;
        }
        if (open) judge(*open);
        open.reset();
        if (quiet) open = Passage{i, i, m, m, std::pow(10.0, (m + 0.691) / 10.0)};
    }
    if (open) judge(*open);
    if (!noise.empty()) {
        const double below = integrated - loudestFloor;
        if (below < 50.0) {
            MixIssue issue;
            issue.kind = MixIssueKind::noisyFloor;
            issue.severity = below < 30.0 ? Severity::problem : below < 40.0 ? Severity::warning : Severity::info;
            issue.ranges = noise.inSeconds(rate);
            issue.value = loudestFloor;
            issue.unit = "LUFS";
            issue.detail = fmt::format("steady noise at {:.1f} LUFS in the quiet passages, {:.1f} LU under the programme",
                                       loudestFloor, below);
            issue.advice = "Clean the quiet passages: gate or edit out the noisy tracks between phrases, or use noise "
                           "reduction on the sources (amp hiss, room tone, a noisy preamp).";
            issues.push_back(std::move(issue));
        }
    }
    return issues;
}

}  // namespace reel::analysis
