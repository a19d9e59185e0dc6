// LoudnessMeter is our own code; these tests prove it reads what libebur128 reads on varied
// signals, rates and channel layouts: within 0.01 LU for integrated loudness and the momentary
// and short-term values (and so their maxima), within 0.1 LU for loudness range.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/loudness_meter.hpp"
#include "reference_meter.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

constexpr double kLoudnessTolerance = 0.01;  // LU
constexpr double kRangeTolerance = 0.1;      // LU
// Below this both meters only see filter tails decaying in silence, where libebur128 flushes
// subnormals and we flush states below 1e-30: neither value means anything.
constexpr double kFloorLufs = -150.0;
const double kSilent = std::nan("");

// libebur128 takes a short-term value every second for LRA; EBU Tech 3342 (2016) and we take
// ten. Where the programme changes faster than that, the two distributions differ and so do
// the LRAs (by 1.5 LU on the 16 s signal of 1 s steps below); against libebur128's own LRA we
// compare only on programmes whose levels hold for several seconds.
enum class RangeSampling { differsFrom1Hz, sameAt1Hz };

struct Case {
    std::string name;
    double rate;
    AudioBuffer audio;
    RangeSampling range = RangeSampling::sameAt1Hz;
};

// Feeds `audio` to a LoudnessMeter in the pieces libebur128 gets, checking the momentary and
// short-term values at each instant against the reference, then the totals.
void expectSameAsLibebur128(Case& c) {
    SCOPED_TRACE(c.name);
    const auto reference = test::measureWithLibebur128(c.audio, static_cast<unsigned long>(c.rate));
    LoudnessMeter meter(SampleRate{c.rate}, c.audio.numChannels());
    const std::int64_t per100ms = (std::llround(c.rate) + 5) / 10;
    std::int64_t position = 0;
    std::size_t momentaryIndex = 0, shortTermIndex = 0;
    for (int sub = 0; position < c.audio.numFrames(); sub = (sub + 1) % 20) {
        const std::int64_t n = std::min(per100ms * (sub + 1) / 20 - per100ms * sub / 20, c.audio.numFrames() - position);
        meter.process(c.audio.view().slice(position, n));
        position += n;
        const bool wholeSubBlock = n == per100ms * (sub + 1) / 20 - per100ms * sub / 20;
        if (wholeSubBlock && position >= 4 * per100ms && momentaryIndex < reference.momentary.size()) {
            const double expected = reference.momentary[momentaryIndex++];
            if (expected > kFloorLufs) {
                ASSERT_TRUE(meter.momentaryLufs()) << "at frame " << position;
                ASSERT_NEAR(meter.momentaryLufs()->value, expected, kLoudnessTolerance) << "at frame " << position;
            }
        }
        if (wholeSubBlock && position >= 30 * per100ms && (sub + 1) % 20 == 0 &&
            shortTermIndex < reference.shortTerm100ms.size()) {
            const double expected = reference.shortTerm100ms[shortTermIndex++];
            if (expected > kFloorLufs) {
                ASSERT_TRUE(meter.shortTermLufs()) << "at frame " << position;
                ASSERT_NEAR(meter.shortTermLufs()->value, expected, kLoudnessTolerance) << "at frame " << position;
            }
        }
    }
    EXPECT_EQ(momentaryIndex, reference.momentary.size());
    EXPECT_EQ(shortTermIndex, reference.shortTerm100ms.size());

    ASSERT_TRUE(meter.integratedLufs());
    EXPECT_NEAR(meter.integratedLufs()->value, reference.integrated, kLoudnessTolerance);
    ASSERT_TRUE(meter.momentaryMaxLufs());
    EXPECT_NEAR(meter.momentaryMaxLufs()->value, reference.momentaryMax, kLoudnessTolerance);
    // Our short-term maximum is taken on the 5 ms grid, the reference's here on 100 ms.
    ASSERT_TRUE(meter.shortTermMaxLufs());
    EXPECT_GE(meter.shortTermMaxLufs()->value, reference.shortTermMax - kLoudnessTolerance);

    ASSERT_TRUE(meter.loudnessRangeLu());
    const auto range10Hz = test::rangeOf(reference.shortTerm100ms);
    ASSERT_TRUE(range10Hz);
    EXPECT_NEAR(meter.loudnessRangeLu()->value, *range10Hz, kRangeTolerance);
    if (c.range == RangeSampling::sameAt1Hz) {
        EXPECT_NEAR(meter.loudnessRangeLu()->value, reference.range, kRangeTolerance);
    }
}

}  // namespace

TEST(LoudnessMeterMatchesLibebur128, OnWhiteNoiseAt44100Stereo) {
    Case c{"white noise 44.1 kHz stereo", 44100, SignalBuilder(44100, 2).noise(-12.0, 12.0).build()};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, OnTwoSinesAt48000Mono) {
    SignalBuilder b(48000, 1);
    b.tone(100.0, -10.0, 6.0).tone(5000.0, -25.0, 6.0).tone(40.0, -6.0, 4.0);
    Case c{"sines 48 kHz mono", 48000, b.build()};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, OnBurstsWithSilenceAt96000Stereo) {
    SignalBuilder b(96000, 2);
    for (int i = 0; i < 6; ++i) b.noise(-40.0 + 6.0 * i, 0.7 + 0.13 * i, 11u + static_cast<unsigned>(i)).silence(0.9);
    b.tone(997.0, -18.0, 4.0);
    Case c{"bursts 96 kHz stereo", 96000, b.build(), RangeSampling::differsFrom1Hz};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, OnSurroundNoiseAt48000FivePointOne) {
    // L R C LFE Ls Rs at different levels; the loud LFE must not count.
    SignalBuilder b(48000, 6);
    b.noise({-20.0, -22.0, -18.0, -3.0, -26.0, -24.0}, 8.0).noise({-30.0, kSilent, -30.0, -3.0, -20.0, -20.0}, 5.0);
    Case c{"noise 48 kHz 5.1", 48000, b.build()};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, OnLevelStepsAt44100FiveChannels) {
    SignalBuilder b(44100, 5);
    for (int i = 0; i < 5; ++i) b.tone(440.0 * (i + 1), {-30.0 + 4.0 * i, -31.0, -28.0 + 2.0 * i, -35.0, -33.0}, 2.5);
    Case c{"tone steps 44.1 kHz 5.0", 44100, b.build()};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, OnSlowlyVaryingNoiseAt22050Stereo) {
    // A rate whose 100 ms (2205 frames) is not a multiple of the 20 sub-blocks.
    SignalBuilder b(22050, 2);
    for (int i = 0; i < 16; ++i) b.noise(-35.0 + 2.0 * (i % 8), 1.0, 100u + static_cast<unsigned>(i));
    Case c{"varying noise 22.05 kHz stereo", 22050, b.build(), RangeSampling::differsFrom1Hz};
    expectSameAsLibebur128(c);
}

TEST(LoudnessMeterMatchesLibebur128, ShortTermMaximumOnTheFineGrid) {
    // The short-term maximum of a 3.3 s burst is found between the 100 ms instants.
    SignalBuilder b(48000, 2);
    b.silence(1.234).noise(-15.0, 3.0).silence(1.5);
    AudioBuffer audio = b.build();
    const auto reference = test::measureWithLibebur128(audio, 48000, /*shortTermEverySubBlock=*/true);
    LoudnessMeter meter(SampleRate{48000}, 2);
    meter.process(audio.view());
    ASSERT_TRUE(meter.shortTermMaxLufs());
    EXPECT_NEAR(meter.shortTermMaxLufs()->value, reference.shortTermMax, kLoudnessTolerance);
}
