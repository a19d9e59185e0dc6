#include "analysis/true_peak_meter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <numeric>

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

TEST(TruePeakMeter, AnnexTwoFilterIsSymmetricAndEachPhaseHasUnityishGain) {
    // Phase 3 is phase 0 reversed and phase 2 is phase 1 reversed (an even-length symmetric
    // prototype); each phase passes DC within 0.25 dB. Catches a mistyped coefficient.
    const auto& h = TruePeakMeter::annex2Coefficients();
    for (int k = 0; k < TruePeakMeter::kTaps; ++k) {
        EXPECT_EQ(h[3][static_cast<std::size_t>(k)], h[0][static_cast<std::size_t>(TruePeakMeter::kTaps - 1 - k)]);
        EXPECT_EQ(h[2][static_cast<std::size_t>(k)], h[1][static_cast<std::size_t>(TruePeakMeter::kTaps - 1 - k)]);
    }
    for (const auto& phase : h) {
        const double gain = std::accumulate(phase.begin(), phase.end(), 0.0);
        EXPECT_NEAR(20.0 * std::log10(gain), 0.0, 0.25);
    }
}

TEST(TruePeakMeter, FindsThePeakBetweenSamples) {
    // fs/4 at 45°: every sample is at 0.707 of the peak (-3 dB), the waveform reaches the peak.
    AudioBuffer audio = SignalBuilder(44100, 1).toneAmplitude(44100 / 4.0, 0.5, 0.5, 45.0).fadeEdges(0.01).build();
    EXPECT_NEAR(truePeak(audio, 44100), -6.02, 0.2);
}

TEST(TruePeakMeter, ReadsSteadyTonesWithinTheAnnex2FiltersRipple) {
    // The Annex 2 coefficients are rounded to 1/8192; phases 1 and 2 ripple by ±0.22 dB across
    // the band (+0.21 dB at 0.094·fs), so a steady tone reads at most that much high. At low
    // frequencies the reading is exact.
    for (double rate : {44100.0, 48000.0, 96000.0, 192000.0}) {
        for (double f : {997.0, 5000.0, 9000.0, 15000.0}) {
            SCOPED_TRACE(testing::Message() << rate << " Hz rate, " << f << " Hz");
            AudioBuffer audio = SignalBuilder(rate, 2).tone(f, -1.0, 0.5, 13.0).fadeEdges(0.01).build();
            const double peak = truePeak(audio, rate);
            EXPECT_LE(peak, -1.0 + 0.23);
            EXPECT_GE(peak, -1.0 - 0.4);
            if (f < 1000.0) {
                EXPECT_NEAR(peak, -1.0, 0.02);
            }
        }
    }
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
