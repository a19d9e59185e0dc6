// EBU Tech 3341 ("EBU Mode" loudness metering; V4 2023 keeps the V3 2016 test signals),
// Table 1: the minimum-requirements test signals, synthesized here from their recipes.
//
// Sources. The Tech 3341 PDF itself could not be retrieved here. The expected responses and
// tolerances (M, S, I ±0.1 LU; true peak +0.2/−0.4 dB) come from a published copy of Table 1;
// the recipes of cases 1–6, 9, 12 and 15–19 (1 kHz stereo sines, levels in dBFS peak per
// channel, durations; true-peak tones at fs/4, fs/6, fs/8 of 48 kHz with phases 0°, 45°, 60°,
// 67.5° and amplitude 0.5 or 1.41) were cross-checked against an independent open-source
// implementation that synthesizes the same cases. Cases 10, 11, 13 and 14 are "the same tone
// burst, its onset moved in small steps from one segment to the next"; their exact per-segment
// silences were not found, so the segments here move the onset in 20 ms steps through 400 ms,
// which exercises every phase of a 100 ms evaluation grid (a meter evaluating every 100 ms
// misses the maximum of the 400 ms bursts by up to 0.6 LU, see A100msGridWouldMiss…).
// Cases 7 and 8 are recorded programmes and 20–23 files without a recipe we could find; they
// are skipped with the reason.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/loudness_meter.hpp"
#include "analysis/true_peak_meter.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

constexpr double kTolerance = 0.1;  // LU, Tech 3341 §2.9 for M, S and I
const double kSilent = std::nan("");

struct Reading {
    double seconds;
    double momentary;   // -inf where undefined
    double shortTerm;
};

double orMinusInf(std::optional<Decibels> v) { return v ? v->value : -std::numeric_limits<double>::infinity(); }

// Feeds `audio` 100 ms / 20 at a time and reads momentary and short-term loudness after each.
std::vector<Reading> readEvery5ms(LoudnessMeter& meter, AudioBuffer& audio, double rate) {
    const std::int64_t per100ms = (std::llround(rate) + 5) / 10;
    std::vector<Reading> readings;
    std::int64_t position = 0;
    for (int sub = 0; position < audio.numFrames(); sub = (sub + 1) % LoudnessMeter::kSubBlocksPer100ms) {
        const std::int64_t n = std::min(per100ms * (sub + 1) / 20 - per100ms * sub / 20, audio.numFrames() - position);
        meter.process(audio.view().slice(position, n));
        position += n;
        readings.push_back({static_cast<double>(position) / rate, orMinusInf(meter.momentaryLufs()),
                            orMinusInf(meter.shortTermLufs())});
    }
    return readings;
}

LoudnessMeter measure(const AudioBuffer& audio, double rate) {
    LoudnessMeter meter(SampleRate{rate}, audio.numChannels());
    meter.process(const_cast<AudioBuffer&>(audio).view());
    return meter;
}

class Tech3341 : public testing::TestWithParam<double> {
protected:
    double rate() const { return GetParam(); }
};

}  // namespace

INSTANTIATE_TEST_SUITE_P(Rates, Tech3341, testing::Values(44100.0, 48000.0),
                         [](const auto& param) { return std::to_string(static_cast<int>(param.param)); });

TEST_P(Tech3341, Case1StereoSineAtMinus23DbfsReadsMinus23ForMSAndI) {
    AudioBuffer audio = SignalBuilder(rate(), 2).tone(1000, -23.0, 20.0).build();
    LoudnessMeter meter = measure(audio, rate());
    EXPECT_NEAR(meter.integratedLufs()->value, -23.0, kTolerance);
    EXPECT_NEAR(meter.momentaryLufs()->value, -23.0, kTolerance);
    EXPECT_NEAR(meter.shortTermLufs()->value, -23.0, kTolerance);
    EXPECT_NEAR(meter.momentaryMaxLufs()->value, -23.0, kTolerance);
    EXPECT_NEAR(meter.shortTermMaxLufs()->value, -23.0, kTolerance);
}

TEST_P(Tech3341, Case2StereoSineAtMinus33DbfsReadsMinus33ForMSAndI) {
    AudioBuffer audio = SignalBuilder(rate(), 2).tone(1000, -33.0, 20.0).build();
    LoudnessMeter meter = measure(audio, rate());
    EXPECT_NEAR(meter.integratedLufs()->value, -33.0, kTolerance);
    EXPECT_NEAR(meter.momentaryLufs()->value, -33.0, kTolerance);
    EXPECT_NEAR(meter.shortTermLufs()->value, -33.0, kTolerance);
}

TEST_P(Tech3341, Case3RelativeGateIgnoresTheQuietEnds) {
    AudioBuffer audio = SignalBuilder(rate(), 2).tone(1000, -36.0, 10.0).tone(1000, -23.0, 60.0).tone(1000, -36.0, 10.0).build();
    EXPECT_NEAR(measure(audio, rate()).integratedLufs()->value, -23.0, kTolerance);
}

TEST_P(Tech3341, Case4AbsoluteAndRelativeGatesTogether) {
    SignalBuilder b(rate(), 2);
    b.tone(1000, -72.0, 10.0).tone(1000, -36.0, 10.0).tone(1000, -23.0, 60.0).tone(1000, -36.0, 10.0).tone(1000, -72.0, 10.0);
    AudioBuffer audio = b.build();
    EXPECT_NEAR(measure(audio, rate()).integratedLufs()->value, -23.0, kTolerance);
}

TEST_P(Tech3341, Case5GatedLevelOfMinus26AndMinus20Segments) {
    AudioBuffer audio = SignalBuilder(rate(), 2).tone(1000, -26.0, 20.0).tone(1000, -20.0, 20.1).tone(1000, -26.0, 20.0).build();
    EXPECT_NEAR(measure(audio, rate()).integratedLufs()->value, -23.0, kTolerance);
}

TEST_P(Tech3341, Case6FiveChannelSineWithSurroundWeights) {
    // L, R at -28 dBFS, C at -24, Ls, Rs at -30 (the test set's 5.0 file)...
    AudioBuffer five = SignalBuilder(rate(), 5).tone(1000, {-28.0, -28.0, -24.0, -30.0, -30.0}, 20.0).build();
    EXPECT_NEAR(measure(five, rate()).integratedLufs()->value, -23.0, kTolerance);
    // ...and its 6-channel variant with a silent LFE in WAV order L R C LFE Ls Rs.
    AudioBuffer six = SignalBuilder(rate(), 6).tone(1000, {-28.0, -28.0, -24.0, kSilent, -30.0, -30.0}, 20.0).build();
    EXPECT_NEAR(measure(six, rate()).integratedLufs()->value, -23.0, kTolerance);
}

TEST_P(Tech3341, Case7AuthenticProgrammeIsASuppliedFile) {
    GTEST_SKIP() << "seq-3341-7_seq-3342-5-24bit.wav is a recorded programme excerpt supplied by the EBU, "
                    "not a recipe; it cannot be synthesized and the test files are not in the repository";
}

TEST_P(Tech3341, Case8AuthenticProgrammeIsASuppliedFile) {
    GTEST_SKIP() << "seq-3341-2011-8_seq-3342-6-24bit-v02.wav is a recorded programme excerpt supplied by the "
                    "EBU, not a recipe; it cannot be synthesized and the test files are not in the repository";
}

TEST_P(Tech3341, Case9ShortTermIsConstantAfter3Seconds) {
    // 1.34 s at -20 dBFS then 1.66 s at -30 dBFS, five times: every 3 s window holds the same mix.
    SignalBuilder b(rate(), 2);
    for (int i = 0; i < 5; ++i) b.tone(1000, -20.0, 1.34).tone(1000, -30.0, 1.66);
    AudioBuffer audio = b.build();
    LoudnessMeter meter(SampleRate{rate()}, 2);
    int checked = 0;
    for (const Reading& r : readEvery5ms(meter, audio, rate())) {
        if (r.seconds < 3.0 - 1e-9) continue;
        ASSERT_NEAR(r.shortTerm, -23.0, kTolerance) << "at " << r.seconds << " s";
        ++checked;
    }
    EXPECT_GT(checked, 2000);
}

TEST_P(Tech3341, Case10ShortTermMaximumOfA3SecondBurstWhereverItStarts) {
    for (int segment = 0; segment < 20; ++segment) {
        SCOPED_TRACE(segment);
        AudioBuffer audio = SignalBuilder(rate(), 2).silence(0.5 + 0.02 * segment).tone(1000, -23.0, 3.0).silence(1.0).build();
        EXPECT_NEAR(measure(audio, rate()).shortTermMaxLufs()->value, -23.0, kTolerance);
    }
}

TEST_P(Tech3341, Case11ShortTermMaximaOfSuccessiveBurstsFromMinus38ToMinus19) {
    // One signal: 20 segments, each silence (onset moved 20 ms further each time), a 3 s burst at
    // -38, -37, ... -19 dBFS, then 3 s of silence so no 3 s window spans two bursts.
    SignalBuilder b(rate(), 2);
    std::vector<std::pair<double, double>> segments;  // [start, end) in seconds
    double t = 0.0;
    for (int segment = 0; segment < 20; ++segment) {
        const double silence = 0.5 + 0.02 * segment;
        b.silence(silence).tone(1000, -38.0 + segment, 3.0).silence(3.0);
        segments.emplace_back(t, t + silence + 6.0);
        t += silence + 6.0;
    }
    AudioBuffer audio = b.build();
    LoudnessMeter meter(SampleRate{rate()}, 2);
    const auto readings = readEvery5ms(meter, audio, rate());
    for (int segment = 0; segment < 20; ++segment) {
        double best = -std::numeric_limits<double>::infinity();
        for (const Reading& r : readings)
            if (r.seconds > segments[static_cast<std::size_t>(segment)].first + 1e-9 &&
                r.seconds <= segments[static_cast<std::size_t>(segment)].second + 1e-9)
                best = std::max(best, r.shortTerm);
        EXPECT_NEAR(best, -38.0 + segment, kTolerance) << "segment " << segment;
    }
    EXPECT_NEAR(meter.shortTermMaxLufs()->value, -19.0, kTolerance);
}

TEST_P(Tech3341, Case12MomentaryIsConstantAfter1Second) {
    // 0.18 s at -20 dBFS then 0.22 s at -30 dBFS, 25 times: every 400 ms window holds the same mix.
    SignalBuilder b(rate(), 2);
    for (int i = 0; i < 25; ++i) b.tone(1000, -20.0, 0.18).tone(1000, -30.0, 0.22);
    AudioBuffer audio = b.build();
    LoudnessMeter meter(SampleRate{rate()}, 2);
    int checked = 0;
    for (const Reading& r : readEvery5ms(meter, audio, rate())) {
        if (r.seconds < 1.0 - 1e-9) continue;
        ASSERT_NEAR(r.momentary, -23.0, kTolerance) << "at " << r.seconds << " s";
        ++checked;
    }
    EXPECT_GT(checked, 1500);
}

TEST_P(Tech3341, Case13MomentaryMaximumOfA400msBurstWhereverItStarts) {
    for (int segment = 0; segment < 20; ++segment) {
        SCOPED_TRACE(segment);
        AudioBuffer audio = SignalBuilder(rate(), 2).silence(0.5 + 0.02 * segment).tone(1000, -23.0, 0.4).silence(1.0).build();
        EXPECT_NEAR(measure(audio, rate()).momentaryMaxLufs()->value, -23.0, kTolerance);
    }
}

TEST_P(Tech3341, Case14MomentaryMaximaOfSuccessiveBurstsFromMinus38ToMinus19) {
    SignalBuilder b(rate(), 2);
    std::vector<std::pair<double, double>> segments;
    double t = 0.0;
    for (int segment = 0; segment < 20; ++segment) {
        const double silence = 0.5 + 0.02 * segment;
        b.silence(silence).tone(1000, -38.0 + segment, 0.4).silence(0.6);
        segments.emplace_back(t, t + silence + 1.0);
        t += silence + 1.0;
    }
    AudioBuffer audio = b.build();
    LoudnessMeter meter(SampleRate{rate()}, 2);
    const auto readings = readEvery5ms(meter, audio, rate());
    for (int segment = 0; segment < 20; ++segment) {
        double best = -std::numeric_limits<double>::infinity();
        for (const Reading& r : readings)
            if (r.seconds > segments[static_cast<std::size_t>(segment)].first + 1e-9 &&
                r.seconds <= segments[static_cast<std::size_t>(segment)].second + 1e-9)
                best = std::max(best, r.momentary);
        EXPECT_NEAR(best, -38.0 + segment, kTolerance) << "segment " << segment;
    }
}

TEST(Tech3341MomentaryGrid, A100msGridWouldMissTheBurstMaximum) {
    // Why the 5 ms grid: a 400 ms burst starting 50 ms into a 100 ms step overlaps any 100 ms
    // aligned window by at most 350 ms, which reads 0.58 LU low, outside the ±0.1 tolerance.
    AudioBuffer audio = SignalBuilder(48000, 2).silence(0.55).tone(1000, -23.0, 0.4).silence(1.0).build();
    LoudnessMeter meter(SampleRate{48000}, 2);
    double aligned = -std::numeric_limits<double>::infinity();
    for (const Reading& r : readEvery5ms(meter, audio, 48000))
        if (std::abs(r.seconds * 10.0 - std::round(r.seconds * 10.0)) < 1e-9) aligned = std::max(aligned, r.momentary);
    EXPECT_LT(aligned, -23.0 - 0.5);
    EXPECT_NEAR(meter.momentaryMaxLufs()->value, -23.0, kTolerance);
}

// True-peak cases 15–19: stereo sines at 48 kHz, tolerance +0.2 / −0.4 dB. The tones fade in
// and out over 10 ms: a sine switched on at full amplitude is a step, and the band-limited
// reconstruction of a step overshoots (by 0.7 dB for case 18's 6 kHz at 67.5°), which is a
// property of the truncated signal, not of the steady tone the case describes.
namespace {

double truePeakOf(double frequency, double amplitude, double phaseDegrees) {
    AudioBuffer audio =
        SignalBuilder(48000, 2).toneAmplitude(frequency, amplitude, 1.0, phaseDegrees).fadeEdges(0.01).build();
    TruePeakMeter meter(SampleRate{48000}, 2);
    meter.process(audio.view());
    return meter.truePeakDbtp()->value;
}

void expectTruePeak(double measured, double expected) {
    EXPECT_LE(measured, expected + 0.2);
    EXPECT_GE(measured, expected - 0.4);
}

}  // namespace

TEST(Tech3341TruePeak, Case15QuarterRateSineAtMinus6DbfsPhase0) {
    expectTruePeak(truePeakOf(12000.0, 0.5, 0.0), -6.0);
}

TEST(Tech3341TruePeak, Case16QuarterRateSineAtMinus6DbfsPhase45) {
    // Samples fall at ±0.354 (-9 dBFS); the peak between them is -6 dBTP.
    expectTruePeak(truePeakOf(12000.0, 0.5, 45.0), -6.0);
}

TEST(Tech3341TruePeak, Case17SixthRateSineAtMinus6DbfsPhase60) {
    expectTruePeak(truePeakOf(8000.0, 0.5, 60.0), -6.0);
}

TEST(Tech3341TruePeak, Case18EighthRateSineAtMinus6DbfsPhase67Point5) {
    expectTruePeak(truePeakOf(6000.0, 0.5, 67.5), -6.0);
}

TEST(Tech3341TruePeak, Case19QuarterRateSineAtPlus3DbtpWithSamplesBelowFullScale) {
    // Amplitude 1.41 at 45°: every sample is ±0.997, yet the waveform peaks at +3 dBTP.
    expectTruePeak(truePeakOf(12000.0, 1.41, 45.0), 3.0);
}

TEST(Tech3341TruePeak, Cases20To23AreSuppliedFiles) {
    GTEST_SKIP() << "seq-3341-20 … -23 (0 dBTP) are supplied as files; no recipe for them could be retrieved, "
                    "so they are not synthesized";
}
