#include "dsp/equalizer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/analog_matched_biquad.hpp"

namespace reel::dsp {
namespace {

constexpr double kMinFrequency = 10.0, kMaxFrequency = 40000.0;
constexpr double kMinGain = -24.0, kMaxGain = 24.0;
constexpr double kMinQ = 0.1, kMaxQ = 40.0;
constexpr double kGlideSeconds = 0.020;

#define REEL_EQ_BAND(n)                                                                            \
    ParameterInfo{"band" #n ".frequency", "Hz", kMinFrequency, kMaxFrequency, 1000.0},             \
        ParameterInfo{"band" #n ".gain", "dB", kMinGain, kMaxGain, 0.0},                           \
        ParameterInfo{"band" #n ".q", "", kMinQ, kMaxQ, 1.0}
constexpr std::array<ParameterInfo, 2 + 3 * Equalizer::kMaxBands> kParameters{
    ParameterInfo{"highpass.frequency", "Hz", kMinFrequency, kMaxFrequency, 80.0},
    ParameterInfo{"lowpass.frequency", "Hz", kMinFrequency, kMaxFrequency, 16000.0},
    REEL_EQ_BAND(1), REEL_EQ_BAND(2), REEL_EQ_BAND(3), REEL_EQ_BAND(4),
    REEL_EQ_BAND(5), REEL_EQ_BAND(6), REEL_EQ_BAND(7), REEL_EQ_BAND(8)};
#undef REEL_EQ_BAND

/// Q of pole pair k (1-based) of an order-n Butterworth filter: 1 / (2 sin((2k-1)π / 2n)).
double butterworthQ(int order, int k) {
    return 1.0 / (2.0 * std::sin((2.0 * k - 1.0) * std::numbers::pi / (2.0 * order)));
}

int orderOf(const Equalizer::Band& band) { return std::clamp(band.slopeDbPerOctave / 6, 2, 8) & ~1; }

bool isIdentity(const BiquadCoefficients& c) {
    return c.b0 == 1.0 && c.b1 == 0.0 && c.b2 == 0.0 && c.a1 == 0.0 && c.a2 == 0.0;
}

}  // namespace

Equalizer::Equalizer(const Params& params) { setParams(params, Glide::jump); }

Equalizer::Band& Equalizer::bandOfSlot(int slot) noexcept {
    if (slot == 0) return params_.highPass;
    if (slot == 1) return params_.lowPass;
    return params_.bands[static_cast<std::size_t>(slot - 2)];
}

Result<void> Equalizer::prepare(const ProcessSpec& spec) {
    if (spec.sampleRate <= 0.0 || spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "eq: needs a positive sample rate and 1 to 8 channels");
    sampleRate_ = spec.sampleRate;
    rampFrames_ = std::max<std::int64_t>(1, std::llround(kGlideSeconds * sampleRate_));
    for (auto& slot : slots_) {
        slot.logFrequency.prepare(rampFrames_, slot.logFrequency.target());
        slot.gainDb.prepare(rampFrames_, slot.gainDb.target());
        slot.logQ.prepare(rampFrames_, slot.logQ.target());
    }
    reset();
    return {};
}

void Equalizer::setParams(const Params& params, Glide glide) noexcept {
    params_ = params;
    int lastBand = -1;
    for (int b = 0; b < kMaxBands; ++b)
        if (params_.bands[static_cast<std::size_t>(b)].type != BandType::off) lastBand = b;
    numParameters_ = 2 + 3 * (lastBand + 1);
    for (int s = 0; s < kSlots; ++s) applyBand(s, bandOfSlot(s), glide);
    smoothing_ = anySmoothing();
}

void Equalizer::applyBand(int index, const Band& band, Glide glide) noexcept {
    Slot& slot = slots_[static_cast<std::size_t>(index)];
    const bool reshaped = slot.band.type != band.type || orderOf(slot.band) != orderOf(band);
    slot.band = band;
    const double logFrequency = std::log2(std::clamp(band.frequency.value, kMinFrequency, kMaxFrequency));
    const double gain = std::clamp(band.gain.value, kMinGain, kMaxGain);
    const double logQ = std::log2(std::clamp(band.q, kMinQ, kMaxQ));
    if (glide == Glide::jump || reshaped) {
        slot.logFrequency.setImmediate(logFrequency);
        slot.gainDb.setImmediate(gain);
        slot.logQ.setImmediate(logQ);
        if (reshaped)
            for (auto& section : slot.sections) section.reset();
        design(slot, Redesign::fresh);
        return;
    }
    slot.logFrequency.setTarget(logFrequency);
    slot.gainDb.setTarget(gain);
    slot.logQ.setTarget(logQ);
}

void Equalizer::design(Slot& slot, Redesign redesign) noexcept {
    const double fs = sampleRate_;
    const double f = std::min(std::exp2(slot.logFrequency.current()), 0.49 * fs);
    const double q = std::exp2(slot.logQ.current());
    switch (slot.band.type) {
        case BandType::off: setSections(slot, {}, 0); return;
        case BandType::bell:
        case BandType::lowShelf:
        case BandType::highShelf: designMatched(slot, redesign, f, q); return;
        case BandType::highPass:
        case BandType::lowPass: {
            const int order = orderOf(slot.band);
            std::array<BiquadCoefficients, kMaxSections> sections{};
            for (int k = 1; k <= order / 2; ++k)
                sections[static_cast<std::size_t>(k - 1)] =
                    slot.band.type == BandType::highPass ? BiquadCoefficients::highPass(f, butterworthQ(order, k), fs)
                                                         : BiquadCoefficients::lowPass(f, butterworthQ(order, k), fs);
            setSections(slot, sections, order / 2);
            return;
        }
        case BandType::notch: setSections(slot, {BiquadCoefficients::notch(f, q, fs)}, 1); return;
    }
}

void Equalizer::designMatched(Slot& slot, Redesign redesign, double f, double q) noexcept {
    const double gain = slot.gainDb.current();
    std::array<BiquadCoefficients, kMaxSections> sections{};
    if (gain == 0.0) {  // exactly transparent (identity sections are skipped by process())
        setSections(slot, sections, redesign == Redesign::fresh ? 1 : std::max(slot.numSections, 1));
        return;
    }
    const AnalogBiquad prototype = slot.band.type == BandType::bell       ? AnalogBiquad::bell(f, q, gain)
                                   : slot.band.type == BandType::lowShelf ? AnalogBiquad::lowShelf(f, q, gain)
                                                                          : AnalogBiquad::highShelf(f, q, gain);
    MatchedSections matched;
    if (redesign == Redesign::fresh) {
        matched = magnitudeMatched(prototype, sampleRate_, SectionCount::fewest);
    } else {
        // Mid-glide a band never drops from two sections to one, and its factors stay in the
        // sections they ran in: no coefficient jumps beyond the glide's own steps.
        MatchedSections running;
        running.count = std::min(slot.numSections, MatchedSections::kMax);
        for (int k = 0; k < running.count; ++k)
            running.sections[static_cast<std::size_t>(k)] = slot.sections[static_cast<std::size_t>(k)].coefficients();
        const SectionCount count = running.count == 2 ? SectionCount::two : SectionCount::fewest;
        matched = magnitudeMatched(prototype, sampleRate_, count, &running);
    }
    for (int k = 0; k < matched.count; ++k)
        sections[static_cast<std::size_t>(k)] = matched.sections[static_cast<std::size_t>(k)];
    setSections(slot, sections, matched.count);
}

void Equalizer::setSections(Slot& slot, const std::array<BiquadCoefficients, kMaxSections>& sections,
                            int count) noexcept {
    slot.numSections = count;
    for (int k = 0; k < kMaxSections; ++k) {
        Biquad& section = slot.sections[static_cast<std::size_t>(k)];
        const BiquadCoefficients& c = sections[static_cast<std::size_t>(k)];
        // A section that does not run (unused or identity) holds a zero state, so it starts
        // from rest when it runs again rather than from what it held when it stopped; an
        // identity section's own state would be zero two frames after it stopped anyway.
        if (k >= count || isIdentity(c)) section.reset();
        section.setCoefficients(k < count ? c : BiquadCoefficients{});
    }
}

bool Equalizer::anySmoothing() const noexcept {
    for (const auto& slot : slots_)
        if (slot.logFrequency.isSmoothing() || slot.gainDb.isSmoothing() || slot.logQ.isSmoothing()) return true;
    return false;
}

void Equalizer::advanceSmoothing() noexcept {
    for (auto& slot : slots_) {
        if (!slot.logFrequency.isSmoothing() && !slot.gainDb.isSmoothing() && !slot.logQ.isSmoothing()) continue;
        slot.logFrequency.skip(kUpdateFrames);
        slot.gainDb.skip(kUpdateFrames);
        slot.logQ.skip(kUpdateFrames);
        design(slot, Redesign::glide);
    }
    smoothing_ = anySmoothing();
}

void Equalizer::runSections(AudioView io) noexcept {
    std::array<Biquad*, kSlots * kMaxSections> active{};
    std::size_t count = 0;
    for (auto& slot : slots_)
        for (int k = 0; k < slot.numSections; ++k) {
            Biquad& section = slot.sections[static_cast<std::size_t>(k)];
            if (!isIdentity(section.coefficients())) active[count++] = &section;  // identity keeps a zero state
        }
    const std::span<Biquad* const> cascade(active.data(), count);
    int c = 0;
    for (; c + 1 < io.numChannels(); c += 2) processCascadePair(cascade, c, io.channel(c), io.channel(c + 1), io.numFrames());
    if (c < io.numChannels()) processCascade(cascade, c, io.channel(c), io.numFrames());
}

void Equalizer::process(AudioView io) noexcept {
    const std::int64_t numFrames = io.numFrames();
    std::int64_t done = 0;
    while (done < numFrames) {
        if (gridPhase_ == 0 && smoothing_) advanceSmoothing();
        // While gliding, stop at each grid point to redesign; otherwise run to the end.
        const std::int64_t length = smoothing_ ? std::min(kUpdateFrames - gridPhase_, numFrames - done) : numFrames - done;
        runSections(io.slice(done, length));
        gridPhase_ = (gridPhase_ + length) % kUpdateFrames;
        done += length;
    }
}

void Equalizer::reset() noexcept {
    for (auto& slot : slots_) {
        slot.logFrequency.setImmediate(slot.logFrequency.target());
        slot.gainDb.setImmediate(slot.gainDb.target());
        slot.logQ.setImmediate(slot.logQ.target());
        for (auto& section : slot.sections) section.reset();
        design(slot, Redesign::fresh);
    }
    gridPhase_ = 0;
    smoothing_ = false;
}

std::span<const ParameterInfo> Equalizer::parameters() const noexcept {
    return std::span<const ParameterInfo>(kParameters.data(), static_cast<std::size_t>(numParameters_));
}

void Equalizer::setParameter(int index, double value) noexcept {
    if (index < 0 || index >= numParameters_ || !std::isfinite(value)) return;
    const ParameterInfo& info = kParameters[static_cast<std::size_t>(index)];
    value = std::clamp(value, info.min, info.max);
    const int slotIndex = index < 2 ? index : 2 + (index - 2) / 3;
    const int field = index < 2 ? 0 : (index - 2) % 3;
    Slot& slot = slots_[static_cast<std::size_t>(slotIndex)];
    Band& band = bandOfSlot(slotIndex);
    switch (field) {
        case 0:
            band.frequency = Hertz{value};
            slot.logFrequency.setTarget(std::log2(value));
            break;
        case 1:
            band.gain = Decibels{value};
            slot.gainDb.setTarget(value);
            break;
        default:
            band.q = value;
            slot.logQ.setTarget(std::log2(value));
            break;
    }
    slot.band.frequency = band.frequency;
    slot.band.gain = band.gain;
    slot.band.q = band.q;
    smoothing_ = anySmoothing();
}

double Equalizer::responseDb(double frequencyHz) const noexcept {
    double db = 0.0;
    for (const auto& slot : slots_)
        for (int k = 0; k < slot.numSections; ++k)
            db += slot.sections[static_cast<std::size_t>(k)].coefficients().magnitudeDb(frequencyHz, sampleRate_);
    return db;
}

int Equalizer::activeSections() const noexcept {
    int count = 0;
    for (const auto& slot : slots_)
        for (int k = 0; k < slot.numSections; ++k)
            if (!isIdentity(slot.sections[static_cast<std::size_t>(k)].coefficients())) ++count;
    return count;
}

double Equalizer::analogResponseDb(double frequencyHz) const noexcept {
    double db = 0.0;
    for (const auto& slot : slots_) {
        const Band& band = slot.band;
        const double f = std::min(std::clamp(band.frequency.value, kMinFrequency, kMaxFrequency), 0.49 * sampleRate_);
        const double q = std::clamp(band.q, kMinQ, kMaxQ), gain = std::clamp(band.gain.value, kMinGain, kMaxGain);
        switch (band.type) {
            case BandType::off: break;
            case BandType::bell: db += AnalogBiquad::bell(f, q, gain).magnitudeDb(frequencyHz); break;
            case BandType::lowShelf: db += AnalogBiquad::lowShelf(f, q, gain).magnitudeDb(frequencyHz); break;
            case BandType::highShelf: db += AnalogBiquad::highShelf(f, q, gain).magnitudeDb(frequencyHz); break;
            case BandType::notch: db += AnalogBiquad::notch(f, q).magnitudeDb(frequencyHz); break;
            case BandType::highPass:
            case BandType::lowPass: {
                const int order = orderOf(band);
                for (int k = 1; k <= order / 2; ++k)
                    db += (band.type == BandType::highPass ? AnalogBiquad::highPass(f, butterworthQ(order, k))
                                                           : AnalogBiquad::lowPass(f, butterworthQ(order, k)))
                              .magnitudeDb(frequencyHz);
                break;
            }
        }
    }
    return db;
}

}  // namespace reel::dsp
