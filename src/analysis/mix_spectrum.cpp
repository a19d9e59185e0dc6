#include "analysis/mix_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>


namespace reel::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
constexpr double kSegmentSeconds = 3.0;

// Tonal regions (band indices) and their tolerances over the reference curve, in dB of the
// octave-smoothed deviation (docs/mix-report.md). The low end gets more room: bass-heavy
// genres sit well above the pop/rock average there without being a fault.
struct Region {
    MixIssueKind kind;
    int first, last;  // 1/3-octave bands, inclusive
    double warningDb, problemDb;
    const char* what;
    const char* advice;
};
constexpr std::array<Region, 3> kRegions{{
    {MixIssueKind::boomy, 4, 8, 8.0, 12.0, "50-125 Hz",
     "Tame the low end: find the resonant bass note or kick boom (a narrow cut around the named frequency), check "
     "the low shelf on the bass and the room's effect on your monitoring."},
    {MixIssueKind::muddy, 9, 14, 6.0, 9.0, "160-500 Hz",
     "Clear the low mids: cut 200-400 Hz on the parts that pile up there (guitars, keys, pads, room mics) rather "
     "than boosting everything else."},
    {MixIssueKind::harsh, 20, 24, 6.0, 9.0, "2-5 kHz",
     "Soften the upper mids: cut 2-5 kHz on the parts that dominate there (distorted guitars, vocals, cymbals) or "
     "use a dynamic EQ so it only acts when they get hard."},
}};
constexpr int kNormalizeFirst = 5;   // 63 Hz
constexpr int kNormalizeLast = 27;   // 10 kHz
constexpr int kLowFirst = 2;         // 31.5 Hz
constexpr int kLowLast = 8;          // 125 Hz (upper edge 141 Hz)
constexpr double kWideLowWarningDb = -10.0;  // reel master makes the bass mono at this side level
constexpr double kWideLowProblemDb = -3.0;
constexpr int kFoldFirst = 7;        // 100 Hz
constexpr int kFoldLast = 27;        // 10 kHz
constexpr double kFoldBandWarningDb = 6.0;
constexpr double kCliffDb = 30.0;            // drop at a band-limit cutoff
constexpr double kStripHz = 200.0;
constexpr double kTransitionHz = 1500.0;     // widest low-pass transition taken for a cliff
constexpr double kBandLimitWarningHz = 16500.0;

std::int64_t fftSizeFor(SampleRate rate) {
    const double wanted = 0.37 * rate.value;
    std::int64_t n = 1024;
    while (static_cast<double>(n) * 1.5 < wanted) n *= 2;
    return n;
}

double median(std::vector<double> values) {
    if (values.empty()) return kNaN;
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    if (values.size() % 2 == 1) return *middle;
    const double upper = *middle;
    const double lower = *std::max_element(values.begin(), middle);
    return 0.5 * (lower + upper);
}

double dB(double power) { return power > 0.0 ? 10.0 * std::log10(power) : kMinusInf; }

// Deviation from the reference curve, level-normalized by the median over 63 Hz – 10 kHz and
// smoothed over an octave (each band with its two neighbours).
std::array<double, kMixBands> smoothedDeviation(const std::array<double, kMixBands>& levels) {
    std::array<double, kMixBands> raw{};
    std::vector<double> offsets;
    for (int b = 0; b < kMixBands; ++b) {
        raw[static_cast<std::size_t>(b)] = levels[static_cast<std::size_t>(b)] - referenceCurveDb(mixBandCentreHz(b));
        if (b >= kNormalizeFirst && b <= kNormalizeLast && std::isfinite(raw[static_cast<std::size_t>(b)]))
            offsets.push_back(raw[static_cast<std::size_t>(b)]);
    }
    std::array<double, kMixBands> out;
    out.fill(kNaN);
    if (offsets.size() < 8) return out;
    const double offset = median(offsets);
    for (int b = 1; b + 1 < kMixBands; ++b) {
        const double a = raw[static_cast<std::size_t>(b - 1)], m = raw[static_cast<std::size_t>(b)],
                     c = raw[static_cast<std::size_t>(b + 1)];
        if (std::isfinite(a) && std::isfinite(m) && std::isfinite(c)) out[static_cast<std::size_t>(b)] = (a + m + c) / 3.0 - offset;
    }
    return out;
}

struct RegionFinding {
    double excessDb = kMinusInf;
    int band = -1;
};

RegionFinding regionExcess(const std::array<double, kMixBands>& deviation, const Region& region) {
    RegionFinding f;
    for (int b = region.first; b <= region.last; ++b) {
        const double d = deviation[static_cast<std::size_t>(b)];
        if (std::isfinite(d) && d > f.excessDb) {
            f.excessDb = d;
            f.band = b;
        }
    }
    return f;
}

std::string frequencyText(double hz) {
    return hz >= 1000.0 ? fmt::format("{:.3g} kHz", hz / 1000.0) : fmt::format("{:.0f} Hz", hz);
}

}  // namespace

double mixBandCentreHz(int band) noexcept { return 1000.0 * std::pow(10.0, (band - 17) / 10.0); }

double referenceCurveDb(double f) noexcept {
    double db = 0.0;
    if (f < 40.0) db = -6.0 * std::log2(40.0 / f);
    else if (f > 100.0) db = -3.5 * std::log2(std::min(f, 10000.0) / 100.0);
    if (f > 10000.0) db -= 9.0 * std::log2(f / 10000.0);
    return db;
}

MixSpectrum::Segment MixSpectrum::Segment::merge(const Segment& a, const Segment& b) noexcept {
    Segment s;
    for (std::size_t i = 0; i < s.mid.size(); ++i) {
        s.mid[i] = a.mid[i] + b.mid[i];
        s.side[i] = a.side[i] + b.side[i];
    }
    s.windows = a.windows + b.windows;
    return s;
}

MixSpectrum::Flatness MixSpectrum::Flatness::merge(const Flatness& a, const Flatness& b) noexcept {
    return {a.sum + b.sum, a.windows + b.windows};
}

MixSpectrum::MixSpectrum(SampleRate rate, int channels)
    : rate_(rate),
      channels_(channels),
      size_(fftSizeFor(rate)),
      hop_(size_ / 2),
      segmentFrames_(30 * mixTickFrames(rate)),
      segments_(30 * mixTickFrames(rate), 4096),
      flatness_(fftSizeFor(rate) / 2) {
    const auto n = static_cast<std::size_t>(size_);
    const std::size_t bins = n / 2 + 1;
    window_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Periodic Hann: overlapped by half, the windows add up to a constant.
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n));
        window_[i] = static_cast<float>(w);
        windowPower_ += w * w;
    }
    midRing_.assign(n, 0.0f);
    sideRing_.assign(n, 0.0f);
    midPower_.assign(bins, 0.0);
    sidePower_.assign(bins, 0.0);
    binMid_.assign(bins, 0.0f);
    binSide_.assign(bins, 0.0f);

    const double binHz = rate.value / static_cast<double>(size_);
    const double nyquist = rate.value / 2.0;
    for (int b = 0; b < kMixBands; ++b) {
        const double centre = mixBandCentreHz(b);
        if (centre > 0.95 * nyquist) continue;  // not in this signal: NaN
        const double low = centre * std::pow(10.0, -0.05);
        const double high = std::min(nyquist, centre * std::pow(10.0, 0.05));
        // Bin k covers [(k − ½)·binHz, (k + ½)·binHz); its power is shared by overlap.
        const auto first = static_cast<std::size_t>(std::max(1.0, std::floor(low / binHz + 0.5)));
        const auto last = static_cast<std::size_t>(std::min(static_cast<double>(bins - 2), std::floor(high / binHz + 0.5)));
        bandFirst_[static_cast<std::size_t>(b)] = first;
        for (std::size_t k = first; k <= last; ++k) {
            const double overlap = std::min(high, (static_cast<double>(k) + 0.5) * binHz) -
                                   std::max(low, (static_cast<double>(k) - 0.5) * binHz);
            bandWeights_[static_cast<std::size_t>(b)].push_back(static_cast<float>(std::max(0.0, overlap) / binHz));
        }
    }
    flatFirst_ = static_cast<std::size_t>(std::ceil(1000.0 / binHz));
    flatLast_ = static_cast<std::size_t>(std::floor(std::min(12000.0, 0.9 * nyquist) / binHz));

    fft_ = std::make_unique<dsp::RealFft>(static_cast<int>(size_));
}


void MixSpectrum::process(AudioView audio) noexcept {
    const std::int64_t numFrames = audio.numFrames();
    const int channels = audio.numChannels();
    for (std::int64_t i = 0; i < numFrames; ++i) {
        float mid = 0.0f, side = 0.0f;
        if (channels == 2) {
            const float l = audio.channel(0)[i], r = audio.channel(1)[i];
            mid = 0.5f * (l + r);
            side = 0.5f * (l - r);
        } else if (channels == 1) {
            mid = audio.channel(0)[i];
        } else {
            for (int c = 0; c < channels; ++c) mid += audio.channel(c)[i];
            mid /= static_cast<float>(channels);
        }
        midRing_[static_cast<std::size_t>(ringAt_)] = mid;
        sideRing_[static_cast<std::size_t>(ringAt_)] = side;
        ringAt_ = ringAt_ + 1 == size_ ? 0 : ringAt_ + 1;
        ++framesIn_;
        // Window k covers frames [k·hop, k·hop + N): analysed when its last frame arrives.
        if (framesIn_ >= size_ && (framesIn_ - size_) % hop_ == 0) analyzeWindow();
    }
}

void MixSpectrum::analyzeWindow() noexcept {
    float* in = fft_->input();
    const std::complex<float>* out = fft_->output();
    const std::size_t n = static_cast<std::size_t>(size_);
    const std::size_t bins = n / 2 + 1;
    const double scale = 2.0 / (static_cast<double>(size_) * windowPower_);
    for (int part = 0; part < (channels_ == 2 ? 2 : 1); ++part) {
        const std::vector<float>& ring = part == 0 ? midRing_ : sideRing_;
        std::vector<double>& power = part == 0 ? midPower_ : sidePower_;
        std::vector<float>& now = part == 0 ? binMid_ : binSide_;
        // The ring's oldest frame is at ringAt_.
        const std::size_t at = static_cast<std::size_t>(ringAt_);
        for (std::size_t i = 0; i < n; ++i) in[i] = ring[(at + i) % n] * window_[i];
        fft_->forward();
        for (std::size_t k = 0; k < bins; ++k) {
            const double p = scale * (static_cast<double>(out[k].real()) * out[k].real() + static_cast<double>(out[k].imag()) * out[k].imag());
            power[k] += p;
            now[k] = static_cast<float>(p);
        }
    }

    // The window's centre decides its segment.
    const std::int64_t centre = windows_ * hop_ + size_ / 2;
    const std::int64_t index = centre / segmentFrames_;
    while (segmentIndex_ < index) {
        segments_.push(segment_);
        segment_ = {};
        ++segmentIndex_;
    }
    for (int b = 0; b < kMixBands; ++b) {
        const auto& weights = bandWeights_[static_cast<std::size_t>(b)];
        const std::size_t first = bandFirst_[static_cast<std::size_t>(b)];
        double mid = 0.0, side = 0.0;
        for (std::size_t k = 0; k < weights.size(); ++k) {
            mid += static_cast<double>(weights[k]) * binMid_[first + k];
            side += static_cast<double>(weights[k]) * binSide_[first + k];
        }
        segment_.mid[static_cast<std::size_t>(b)] += static_cast<float>(mid);
        segment_.side[static_cast<std::size_t>(b)] += static_cast<float>(side);
    }
    segment_.windows += 1.0f;

    // Spectral flatness of M + S over 1 – 12 kHz: exp(mean ln p) / mean p.
    double logSum = 0.0, sum = 0.0;
    std::size_t count = 0;
    for (std::size_t k = flatFirst_; k <= flatLast_ && k < bins; ++k) {
        const double p = static_cast<double>(binMid_[k]) + binSide_[k];
        logSum += std::log(p + 1e-30);
        sum += p;
        ++count;
    }
    Flatness f;
    if (count > 0 && sum > 1e-20 * static_cast<double>(count)) {
        f.sum = static_cast<float>(std::exp(logSum / static_cast<double>(count)) / (sum / static_cast<double>(count)));
        f.windows = 1.0f;
    }
    flatness_.push(f);
    ++windows_;
}

void MixSpectrum::finish() {
    if (windows_ > 0 && segment_.windows > 0.0f) segments_.push(segment_);
    segment_ = {};
    segments_.finish();
    flatness_.finish();
}

std::array<double, kMixBands> MixSpectrum::levelsOf(const std::vector<double>& power) const {
    std::array<double, kMixBands> levels;
    levels.fill(kNaN);
    if (windows_ == 0) return levels;
    for (int b = 0; b < kMixBands; ++b) {
        const auto& weights = bandWeights_[static_cast<std::size_t>(b)];
        if (weights.empty()) continue;
        double sum = 0.0;
        for (std::size_t k = 0; k < weights.size(); ++k) sum += static_cast<double>(weights[k]) * power[bandFirst_[static_cast<std::size_t>(b)] + k];
        levels[static_cast<std::size_t>(b)] = dB(sum / static_cast<double>(windows_));
    }
    return levels;
}

std::array<double, kMixBands> MixSpectrum::midLevels() const { return levelsOf(midPower_); }
std::array<double, kMixBands> MixSpectrum::sideLevels() const { return levelsOf(sidePower_); }

std::vector<double> MixSpectrum::binPower() const {
    std::vector<double> p(midPower_.size(), 0.0);
    if (windows_ == 0) return p;
    for (std::size_t k = 0; k < p.size(); ++k) p[k] = (midPower_[k] + sidePower_[k]) / static_cast<double>(windows_);
    return p;
}

std::optional<double> MixSpectrum::meanFlatness(std::int64_t from, std::int64_t to) const {
    if (flatness_.size() == 0 || to <= from) return std::nullopt;
    // Window k is centred at k·hop + N/2; stored record j holds windows [j·s, (j+1)·s).
    const auto ceilDiv = [](std::int64_t a, std::int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); };
    const std::int64_t firstWindow = std::max<std::int64_t>(0, ceilDiv(from - size_ / 2, hop_));
    const std::int64_t endWindow = std::max<std::int64_t>(0, ceilDiv(to - size_ / 2, hop_));
    const std::int64_t stride = flatness_.framesPerRecord() / hop_;
    double sum = 0.0, count = 0.0;
    for (std::int64_t j = firstWindow / stride; j * stride < endWindow && j < static_cast<std::int64_t>(flatness_.size()); ++j) {
        sum += flatness_[static_cast<std::size_t>(j)].sum;
        count += flatness_[static_cast<std::size_t>(j)].windows;
    }
    if (count <= 0.0) return std::nullopt;
    return sum / count;
}

std::vector<MixIssue> spectralIssues(const MixSpectrum& spectrum, const MixProgram& program) {
    std::vector<MixIssue> issues;
    if (spectrum.windows() < 4 || !program.audible()) return issues;
    const SampleRate rate = program.rate;
    const auto mid = spectrum.midLevels();
    const auto side = spectrum.sideLevels();
    std::array<double, kMixBands> total{};
    std::array<double, kMixBands> midPower{}, sidePower{};
    double totalPower = 0.0;
    for (std::size_t b = 0; b < total.size(); ++b) {
        midPower[b] = std::isnan(mid[b]) ? 0.0 : std::pow(10.0, mid[b] / 10.0);
        sidePower[b] = std::isnan(side[b]) ? 0.0 : std::pow(10.0, side[b] / 10.0);
        total[b] = std::isnan(mid[b]) ? kNaN : dB(midPower[b] + sidePower[b]);
        totalPower += midPower[b] + sidePower[b];
    }
    if (!(totalPower > 0.0)) return issues;
    const auto& segments = spectrum.segments();
    const auto segmentRange = [&](std::size_t i) {
        return std::pair{segments.startOf(i), std::min(program.frames, segments.startOf(i + 1))};
    };
    const auto wholeSong = [&] {
        return std::vector<TimeRange>{{toSeconds(FrameCount{program.audibleStart}, rate), toSeconds(FrameCount{program.audibleEnd}, rate)}};
    };
    const auto frames = [&](double seconds) { return std::llround(seconds * rate.value); };

    // Boomy / muddy / harsh against the reference curve.
    const auto deviation = smoothedDeviation(total);
    for (const Region& region : kRegions) {
        const RegionFinding f = regionExcess(deviation, region);
        if (f.band < 0 || f.excessDb < region.warningDb) continue;
        IssueRanges where(frames(1.0));
        for (std::size_t i = 0; i < segments.size(); ++i) {
            const auto& s = segments[i];
            if (s.windows <= 0.0f) continue;
            std::array<double, kMixBands> levels{};
            double power = 0.0;
            for (std::size_t b = 0; b < levels.size(); ++b) {
                const double p = (static_cast<double>(s.mid[b]) + s.side[b]) / s.windows;
                levels[b] = std::isnan(total[b]) ? kNaN : dB(p);
                if (!std::isnan(total[b])) power += p;
            }
            // Judge segments within 10 dB of the programme's average power only.
            if (power < 0.1 * totalPower) continue;
            const RegionFinding g = regionExcess(smoothedDeviation(levels), region);
            if (g.band >= 0 && g.excessDb >= region.warningDb) {
                const auto [start, end] = segmentRange(i);
                where.add(start, end, g.excessDb);
            }
        }
        MixIssue issue;
        issue.kind = region.kind;
        issue.severity = f.excessDb >= region.problemDb ? Severity::problem : Severity::warning;
        issue.ranges = where.empty() ? wholeSong() : where.inSeconds(rate);
        issue.value = f.excessDb;
        issue.unit = "dB";
        issue.detail = fmt::format("{} sits {:.1f} dB above the reference tonal curve (octave around {}, level-matched "
                                   "over 63 Hz-10 kHz; tolerance {:.0f} dB)",
                                   region.what, f.excessDb, frequencyText(mixBandCentreHz(f.band)), region.warningDb);
        issue.advice = region.advice;
        issues.push_back(std::move(issue));
    }

    // Too-wide low end: side energy under 141 Hz relative to the mid.
    if (spectrum.stereo()) {
        double lowMid = 0.0, lowSide = 0.0;
        for (int b = kLowFirst; b <= kLowLast; ++b) {
            lowMid += midPower[static_cast<std::size_t>(b)];
            lowSide += sidePower[static_cast<std::size_t>(b)];
        }
        // Only when there is a low end to speak of (within 30 dB of the whole programme).
        if (lowMid + lowSide >= 1e-3 * totalPower && lowMid > 0.0) {
            const double ratioDb = dB(lowSide / lowMid);
            if (ratioDb >= kWideLowWarningDb) {
                IssueRanges where(frames(1.0));
                const double lowPerWindow = lowMid + lowSide;
                for (std::size_t i = 0; i < segments.size(); ++i) {
                    const auto& s = segments[i];
                    if (s.windows <= 0.0f) continue;
                    double m = 0.0, sd = 0.0;
                    for (int b = kLowFirst; b <= kLowLast; ++b) {
                        m += s.mid[static_cast<std::size_t>(b)];
                        sd += s.side[static_cast<std::size_t>(b)];
                    }
                    m /= s.windows;
                    sd /= s.windows;
                    if (m + sd < 0.1 * lowPerWindow || !(m > 0.0)) continue;
                    if (dB(sd / m) >= kWideLowWarningDb) {
                        const auto [start, end] = segmentRange(i);
                        where.add(start, end, dB(sd / m));
                    }
                }
                MixIssue issue;
                issue.kind = MixIssueKind::wideLowEnd;
                issue.severity = ratioDb >= kWideLowProblemDb ? Severity::problem : Severity::warning;
                issue.ranges = where.empty() ? wholeSong() : where.inSeconds(rate);
                issue.value = ratioDb;
                issue.unit = "dB";
                issue.detail = fmt::format("below 140 Hz the side (L-R) carries {:.1f} dB relative to the mid (L+R)", ratioDb);
                issue.advice = "Keep the bass and kick centred: mono the low end below about 100-150 Hz (an elliptical "
                               "EQ or a mid/side high-pass on the side) and check stereo bass sources for wideners.";
                issues.push_back(std::move(issue));
            }
        }
    }

    // Band-limited source: a cliff in the long-term spectrum well below Nyquist. A resampler's
    // or a lossy encoder's low-pass falls from the passband to its stopband within about a
    // kilohertz (soxr's "high quality" keeps 91 % of the source's Nyquist: 1 kHz of transition
    // for a 22.05 kHz source), while a mix's natural top end falls by a few dB per kilohertz.
    // So: the highest 200 Hz strip where the level of the kilohertz below it (the median of 5
    // strips, so one loud tone is not taken for a passband) is kCliffDb above everything from
    // kTransitionHz beyond it to 0.98 · Nyquist, and within 60 dB of the loudest strip above
    // 1 kHz (a level that far down is the floor itself, not the top of the programme).
    const std::vector<double> bins = spectrum.binPower();
    const double binHz = rate.value / static_cast<double>(spectrum.windowFrames());
    const double nyquist = rate.value / 2.0;
    const auto perStrip = std::max<std::size_t>(4, static_cast<std::size_t>(std::llround(kStripHz / binHz)));
    std::vector<double> strips;  // strip j: bins [1 + j·perStrip, 1 + (j+1)·perStrip)
    for (std::size_t first = 1; first + perStrip < bins.size() && (static_cast<double>(first + perStrip) - 0.5) * binHz <= 0.98 * nyquist;
         first += perStrip) {
        double sum = 0.0;
        for (std::size_t k = first; k < first + perStrip; ++k) sum += bins[k];
        strips.push_back(dB(sum / static_cast<double>(perStrip)));
    }
    const auto edgeHz = [&](std::size_t j) { return (1.0 + static_cast<double>(j * perStrip) - 0.5) * binHz; };
    const auto transition = static_cast<std::size_t>(std::ceil(kTransitionHz / (static_cast<double>(perStrip) * binHz)));
    std::vector<double> maxFrom(strips.size() + 1, kMinusInf);  // maxFrom[j] = max of strips j …
    for (std::size_t j = strips.size(); j-- > 0;) maxFrom[j] = std::max(maxFrom[j + 1], strips[j]);
    double loudest = kMinusInf;
    for (std::size_t j = 0; j < strips.size(); ++j)
        if (edgeHz(j) >= 1000.0) loudest = std::max(loudest, strips[j]);
    std::optional<double> cutoff;
    for (std::size_t j = strips.size(); j-- > 0;) {
        if (edgeHz(j) < 2000.0) break;
        if (edgeHz(j + 1) > 0.85 * nyquist || j + 1 + transition >= strips.size()) continue;
        if (j < 4) break;
        const double level = median({strips.begin() + static_cast<std::ptrdiff_t>(j - 4), strips.begin() + static_cast<std::ptrdiff_t>(j + 1)});
        if (!std::isfinite(level) || level < loudest - 60.0) continue;
        if (level - maxFrom[j + 1 + transition] >= kCliffDb) {
            cutoff = edgeHz(j + 1);
            break;
        }
    }
    if (cutoff) {
        MixIssue issue;
        issue.kind = MixIssueKind::bandLimited;
        issue.severity = *cutoff < kBandLimitWarningHz ? Severity::warning : Severity::info;
        issue.ranges = wholeSong();
        issue.value = std::round(*cutoff / 10.0) * 10.0;
        issue.unit = "Hz";
        issue.detail = fmt::format("nothing above about {} (the spectrum drops by {:.0f} dB or more there; Nyquist is {})",
                                   frequencyText(*cutoff), kCliffDb, frequencyText(nyquist));
        issue.advice = "The audio went through a lossy codec or a lower sample rate on the way: use the original "
                       "lossless sources or bounce (if the dull top is an intended effect, ignore this).";
        issues.push_back(std::move(issue));
    }
    return issues;
}

std::optional<BandFoldDown> bandFoldDown(const MixSpectrum& spectrum, const MixProgram& program) {
    if (!spectrum.stereo() || spectrum.windows() < 4 || !program.audible()) return std::nullopt;
    const auto mid = spectrum.midLevels();
    const auto side = spectrum.sideLevels();
    const auto power = [](double db) { return std::isnan(db) ? 0.0 : std::pow(10.0, db / 10.0); };
    double totalPower = 0.0;
    for (std::size_t b = 0; b < mid.size(); ++b) totalPower += power(mid[b]) + power(side[b]);
    if (!(totalPower > 0.0)) return std::nullopt;

    // Loss of an octave when summed to mono: stereo power ∝ M + S, the mono pair's ∝ M
    // (per channel L = M + S, R = M − S), so loss = 10·log10(1 + S/M).
    const auto octaveLoss = [&](auto&& midOf, auto&& sideOf, double total, int b) -> std::optional<double> {
        double m = 0.0, s = 0.0;
        for (int k = b - 1; k <= b + 1; ++k) {
            m += midOf(k);
            s += sideOf(k);
        }
        // Octaves more than 35 dB under the programme carry too little to judge.
        if (m + s < std::pow(10.0, -3.5) * total) return std::nullopt;
        if (!(m > 0.0)) return 99.0;
        return 10.0 * std::log10(1.0 + s / m);
    };

    BandFoldDown finding;
    bool any = false;
    for (int b = kFoldFirst; b <= kFoldLast; ++b) {
        if (std::isnan(mid[static_cast<std::size_t>(b + 1)])) break;
        const auto loss = octaveLoss([&](int k) { return power(mid[static_cast<std::size_t>(k)]); },
                                     [&](int k) { return power(side[static_cast<std::size_t>(k)]); }, totalPower, b);
        if (loss && (!any || *loss > finding.lossDb)) {
            finding.lossDb = *loss;
            finding.centreHz = mixBandCentreHz(b);
            any = true;
        }
    }
    if (!any) return std::nullopt;

    const auto& segments = spectrum.segments();
    finding.where = IssueRanges(std::llround(1.0 * program.rate.value));
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& s = segments[i];
        if (s.windows <= 0.0f) continue;
        double segmentTotal = 0.0;
        for (std::size_t b = 0; b < s.mid.size(); ++b) segmentTotal += static_cast<double>(s.mid[b]) + s.side[b];
        segmentTotal /= s.windows;
        if (segmentTotal < 0.1 * totalPower) continue;
        double worst = 0.0;
        for (int b = kFoldFirst; b <= kFoldLast; ++b) {
            if (std::isnan(mid[static_cast<std::size_t>(b + 1)])) break;
            const auto loss = octaveLoss([&](int k) { return static_cast<double>(s.mid[static_cast<std::size_t>(k)]) / s.windows; },
                                         [&](int k) { return static_cast<double>(s.side[static_cast<std::size_t>(k)]) / s.windows; },
                                         segmentTotal, b);
            if (loss) worst = std::max(worst, *loss);
        }
        if (worst >= kFoldBandWarningDb)
            finding.where.add(segments.startOf(i), std::min(program.frames, segments.startOf(i + 1)), worst);
    }
    return finding;
}

}  // namespace reel::analysis
