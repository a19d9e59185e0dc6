#include "analysis/level_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>

#include "support/allocation_counter.hpp"
#include "test_tones.hpp"

using namespace reel;
using namespace reel::analysis;
using reel::test::SignalBuilder;

namespace {

LevelStats measure(AudioBuffer& audio, std::int64_t blockFrames = 0) {
    LevelStats stats(audio.numChannels());
    if (blockFrames <= 0) blockFrames = audio.numFrames();
    for (std::int64_t start = 0; start < audio.numFrames(); start += blockFrames)
        stats.process(audio.view().slice(start, std::min(blockFrames, audio.numFrames() - start)));
    return stats;
}

}  // namespace

TEST(LevelStats, FullScaleSineReadsMinus3DbfsRmsAnd0DbfsPeak) {
    // 48 kHz / 1 kHz: whole periods, and the peak sample lands on the crest.
    AudioBuffer audio = SignalBuilder(48000, 2).tone(1000, 0.0, 1.0).build();
    LevelStats stats = measure(audio);
    EXPECT_NEAR(stats.rmsDbfs()->value, -3.0103, 0.001);
    EXPECT_NEAR(stats.samplePeakDbfs()->value, 0.0, 1e-6);
}

TEST(LevelStats, RmsAveragesOverAllSamplesOfAllChannels) {
    // One channel at full-scale-sine power, one silent: half the mean square, 3 dB lower.
    AudioBuffer audio = SignalBuilder(48000, 2).tone(1000, {0.0, std::nan("")}, 1.0).build();
    EXPECT_NEAR(measure(audio).rmsDbfs()->value, -6.0206, 0.001);
}

TEST(LevelStats, DcOffsetIsTheChannelMeanOfLargestMagnitudeWithItsSign) {
    AudioBuffer audio(3, 1000);
    for (int i = 0; i < 1000; ++i) {
        audio.channel(0)[i] = 0.01f;
        audio.channel(1)[i] = (i % 2 ? 0.5f : -0.5f) - 0.02f;
        audio.channel(2)[i] = 0.015f;
    }
    EXPECT_NEAR(*measure(audio).dcOffset(), -0.02, 1e-7);
}

TEST(LevelStats, CountsEverySampleAtOrAboveFullScaleInEveryChannel) {
    AudioBuffer audio(2, 100);
    audio.channel(0)[10] = 1.0f;
    audio.channel(0)[11] = -1.0f;
    audio.channel(0)[12] = 1.5f;      // float files can exceed full scale
    audio.channel(1)[11] = 0.9999f;   // just below: not clipped
    audio.channel(1)[50] = -1.0f;
    LevelStats stats = measure(audio);
    EXPECT_EQ(stats.clippedSamples(), 4);
    EXPECT_NEAR(stats.samplePeakDbfs()->value, 20.0 * std::log10(1.5), 1e-6);
}

TEST(LevelStats, IntegerFilesClipAtTheirHighestCode) {
    EXPECT_EQ(clipLevelOf("PCM 16-bit"), static_cast<float>(32767.0 / 32768.0));
    EXPECT_EQ(clipLevelOf("PCM 24-bit"), static_cast<float>(8388607.0 / 8388608.0));
    EXPECT_EQ(clipLevelOf("float 32-bit"), 1.0f);
    EXPECT_EQ(clipLevelOf("Vorbis"), 1.0f);
    AudioBuffer audio(1, 10);
    audio.channel(0)[3] = 32767.0f / 32768.0f;   // what a 16-bit file's clipped peak reads as
    audio.channel(0)[4] = -1.0f;
    audio.channel(0)[5] = 32766.0f / 32768.0f;   // one code below: not clipped
    LevelStats sixteenBit(1, clipLevelOf("PCM 16-bit"));
    sixteenBit.process(audio.view());
    EXPECT_EQ(sixteenBit.clippedSamples(), 2);
    EXPECT_EQ(measure(audio).clippedSamples(), 1) << "as float, only -1.0 reaches full scale";
}

TEST(LevelStats, SilenceHasNoPeakOrRmsAndZeroDc) {
    AudioBuffer audio(2, 4800);
    LevelStats stats = measure(audio);
    EXPECT_FALSE(stats.samplePeakDbfs());
    EXPECT_FALSE(stats.rmsDbfs());
    EXPECT_EQ(*stats.dcOffset(), 0.0);
    EXPECT_EQ(stats.clippedSamples(), 0);
}

TEST(LevelStats, NothingMeasuredHasNoDcOffset) {
    LevelStats stats(2);
    EXPECT_FALSE(stats.dcOffset());
    EXPECT_FALSE(stats.rmsDbfs());
}

TEST(LevelStats, SameResultsBitForBitForAnyBlockSizeAndNoAllocation) {
    AudioBuffer audio = SignalBuilder(44100, 2).noise(-3.0, 1.0, 2).tone(50.0, -1.0, 0.5).build();
    const LevelStats whole = measure(audio);
    for (std::int64_t block : {1, 7, 4096}) {
        test::AllocationCounter counter;
        const LevelStats split = measure(audio, block);
        EXPECT_EQ(counter.count(), 0u);
        EXPECT_EQ(split.rmsDbfs()->value, whole.rmsDbfs()->value);
        EXPECT_EQ(*split.dcOffset(), *whole.dcOffset());
        EXPECT_EQ(split.samplePeakDbfs()->value, whole.samplePeakDbfs()->value);
        EXPECT_EQ(split.frames().value, audio.numFrames());
    }
}
