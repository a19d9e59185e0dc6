#include "analysis/true_peak_meter.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <initializer_list>
#include <numbers>

#include "analysis/sinc_interpolator.hpp"

#include "support/allocation_counter.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

const double kSilent = std::nan("");

double truePeak(AudioBuffer& audio, double rate, std::int64_t blockFrames = 0) {
    TruePeakMeter meter(SampleRate{rate}, audio.numChannels());
    if (blockFrames <= 0) blockFrames = audio.numFrames();
    for (std::int64_t start = 0; start < audio.numFrames(); start += blockFrames)
        meter.process(audio.view().slice(start, std::min(blockFrames, audio.numFrames() - start)));
    return meter.truePeakDbtp().value().value;
}

}  // namespace

TEST(TruePeakMeter, OversamplesFourTimesBelow96kHzTwiceBelow192kHzThenNot) {
    EXPECT_EQ(TruePeakMeter(SampleRate{44100}, 2).oversampling(), 4);
    EXPECT_EQ(TruePeakMeter(SampleRate{88200}, 2).oversampling(), 4);
    EXPECT_EQ(TruePeakMeter(SampleRate{96000}, 2).oversampling(), 2);
    EXPECT_EQ(TruePeakMeter(SampleRate{176400}, 2).oversampling(), 2);
    EXPECT_EQ(TruePeakMeter(SampleRate{192000}, 2).oversampling(), 1);
}

TEST(TruePeakMeter, CompileTimeDesignEqualsTheFormulaEvaluatedWithTheStandardLibrary) {
    // The constexpr series for sin, sqrt and I0 against <cmath>: h_p[k] = sinc(u)·kaiser(u/8, 6).
    constexpr auto phases = sinc_interpolator::design<4>();
    constexpr int taps = sinc_interpolator::kTaps;
    for (int p = 1; p < 4; ++p) {
        double sum = 0.0;
        std::array<double, taps> h{};
        for (int k = 0; k < taps; ++k) {
            const double u = k - (taps / 2 - 1) - p / 4.0;
            const double w = u / (taps / 2.0);
            h[static_cast<std::size_t>(k)] = std::sin(std::numbers::pi * u) / (std::numbers::pi * u) *
                                             std::cyl_bessel_i(0.0, 6.0 * std::sqrt(1.0 - w * w)) /
                                             std::cyl_bessel_i(0.0, 6.0);
            sum += h[static_cast<std::size_t>(k)];
        }
        for (int k = 0; k < taps; ++k)
            EXPECT_NEAR(phases[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(k)],
                        h[static_cast<std::size_t>(k)] / sum, 1e-7);
    }
    // The half-way phase of the 4x design is the 2x design's only phase.
    EXPECT_EQ(sinc_interpolator::design<2>()[0], phases[1]);
}

TEST(TruePeakMeter, FindsThePeakBetweenSamples) {
    // fs/4 at 45°: every sample is at 0.707 of the peak (-3 dB), the waveform reaches the peak.
    AudioBuffer audio = SignalBuilder(44100, 1).toneAmplitude(44100 / 4.0, 0.5, 0.5, 45.0).fadeEdges(0.01).build();
    EXPECT_NEAR(truePeak(audio, 44100), -6.02, 0.05);
}

TEST(TruePeakMeter, ReadsSteadyTonesWithinTheOversamplingGridsError) {
    // At 4x a peak is at most 1/8 sample from an evaluated instant: a tone at f reads at worst
    // cos(2π·f/fs/8) low (-0.08 dB at 0.2·fs); at 2x 1/4 sample, at 1x 1/2 sample. It never
    // reads high by more than the filter's ripple.
    for (double rate : {44100.0, 48000.0, 96000.0, 192000.0}) {
        const double factor = rate < 96000.0 ? 4.0 : rate < 192000.0 ? 2.0 : 1.0;
        for (double f : {97.0, 997.0, 5000.0, 9000.0, 15000.0}) {
            SCOPED_TRACE(testing::Message() << rate << " Hz rate, " << f << " Hz");
            AudioBuffer audio = SignalBuilder(rate, 2).tone(f, -1.0, 0.5, 13.0).fadeEdges(0.01).build();
            const double gridError = 20.0 * std::log10(std::cos(2.0 * std::numbers::pi * f / rate / (2.0 * factor)));
            const double peak = truePeak(audio, rate);
            EXPECT_LE(peak, -1.0 + 0.02);
            EXPECT_GE(peak, -1.0 + gridError - 0.02);
        }
    }
}

TEST(TruePeakMeter, ReadsTheContinuousPeakOfATwoToneSignal) {
    // 1 kHz + 3.3 kHz at 44.1 kHz: the peaks of the sum fall anywhere between samples. The
    // reference is the continuous signal evaluated 200 times per sample.
    const double rate = 44100.0;
    const auto signal = [](double t) {
        return 0.45 * std::sin(2.0 * std::numbers::pi * 1000.0 * t) + 0.4 * std::sin(2.0 * std::numbers::pi * 3300.0 * t + 1.0);
    };
    const int n = 11025;
    AudioBuffer audio(1, n);
    double continuous = 0.0;
    for (int i = 0; i < n; ++i) {
        audio.channel(0)[i] = static_cast<float>(signal(i / rate));
        if (i > 100 && i < n - 100)
            for (int j = 0; j < 200; ++j) continuous = std::max(continuous, std::abs(signal((i + j / 200.0) / rate)));
    }
    EXPECT_NEAR(truePeak(audio, rate), 20.0 * std::log10(continuous), 0.03);
}

TEST(TruePeakMeter, ReadsACrestWhereTheAnnex2ExampleFilterReadsLow) {
    // A 200 Hz tone whose crests fall 3/8 of a sample after a sample: BS.1770-4 Annex 2's printed
    // filter (its phases sit at 1/8, 3/8, 5/8, 7/8) finds the crest with its phase 1, whose rounded
    // coefficients sum to 0.973, so it reads 0.24 dB low; this interpolator reads it exactly.
    constexpr std::array<double, 12> annex2Phase1{-0.0291748046875, 0.0292968750000, -0.0517578125000,
                                                  0.0891113281250,  -0.1665039062500, 0.4650878906250,
                                                  0.7797851562500,  -0.2003173828125, 0.1015625000000,
                                                  -0.0582275390625, 0.0330810546875,  -0.0189208984375};
    double annexGain = 0.0;
    for (double c : annex2Phase1) annexGain += c;
    EXPECT_NEAR(20.0 * std::log10(annexGain), -0.24, 0.01);

    const double rate = 48000.0, f = 200.0;
    const double crest = 100.375;  // in samples: 3/8 of a sample after sample 100
    AudioBuffer audio(1, 4800);
    for (int i = 0; i < 4800; ++i)
        audio.channel(0)[i] = static_cast<float>(0.5 * std::cos(2.0 * std::numbers::pi * f * (i - crest) / rate));
    EXPECT_NEAR(truePeak(audio, rate), 20.0 * std::log10(0.5), 0.01);
}

TEST(TruePeakMeter, IsNeverBelowTheSamplePeak) {
    // A lone full-scale sample: the interpolated phases read less than 1.0, the sample itself 1.0.
    AudioBuffer audio = SignalBuilder(48000, 1).silence(0.01).build();
    audio.channel(0)[200] = -1.0f;
    EXPECT_GE(truePeak(audio, 48000), 0.0);
}

TEST(TruePeakMeter, MeasuresEveryChannelTheLfeIncluded) {
    AudioBuffer audio = SignalBuilder(48000, 6).tone(100.0, {-30.0, -30.0, -30.0, -2.0, -30.0, kSilent}, 0.5).build();
    EXPECT_NEAR(truePeak(audio, 48000), -2.0, 0.05);
    TruePeakMeter meter(SampleRate{48000}, 6);
    meter.process(audio.view());
    EXPECT_EQ(meter.truePeak(5), 0.0f);
    EXPECT_NEAR(20.0 * std::log10(meter.truePeak(3)), -2.0, 0.05);
}

TEST(TruePeakMeter, SilenceHasNoTruePeak) {
    AudioBuffer audio = SignalBuilder(48000, 2).silence(1.0).build();
    TruePeakMeter meter(SampleRate{48000}, 2);
    meter.process(audio.view());
    EXPECT_FALSE(meter.truePeakDbtp());
}

TEST(TruePeakMeter, SameResultForAnyBlockSize) {
    // Every interpolated value uses the same 12 samples in the same order whatever the split,
    // and a maximum does not depend on order: the tolerance is zero.
    for (double rate : {44100.0, 96000.0}) {
        AudioBuffer audio = SignalBuilder(rate, 2).noise(-3.0, 0.3, 5).tone(15000.0, -1.5, 0.2, 30.0).build();
        const double whole = truePeak(audio, rate);
        for (std::int64_t block : {1, 7, 4096}) EXPECT_EQ(truePeak(audio, rate, block), whole) << rate << " / " << block;
    }
}

TEST(TruePeakMeter, ProcessDoesNotAllocateAndResetStartsOver) {
    AudioBuffer audio = SignalBuilder(48000, 2).noise(-6.0, 1.0, 9).build();
    TruePeakMeter meter(SampleRate{48000}, 2);
    {
        test::AllocationCounter counter;
        for (std::int64_t start = 0; start < audio.numFrames(); start += 3000)
            meter.process(audio.view().slice(start, std::min<std::int64_t>(3000, audio.numFrames() - start)));
        EXPECT_EQ(counter.count(), 0u);
    }
    const double first = meter.truePeakDbtp()->value;
    meter.reset();
    EXPECT_FALSE(meter.truePeakDbtp());
    meter.process(audio.view());
    EXPECT_EQ(meter.truePeakDbtp()->value, first);
}
