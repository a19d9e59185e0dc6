#include "analysis/loudness_meter.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <optional>

#include "support/allocation_counter.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

const double kSilent = std::nan("");

LoudnessMeter measure(AudioBuffer& audio, double rate, std::int64_t blockFrames = 0) {
    LoudnessMeter meter(SampleRate{rate}, audio.numChannels());
    if (blockFrames <= 0) blockFrames = audio.numFrames();
    for (std::int64_t start = 0; start < audio.numFrames(); start += blockFrames)
        meter.process(audio.view().slice(start, std::min(blockFrames, audio.numFrames() - start)));
    return meter;
}

double integrated(AudioBuffer audio, double rate) { return measure(audio, rate).integratedLufs().value().value; }

// A signal with bursts, silence and level changes: every result is defined and non-trivial.
AudioBuffer variedProgramme(double rate, int channels) {
    SignalBuilder b(rate, channels);
    b.noise(-20.0, 1.3, 3).silence(0.45).tone(220.0, -14.0, 2.2).noise(-32.0, 1.7, 4).tone(3000.0, -26.0, 1.1);
    return b.build();
}

}  // namespace

TEST(LoudnessMeter, MonoReadsThreeLuBelowTheSameSignalOnBothStereoChannels) {
    // BS.1770 sums channel powers: a mono file plays from one loudspeaker.
    const double mono = integrated(SignalBuilder(48000, 1).noise(-18.0, 5.0).build(), 48000);
    const double stereo = integrated(SignalBuilder(48000, 2).noise(-18.0, 5.0).build(), 48000);
    EXPECT_NEAR(stereo - mono, 10.0 * std::log10(2.0), 0.01);
}

TEST(LoudnessMeter, SurroundChannelsOfFivePointOneCarryPlusOnePointFiveDb) {
    // The same tone in L only, then in Ls only, then in Rs only (L R C LFE Ls Rs).
    const double left = integrated(SignalBuilder(48000, 6).tone(1000, {-20.0, kSilent, kSilent, kSilent, kSilent, kSilent}, 5.0).build(), 48000);
    const double leftSurround = integrated(SignalBuilder(48000, 6).tone(1000, {kSilent, kSilent, kSilent, kSilent, -20.0, kSilent}, 5.0).build(), 48000);
    const double rightSurround = integrated(SignalBuilder(48000, 6).tone(1000, {kSilent, kSilent, kSilent, kSilent, kSilent, -20.0}, 5.0).build(), 48000);
    EXPECT_NEAR(leftSurround - left, 10.0 * std::log10(1.41), 1e-9);  // ≈ 1.49 dB
    EXPECT_NEAR(rightSurround - left, 10.0 * std::log10(1.41), 1e-9);
    // Front channels all weigh 1.
    const double centre = integrated(SignalBuilder(48000, 6).tone(1000, {kSilent, kSilent, -20.0, kSilent, kSilent, kSilent}, 5.0).build(), 48000);
    EXPECT_NEAR(centre, left, 1e-9);
}

TEST(LoudnessMeter, LfeIsNotMeasured) {
    AudioBuffer onlyLfe = SignalBuilder(48000, 6).noise({kSilent, kSilent, kSilent, -6.0, kSilent, kSilent}, 5.0).build();
    LoudnessMeter meter = measure(onlyLfe, 48000);
    EXPECT_FALSE(meter.integratedLufs());
    EXPECT_FALSE(meter.momentaryMaxLufs());
    const double withoutLfe = integrated(SignalBuilder(48000, 6).noise({-20.0, -20.0, kSilent, kSilent, -25.0, -25.0}, 5.0).build(), 48000);
    const double withLfe = integrated(SignalBuilder(48000, 6).noise({-20.0, -20.0, kSilent, -3.0, -25.0, -25.0}, 5.0).build(), 48000);
    EXPECT_EQ(withoutLfe, withLfe);
}

TEST(LoudnessMeter, DigitalSilenceLeavesEveryValueUndefined) {
    AudioBuffer silence = SignalBuilder(48000, 2).silence(10.0).build();
    LoudnessMeter meter = measure(silence, 48000);
    EXPECT_FALSE(meter.integratedLufs());
    EXPECT_FALSE(meter.loudnessRangeLu());
    EXPECT_FALSE(meter.momentaryMaxLufs());
    EXPECT_FALSE(meter.shortTermMaxLufs());
    EXPECT_FALSE(meter.momentaryLufs());
}

TEST(LoudnessMeter, BelowTheAbsoluteGateIntegratedIsUndefinedButMaximaAreNot) {
    AudioBuffer quiet = SignalBuilder(48000, 2).tone(1000, -75.0, 5.0).build();
    LoudnessMeter meter = measure(quiet, 48000);
    EXPECT_FALSE(meter.integratedLufs());
    EXPECT_FALSE(meter.loudnessRangeLu());
    ASSERT_TRUE(meter.momentaryMaxLufs());
    EXPECT_NEAR(meter.momentaryMaxLufs()->value, -75.0, 0.1);
}

TEST(LoudnessMeter, ShorterThan400msHasNoIntegratedOrMomentaryValue) {
    AudioBuffer audio = SignalBuilder(48000, 2).tone(1000, -20.0, 0.399).build();
    LoudnessMeter meter = measure(audio, 48000);
    EXPECT_FALSE(meter.integratedLufs());
    EXPECT_FALSE(meter.momentaryMaxLufs());
    EXPECT_FALSE(meter.shortTermMaxLufs());
}

TEST(LoudnessMeter, ShorterThan3sHasIntegratedButNoShortTermOrRange) {
    AudioBuffer audio = SignalBuilder(48000, 2).tone(1000, -20.0, 2.9).build();
    LoudnessMeter meter = measure(audio, 48000);
    ASSERT_TRUE(meter.integratedLufs());
    EXPECT_NEAR(meter.integratedLufs()->value, -20.0, 0.1);
    ASSERT_TRUE(meter.momentaryMaxLufs());
    EXPECT_FALSE(meter.shortTermMaxLufs());
    EXPECT_FALSE(meter.loudnessRangeLu());
}

TEST(LoudnessMeter, SameResultsBitForBitForAnyBlockSize) {
    // Sums run in frame order and restart at fixed stream positions, so the split into
    // process() calls cannot change a single bit; the tolerance is zero.
    for (double rate : {44100.0, 48000.0}) {
        AudioBuffer audio = variedProgramme(rate, 2);
        const LoudnessMeter whole = measure(audio, rate);
        for (std::int64_t block : {1, 7, 4096}) {
            SCOPED_TRACE(testing::Message() << rate << " Hz, block " << block);
            const LoudnessMeter split = measure(audio, rate, block);
            EXPECT_EQ(split.integratedLufs()->value, whole.integratedLufs()->value);
            EXPECT_EQ(split.loudnessRangeLu()->value, whole.loudnessRangeLu()->value);
            EXPECT_EQ(split.momentaryMaxLufs()->value, whole.momentaryMaxLufs()->value);
            EXPECT_EQ(split.shortTermMaxLufs()->value, whole.shortTermMaxLufs()->value);
        }
    }
}

TEST(LoudnessMeter, ProcessDoesNotAllocate) {
    AudioBuffer audio = variedProgramme(48000, 6);
    LoudnessMeter meter(SampleRate{48000}, 6);
    test::AllocationCounter counter;
    for (std::int64_t start = 0; start < audio.numFrames(); start += 1000)
        meter.process(audio.view().slice(start, std::min<std::int64_t>(1000, audio.numFrames() - start)));
    EXPECT_EQ(counter.count(), 0u);
    EXPECT_TRUE(meter.integratedLufs());
}

TEST(LoudnessMeter, ResetReproducesTheFirstRunExactly) {
    AudioBuffer audio = variedProgramme(48000, 2);
    LoudnessMeter meter(SampleRate{48000}, 2);
    meter.process(audio.view());
    const double first = meter.integratedLufs()->value;
    const double firstRange = meter.loudnessRangeLu()->value;
    const double firstMax = meter.momentaryMaxLufs()->value;
    meter.reset();
    EXPECT_EQ(meter.framesProcessed().value, 0);
    EXPECT_FALSE(meter.integratedLufs());
    meter.process(audio.view());
    EXPECT_EQ(meter.integratedLufs()->value, first);
    EXPECT_EQ(meter.loudnessRangeLu()->value, firstRange);
    EXPECT_EQ(meter.momentaryMaxLufs()->value, firstMax);
}

TEST(LoudnessMeter, ReadsA1kHzSineAtItsLevelFrom8kHzTo192kHz) {
    for (double rate : {8000.0, 22050.0, 32000.0, 88200.0, 176400.0, 192000.0}) {
        SCOPED_TRACE(rate);
        EXPECT_NEAR(integrated(SignalBuilder(rate, 2).tone(1000, -23.0, 4.0).build(), rate), -23.0, 0.1);
    }
}

TEST(LoudnessMeter, RejectsFormatsItCannotMeasure) {
    EXPECT_TRUE(LoudnessMeter::checkFormat(SampleRate{44100}, 2));
    EXPECT_EQ(LoudnessMeter::checkFormat(SampleRate{4000}, 2).error().code, ErrorCode::formatUnsupported);
    EXPECT_NE(LoudnessMeter::checkFormat(SampleRate{4000}, 2).error().message.find("8 kHz"), std::string::npos);
    EXPECT_EQ(LoudnessMeter::checkFormat(SampleRate{48000}, 9).error().code, ErrorCode::formatUnsupported);
    EXPECT_EQ(LoudnessMeter::checkFormat(SampleRate{48000}, 0).error().code, ErrorCode::formatUnsupported);
}
