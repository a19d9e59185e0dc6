// The mastering loop's shortcuts must not change what it measures or what it writes:
// TruePeakScan equals analysis::TruePeakMeter exactly, the limiter fed cached peaks (with the
// quiet frames skipped) gives the same bits as the limiter fed fully computed peaks, and the
// ProgramMeter's hash equals the hash of the file read back.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <memory>
#include <vector>

#include "analysis/true_peak_meter.hpp"
#include "dsp/limiter.hpp"
#include "io/audio_file_writer.hpp"
#include "master/program_analysis.hpp"
#include "master/true_peak_detector.hpp"
#include "master_test_support.hpp"
#include "support/test_signals.hpp"

namespace reel::master {
namespace {

/// Runs both meters over `x` in blocks of `block` frames and expects bit-equal peaks.
void expectScanEqualsMeter(AudioBuffer& x, double rate, std::int64_t block) {
    analysis::TruePeakMeter meter(SampleRate{rate}, x.numChannels());
    TruePeakScan scan(SampleRate{rate}, x.numChannels());
    for (std::int64_t at = 0; at < x.numFrames(); at += block) {
        const AudioView piece = x.view().slice(at, std::min(block, x.numFrames() - at));
        meter.process(piece);
        scan.process(piece);
    }
    for (int c = 0; c < x.numChannels(); ++c)
        EXPECT_EQ(scan.truePeak(c), meter.truePeak(c)) << "channel " << c << ", " << rate << " Hz, block " << block;
    ASSERT_EQ(scan.truePeakDbtp().has_value(), meter.truePeakDbtp().has_value());
    if (meter.truePeakDbtp()) {
        EXPECT_EQ(scan.truePeakDbtp()->value, meter.truePeakDbtp()->value);
    }
}

TEST(TruePeakScan, EqualsTheTruePeakMeterBitForBit) {
    for (double rate : {44100.0, 48000.0, 96000.0, 192000.0}) {
        // Programme material (peaks found early, most runs skipped) and a sine whose peaks fall
        // between samples and grow slowly (a new maximum in nearly every run).
        AudioBuffer music = test::programMaterial(3.0, rate, 2, -3.0, 5, 0.9);
        AudioBuffer rising = test::sine(rate / 4.0 + 7.0, 0.5, rate, static_cast<std::int64_t>(rate), 2);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < rising.numFrames(); ++i)
                rising.channel(c)[i] *= static_cast<float>(0.5 + static_cast<double>(i) / static_cast<double>(rising.numFrames()));
        for (std::int64_t block : {1, 7, 4095, 65536}) {
            if (block == 1 && rate > 48000.0) continue;  // slow, and nothing new
            expectScanEqualsMeter(music, rate, block);
            expectScanEqualsMeter(rising, rate, block);
        }
    }
    AudioBuffer silence(2, 10000);
    expectScanEqualsMeter(silence, 48000.0, 4096);  // silence: no peak at all
}

/// A limiter whose detector replays `peaks` (the pre-limiter signal's, from a TruePeakDetector
/// with the given skip fraction) under `drive`; returns its output for `x`.
AudioBuffer limitWithCachedPeaks(AudioBuffer& x, float skipFraction, double driveDb, double ceilingDb) {
    const double rate = 44100.0;
    const std::int64_t n = x.numFrames();
    TruePeakDetector detector;
    EXPECT_TRUE(detector.prepare({rate, 4096, x.numChannels()}));
    detector.setSkipFraction(skipFraction);
    std::vector<float> peaks(static_cast<std::size_t>(n));
    for (std::int64_t at = 0; at < n; at += 4096) {
        const std::int64_t len = std::min<std::int64_t>(4096, n - at);
        detector.process(x.view().slice(at, len), peaks.data() + at);
    }
    auto cached = std::make_unique<CachedPeakDetector>();
    CachedPeakDetector* replay = cached.get();
    dsp::Limiter limiter({Decibels{ceilingDb}, Seconds{0.12}, Seconds{0.005}}, std::move(cached));
    EXPECT_TRUE(limiter.prepare({rate, 4096, x.numChannels()}));
    const float drive = static_cast<float>(std::pow(10.0, driveDb / 20.0));
    AudioBuffer y = x;
    for (int c = 0; c < y.numChannels(); ++c)
        for (std::int64_t i = 0; i < n; ++i) y.channel(c)[i] *= drive;
    for (std::int64_t at = 0; at < n; at += 4096) {
        const std::int64_t len = std::min<std::int64_t>(4096, n - at);
        replay->setSource(peaks.data() + at, drive);
        limiter.process(y.view().slice(at, len));
    }
    return y;
}

// The mastering loop skips the oversampling of frames more than the intensity's limiting
// allowance + 1 dB below the highest peak; at any drive that limits at most that allowance,
// the limiter's output is the same, bit for bit, as with every frame oversampled.
TEST(TruePeakDetector, SkippingQuietFramesDoesNotChangeTheLimitersOutput) {
    AudioBuffer x = test::programMaterial(6.0, 44100.0, 2, -6.0, 3, 0.9);
    analysis::TruePeakMeter meter(SampleRate{44100.0}, 2);
    meter.process(x.view());
    const double peakDb = meter.truePeakDbtp()->value;
    const double allowanceDb = 8.0;  // --intensity medium
    const float fraction = static_cast<float>(std::pow(10.0, -(allowanceDb + 1.0) / 20.0));
    const double ceilingDb = -1.0;
    for (double limitingDb : {0.5, 4.0, allowanceDb}) {
        const double driveDb = ceilingDb - peakDb + limitingDb;
        const AudioBuffer full = limitWithCachedPeaks(x, 0.0f, driveDb, ceilingDb);
        const AudioBuffer skipped = limitWithCachedPeaks(x, fraction, driveDb, ceilingDb);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < x.numFrames(); ++i)
                ASSERT_EQ(full.channel(c)[i], skipped.channel(c)[i]) << "limiting " << limitingDb << " dB, frame " << i;
    }
    // And the test can fail: skipping far too much (everything under the peak) changes it.
    const double driveDb = ceilingDb - peakDb + allowanceDb;
    const AudioBuffer full = limitWithCachedPeaks(x, 0.0f, driveDb, ceilingDb);
    const AudioBuffer careless = limitWithCachedPeaks(x, 0.999f, driveDb, ceilingDb);
    bool differs = false;
    for (std::int64_t i = 0; i < x.numFrames() && !differs; ++i) differs = full.channel(0)[i] != careless.channel(0)[i];
    EXPECT_TRUE(differs);
}

TEST(CachedPeakDetector, ReplaysPeaksTimesTheGainWithTheDetectorsLatency) {
    AudioBuffer x = test::noise(1000, 2, 0.5, 4);
    TruePeakDetector detector;
    ASSERT_TRUE(detector.prepare({48000.0, 1000, 2}));
    std::vector<float> peaks(1000), replayed(1000);
    detector.process(x.view(), peaks.data());
    CachedPeakDetector cached;
    ASSERT_TRUE(cached.prepare({48000.0, 1000, 2}));
    EXPECT_EQ(cached.latency(), detector.latency());
    cached.setSource(peaks.data(), 2.0f);
    cached.process(x.view().slice(0, 600), replayed.data());
    cached.process(x.view().slice(600, 400), replayed.data() + 600);  // the source advances
    for (std::size_t i = 0; i < 1000; ++i) ASSERT_EQ(replayed[i], 2.0f * peaks[i]) << i;
    EXPECT_EQ(cached.maxPeak(), 2.0f * detector.maxPeak());
}

// The write pass's measurement stands for the file only if the file holds those samples:
// ProgramMeter's hash equals hashFile() of a 24-bit file written (io::AudioFileWriter, exact
// on the grid) from grid-aligned samples,
// and differs when one sample differs.
TEST(ProgramMeter, HashEqualsTheHashOfTheFileReadBack) {
    const auto dir = test::scratchDir("master-program-meter-hash");
    AudioBuffer x = test::programMaterial(4.0, 48000.0, 2, -6.0);
    for (int c = 0; c < 2; ++c)  // onto the 24-bit grid, as the dither leaves it
        for (std::int64_t i = 0; i < x.numFrames(); ++i)
            x.channel(c)[i] = static_cast<float>(std::round(x.channel(c)[i] * 8388608.0) / 8388608.0);
    auto write = [&] {
        auto writer = io::AudioFileWriter::create(dir / "x.wav", {io::FileType::wav, io::SampleFormat::pcm24, SampleRate{48000.0}, 2});
        ASSERT_TRUE(writer && writer->write(x.view()) && writer->commit());
    };
    write();
    ProgramMeter meter(SampleRate{48000.0}, 2, MeasureSpectrum::yes);
    for (std::int64_t at = 0; at < x.numFrames(); at += 10000) {
        const AudioView piece = x.view().slice(at, std::min<std::int64_t>(10000, x.numFrames() - at));
        meter.processLoudness(piece);
        meter.processLevels(piece);
    }
    auto hash = hashFile(dir / "x.wav");
    ASSERT_TRUE(hash) << hash.error().message;
    EXPECT_EQ(*hash, meter.hash());

    // The measurement equals a full analysis of the file.
    ProgramAnalysis measured;
    meter.finish(measured);
    auto analyzed = analyzeProgram(dir / "x.wav");
    ASSERT_TRUE(analyzed);
    EXPECT_EQ(measured.integratedLufs->value, analyzed->integratedLufs->value);
    EXPECT_EQ(measured.truePeakDbtp->value, analyzed->truePeakDbtp->value);
    EXPECT_EQ(measured.loudnessRangeLu->value, analyzed->loudnessRangeLu->value);
    EXPECT_EQ(measured.frames.value, analyzed->frames.value);

    x.channel(1)[12345] += static_cast<float>(1.0 / 8388608.0);
    write();
    EXPECT_NE(*hashFile(dir / "x.wav"), meter.hash());
}

}  // namespace
}  // namespace reel::master
