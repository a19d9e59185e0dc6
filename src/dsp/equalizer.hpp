#pragma once
// Parametric equalizer: up to 8 bands plus a shorthand high-pass and low-pass.
//
// Band types: bell, low shelf, high shelf (analog RBJ prototypes, digitised by magnitude
// fitting so they keep their analog shape up to 0.4·fs within 0.1 dB: see
// analog_matched_biquad.hpp; one biquad where that fits within 0.05 dB, else two — a band
// that needs two while it glides keeps two until it is set afresh, so it never flips back),
// high-pass and low-pass (Butterworth, 12/24/48 dB/oct = orders 2/4/8, a cascade of RBJ
// cookbook biquads with the Butterworth pole Qs 1/(2 sin((2k-1)π/2N))), and notch (RBJ,
// infinitely deep at f0). Pass filters and notches use the bilinear transform prewarped at f0:
// exact at f0 and at DC; a low-pass above ~fs/8 falls faster than its analog prototype near
// Nyquist, which only removes more of what it is removing.
//
// Units: frequency in Hz (a band above 0.49·fs acts at 0.49·fs), gain in dB, q plain.
// Latency 0. Parameters glide over 20 ms (frequency and q along a log scale, gain in dB);
// while a band glides its coefficients are redesigned every 32 frames, on a grid counted
// from prepare()/reset(), so the output does not depend on the host's block size.
// Band type and slope changes (setParams) take effect at once and clear that band's state.
//
// Threads: prepare() off the audio thread (it does not allocate either); process(), reset(),
// setParams() and setParameter() are real-time safe. State is double precision (TDF-II).

#include <array>
#include <cstdint>
#include <span>

#include "core/units.hpp"
#include "dsp/biquad.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

enum class BandType { off, bell, lowShelf, highShelf, highPass, lowPass, notch };
/// How setParams() reaches new values: a 20 ms glide, or at once (keeping filter state).
enum class Glide { smooth, jump };

class Equalizer final : public Processor {
public:
    static constexpr int kMaxBands = 8;
    static constexpr int kMaxSections = 4;  // a 48 dB/oct pass filter is four biquads
    static constexpr std::int64_t kUpdateFrames = 32;

    struct Band {
        BandType type = BandType::off;
        Hertz frequency{1000.0};
        Decibels gain{0.0};         // bell and shelves only
        double q = 1.0;             // bell, shelves, notch; pass filters are Butterworth
        int slopeDbPerOctave = 12;  // pass filters: 12, 24 or 48
    };
    struct Params {
        Band highPass{BandType::off, Hertz{80.0}};   // the `highpass:` shorthand
        Band lowPass{BandType::off, Hertz{16000.0}}; // the `lowpass:` shorthand
        std::array<Band, kMaxBands> bands{};         // band1..band8; unused ones are off
    };

    Equalizer() = default;
    explicit Equalizer(const Params& params);

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    /// New settings; frequency/gain/q glide (Glide::smooth) or jump; types and slopes jump.
    void setParams(const Params& params, Glide glide = Glide::smooth) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;

    /// highpass.frequency, lowpass.frequency, then bandN.frequency/gain/q for the bands in
    /// use (the list ends after the last band that is not off, so automating a band that
    /// does not exist is an error the engine reports). Gain of a pass filter or notch and q
    /// of a pass filter are accepted and ignored.
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;

    /// The response of the sections as they are now (mid-glide too): Σ 20·log10|H_k(f)|.
    double responseDb(double frequencyHz) const noexcept;
    /// How many biquads process() runs now (identity sections, e.g. 0 dB bells, excluded).
    int activeSections() const noexcept;
    /// The analog prototype of the current targets (pass filters: analog Butterworth).
    double analogResponseDb(double frequencyHz) const noexcept;

private:
    static constexpr int kSlots = kMaxBands + 2;  // 0 = high-pass shorthand, 1 = low-pass, 2.. = bands
    struct Slot {
        Band band;
        SmoothedValue logFrequency, gainDb, logQ;  // log2 Hz, dB, log2 q
        std::array<Biquad, kMaxSections> sections;
        int numSections = 0;
    };
    /// fresh: choose the fewest sections that fit (setParams jumps, reset); glide: keep the
    /// sections' count and order continuous with what runs (a redesign mid-glide).
    enum class Redesign { fresh, glide };
    Band& bandOfSlot(int slot) noexcept;
    void applyBand(int slot, const Band& band, Glide glide) noexcept;
    void design(Slot& slot, Redesign redesign) noexcept;
    void designMatched(Slot& slot, Redesign redesign, double frequency, double q) noexcept;  // f ≤ 0.49·fs
    static void setSections(Slot& slot, const std::array<BiquadCoefficients, kMaxSections>& sections,
                            int count) noexcept;
    bool anySmoothing() const noexcept;
    void advanceSmoothing() noexcept;
    void runSections(AudioView io) noexcept;

    Params params_;
    std::array<Slot, kSlots> slots_{};
    double sampleRate_ = 48000.0;
    std::int64_t rampFrames_ = 960;
    std::int64_t gridPhase_ = 0;  // frames since the last 32-frame grid point
    bool smoothing_ = false;
    int numParameters_ = 2;
};

}  // namespace reel::dsp
