#include "dsp/oversampler.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

namespace reel::dsp {
namespace {

/// Stopband attenuation every stage is designed for, in dB. The saturation's aliasing
/// budget is -80 dBFS; harmonics in a stage's stopband reach +2 dBFS (a clipped sine's
/// fundamental region), so 100 dB puts their leftovers near -98 dBFS, below what folds back
/// from beyond the top rate (measured: 110 dB changed no alias by more than 0.1 dB).
constexpr double kStopbandDb = 100.0;

/// Zeroth-order modified Bessel function of the first kind, by its power series.
double besselI0(double x) {
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 200; ++k) {
        const double t = x / (2.0 * k);
        term *= t * t;
        sum += term;
        if (term < 1e-21 * sum) break;
    }
    return sum;
}

/// Kaiser's length estimate for attenuation `db` over a transition of `width` cycles/sample.
int kaiserLength(double db, double width) {
    return static_cast<int>(std::ceil((db - 8.0) / (2.285 * 2.0 * std::numbers::pi * width))) + 1;
}

double kaiserBeta(double db) {
    return db > 50.0 ? 0.1102 * (db - 8.7) : 0.5842 * std::pow(db - 21.0, 0.4) + 0.07886 * (db - 21.0);
}

int roundUpToOdd(int n) { return n % 2 == 0 ? n + 1 : n; }

}  // namespace

std::vector<double> kaiserLowPass(int numTaps, double cutoff, double beta) {
    std::vector<double> h(static_cast<std::size_t>(numTaps));
    const double centre = (numTaps - 1) / 2.0;
    const double i0Beta = besselI0(beta);
    double sum = 0.0;
    for (int n = 0; n < numTaps; ++n) {
        const double t = n - centre;
        const double x = 2.0 * cutoff * t;  // sinc argument
        double sinc = 1.0;
        // Exact zeros where the sinc crosses zero (every other tap of a half-band filter),
        // so the polyphase form can skip them.
        if (t != 0.0) sinc = (x == std::round(x)) ? 0.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
        const double r = centre > 0.0 ? t / centre : 0.0;
        const double window = besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0Beta;
        h[static_cast<std::size_t>(n)] = 2.0 * cutoff * sinc * window;
        sum += h[static_cast<std::size_t>(n)];
    }
    for (double& v : h) v /= sum;
    return h;
}

namespace {

/// The branch of h that takes every `step`-th tap from `first`, times `scale`, with its
/// leading and trailing zeros dropped.
template <class BranchT>
BranchT branchOf(const std::vector<double>& h, std::size_t first, std::size_t step, double scale) {
    std::vector<double> taps;
    for (std::size_t k = first; k < h.size(); k += step) taps.push_back(h[k] * scale);
    std::size_t begin = 0, end = taps.size();
    while (begin < end && taps[begin] == 0.0) ++begin;
    while (end > begin && taps[end - 1] == 0.0) --end;
    BranchT branch;
    branch.offset = static_cast<int>(begin);
    for (std::size_t k = begin; k < end; ++k) branch.taps.push_back(static_cast<float>(taps[k]));
    return branch;
}

}  // namespace

Result<void> Oversampler::prepare(int factor, int channels, int maxBlock, TopRateDelay topDelay) {
    if (factor != 1 && factor != 2 && factor != 4 && factor != 8 && factor != 16)
        return fail(ErrorCode::invalidArgument, "oversampling factor must be 1, 2, 4, 8 or 16");
    if (channels < 1 || channels > kMaxChannels || maxBlock < 1)
        return fail(ErrorCode::invalidArgument, "oversampler: bad channel count or block size");
    factor_ = factor;
    channels_ = channels;
    stages_ = std::countr_zero(static_cast<unsigned>(factor));
    stage_.assign(static_cast<std::size_t>(stages_), Stage{});
    rateBuffer_.clear();
    latency_ = 0;
    if (stages_ == 0) return {};

    const double beta = kaiserBeta(kStopbandDb);
    double topRateDelay = topDelay == TopRateDelay::halfSample ? 0.5 : 0.0;  // in top-rate samples
    std::vector<std::vector<double>> upFilters, downFilters;
    for (int s = 0; s < stages_; ++s) {
        // Stage s runs at 2^(s+1) × base. Stage 0: flat to 0.45 fs, stopband from 0.5 fs.
        // Later stages: half-band, keeping [0, 0.5 fs] and rejecting its images.
        const double highRate = std::ldexp(1.0, s + 1);  // in units of the base rate
        const double cutoff = s == 0 ? 0.475 / highRate : 0.25;
        const double width = s == 0 ? 0.05 / highRate : 0.5 - 1.0 / highRate;
        const int upTaps = roundUpToOdd(kaiserLength(kStopbandDb, width));
        const bool top = s == stages_ - 1;
        const int downTaps = top && topDelay == TopRateDelay::halfSample ? upTaps + 1 : upTaps;
        upFilters.push_back(kaiserLowPass(upTaps, cutoff, beta));
        downFilters.push_back(kaiserLowPass(downTaps, cutoff, beta));
        // Round-trip delay of this stage at its high rate: (Nu-1)/2 + (Nd-1)/2 - 1 (the
        // decimator keeps the odd output of each pair), seen at the top rate.
        const double stageDelay = (upTaps - 1) / 2.0 + (downTaps - 1) / 2.0 - 1.0;
        topRateDelay += stageDelay * std::ldexp(1.0, stages_ - 1 - s);
    }
    // Pad the top decimator so the total is a whole number of base frames.
    const auto total = static_cast<long>(std::lround(topRateDelay));
    const long pad = (factor_ - total % factor_) % factor_;
    latency_ = static_cast<int>((total + pad) / factor_);
    downFilters.back().insert(downFilters.back().begin(), static_cast<std::size_t>(pad), 0.0);

    for (int s = 0; s < stages_; ++s) {
        auto& stage = stage_[static_cast<std::size_t>(s)];
        const auto& up = upFilters[static_cast<std::size_t>(s)];
        const auto& down = downFilters[static_cast<std::size_t>(s)];
        // Upsampling: y[2m+p] = 2 Σ_j h[2j+p] x[m−j].
        stage.up = {branchOf<Branch>(up, 0, 2, 2.0), branchOf<Branch>(up, 1, 2, 2.0)};
        // Decimation keeps y[m] = Σ_k h[k] v[2m+1−k]: odd k reads the even samples
        // v[2(m−j)], even k the odd samples v[2(m−j)+1].
        stage.down = {branchOf<Branch>(down, 1, 2, 1.0), branchOf<Branch>(down, 0, 2, 1.0)};
        stage.upHistory = std::max(stage.up[0].span(), stage.up[1].span()) - 1;
        stage.downHistory = std::max(stage.down[0].span(), stage.down[1].span()) - 1;
        const auto lowFrames = static_cast<std::size_t>(maxBlock) << s;  // this stage's input (up) / output (down)
        for (int c = 0; c < channels_; ++c) {
            stage.upLine[static_cast<std::size_t>(c)].samples.assign(static_cast<std::size_t>(stage.upHistory) + lowFrames, 0.0f);
            stage.evenLine[static_cast<std::size_t>(c)].samples.assign(static_cast<std::size_t>(stage.downHistory) + lowFrames, 0.0f);
            stage.oddLine[static_cast<std::size_t>(c)].samples.assign(static_cast<std::size_t>(stage.downHistory) + lowFrames, 0.0f);
        }
        rateBuffer_.emplace_back(channels_, static_cast<std::int64_t>(maxBlock) << (s + 1));
    }
    const auto scratchFrames = static_cast<std::size_t>(maxBlock) << (stages_ - 1);
    scratch0_.assign(scratchFrames, 0.0f);
    scratch1_.assign(scratchFrames, 0.0f);
    return {};
}

void Oversampler::reset() noexcept {
    for (auto& stage : stage_)
        for (int c = 0; c < channels_; ++c) {
            for (auto* line : {&stage.upLine[static_cast<std::size_t>(c)], &stage.evenLine[static_cast<std::size_t>(c)],
                               &stage.oddLine[static_cast<std::size_t>(c)]})
                std::fill(line->samples.begin(), line->samples.end(), 0.0f);
        }
}

void Oversampler::accumulate(const Branch& branch, const float* x, float* acc, std::int64_t numFrames) noexcept {
    const std::size_t n = branch.taps.size();
    for (std::size_t t = 0; t < n; ++t) {
        const float h = branch.taps[t];
        const float* source = x - branch.offset - static_cast<std::ptrdiff_t>(t);
        for (std::int64_t m = 0; m < numFrames; ++m) acc[m] += h * source[m];
    }
}

AudioView Oversampler::upsample(AudioView in) noexcept {
    if (stages_ == 0) {
        top_ = in;
        return in;
    }
    const int channels = std::min(in.numChannels(), channels_);
    AudioView source = in;
    std::int64_t frames = in.numFrames();
    float* even = scratch0_.data();
    float* odd = scratch1_.data();
    for (int s = 0; s < stages_; ++s) {
        auto& stage = stage_[static_cast<std::size_t>(s)];
        AudioView target = rateBuffer_[static_cast<std::size_t>(s)].view(2 * frames);
        const auto history = static_cast<std::size_t>(stage.upHistory);
        for (int c = 0; c < channels; ++c) {
            float* line = stage.upLine[static_cast<std::size_t>(c)].samples.data();
            std::copy_n(source.channel(c), frames, line + history);
            std::fill_n(even, frames, 0.0f);
            std::fill_n(odd, frames, 0.0f);
            accumulate(stage.up[0], line + history, even, frames);
            accumulate(stage.up[1], line + history, odd, frames);
            float* y = target.channel(c);
            for (std::int64_t m = 0; m < frames; ++m) {
                y[2 * m] = even[m];
                y[2 * m + 1] = odd[m];
            }
            std::copy_n(line + frames, history, line);  // keep the newest `history` samples
        }
        source = target;
        frames *= 2;
    }
    std::array<float*, kMaxChannels> pointers{};
    for (int c = 0; c < channels; ++c) pointers[static_cast<std::size_t>(c)] = source.channel(c);
    top_ = AudioView(pointers, channels, frames);
    return top_;
}

void Oversampler::downsample(AudioView out) noexcept {
    const int channels = std::min(out.numChannels(), top_.numChannels());
    if (stages_ == 0) {
        for (int c = 0; c < channels; ++c)
            if (out.channel(c) != top_.channel(c)) std::copy_n(top_.channel(c), out.numFrames(), out.channel(c));
        return;
    }
    for (int s = stages_ - 1; s >= 0; --s) {
        auto& stage = stage_[static_cast<std::size_t>(s)];
        const std::int64_t frames = out.numFrames() << s;  // output frames of this stage
        AudioView source = rateBuffer_[static_cast<std::size_t>(s)].view(2 * frames);
        AudioView target = s > 0 ? rateBuffer_[static_cast<std::size_t>(s - 1)].view(frames) : out;
        const auto history = static_cast<std::size_t>(stage.downHistory);
        for (int c = 0; c < channels; ++c) {
            float* even = stage.evenLine[static_cast<std::size_t>(c)].samples.data();
            float* odd = stage.oddLine[static_cast<std::size_t>(c)].samples.data();
            const float* x = source.channel(c);
            for (std::int64_t m = 0; m < frames; ++m) {
                even[history + static_cast<std::size_t>(m)] = x[2 * m];
                odd[history + static_cast<std::size_t>(m)] = x[2 * m + 1];
            }
            float* y = target.channel(c);
            std::fill_n(y, frames, 0.0f);
            accumulate(stage.down[0], even + history, y, frames);
            accumulate(stage.down[1], odd + history, y, frames);
            std::copy_n(even + frames, history, even);
            std::copy_n(odd + frames, history, odd);
        }
    }
}

}  // namespace reel::dsp
