// processCascade (biquad.hpp): the fused cascade the equalizer and the crossovers run must give
// exactly the bits of running the sections one after another.
#include <gtest/gtest.h>

#include <vector>

#include "dsp/biquad.hpp"
#include "support/test_signals.hpp"

namespace reel::dsp {
namespace {

TEST(BiquadCascade, GivesTheSameBitsAsSectionsOneAfterAnother) {
    const double fs = 44100.0;
    const std::vector<BiquadCoefficients> designs{
        BiquadCoefficients::peaking(100.0, 1.0, 3.0, fs),   BiquadCoefficients::lowShelf(80.0, 0.7, -2.0, fs),
        BiquadCoefficients::highPass(30.0, 0.54, fs),       BiquadCoefficients::peaking(1800.0, 2.0, -4.0, fs),
        BiquadCoefficients::highShelf(9000.0, 0.7, 1.5, fs), BiquadCoefficients::allPass(700.0, 0.7, fs),
        BiquadCoefficients::lowPass(15000.0, 0.7, fs)};
    for (std::size_t count = 1; count <= designs.size(); ++count) {
        std::vector<Biquad> one(count), fused(count);
        std::vector<Biquad*> pointers;
        for (std::size_t k = 0; k < count; ++k) {
            one[k].setCoefficients(designs[k]);
            fused[k].setCoefficients(designs[k]);
            pointers.push_back(&fused[k]);
        }
        AudioBuffer a = test::noise(3000, 2, 0.5, 3);
        AudioBuffer b = test::noise(3000, 2, 0.5, 3);
        // Two blocks, so the state carried between calls is checked too.
        for (std::int64_t start : {std::int64_t{0}, std::int64_t{1234}}) {
            const std::int64_t n = start == 0 ? 1234 : 3000 - 1234;
            for (auto& s : one) s.processChannel(1, a.channel(1) + start, n);
            processCascade(pointers, 1, b.channel(1) + start, n);
        }
        for (std::int64_t i = 0; i < 3000; ++i) ASSERT_EQ(a.channel(1)[i], b.channel(1)[i]) << count << " sections, frame " << i;
    }
}

}  // namespace
}  // namespace reel::dsp
