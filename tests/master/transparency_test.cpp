// With --character transparent, a mix already at the target comes out within 0.5 dB of its
// input spectrum in every 1/3-octave band (issue 4).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>

#include "master/band_spectrum.hpp"
#include "master/master_file.hpp"
#include "master_test_support.hpp"

namespace reel::master {
namespace {

BandSpectrum spectrumOf(const AudioBuffer& audio, double rate) {
    BandSpectrumAnalyzer analyzer(SampleRate{rate}, audio.numChannels());
    analyzer.process(const_cast<AudioBuffer&>(audio).view());
    return analyzer.result();
}

TEST(MasterTransparency, AMixAtTheTargetKeepsItsSpectrumWithinHalfADbPerBand) {
    const auto dir = test::scratchDir("master-transparent");
    const double rate = 44100.0;
    // A mix already at the target: -16 LUFS (apple), its true peak under -1 dBTP (no drums).
    AudioBuffer mix = test::programMaterial(10.0, rate, 2, 0.0, 7, 0.0);
    test::writeFile(dir / "raw.wav", mix, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const double gain = std::pow(10.0, (-16.0 - test::libebur128Integrated(dir / "raw.wav")) / 20.0);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < mix.numFrames(); ++i) mix.channel(c)[i] *= static_cast<float>(gain);
    test::writeFile(dir / "mix.wav", mix, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    ASSERT_NEAR(test::libebur128Integrated(dir / "mix.wav"), -16.0, 0.05);
    ASSERT_LT(test::truePeakOf(dir / "mix.wav"), -1.0);

    MasterJob job;
    job.input = dir / "mix.wav";
    job.output = dir / "master.wav";
    job.settings.target = *findDeliveryTarget("apple");
    job.settings.character = Character::transparent;
    auto result = masterFile(job);
    ASSERT_TRUE(result) << result.error().message;

    const BandSpectrum before = spectrumOf(mix, rate);
    const BandSpectrum after = spectrumOf(test::readFile(job.output), rate);
    ASSERT_TRUE(before.valid);
    ASSERT_TRUE(after.valid);
    for (int b = 0; b < kNumBands; ++b) {
        const auto i = static_cast<std::size_t>(b);
        if (!std::isfinite(before.mid[i])) continue;
        EXPECT_NEAR(after.mid[i], before.mid[i], 0.5) << "mid band " << bandLabel(b) << " Hz";
        if (std::isfinite(before.side[i]) && before.side[i] > -100.0) {
            EXPECT_NEAR(after.side[i], before.side[i], 0.5) << "side band " << bandLabel(b) << " Hz";
        }
    }
}

}  // namespace
}  // namespace reel::master
