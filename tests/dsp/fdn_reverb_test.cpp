#include "dsp/fdn_reverb.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <vector>

#include "dsp/biquad.hpp"
#include "dsp/gliding_delay.hpp"
#include "dsp/smoothed_value.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::dsp;

namespace {

constexpr double kRate = 48000.0;

FdnReverb::Params wetOnly(double decaySeconds, double damping = 0.0) {
    FdnReverb::Params p;
    p.size = 0.7;
    p.decay = Seconds{decaySeconds};
    p.damping = damping;
    p.mix = 1.0;
    return p;
}

/// The reverb's stereo impulse response to a unit impulse on both inputs.
AudioBuffer impulseResponse(const FdnReverb::Params& params, double seconds, int block = 512) {
    FdnReverb reverb(params);
    EXPECT_TRUE(reverb.prepare({kRate, block, 2}));
    AudioBuffer ir(2, static_cast<std::int64_t>(seconds * kRate));
    ir.channel(0)[0] = ir.channel(1)[0] = 1.0f;
    for (std::int64_t at = 0; at < ir.numFrames(); at += block)
        reverb.process(ir.view().slice(at, std::min<std::int64_t>(block, ir.numFrames() - at)));
    return ir;
}

/// Schroeder's backward-integrated energy decay curve of the sum of the channels' energies,
/// in dB re its start (M. R. Schroeder, "New method of measuring reverberation time", JASA 1965).
std::vector<double> energyDecayDb(const std::vector<double>& energy) {
    std::vector<double> edc(energy.size());
    double sum = 0.0;
    for (std::size_t i = energy.size(); i-- > 0;) edc[i] = sum += energy[i];
    for (double& e : edc) e = 10.0 * std::log10(std::max(e, 1e-300) / sum);
    return edc;
}

/// T60 from a least-squares line through the EDC between fromDb and toDb (ISO 3382: T30 is
/// −5 to −35 dB), extrapolated to 60 dB.
double reverbTime(const std::vector<double>& energy, double fromDb = -5.0, double toDb = -35.0) {
    const auto edc = energyDecayDb(energy);
    double sx = 0, sy = 0, sxx = 0, sxy = 0, count = 0;
    for (std::size_t i = 0; i < edc.size(); ++i) {
        if (edc[i] > fromDb || edc[i] < toDb) continue;
        const double t = static_cast<double>(i) / kRate;
        sx += t, sy += edc[i], sxx += t * t, sxy += t * edc[i], ++count;
    }
    const double slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);  // dB per second
    return -60.0 / slope;
}

std::vector<double> energyOf(const AudioBuffer& ir) {
    std::vector<double> e(static_cast<std::size_t>(ir.numFrames()));
    for (std::int64_t i = 0; i < ir.numFrames(); ++i)
        for (int c = 0; c < ir.numChannels(); ++c)
            e[static_cast<std::size_t>(i)] += double(ir.channel(c)[i]) * ir.channel(c)[i];
    return e;
}

/// Energy of the IR in a band around centreHz: two cascaded RBJ bandpasses of quality q
/// (q = √2: about an octave; 4.32: about a third of an octave).
std::vector<double> bandEnergy(const AudioBuffer& ir, double centreHz, double q = M_SQRT2) {
    AudioBuffer band = ir;
    for (int pass = 0; pass < 2; ++pass) {
        Biquad filter;
        filter.setCoefficients(BiquadCoefficients::bandPass(centreHz, q, kRate));
        filter.process(band.view());
    }
    return energyOf(band);
}

/// Abel & Huang's normalized echo density ("A simple, robust measure of reverberation echo
/// density", AES 121st Convention, 2006) of one channel at frame `at`, with a 20 ms window:
/// the share of samples above the window's standard deviation, over the share (erfc(1/√2))
/// a Gaussian noise would have. 1 means noise-like; a few discrete echoes give ≪ 1.
double echoDensity(const float* x, std::int64_t at) {
    const std::int64_t half = static_cast<std::int64_t>(0.010 * kRate);
    double power = 0.0;
    for (std::int64_t i = at - half; i <= at + half; ++i) power += double(x[i]) * x[i];
    const double sigma = std::sqrt(power / static_cast<double>(2 * half + 1));
    double above = 0.0;
    for (std::int64_t i = at - half; i <= at + half; ++i) above += std::fabs(x[i]) > sigma ? 1.0 : 0.0;
    return above / static_cast<double>(2 * half + 1) / std::erfc(1.0 / std::sqrt(2.0));
}

/// Runs `input` through a fresh reverb in blocks of `block` frames.
AudioBuffer runInBlocks(const FdnReverb::Params& params, const FdnReverb::Params& glideTo, const AudioBuffer& input,
                        int block, FdnReverb::VectorWidth width = FdnReverb::VectorWidth::widest) {
    FdnReverb reverb(params);
    reverb.setVectorWidth(width);
    EXPECT_TRUE(reverb.prepare({kRate, 4096, 2}));
    reverb.setParams(glideTo);  // glides start at frame 0 for every block size
    AudioBuffer out = input;
    for (std::int64_t at = 0; at < out.numFrames(); at += block)
        reverb.process(out.view().slice(at, std::min<std::int64_t>(block, out.numFrames() - at)));
    return out;
}

/// The network one frame at a time in double precision, written from the design in
/// fdn_reverb.hpp with none of its machinery (grid-step blocks, rings, windows, vectors): each
/// side through six Schroeder allpasses; line i fed the matrix output plus ±kInjectGain times
/// its side's diffused input; read at its length (between frames while it glides: the length
/// moves per 128-frame step from reset as the reverb's SmoothedValue does, linear
/// interpolation); one-pole absorption; the Hadamard matrix; rows 5 and 10 plus the onset as
/// the wet. Predelay 0, mix 100 %, width 1. The constants are restated from fdn_reverb.cpp.
class ReferenceFdn {
public:
    ReferenceFdn(double size, double decaySeconds, double damping, std::int64_t numFrames)
        : decay_(decaySeconds), damping_(damping) {
        const auto lengths = FdnReverb::delayLengths(size, kRate);
        for (std::size_t i = 0; i < 16; ++i) {
            length_[i].prepare(static_cast<std::int64_t>(std::llround(0.25 * kRate)), static_cast<double>(lengths[i]));
            fed_[i].assign(static_cast<std::size_t>(numFrames), 0.0);
        }
        for (std::size_t d = 0; d < 12; ++d) {
            diffuserDelay_[d] = std::max<std::int64_t>(64, std::llround(kDiffuserMs[d] * 1e-3 * kRate));
            diffuserState_[d].assign(static_cast<std::size_t>(numFrames), 0.0);
        }
    }
    /// Glides to the lengths of `size` (from the next 128-frame step on, as the reverb does).
    void setSize(double size) {
        const auto lengths = FdnReverb::delayLengths(size, kRate);
        for (std::size_t i = 0; i < 16; ++i) length_[i].setTarget(static_cast<double>(lengths[i]));
    }
    /// The wet output at the next frame for this input frame.
    std::array<double, 2> next(double inLeft, double inRight) {
        const auto t = static_cast<std::int64_t>(time_);
        if (time_ % 128 == 0) {
            for (std::size_t i = 0; i < 16; ++i) {
                start_[i] = length_[i].current();
                step_[i] = (length_[i].skip(128) - start_[i]) / 128.0;
                // Jot's absorption for the length at the step's end (as updateAbsorption()).
                const double m = start_[i] + 128.0 * step_[i];
                const double dcDb = -60.0 * m / (decay_ * kRate);
                const double r = std::pow(10.0, dcDb * (1.0 / (1.0 - 0.9 * damping_) - 1.0) / 20.0);
                pole_[i] = (1.0 - r) / (1.0 + r);
                scale_[i] = std::pow(10.0, dcDb / 20.0) * (1.0 - pole_[i]);
            }
        }
        std::array<double, 2> diffused = {inLeft, inRight};
        for (std::size_t side = 0; side < 2; ++side)
            for (std::size_t d = 6 * side; d < 6 * side + 6; ++d) {
                const double delayed = at(diffuserState_[d], t - diffuserDelay_[d]);
                const double v = diffused[side] + kDiffuserGain[d % 6] * delayed;
                diffuserState_[d][time_] = v;
                diffused[side] = delayed - kDiffuserGain[d % 6] * v;
            }
        std::array<double, 16> filtered;
        for (std::size_t i = 0; i < 16; ++i) {
            const double m = start_[i] + static_cast<double>(time_ % 128) * step_[i];
            const auto whole = static_cast<std::int64_t>(std::floor(m));
            const double frac = m - std::floor(m);
            const double newer = at(fed_[i], t - whole), older = at(fed_[i], t - whole - 1);
            filtered[i] = state_[i] = scale_[i] * (newer + frac * (older - newer)) + pole_[i] * state_[i];
        }
        std::array<double, 16> y{};
        for (std::size_t i = 0; i < 16; ++i)
            for (std::size_t j = 0; j < 16; ++j) y[i] += (std::popcount(i & j) % 2 ? -0.25 : 0.25) * filtered[j];
        for (std::size_t i = 0; i < 16; ++i) fed_[i][time_] = y[i] + kInjectSign[i] * 0.5 * diffused[i < 8 ? 0 : 1];
        ++time_;
        return {0.6 * y[5] + 0.25 * diffused[0], 0.6 * y[10] + 0.25 * diffused[1]};
    }

private:
    static constexpr std::array<double, 12> kDiffuserMs = {1.53, 2.31, 3.37, 4.87, 6.91, 9.73,
                                                           1.71, 2.57, 3.61, 5.23, 7.39, 10.37};
    static constexpr std::array<double, 6> kDiffuserGain = {0.75, 0.75, 0.7, 0.7, 0.625, 0.625};
    static constexpr std::array<double, 16> kInjectSign = {1, -1, 1, 1, -1, 1, -1, -1, 1, 1, -1, 1, -1, -1, 1, -1};
    static double at(const std::vector<double>& history, std::int64_t t) {
        return t < 0 ? 0.0 : history[static_cast<std::size_t>(t)];
    }
    double decay_, damping_;
    std::size_t time_ = 0;
    std::array<SmoothedValue, 16> length_;
    std::array<double, 16> start_{}, step_{}, pole_{}, scale_{}, state_{};
    std::array<std::vector<double>, 16> fed_;  // what line i was fed, per frame
    std::array<std::int64_t, 12> diffuserDelay_{};
    std::array<std::vector<double>, 12> diffuserState_;
};

double peakOf(const AudioBuffer& b, std::int64_t from = 0, std::int64_t to = -1) {
    if (to < 0) to = b.numFrames();
    double peak = 0.0;
    for (int c = 0; c < b.numChannels(); ++c)
        for (std::int64_t i = from; i < to; ++i) peak = std::max(peak, double(std::fabs(b.channel(c)[i])));
    return peak;
}

}  // namespace

TEST(FdnReverb, DecayTimeMeasuredBySchroederIntegrationMatchesTheSetT60) {
    for (double t60 : {0.5, 1.5, 4.0}) {
        const auto ir = impulseResponse(wetOnly(t60), 1.6 * t60 + 0.2);
        const double broadband = reverbTime(energyOf(ir));
        EXPECT_NEAR(broadband, t60, 0.1 * t60) << "T30, broadband";
        const double t20 = reverbTime(energyOf(ir), -5.0, -25.0);
        EXPECT_NEAR(t20, t60, 0.1 * t60) << "T20, broadband";
        const double octave1k = reverbTime(bandEnergy(ir, 1000.0));
        EXPECT_NEAR(octave1k, t60, 0.1 * t60) << "T30, 1 kHz octave";
    }
}

TEST(FdnReverb, DampingShortensTheHighFrequencyDecayAsTheAbsorptionFiltersPredict) {
    // Jot's design: line i of m_i frames passes |h_i(f)| per trip, so the decay at f is
    // T(f) = 60·m_i / (fs·(−20·log10|h_i(f)|)) for every line; measured in third-octave bands.
    const double t60 = 2.0;
    const auto ir = impulseResponse(wetOnly(t60, 1.0), 3.4);
    const auto lengths = FdnReverb::delayLengths(0.7, kRate);
    auto predicted = [&](double f) {
        double sum = 0.0;
        for (auto m : lengths) {
            const double dcDb = -60.0 * static_cast<double>(m) / (t60 * kRate);
            const double r = std::pow(10.0, dcDb * (1.0 / (1.0 - 0.9) - 1.0) / 20.0);  // α = 1 − 0.9·damping
            const double p = (1.0 - r) / (1.0 + r);
            const double w = 2.0 * M_PI * f / kRate;
            const double h = std::pow(10.0, dcDb / 20.0) * (1.0 - p) / std::sqrt(1.0 + p * p - 2.0 * p * std::cos(w));
            sum += 60.0 * static_cast<double>(m) / (kRate * -20.0 * std::log10(h));
        }
        return sum / static_cast<double>(lengths.size());
    };
    for (double f : {1000.0, 2000.0, 4000.0, 8000.0}) {
        const double measured = reverbTime(bandEnergy(ir, f, 4.32));
        EXPECT_NEAR(measured, predicted(f), 0.1 * predicted(f)) << f << " Hz";
    }
    EXPECT_LT(reverbTime(bandEnergy(ir, 8000.0, 4.32)), 0.25 * t60);
}

TEST(FdnReverb, TheFirstOutputSampleArrivesAtThePredelay) {
    for (double predelayMs : {0.0, 20.0, 137.0}) {
        auto params = wetOnly(1.0);
        params.predelay = Seconds{predelayMs / 1000.0};
        const auto ir = impulseResponse(params, 0.4);
        const auto predelay = static_cast<std::int64_t>(std::llround(predelayMs * 48.0));
        EXPECT_EQ(peakOf(ir, 0, predelay), 0.0) << predelayMs;
        EXPECT_GT(std::fabs(ir.channel(0)[predelay]), 0.0f) << predelayMs;
        EXPECT_GT(std::fabs(ir.channel(1)[predelay]), 0.0f) << predelayMs;
    }
}

TEST(FdnReverb, EchoDensityIsNoiseLikeAfterFiftyMilliseconds) {
    const auto ir = impulseResponse(wetOnly(2.0), 0.5);
    for (double ms : {50.0, 80.0, 150.0, 300.0})
        for (int c = 0; c < 2; ++c)
            EXPECT_GT(echoDensity(ir.channel(c), static_cast<std::int64_t>(ms * 48.0)), 0.8)
                << ms << " ms, channel " << c;
}

TEST(FdnReverb, LeftAndRightImpulseResponsesAreDecorrelated) {
    const auto ir = impulseResponse(wetOnly(2.0), 2.0);
    double lr = 0, ll = 0, rr = 0;
    for (std::int64_t i = 0; i < ir.numFrames(); ++i) {
        lr += double(ir.channel(0)[i]) * ir.channel(1)[i];
        ll += double(ir.channel(0)[i]) * ir.channel(0)[i];
        rr += double(ir.channel(1)[i]) * ir.channel(1)[i];
    }
    EXPECT_LT(std::fabs(lr / std::sqrt(ll * rr)), 0.3);
}

TEST(FdnReverb, TailFallsBelowMinus120DbAndEndsInExactZerosNotDenormals) {
    const auto ir = impulseResponse(wetOnly(0.5), 8.0);
    const double peak = peakOf(ir);
    // 120 dB down after 2·T60 (plus the onset).
    EXPECT_LT(peakOf(ir, static_cast<std::int64_t>(1.1 * kRate)), peak * 1e-6);
    std::int64_t subnormals = 0;
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < ir.numFrames(); ++i)
            subnormals += std::fpclassify(ir.channel(c)[i]) == FP_SUBNORMAL;
    EXPECT_EQ(subnormals, 0);
    EXPECT_EQ(peakOf(ir, ir.numFrames() - static_cast<std::int64_t>(0.5 * kRate)), 0.0);
}

TEST(FdnReverb, SilenceInGivesSilenceOut) {
    FdnReverb reverb;
    ASSERT_TRUE(reverb.prepare({kRate, 512, 2}));
    AudioBuffer io(2, 512);
    for (int i = 0; i < 100; ++i) {
        reverb.process(io.view());
        ASSERT_EQ(peakOf(io), 0.0);
    }
}

TEST(FdnReverb, SameOutputForAnyBlockSizeEvenWhileParametersGlide) {
    // The network runs a whole 128-frame grid step at its start whatever the caller's block;
    // the input side (diffusers, injection, mix) runs per block: all must agree bit for bit,
    // with and without damping, during glides and after them.
    auto input = test::noise(24000, 2, 0.5, 7);
    for (double damping : {0.4, 0.0}) {
        FdnReverb::Params start = wetOnly(1.2, damping);
        start.mix = 0.5;
        FdnReverb::Params glide = start;
        glide.size = 0.3;
        glide.decay = Seconds{2.5};
        glide.predelay = Seconds{0.03};
        glide.width = 0.4;
        glide.mix = 0.8;
        const auto reference = runInBlocks(start, glide, input, 4096);
        for (int block : {1, 7, 64, 4095}) {
            const auto out = runInBlocks(start, glide, input, block);
            for (int c = 0; c < 2; ++c)
                ASSERT_TRUE(std::equal(out.channel(c), out.channel(c) + out.numFrames(), reference.channel(c)))
                    << "block " << block << ", damping " << damping;
        }
    }
}

TEST(FdnReverb, MatchesTheNetworkRunOneFrameAtATimeWhileSteadyAndWhileTheSizeGlides) {
    // The reverb keeps only the matrix output in its lines' rings and adds each side's
    // injection, kept in a ring of its own, when a line is read; all of it must be the plain
    // network of ReferenceFdn (within float rounding: measured 2e-7 of the peak): an injection
    // read a frame early or late, with the wrong sign or from the wrong side, or a stale
    // mirror of the injection ring's first step, is off by a tenth of the peak or more. Noise
    // throughout, so the injection is never zero; 1.5 s at 48 kHz goes round the injection
    // ring 15 times and, in the gliding run, through two size glides, the second reversing
    // the first midway (a glide takes 0.25 s: frames 9 600 to about 21 700), so rings grow and
    // then shrink.
    constexpr std::int64_t numFrames = 72000;
    const auto input = test::noise(numFrames, 2, 0.5, 17);
    for (const bool glide : {false, true}) {
        FdnReverb::Params params = wetOnly(1.0, 0.5);
        params.size = 0.5;
        FdnReverb reverb(params);
        ASSERT_TRUE(reverb.prepare({kRate, 4096, 2}));
        ReferenceFdn reference(params.size, 1.0, 0.5, numFrames);
        AudioBuffer out = input;
        std::vector<std::array<double, 2>> expected;
        constexpr std::int64_t block = 100;  // splits the 128-frame steps unevenly
        for (std::int64_t at = 0; at < numFrames; at += block) {
            if (glide && (at == 9600 || at == 15000)) {
                params.size = at == 9600 ? 0.9 : 0.2;
                reverb.setParams(params);
                reference.setSize(params.size);
            }
            reverb.process(out.view().slice(at, block));
            for (std::int64_t k = at; k < at + block; ++k)
                expected.push_back(reference.next(input.channel(0)[k], input.channel(1)[k]));
        }
        double peak = 0.0, error = 0.0;
        for (std::int64_t k = 0; k < numFrames; ++k)
            for (int c = 0; c < 2; ++c) {
                const double want = expected[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)];
                peak = std::max(peak, std::fabs(want));
                error = std::max(error, std::fabs(out.channel(c)[k] - want));
            }
        EXPECT_GT(peak, 0.1) << "gliding " << glide;
        EXPECT_LT(error, 1e-5 * peak) << "gliding " << glide;
    }
}

TEST(FdnReverb, RingsFittedToTheRoomGiveTheSameOutputAsFullLengthRings) {
    // Each line's ring is only as long as its delay needs, grown before a size glide
    // lengthens the line and shrunk when it is steady again (a copy of the ring's recent
    // history). Against rings that always hold the longest delay: the same bits, through a
    // room growing from 0.1 to 1, shrinking to 0.3, and jumps back and forth.
    auto input = test::noise(96000, 2, 0.5, 5);
    auto run = [&](bool atCapacity) {
        FdnReverb::Params p = wetOnly(1.5, 0.3);
        p.size = 0.1;
        FdnReverb reverb(p);
        reverb.keepRingsAtCapacity(atCapacity);
        EXPECT_TRUE(reverb.prepare({kRate, 512, 2}));
        AudioBuffer out = input;
        const double sizes[] = {0.1, 1.0, 1.0, 0.3, 0.3, 0.9, 0.2, 0.2};  // one per 12000 frames
        for (std::int64_t at = 0; at < out.numFrames(); at += 500) {
            if (at % 12000 == 0) {
                p.size = sizes[at / 12000];
                reverb.setParams(p);
            }
            reverb.process(out.view().slice(at, std::min<std::int64_t>(500, out.numFrames() - at)));
        }
        return out;
    };
    const AudioBuffer fitted = run(false), full = run(true);
    for (int c = 0; c < 2; ++c)
        ASSERT_TRUE(std::equal(fitted.channel(c), fitted.channel(c) + fitted.numFrames(), full.channel(c))) << c;
    double energy = 0.0;  // and the reverb really ran
    for (std::int64_t i = 0; i < fitted.numFrames(); ++i) energy += double(fitted.channel(0)[i]) * fitted.channel(0)[i];
    EXPECT_GT(energy, 1.0);
}

TEST(FdnReverb, DiffusersSlidingBackGiveTheSameOutputAsNeverSliding) {
    // The input diffusers' delay lines are windows that slide back when full (the last
    // `delay` frames copied to the start); slides happen at the same frames for every block
    // size, so only a window that never slides can check them: the same bits over ~50 slides.
    auto input = test::noise(60000, 2, 0.5, 13);
    auto run = [&](std::size_t window) {
        FdnReverb reverb(wetOnly(1.0, 0.3));
        reverb.widenDiffusionWindow(window);
        EXPECT_TRUE(reverb.prepare({kRate, 512, 2}));
        AudioBuffer out = input;
        for (std::int64_t at = 0; at < out.numFrames(); at += 300)
            reverb.process(out.view().slice(at, std::min<std::int64_t>(300, out.numFrames() - at)));
        return out;
    };
    const AudioBuffer sliding = run(0), still = run(70000);
    for (int c = 0; c < 2; ++c)
        ASSERT_TRUE(std::equal(sliding.channel(c), sliding.channel(c) + sliding.numFrames(), still.channel(c))) << c;
}

namespace {
/// Asserts that two vector codes give the same bits on noise through glides of size, decay,
/// damping and width (and steady after them), in blocks that split the grid steps unevenly.
void expectSameBits(FdnReverb::VectorWidth a, FdnReverb::VectorWidth b) {
    auto input = test::noise(24000, 2, 0.5, 11);
    FdnReverb::Params start = wetOnly(1.2, 0.4);
    start.mix = 0.5;
    FdnReverb::Params glide = start;
    glide.size = 0.3;
    glide.decay = Seconds{2.5};
    glide.damping = 0.9;
    glide.width = 0.4;
    for (int block : {1, 7, 512}) {
        const auto first = runInBlocks(start, glide, input, block, a);
        const auto second = runInBlocks(start, glide, input, block, b);
        for (int c = 0; c < 2; ++c)
            ASSERT_TRUE(std::equal(first.channel(c), first.channel(c) + first.numFrames(), second.channel(c)))
                << "block " << block;
    }
}
}  // namespace

TEST(FdnReverb, Avx2AndBaselineCodeGiveBitIdenticalOutput) {
    // The time-parallel loops are compiled for SSE2 and for AVX2 (chosen from the CPU); the
    // same element-wise operations in either width must give the same bits.
    if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2 on this CPU: only the baseline code can run";
    expectSameBits(FdnReverb::VectorWidth::avx2, FdnReverb::VectorWidth::baseline);
}

TEST(FdnReverb, Avx512VlCodeGivesTheSameBitsAsAvx2) {
    // With AVX-512VL the network's filters and matrix run in one pass over each tile of
    // frames (filterAndMixAvx512), where AVX2 and the baseline run two: the same operations
    // in the same order, so the same bits.
    if (!cpuHasAvx512Vl()) GTEST_SKIP() << "no AVX-512VL on this CPU: its code cannot run here";
    expectSameBits(FdnReverb::VectorWidth::widest, FdnReverb::VectorWidth::avx2);
}

TEST(FdnReverb, PredelayIsAGlidingDelayOnTheInputEvenAfterAGlideFromZeroToZero) {
    // The predelay is skipped while it is 0 and not gliding (an exact copy then, which keeps
    // no history) and runs while it glides, including a glide from 0 to 0 (a target set and
    // taken back before any frame passed), which still writes the history a later glide
    // reads. Against a GlidingDelay run on the input of a reverb with no predelay: the same
    // output (mix 100 %: the dry, which differs, is weighted 0).
    auto input = test::noise(48000, 2, 0.5, 13);
    const FdnReverb::Params params = wetOnly(0.8);
    FdnReverb withPredelay(params), without(params);
    ASSERT_TRUE(withPredelay.prepare({kRate, 4096, 2}));
    ASSERT_TRUE(without.prepare({kRate, 4096, 2}));
    GlidingDelay reference;  // as the reverb's: up to 0.5 s, glides over 250 ms
    reference.prepare(2, static_cast<std::int64_t>(0.5 * kRate), static_cast<std::int64_t>(0.25 * kRate));
    AudioBuffer out = input, expected = input;
    auto setPredelay = [&](double seconds) {
        FdnReverb::Params p = params;
        p.predelay = Seconds{seconds};
        withPredelay.setParams(p);
        reference.setDelay(seconds * kRate);
    };
    constexpr std::int64_t block = 100;
    for (std::int64_t at = 0; at < out.numFrames(); at += block) {
        if (at == 4800) {
            setPredelay(0.05);
            setPredelay(0.0);
        }
        if (at == 24000) setPredelay(0.02);
        if (at == 38400) setPredelay(0.0);
        withPredelay.process(out.view().slice(at, block));
        reference.process(expected.view().slice(at, block));
        without.process(expected.view().slice(at, block));
    }
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < out.numFrames(); ++i)
            ASSERT_EQ(out.channel(c)[i], expected.channel(c)[i]) << "channel " << c << ", frame " << i;
}

TEST(FdnReverb, MonoIoGetsBothSidesOfTheWet) {
    FdnReverb reverb(wetOnly(1.0));
    ASSERT_TRUE(reverb.prepare({kRate, 4800, 1}));
    AudioBuffer io(1, 4800);
    io.channel(0)[0] = 1.0f;
    reverb.process(io.view());
    const auto stereo = impulseResponse(wetOnly(1.0), 0.1);
    for (std::int64_t i = 0; i < 4800; ++i)
        ASSERT_NEAR(io.channel(0)[i], 0.70710678f * (stereo.channel(0)[i] + stereo.channel(1)[i]), 1e-6) << i;
}

TEST(FdnReverb, ResetReproducesTheFirstRunExactly) {
    auto input = test::noise(9600, 2, 0.5, 3);
    FdnReverb reverb(wetOnly(1.5, 0.5));
    ASSERT_TRUE(reverb.prepare({kRate, 9600, 2}));
    AudioBuffer first = input;
    reverb.process(first.view());
    reverb.reset();
    AudioBuffer second = input;
    reverb.process(second.view());
    for (int c = 0; c < 2; ++c)
        EXPECT_TRUE(std::equal(first.channel(c), first.channel(c) + first.numFrames(), second.channel(c)));
}

TEST(FdnReverb, ProcessDoesNotAllocate) {
    FdnReverb reverb(wetOnly(1.5, 0.5));
    ASSERT_TRUE(reverb.prepare({kRate, 512, 2}));
    auto io = test::noise(512, 2, 0.5);
    test::AllocationCounter counter;
    reverb.process(io.view());
    for (int i = 0; i < static_cast<int>(reverb.parameters().size()); ++i)
        reverb.setParameter(i, reverb.parameters()[static_cast<std::size_t>(i)].max);
    reverb.process(io.view());
    reverb.process(io.view());
    reverb.reset();
    EXPECT_EQ(counter.count(), 0u);
}

TEST(FdnReverb, MixStepIsSmoothedWithoutSplatter) {
    // A 1 kHz sine through a 0.5 s reverb reaches a steady state (a 1 kHz sine: the reverb is
    // linear); stepping mix 0 → 100 % then only crossfades two 1 kHz sines. An instant switch
    // makes a click whose energy spreads to high frequencies.
    const auto input = test::sine(1000.0, 0.5, kRate, 96000, 2);
    const std::int64_t step = 72000 + 17;
    auto run = [&](double mix) {
        auto p = wetOnly(0.5, 0.0);
        p.mix = mix;
        FdnReverb reverb(p);
        EXPECT_TRUE(reverb.prepare({kRate, 512, 2}));
        AudioBuffer out = input;
        reverb.process(out.view().slice(0, step));
        reverb.setParameter(FdnReverb::kMix, 1.0);
        reverb.process(out.view().slice(step, out.numFrames() - step));
        return out;
    };
    const auto smoothed = run(0.0);
    const auto wet = run(1.0);
    AudioBuffer instant = input;  // dry before the step, wet after it
    for (int c = 0; c < 2; ++c)
        std::copy(wet.channel(c) + step, wet.channel(c) + wet.numFrames(), instant.channel(c) + step);
    auto splatterDb = [&](const AudioBuffer& b) {
        AudioBuffer high = b;  // what is left above 8 kHz (four 2nd-order highpasses)
        for (int pass = 0; pass < 4; ++pass) {
            Biquad hp;
            hp.setCoefficients(BiquadCoefficients::highPass(8000.0, M_SQRT1_2, kRate));
            hp.process(high.view());
        }
        double e = 0.0;
        for (std::int64_t i = step - 2400; i < step + 4800; ++i) e += double(high.channel(0)[i]) * high.channel(0)[i];
        return 10.0 * std::log10(e / 7200.0 / 0.125);  // re the sine's power
    };
    EXPECT_LT(splatterDb(smoothed), -90.0);  // measured −104 dB
    EXPECT_GT(splatterDb(instant), -60.0);   // measured −44 dB
}

TEST(FdnReverb, NaNInputIsClearedByReset) {
    FdnReverb reverb(wetOnly(1.0));
    ASSERT_TRUE(reverb.prepare({kRate, 256, 2}));
    AudioBuffer io(2, 256);
    io.channel(0)[10] = std::numeric_limits<float>::quiet_NaN();
    reverb.process(io.view());
    reverb.reset();
    auto clean = test::noise(256, 2, 0.5);
    AudioBuffer after = clean;
    for (int i = 0; i < 20; ++i) {
        after = clean;
        reverb.process(after.view());
        for (int c = 0; c < 2; ++c)
            for (std::int64_t k = 0; k < 256; ++k) ASSERT_TRUE(std::isfinite(after.channel(c)[k]));
    }
}

TEST(FdnReverb, DecayFollowsSizeUnlessGivenAndTheTailCoversIt) {
    EXPECT_DOUBLE_EQ(FdnReverb::decayForSize(0.7).value, 0.5 + 3.5 * 0.49);
    FdnReverb::Params p;
    p.size = 0.7;
    p.predelay = Seconds{0.02};
    FdnReverb reverb(p);
    ASSERT_TRUE(reverb.prepare({kRate, 512, 2}));
    EXPECT_NEAR(reverb.tailSeconds(), 0.02 + 1.5 * 2.215 + 0.05, 1e-9);
    reverb.setParameter(FdnReverb::kDecay, 6.0);
    EXPECT_NEAR(reverb.tailSeconds(), 0.02 + 1.5 * 6.0 + 0.05, 1e-9);
    // The derived decay measures as it should.
    auto derived = p;
    derived.damping = 0.0;
    derived.mix = 1.0;
    derived.predelay = Seconds{0.0};
    const auto ir = impulseResponse(derived, 3.6);
    EXPECT_NEAR(reverbTime(energyOf(ir)), 2.215, 0.2215);
}

TEST(FdnReverb, DelayLengthsAreDistinctPrimesThatGrowWithSize) {
    const auto small = FdnReverb::delayLengths(0.0, kRate);
    const auto large = FdnReverb::delayLengths(1.0, kRate);
    for (int i = 0; i < FdnReverb::kLines; ++i) {
        const auto n = large[static_cast<std::size_t>(i)];
        for (std::int64_t d = 2; d * d <= n; ++d) ASSERT_NE(n % d, 0) << n;
        EXPECT_LT(small[static_cast<std::size_t>(i)], n);
        for (int j = 0; j < i; ++j) EXPECT_NE(large[static_cast<std::size_t>(j)], n);
    }
    EXPECT_NEAR(static_cast<double>(large[0]) / kRate, 0.0353, 0.0005);
    EXPECT_NEAR(static_cast<double>(large[15]) / kRate, 0.0947, 0.0005);
}

TEST(FdnReverb, EveryParameterIsListedWithItsUnitAndRange) {
    FdnReverb reverb;
    const auto params = reverb.parameters();
    ASSERT_EQ(params.size(), 6u);
    EXPECT_EQ(params[FdnReverb::kSize].name, "size");
    EXPECT_EQ(params[FdnReverb::kDecay].unit, "s");
    EXPECT_EQ(params[FdnReverb::kPredelay].unit, "s");
    EXPECT_EQ(params[FdnReverb::kMix].unit, "%");
    EXPECT_DOUBLE_EQ(params[FdnReverb::kDecay].defaultValue,
                     FdnReverb::decayForSize(params[FdnReverb::kSize].defaultValue).value);
    for (const auto& info : params) EXPECT_LE(info.min, info.defaultValue) << info.name;
}
