#include "master/band_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>


namespace reel::master {
namespace {

constexpr std::array<const char*, kNumBands> kLabels{
    "20", "25", "31.5", "40", "50", "63", "80", "100", "125", "160", "200", "250", "315", "400", "500", "630",
    "800", "1k", "1.25k", "1.6k", "2k", "2.5k", "3.15k", "4k", "5k", "6.3k", "8k", "10k", "12.5k", "16k", "20k"};

std::int64_t fftSizeFor(SampleRate rate) {
    // The power of two nearest 0.37 s: 16384 at 44.1 and 48 kHz.
    const double wanted = 0.37 * rate.value;
    std::int64_t n = 1024;
    while (static_cast<double>(n) * 1.5 < wanted) n *= 2;
    return n;
}

}  // namespace

double bandCentreHz(int band) noexcept { return 1000.0 * std::pow(10.0, (band - 17) / 10.0); }

const char* bandLabel(int band) noexcept { return kLabels[static_cast<std::size_t>(band)]; }

double totalLevelDb(const BandLevels& levels) noexcept {
    double sum = 0.0;
    for (double db : levels)
        if (std::isfinite(db)) sum += std::pow(10.0, db / 10.0);
    return sum > 0.0 ? 10.0 * std::log10(sum) : -std::numeric_limits<double>::infinity();
}

BandSpectrumAnalyzer::BandSpectrumAnalyzer(SampleRate rate, int channels)
    : rate_(rate), channels_(channels), size_(fftSizeFor(rate)), hop_(size_ / 2) {
    const auto n = static_cast<std::size_t>(size_);
    window_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        // Periodic Hann: overlapping by half, the windows add up to a constant.
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n));
        window_[i] = static_cast<float>(w);
        windowPower_ += w * w;
    }
    midRing_.assign(n, 0.0f);
    sideRing_.assign(n, 0.0f);
    midPower_.assign(n / 2 + 1, 0.0);
    sidePower_.assign(n / 2 + 1, 0.0);
    fft_ = std::make_unique<dsp::RealFft>(static_cast<int>(size_));
}


void BandSpectrumAnalyzer::process(AudioView audio) noexcept {
    const std::int64_t numFrames = audio.numFrames();
    const float* left = audio.channel(0);
    const float* right = channels_ >= 2 ? audio.channel(1) : nullptr;
    std::int64_t at = 0;
    while (at < numFrames) {
        const std::int64_t take = std::min(numFrames - at, size_ - filled_);
        float* mid = midRing_.data() + filled_;
        float* side = sideRing_.data() + filled_;
        if (right) {
            for (std::int64_t i = 0; i < take; ++i) {
                mid[i] = 0.5f * (left[at + i] + right[at + i]);
                side[i] = 0.5f * (left[at + i] - right[at + i]);
            }
        } else {
            std::copy(left + at, left + at + take, mid);
            std::fill(side, side + take, 0.0f);
        }
        filled_ += take;
        at += take;
        if (filled_ == size_) {
            analyzeWindow();
            // Keep the second half: it is the first half of the next window.
            std::memmove(midRing_.data(), midRing_.data() + hop_, static_cast<std::size_t>(size_ - hop_) * sizeof(float));
            std::memmove(sideRing_.data(), sideRing_.data() + hop_, static_cast<std::size_t>(size_ - hop_) * sizeof(float));
            filled_ = size_ - hop_;
        }
    }
}

void BandSpectrumAnalyzer::analyzeWindow() noexcept {
    float* in = fft_->input();
    const std::complex<float>* out = fft_->output();
    const std::size_t bins = static_cast<std::size_t>(size_ / 2 + 1);
    for (int part = 0; part < (channels_ >= 2 ? 2 : 1); ++part) {
        const std::vector<float>& ring = part == 0 ? midRing_ : sideRing_;
        std::vector<double>& power = part == 0 ? midPower_ : sidePower_;
        for (std::size_t i = 0; i < static_cast<std::size_t>(size_); ++i) in[i] = ring[i] * window_[i];
        fft_->forward();
        for (std::size_t k = 0; k < bins; ++k) {
            const double re = out[k].real(), im = out[k].imag();
            power[k] += re * re + im * im;
        }
    }
    ++windows_;
}

BandSpectrum BandSpectrumAnalyzer::result() const {
    BandSpectrum spectrum;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double minusInf = -std::numeric_limits<double>::infinity();
    spectrum.mid.fill(nan);
    spectrum.side.fill(nan);
    if (windows_ == 0) return spectrum;
    spectrum.valid = true;
    const double binHz = rate_.value / static_cast<double>(size_);
    const double nyquist = rate_.value / 2.0;
    // One-sided periodogram scaled so the bins sum to the mean square (Parseval, with the
    // window's power Σw² divided out): P_k = 2|X_k|² / (N · Σw²) for 0 < k < N/2.
    const double scale = 2.0 / (static_cast<double>(size_) * windowPower_ * static_cast<double>(windows_));
    for (int part = 0; part < 2; ++part) {
        const std::vector<double>& power = part == 0 ? midPower_ : sidePower_;
        BandLevels& levels = part == 0 ? spectrum.mid : spectrum.side;
        for (int b = 0; b < kNumBands; ++b) {
            const double low = bandCentreHz(b) * std::pow(10.0, -0.05);
            // A band whose centre is too close to Nyquist is not in this signal (NaN); one that
            // straddles it (20 kHz at 44.1 kHz) is measured up to Nyquist.
            if (bandCentreHz(b) > 0.95 * nyquist) continue;
            const double high = std::min(nyquist, bandCentreHz(b) * std::pow(10.0, 0.05));
            double sum = 0.0;
            // Bin k covers [(k − ½)·binHz, (k + ½)·binHz); its power is shared by overlap.
            const auto first = static_cast<std::size_t>(std::max(1.0, std::floor(low / binHz + 0.5)));
            const auto last = static_cast<std::size_t>(std::min(static_cast<double>(size_ / 2 - 1), std::floor(high / binHz + 0.5)));
            for (std::size_t k = first; k <= last; ++k) {
                const double binLow = (static_cast<double>(k) - 0.5) * binHz;
                const double binHigh = (static_cast<double>(k) + 0.5) * binHz;
                const double overlap = std::min(high, binHigh) - std::max(low, binLow);
                if (overlap > 0.0) sum += power[k] * overlap / binHz;
            }
            sum *= scale;
            levels[static_cast<std::size_t>(b)] = sum > 0.0 ? 10.0 * std::log10(sum) : minusInf;
        }
    }
    return spectrum;
}

}  // namespace reel::master
