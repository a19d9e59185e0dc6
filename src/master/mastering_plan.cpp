#include "master/mastering_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/json_writer.hpp"
#include "core/percent_text.hpp"
#include "master/json_value.hpp"

namespace reel::master {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kSmoothReach = 3;  // bands either side: the correction is smoothed over ±1 octave

using Band = dsp::Equalizer::Band;
using dsp::BandType;

// The fixed layout of the tonal equalizer: broad, overlapping filters a mastering engineer
// would reach for (a low shelf, six bells about an octave apart, a high shelf). A smooth
// correction curve is fitted onto their gains; the layout itself never changes, so profiles
// and reports read the same across songs.
struct Slot {
    BandType type;
    double frequency;
    double q;
};
constexpr std::array<Slot, dsp::Equalizer::kMaxBands> kLayout{{
    {BandType::lowShelf, 80.0, 0.7},
    {BandType::bell, 160.0, 1.0},
    {BandType::bell, 350.0, 1.0},
    {BandType::bell, 800.0, 1.0},
    {BandType::bell, 1800.0, 1.0},
    {BandType::bell, 4000.0, 1.0},
    {BandType::bell, 8000.0, 1.2},
    {BandType::highShelf, 12000.0, 0.7},
}};

dsp::Equalizer::Params layoutWithGains(const std::array<double, dsp::Equalizer::kMaxBands>& gains) {
    dsp::Equalizer::Params params;
    for (std::size_t j = 0; j < kLayout.size(); ++j)
        params.bands[j] = Band{kLayout[j].type, Hertz{kLayout[j].frequency}, Decibels{gains[j]}, kLayout[j].q, 12};
    return params;
}

bool finite(double x) { return std::isfinite(x); }

/// Smooths over ±kSmoothReach bands with triangular weights, skipping missing bands.
BandLevels smooth(const BandLevels& curve) {
    BandLevels out;
    for (int b = 0; b < kNumBands; ++b) {
        double sum = 0.0, weights = 0.0;
        for (int k = -kSmoothReach; k <= kSmoothReach; ++k) {
            const int i = b + k;
            if (i < 0 || i >= kNumBands || !finite(curve[static_cast<std::size_t>(i)])) continue;
            const double w = kSmoothReach + 1 - std::abs(k);
            sum += w * curve[static_cast<std::size_t>(i)];
            weights += w;
        }
        out[static_cast<std::size_t>(b)] = finite(curve[static_cast<std::size_t>(b)]) && weights > 0 ? sum / weights : kNaN;
    }
    return out;
}

/// The correction (dB per band) that moves `mix` toward `reference`, both relative levels:
/// smoothed, made level-neutral over 63 Hz – 10 kHz (the loudness loop sets the level),
/// scaled and bounded.
BandLevels correctionToward(const BandLevels& mix, const BandLevels& reference, double strength, double bound) {
    BandLevels deviation;
    for (std::size_t b = 0; b < deviation.size(); ++b)
        deviation[b] = finite(mix[b]) && finite(reference[b]) ? reference[b] - mix[b] : kNaN;
    BandLevels curve = smooth(deviation);
    double sum = 0.0;
    int count = 0;
    for (int b = 5; b <= 27; ++b)
        if (finite(curve[static_cast<std::size_t>(b)])) {
            sum += curve[static_cast<std::size_t>(b)];
            ++count;
        }
    const double mean = count > 0 ? sum / count : 0.0;
    for (double& v : curve)
        if (finite(v)) v = std::clamp((v - mean) * strength, -bound, bound);
    return curve;
}

/// Solves the n×n system a·x = y in place (Gaussian elimination, partial pivoting).
template <std::size_t N>
std::array<double, N> solve(std::array<std::array<double, N>, N> a, std::array<double, N> y) {
    for (std::size_t col = 0; col < N; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < N; ++r)
            if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
        std::swap(a[col], a[pivot]);
        std::swap(y[col], y[pivot]);
        if (std::fabs(a[col][col]) < 1e-12) continue;
        for (std::size_t r = col + 1; r < N; ++r) {
            const double f = a[r][col] / a[col][col];
            for (std::size_t c = col; c < N; ++c) a[r][c] -= f * a[col][c];
            y[r] -= f * y[col];
        }
    }
    std::array<double, N> x{};
    for (std::size_t i = N; i-- > 0;) {
        double s = y[i];
        for (std::size_t c = i + 1; c < N; ++c) s -= a[i][c] * x[c];
        x[i] = std::fabs(a[i][i]) < 1e-12 ? 0.0 : s / a[i][i];
    }
    return x;
}

/// Fits the layout's gains so its response follows `curve` (dB per band; NaN = don't care):
/// ridge-regularized least squares on the responses at +1 dB, refined three times against
/// the true response (filter shapes change a little with gain). Gains stay within ±bound.
dsp::Equalizer::Params fitEqualizer(const BandLevels& curve, double bound, SampleRate rate) {
    constexpr std::size_t J = dsp::Equalizer::kMaxBands;
    std::array<double, J> gains{};
    bool any = false;
    for (double v : curve) any = any || (finite(v) && std::fabs(v) > 0.05);
    if (!any) return layoutWithGains(gains);
    std::array<BandLevels, J> basis;
    for (std::size_t j = 0; j < J; ++j) {
        std::array<double, J> unit{};
        unit[j] = 1.0;
        basis[j] = equalizerResponse(layoutWithGains(unit), rate);
    }
    constexpr double kRidge = 0.05;
    for (int iteration = 0; iteration < 4; ++iteration) {
        const BandLevels now = equalizerResponse(layoutWithGains(gains), rate);
        std::array<std::array<double, J>, J> a{};
        std::array<double, J> y{};
        for (int b = 0; b < kNumBands; ++b) {
            const auto bi = static_cast<std::size_t>(b);
            if (!finite(curve[bi]) || !finite(now[bi])) continue;
            const double residual = curve[bi] - now[bi];
            for (std::size_t i = 0; i < J; ++i) {
                if (!finite(basis[i][bi])) continue;
                y[i] += basis[i][bi] * residual;
                for (std::size_t k = 0; k < J; ++k)
                    if (finite(basis[k][bi])) a[i][k] += basis[i][bi] * basis[k][bi];
            }
        }
        for (std::size_t i = 0; i < J; ++i) a[i][i] += kRidge;
        const auto step = solve(a, y);
        for (std::size_t j = 0; j < J; ++j) gains[j] = std::clamp(gains[j] + step[j], -bound, bound);
    }
    // Round to 0.1 dB: a profile and a report show what is really applied, and tiny gains
    // (|g| < 0.1 dB) become exactly 0, which the equalizer skips.
    for (double& g : gains) g = std::round(g * 10.0) / 10.0;
    return layoutWithGains(gains);
}

/// The character's own EQ, as a response to add to the correction (dB per band).
BandLevels characterCurve(Character character, SampleRate rate) {
    dsp::Equalizer::Params p;
    switch (character) {
        case Character::warm:
            p.bands[0] = Band{BandType::lowShelf, Hertz{150.0}, Decibels{1.5}, 0.7, 12};
            p.bands[1] = Band{BandType::highShelf, Hertz{7000.0}, Decibels{-1.0}, 0.7, 12};
            break;
        case Character::bright:
            p.bands[0] = Band{BandType::highShelf, Hertz{8000.0}, Decibels{2.0}, 0.7, 12};
            p.bands[1] = Band{BandType::lowShelf, Hertz{120.0}, Decibels{-0.5}, 0.7, 12};
            break;
        case Character::punchy:
            p.bands[0] = Band{BandType::bell, Hertz{70.0}, Decibels{1.5}, 1.0, 12};
            p.bands[1] = Band{BandType::bell, Hertz{300.0}, Decibels{-1.0}, 1.0, 12};
            break;
        case Character::balanced:
        case Character::transparent: break;
    }
    return equalizerResponse(p, rate);
}

/// Energy (dB) of bands [first, last] of a level set.
double bandEnergyDb(const BandLevels& levels, int first, int last) {
    double sum = 0.0;
    for (int b = first; b <= last; ++b) {
        const double v = levels[static_cast<std::size_t>(b)];
        if (finite(v)) sum += std::pow(10.0, v / 10.0);
    }
    return sum > 0 ? 10.0 * std::log10(sum) : -std::numeric_limits<double>::infinity();
}

/// Weighted mean of relative band levels over several references (dB domain, by weight).
BandLevels weightedReference(const std::vector<ProgramAnalysis>& references, const std::vector<ReferenceTrack>& tracks,
                             bool side) {
    BandLevels out;
    for (std::size_t b = 0; b < out.size(); ++b) {
        double sum = 0.0, weights = 0.0;
        for (std::size_t r = 0; r < references.size(); ++r) {
            const BandLevels rel = relativeLevels(side ? references[r].spectrum.side : references[r].spectrum.mid);
            if (!finite(rel[b])) continue;
            sum += tracks[r].weight * rel[b];
            weights += tracks[r].weight;
        }
        out[b] = weights > 0 ? sum / weights : kNaN;
    }
    return out;
}

}  // namespace

BandLevels relativeLevels(const BandLevels& levels) {
    // Bands more than 60 dB under the total hold nothing to correct (above a band limit).
    const double total = totalLevelDb(levels);
    BandLevels out;
    for (int b = 0; b < kNumBands; ++b) {
        const double v = levels[static_cast<std::size_t>(b)];
        out[static_cast<std::size_t>(b)] = finite(v) && finite(total) && v > total - 60.0 ? v - total : kNaN;
    }
    return out;
}

const char* toString(Character character) noexcept {
    switch (character) {
        case Character::balanced: return "balanced";
        case Character::transparent: return "transparent";
        case Character::warm: return "warm";
        case Character::bright: return "bright";
        case Character::punchy: return "punchy";
    }
    return "balanced";
}

const char* toString(Intensity intensity) noexcept {
    switch (intensity) {
        case Intensity::low: return "low";
        case Intensity::medium: return "medium";
        case Intensity::high: return "high";
    }
    return "medium";
}

Result<Character> parseCharacter(std::string_view text) {
    for (Character c : {Character::balanced, Character::transparent, Character::warm, Character::bright, Character::punchy})
        if (text == toString(c)) return c;
    return fail(ErrorCode::invalidArgument,
                fmt::format("unknown character \"{}\"; expected balanced, transparent, warm, bright or punchy", text));
}

Result<Intensity> parseIntensity(std::string_view text) {
    for (Intensity i : {Intensity::low, Intensity::medium, Intensity::high})
        if (text == toString(i)) return i;
    return fail(ErrorCode::invalidArgument, fmt::format("unknown intensity \"{}\"; expected low, medium or high", text));
}

Result<Amounts> parseAmounts(std::string_view text) {
    Amounts amounts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        start = comma + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            return fail(ErrorCode::invalidArgument,
                        fmt::format("--amount \"{}\": expected NAME=PERCENT, e.g. eq=60%,width=0%,dynamics=40%,loudness=100%", item));
        const std::string_view name = item.substr(0, eq);
        auto value = parsePercent(item.substr(eq + 1));
        if (!value) return fail(ErrorCode::invalidArgument, fmt::format("--amount {}: {}", name, value.error().message));
        if (*value < 0.0 || *value > 1.0)
            return fail(ErrorCode::invalidArgument, fmt::format("--amount {}: {} is outside 0% … 100%", name, item.substr(eq + 1)));
        if (name == "eq") amounts.eq = *value;
        else if (name == "width") amounts.width = *value;
        else if (name == "dynamics") amounts.dynamics = *value;
        else if (name == "loudness") amounts.loudness = *value;
        else
            return fail(ErrorCode::invalidArgument,
                        fmt::format("--amount: unknown dimension \"{}\"; expected eq, width, dynamics or loudness", name));
    }
    return amounts;
}

Result<ReferenceTrack> parseReference(std::string_view text) {
    ReferenceTrack track{std::filesystem::path(std::string(text)), 1.0};
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && colon + 1 < text.size()) {
        const std::string_view weightText = text.substr(colon + 1);
        double weight = 0.0;
        auto [end, ec] = std::from_chars(weightText.data(), weightText.data() + weightText.size(), weight);
        if (ec == std::errc{} && end == weightText.data() + weightText.size()) {
            if (!(weight > 0.0 && weight <= 100.0))
                return fail(ErrorCode::invalidArgument,
                            fmt::format("--reference {}: the weight must be a number above 0 (and at most 100)", text));
            track.path = std::filesystem::path(std::string(text.substr(0, colon)));
            track.weight = weight;
        }
    }
    if (track.path.empty()) return fail(ErrorCode::invalidArgument, "--reference needs a file name");
    return track;
}

BandLevels equalizerResponse(const dsp::Equalizer::Params& params, SampleRate rate) {
    dsp::Equalizer eq(params);
    (void)eq.prepare({rate.value, 64, 1});
    eq.setParams(params, dsp::Glide::jump);
    BandLevels out;
    for (int b = 0; b < kNumBands; ++b)
        out[static_cast<std::size_t>(b)] = bandCentreHz(b) < 0.49 * rate.value ? eq.responseDb(bandCentreHz(b)) : kNaN;
    return out;
}

BandLevels builtInTonalCurve() noexcept {
    // A smooth stand-in for the long-term average spectrum of commercial pop and rock mixes.
    // Its shape follows what Pestana, Ma, Reiss, Barbosa & Black report for commercial
    // recordings ("Spectral characteristics of popular commercial recordings 1950–2010", AES
    // 135th Convention, 2013): most energy in a low-frequency plateau, a steady fall through
    // the midrange, and a steeper fall in the top octave. The slopes are our rounding of that
    // shape, not their data: flat to 100 Hz (−6 dB/octave under 40 Hz), −3.5 dB/octave to
    // 10 kHz, −9 dB/octave above, in 1/3-octave band energies.
    BandLevels curve;
    for (int b = 0; b < kNumBands; ++b) {
        const double f = bandCentreHz(b);
        double db = 0.0;
        if (f < 40.0) db = -6.0 * std::log2(40.0 / f);
        else if (f > 100.0) db = -3.5 * std::log2(std::min(f, 10000.0) / 100.0);
        if (f > 10000.0) db -= 9.0 * std::log2(f / 10000.0);
        curve[static_cast<std::size_t>(b)] = db;
    }
    return curve;
}

MasteringPlan planMastering(const ProgramAnalysis& mix, const MasterSettings& settings,
                            const std::vector<ProgramAnalysis>& references, const std::optional<BandLevels>& albumMid) {
    MasteringPlan plan;
    plan.settings = settings;
    plan.target = settings.target;
    const Amounts& amount = settings.amounts;
    const SampleRate rate = mix.sampleRate;
    const bool stereo = mix.channels == 2;
    const bool transparent = settings.character == Character::transparent;
    const int level = static_cast<int>(settings.intensity);  // 0 low, 1 medium, 2 high
    plan.referenceMid.fill(kNaN);
    plan.referenceSide.fill(kNaN);
    plan.eqTargetMid.fill(0.0);
    plan.eqTargetSide.fill(0.0);

    // --- Loudness target: a reference's loudness unless a target was given.
    if (!references.empty() && !settings.loudnessGiven) {
        double sum = 0.0, weights = 0.0;
        for (std::size_t r = 0; r < references.size(); ++r)
            if (references[r].integratedLufs) {
                sum += settings.references[r].weight * references[r].integratedLufs->value;
                weights += settings.references[r].weight;
            }
        if (weights > 0) {
            plan.target.name = "reference";
            plan.target.integratedLufs = Decibels{std::round(sum / weights * 10.0) / 10.0};
            plan.target.source = "the loudness of the reference" + std::string(references.size() > 1 ? "s (weighted)" : "");
            plan.notes.push_back(fmt::format("loudness: matching the reference{} at {:.1f} LUFS", references.size() > 1 ? "s" : "",
                                             plan.target.integratedLufs.value));
        }
    }
    if (amount.loudness < 1.0 && mix.integratedLufs) {
        const double from = mix.integratedLufs->value;
        const double to = from + amount.loudness * (plan.target.integratedLufs.value - from);
        plan.notes.push_back(fmt::format("loudness: amount {:.0f}% moves the level from {:.1f} toward {:.1f} LUFS, "
                                         "to {:.1f} LUFS",
                                         amount.loudness * 100.0, from, plan.target.integratedLufs.value, to));
        plan.target.integratedLufs = Decibels{to};
    }
    plan.limiterCeiling = plan.target.ceilingDbtp;

    // --- Tonal balance.
    const double bound = std::array{2.0, 3.0, 4.5}[static_cast<std::size_t>(level)];
    const double strength = std::array{0.35, 0.5, 0.7}[static_cast<std::size_t>(level)];
    const BandLevels mixMid = relativeLevels(mix.spectrum.mid);
    const BandLevels character = characterCurve(settings.character, rate);
    BandLevels midCurve{}, sideCurve{};
    midCurve.fill(0.0);
    sideCurve.fill(0.0);
    if (!references.empty() && mix.spectrum.valid) {
        plan.hasReference = true;
        plan.referenceMid = weightedReference(references, settings.references, false);
        midCurve = correctionToward(mixMid, plan.referenceMid, 0.8, 6.0);
        if (stereo) {
            plan.referenceSide = weightedReference(references, settings.references, true);
            sideCurve = correctionToward(relativeLevels(mix.spectrum.side), plan.referenceSide, 0.8, 6.0);
            plan.midSide = true;
        }
        plan.notes.push_back(fmt::format("eq: matching the tonal balance of {} reference{} on mid{} (smoothed over an octave, "
                                         "at most ±6 dB)",
                                         references.size(), references.size() > 1 ? "s" : "", stereo ? " and side" : ""));
    } else if (!transparent && mix.spectrum.valid) {
        plan.referenceMid = builtInTonalCurve();
        midCurve = correctionToward(mixMid, plan.referenceMid, strength, bound);
        // Sub-bass (under 50 Hz) varies most between genres and is where a boost costs the most
        // headroom: the neutral curve may cut there but lifts it by at most 1 dB.
        for (int b = 0; b < 4; ++b) {
            double& v = midCurve[static_cast<std::size_t>(b)];
            if (finite(v)) v = std::min(v, 1.0);
        }
        plan.notes.push_back(fmt::format("eq: gentle correction toward a neutral tonal balance ({:.0f}% of the difference, "
                                         "at most ±{:.1f} dB)",
                                         strength * 100.0, bound));
    } else if (transparent) {
        plan.notes.push_back("eq: none (transparent)");
    }
    if (albumMid && mix.spectrum.valid) {
        // Album coherence: half of the way toward the album's average balance, at most 3 dB.
        const BandLevels album = correctionToward(mixMid, *albumMid, 0.5, 3.0);
        for (std::size_t b = 0; b < midCurve.size(); ++b) {
            if (!finite(album[b])) continue;
            midCurve[b] = (finite(midCurve[b]) ? midCurve[b] : 0.0) + album[b];
            if (plan.midSide && finite(sideCurve[b])) sideCurve[b] += album[b];
        }
        plan.notes.push_back("eq: drawn halfway toward the album's average tonal balance (at most ±3 dB)");
    }
    for (std::size_t b = 0; b < midCurve.size(); ++b) {
        const double c = finite(character[b]) ? character[b] : 0.0;
        midCurve[b] = finite(midCurve[b]) ? (midCurve[b] + c) * amount.eq : kNaN;
        sideCurve[b] = finite(sideCurve[b]) ? (sideCurve[b] + c) * amount.eq : kNaN;
    }
    if (settings.character == Character::warm || settings.character == Character::bright || settings.character == Character::punchy)
        plan.notes.push_back(fmt::format("eq: {} character curve added", toString(settings.character)));
    const double fitBound = plan.hasReference ? 6.0 : bound + 2.0;
    plan.eqTargetMid = midCurve;
    plan.eqTargetSide = plan.midSide ? sideCurve : midCurve;
    plan.midEq = fitEqualizer(midCurve, fitBound, rate);
    plan.sideEq = plan.midSide ? fitEqualizer(sideCurve, fitBound, rate) : plan.midEq;
    if (mix.dcOffset && std::fabs(*mix.dcOffset) > 1e-3) {
        // A 10 Hz second-order high-pass removes DC and leaves the 20 Hz band within 0.3 dB.
        plan.midEq.highPass = Band{BandType::highPass, Hertz{10.0}, Decibels{0.0}, 0.7071, 12};
        plan.sideEq.highPass = plan.midEq.highPass;
        plan.notes.push_back(fmt::format("eq: DC offset of {:.4f} removed (10 Hz high-pass)", *mix.dcOffset));
    }

    // --- Stereo.
    if (stereo && mix.spectrum.valid) {
        const double lowSideToMid = bandEnergyDb(mix.spectrum.side, 0, 7) - bandEnergyDb(mix.spectrum.mid, 0, 7);
        const double limit = transparent ? -6.0 : -10.0;
        if (lowSideToMid > limit && amount.width >= 0.5) {
            plan.monoBelow = Hertz{transparent ? 60.0 : 100.0};
            plan.notes.push_back(fmt::format("stereo: low end is wide (side {:.1f} dB relative to mid below 100 Hz): bass made "
                                             "mono below {:.0f} Hz",
                                             lowSideToMid, plan.monoBelow.value));
        }
        const double sideToMid = totalLevelDb(mix.spectrum.side) - totalLevelDb(mix.spectrum.mid);
        double width = 1.0;
        if (plan.hasReference) {
            double refSide = 0.0, weights = 0.0;
            for (std::size_t r = 0; r < references.size(); ++r) {
                if (references[r].channels != 2) continue;
                const double ratio = totalLevelDb(references[r].spectrum.side) - totalLevelDb(references[r].spectrum.mid);
                if (!finite(ratio)) continue;
                refSide += settings.references[r].weight * ratio;
                weights += settings.references[r].weight;
            }
            if (weights > 0 && finite(sideToMid)) width = std::clamp(std::pow(10.0, (refSide / weights - sideToMid) / 20.0), 0.75, 1.33);
        } else if (!transparent && finite(sideToMid) && sideToMid > -3.0) {
            width = 0.85;  // side nearly as loud as mid: poor mono compatibility
            plan.notes.push_back(fmt::format("stereo: very wide mix (side {:.1f} dB relative to mid): width narrowed", sideToMid));
        }
        width = 1.0 + (width - 1.0) * amount.width;
        plan.width = std::round(width * 100.0) / 100.0;
        if (plan.hasReference && plan.width != 1.0)
            plan.notes.push_back(fmt::format("stereo: width {:.2f} to match the reference's side level", plan.width));
    }

    // --- Dynamics: a gentle broadband "glue" compressor, by character and intensity; at
    // --intensity high a three-band compressor instead, so a loud low end no longer pumps
    // the whole mix (each band reacts to its own level).
    const double inputPlr = mix.plr() ? mix.plr()->value : 20.0;
    const auto bandLevels = multibandLevels(mix.spectrum, plan.multibandParams.lowCrossover, plan.multibandParams.highCrossover);
    if (!transparent && amount.dynamics > 0.0 && mix.integratedLufs && settings.intensity == Intensity::high && bandLevels &&
        inputPlr >= 8.0) {
        double ratio = std::array{1.0, 1.5, 2.0}[static_cast<std::size_t>(level)];
        if (settings.character == Character::punchy) ratio += 0.5;
        plan.multiband = true;
        plan.multibandReference = *bandLevels;
        const bool punchy = settings.character == Character::punchy;
        // Slower in the bass (a 60 Hz period is 17 ms; faster attack would distort it), faster
        // in the treble; thresholds 1 dB under each band's mean level, as the broadband one.
        constexpr std::array<double, 3> kAttack{0.030, 0.015, 0.005};
        constexpr std::array<double, 3> kRelease{0.250, 0.200, 0.120};
        for (std::size_t b = 0; b < 3; ++b) {
            auto& c = plan.multibandParams.bands[b];
            c.ratio = 1.0 + (ratio - 1.0) * amount.dynamics;
            plan.multibandOffset[b] = Decibels{-1.0};
            c.threshold = plan.multibandReference[b] + plan.multibandOffset[b];
            c.knee = Decibels{6.0};
            c.detection = dsp::LevelDetection::rms;
            c.link = 1.0;
            c.attack = Seconds{kAttack[b] * (punchy ? 2.0 : 1.0)};
            c.release = Seconds{kRelease[b]};
        }
        plan.notes.push_back(fmt::format(
            "dynamics: {:.2f}:1 three-band compression (Linkwitz-Riley crossovers at {:.0f} Hz and {:.0f} Hz), each band 1 dB "
            "under its own level ({:.1f} / {:.1f} / {:.1f} dBFS RMS)",
            plan.multibandParams.bands[0].ratio, plan.multibandParams.lowCrossover.value, plan.multibandParams.highCrossover.value,
            plan.multibandParams.bands[0].threshold.value, plan.multibandParams.bands[1].threshold.value,
            plan.multibandParams.bands[2].threshold.value));
    } else if (!transparent && amount.dynamics > 0.0 && mix.integratedLufs) {
        double ratio = std::array{1.0, 1.5, 2.0}[static_cast<std::size_t>(level)];
        if (settings.character == Character::punchy) ratio += 0.5;
        if (inputPlr < 8.0) {
            plan.notes.push_back(fmt::format("dynamics: none, the mix is already dense (PLR {:.1f} LU)", inputPlr));
        } else if (ratio > 1.0) {
            plan.compress = true;
            auto& c = plan.compressor;
            c.ratio = 1.0 + (ratio - 1.0) * amount.dynamics;
            // The threshold sits at the programme's integrated loudness (the RMS detector reads
            // a broadband mix within a few dB of its LUFS value), lower for higher intensity:
            // loud passages are compressed, quiet ones pass.
            plan.compressorReference = *mix.integratedLufs;
            plan.compressorOffset = Decibels{std::array{3.0, 1.0, -1.0}[static_cast<std::size_t>(level)]};
            c.threshold = plan.compressorReference + plan.compressorOffset;
            c.knee = Decibels{6.0};
            c.detection = dsp::LevelDetection::rms;
            c.link = 1.0;
            c.attack = Seconds{settings.character == Character::punchy ? 0.030 : 0.015};
            c.release = Seconds{settings.character == Character::punchy ? 0.120 : settings.character == Character::warm ? 0.300 : 0.200};
            plan.notes.push_back(fmt::format("dynamics: {:.2f}:1 broadband compression above {:.1f} dBFS RMS, attack {:.0f} ms, "
                                             "release {:.0f} ms",
                                             c.ratio, c.threshold.value, c.attack.value * 1000.0, c.release.value * 1000.0));
        }
    }

    // --- Limiter.
    plan.maxLimiting = Decibels{std::array{4.0, 8.0, 12.0}[static_cast<std::size_t>(level)]};
    switch (settings.character) {
        case Character::transparent: plan.limiterLookahead = Seconds{0.008}; plan.limiterRelease = Seconds{0.200}; break;
        case Character::punchy: plan.limiterLookahead = Seconds{0.003}; plan.limiterRelease = Seconds{0.060}; break;
        case Character::warm: plan.limiterLookahead = Seconds{0.005}; plan.limiterRelease = Seconds{0.150}; break;
        case Character::bright:
        case Character::balanced: plan.limiterLookahead = Seconds{0.005}; plan.limiterRelease = Seconds{0.120}; break;
    }
    return plan;
}

// ---- Profiles -------------------------------------------------------------------------------

namespace {

const char* bandTypeName(BandType type) {
    switch (type) {
        case BandType::off: return "off";
        case BandType::bell: return "bell";
        case BandType::lowShelf: return "low_shelf";
        case BandType::highShelf: return "high_shelf";
        case BandType::highPass: return "high_pass";
        case BandType::lowPass: return "low_pass";
        case BandType::notch: return "notch";
    }
    return "off";
}

void writeEq(JsonWriter& json, const dsp::Equalizer::Params& eq) {
    json.beginObject();
    json.key("high_pass_hz").value(eq.highPass.type == BandType::highPass ? eq.highPass.frequency.value : 0.0, 1);
    json.key("bands").beginArray();
    for (const auto& band : eq.bands) {
        if (band.type == BandType::off) continue;
        json.beginObject();
        json.key("type").value(bandTypeName(band.type));
        json.key("frequency_hz").value(band.frequency.value, 1);
        json.key("gain_db").value(band.gain.value, 2);
        json.key("q").value(band.q, 3);
        json.endObject();
    }
    json.endArray();
    json.endObject();
}

struct Reader {
    std::string source;
    std::optional<Error> error;

    const JsonValue* member(const JsonValue& object, std::string_view key, std::string_view where) {
        const JsonValue* v = object.isObject() ? object.find(key) : nullptr;
        if (!v && !error)
            error = Error{ErrorCode::parseError, fmt::format("{}: {} has no \"{}\"; is this a profile written by --save-profile?",
                                                             source, where, key)};
        return v;
    }
    double number(const JsonValue& object, std::string_view key, std::string_view where, double min, double max) {
        const JsonValue* v = member(object, key, where);
        if (!v) return 0.0;
        if (!v->isNumber() || v->number() < min || v->number() > max) {
            if (!error)
                error = Error{ErrorCode::parseError,
                              fmt::format("{}: {}.{} must be a number from {} to {}", source, where, key, min, max)};
            return 0.0;
        }
        return v->number();
    }
    std::string text(const JsonValue& object, std::string_view key, std::string_view where) {
        const JsonValue* v = member(object, key, where);
        if (!v) return {};
        if (!v->isString()) {
            if (!error) error = Error{ErrorCode::parseError, fmt::format("{}: {}.{} must be a string", source, where, key)};
            return {};
        }
        return v->string();
    }
    bool flag(const JsonValue& object, std::string_view key, std::string_view where) {
        const JsonValue* v = member(object, key, where);
        if (!v) return false;
        if (!v->isBool()) {
            if (!error) error = Error{ErrorCode::parseError, fmt::format("{}: {}.{} must be true or false", source, where, key)};
            return false;
        }
        return v->boolean();
    }

    dsp::Equalizer::Params eq(const JsonValue& object, std::string_view where) {
        dsp::Equalizer::Params params;
        const double hp = number(object, "high_pass_hz", where, 0.0, 1000.0);
        if (hp > 0) params.highPass = Band{BandType::highPass, Hertz{hp}, Decibels{0.0}, 0.7071, 12};
        const JsonValue* bands = member(object, "bands", where);
        if (!bands) return params;
        if (!bands->isArray() || bands->items().size() > params.bands.size()) {
            if (!error) error = Error{ErrorCode::parseError, fmt::format("{}: {}.bands must be a list of at most 8 bands", source, where)};
            return params;
        }
        for (std::size_t i = 0; i < bands->items().size(); ++i) {
            const JsonValue& b = bands->items()[i];
            const std::string at = fmt::format("{}.bands[{}]", where, i);
            const std::string type = text(b, "type", at);
            Band band;
            if (type == "bell") band.type = BandType::bell;
            else if (type == "low_shelf") band.type = BandType::lowShelf;
            else if (type == "high_shelf") band.type = BandType::highShelf;
            else if (!error) error = Error{ErrorCode::parseError, fmt::format("{}: {}.type \"{}\": expected bell, low_shelf or high_shelf", source, at, type)};
            band.frequency = Hertz{number(b, "frequency_hz", at, 10.0, 40000.0)};
            band.gain = Decibels{number(b, "gain_db", at, -12.0, 12.0)};
            band.q = number(b, "q", at, 0.1, 10.0);
            params.bands[i] = band;
        }
        return params;
    }
};

}  // namespace

std::string profileToJson(const MasteringPlan& plan) {
    JsonWriter json;
    json.beginObject();
    json.key("reel_mastering_profile").value(1);
    json.key("settings").beginObject();
    json.key("target").value(plan.settings.target.name);
    json.key("target_lufs").value(plan.settings.target.integratedLufs.value, 2);
    json.key("ceiling_dbtp").value(plan.settings.target.ceilingDbtp.value, 2);
    json.key("character").value(toString(plan.settings.character));
    json.key("intensity").value(toString(plan.settings.intensity));
    json.key("amounts").beginObject();
    json.key("eq").value(plan.settings.amounts.eq, 3);
    json.key("width").value(plan.settings.amounts.width, 3);
    json.key("dynamics").value(plan.settings.amounts.dynamics, 3);
    json.key("loudness").value(plan.settings.amounts.loudness, 3);
    json.endObject();
    json.endObject();
    json.key("decisions").beginObject();
    json.key("target_lufs").value(plan.target.integratedLufs.value, 2);
    json.key("ceiling_dbtp").value(plan.target.ceilingDbtp.value, 2);
    json.key("mid_side_eq").value(plan.midSide);
    json.key("mid_eq");
    writeEq(json, plan.midEq);
    json.key("side_eq");
    writeEq(json, plan.sideEq);
    json.key("width").value(plan.width, 3);
    json.key("mono_below_hz").value(plan.monoBelow.value, 1);
    json.key("compressor").beginObject();
    json.key("enabled").value(plan.compress);
    json.key("threshold_relative_to_loudness_db").value(plan.compress ? plan.compressor.threshold.value - plan.compressorReference.value : 0.0, 2);
    json.key("ratio").value(plan.compressor.ratio, 3);
    json.key("knee_db").value(plan.compressor.knee.value, 2);
    json.key("attack_s").value(plan.compressor.attack.value, 4);
    json.key("release_s").value(plan.compressor.release.value, 4);
    json.endObject();
    json.key("multiband").beginObject();
    json.key("enabled").value(plan.multiband);
    json.key("low_crossover_hz").value(plan.multibandParams.lowCrossover.value, 1);
    json.key("high_crossover_hz").value(plan.multibandParams.highCrossover.value, 1);
    json.key("bands").beginArray();
    for (std::size_t b = 0; b < 3; ++b) {
        const auto& c = plan.multibandParams.bands[b];
        json.beginObject();
        json.key("threshold_relative_to_band_db").value(plan.multibandOffset[b].value, 2);
        json.key("ratio").value(c.ratio, 3);
        json.key("knee_db").value(c.knee.value, 2);
        json.key("attack_s").value(c.attack.value, 4);
        json.key("release_s").value(c.release.value, 4);
        json.endObject();
    }
    json.endArray();
    json.endObject();
    json.key("limiter").beginObject();
    json.key("lookahead_s").value(plan.limiterLookahead.value, 4);
    json.key("release_s").value(plan.limiterRelease.value, 4);
    json.key("max_limiting_db").value(plan.maxLimiting.value, 2);
    json.endObject();
    json.key("drive_db").value(plan.drive.value, 3);
    json.endObject();
    json.key("notes").beginArray();
    for (const auto& note : plan.notes) json.value(note);
    json.endArray();
    json.endObject();
    return json.str() + "\n";
}

Result<MasteringPlan> profileFromJson(const std::string& text, const std::string& sourceName) {
    auto doc = JsonValue::parse(text);
    if (!doc) return withContext(doc.error(), sourceName + ": ");
    Reader r{sourceName, std::nullopt};
    const JsonValue& root = *doc;
    if (!root.isObject() || !root.find("reel_mastering_profile"))
        return fail(ErrorCode::parseError, sourceName + ": not a mastering profile (no \"reel_mastering_profile\" key); "
                                                        "write one with reel master --save-profile");
    MasteringPlan plan;
    const JsonValue* settings = r.member(root, "settings", "the profile");
    const JsonValue* decisions = r.member(root, "decisions", "the profile");
    if (r.error) return std::unexpected(*r.error);
    plan.settings.target.name = r.text(*settings, "target", "settings");
    plan.settings.target.integratedLufs = Decibels{r.number(*settings, "target_lufs", "settings", -40.0, 0.0)};
    plan.settings.target.ceilingDbtp = Decibels{r.number(*settings, "ceiling_dbtp", "settings", -12.0, 0.0)};
    plan.settings.target.source = "profile " + sourceName;
    plan.settings.loudnessGiven = plan.settings.ceilingGiven = true;
    if (auto c = parseCharacter(r.text(*settings, "character", "settings")); c) plan.settings.character = *c;
    else if (!r.error) r.error = Error{ErrorCode::parseError, sourceName + ": settings.character: " + c.error().message};
    if (auto i = parseIntensity(r.text(*settings, "intensity", "settings")); i) plan.settings.intensity = *i;
    else if (!r.error) r.error = Error{ErrorCode::parseError, sourceName + ": settings.intensity: " + i.error().message};
    if (const JsonValue* a = r.member(*settings, "amounts", "settings")) {
        plan.settings.amounts.eq = r.number(*a, "eq", "settings.amounts", 0.0, 1.0);
        plan.settings.amounts.width = r.number(*a, "width", "settings.amounts", 0.0, 1.0);
        plan.settings.amounts.dynamics = r.number(*a, "dynamics", "settings.amounts", 0.0, 1.0);
        plan.settings.amounts.loudness = r.number(*a, "loudness", "settings.amounts", 0.0, 1.0);
    }
    plan.target = plan.settings.target;
    plan.target.integratedLufs = Decibels{r.number(*decisions, "target_lufs", "decisions", -40.0, 0.0)};
    if (plan.target.integratedLufs != plan.settings.target.integratedLufs) plan.target.name = "profile";
    plan.target.ceilingDbtp = Decibels{r.number(*decisions, "ceiling_dbtp", "decisions", -12.0, 0.0)};
    plan.limiterCeiling = plan.target.ceilingDbtp;
    plan.midSide = r.flag(*decisions, "mid_side_eq", "decisions");
    if (const JsonValue* eq = r.member(*decisions, "mid_eq", "decisions")) plan.midEq = r.eq(*eq, "decisions.mid_eq");
    if (const JsonValue* eq = r.member(*decisions, "side_eq", "decisions")) plan.sideEq = r.eq(*eq, "decisions.side_eq");
    plan.width = r.number(*decisions, "width", "decisions", 0.0, 2.0);
    plan.monoBelow = Hertz{r.number(*decisions, "mono_below_hz", "decisions", 0.0, 1000.0)};
    if (const JsonValue* c = r.member(*decisions, "compressor", "decisions")) {
        plan.compress = r.flag(*c, "enabled", "decisions.compressor");
        plan.compressorOffset = Decibels{r.number(*c, "threshold_relative_to_loudness_db", "decisions.compressor", -40.0, 40.0)};
        plan.compressor.ratio = r.number(*c, "ratio", "decisions.compressor", 1.0, 20.0);
        plan.compressor.knee = Decibels{r.number(*c, "knee_db", "decisions.compressor", 0.0, 24.0)};
        plan.compressor.attack = Seconds{r.number(*c, "attack_s", "decisions.compressor", 0.0001, 1.0)};
        plan.compressor.release = Seconds{r.number(*c, "release_s", "decisions.compressor", 0.001, 5.0)};
        plan.compressor.detection = dsp::LevelDetection::rms;
    }
    // Optional: profiles written before multiband compression existed have no "multiband".
    if (const JsonValue* m = decisions->isObject() ? decisions->find("multiband") : nullptr) {
        plan.multiband = r.flag(*m, "enabled", "decisions.multiband");
        plan.multibandParams.lowCrossover = Hertz{r.number(*m, "low_crossover_hz", "decisions.multiband", 20.0, 1000.0)};
        plan.multibandParams.highCrossover = Hertz{r.number(*m, "high_crossover_hz", "decisions.multiband", 500.0, 16000.0)};
        const JsonValue* bands = r.member(*m, "bands", "decisions.multiband");
        if (bands && (!bands->isArray() || bands->items().size() != 3) && !r.error)
            r.error = Error{ErrorCode::parseError, sourceName + ": decisions.multiband.bands must be an array of 3 bands"};
        if (bands && !r.error)
            for (std::size_t b = 0; b < 3; ++b) {
                const JsonValue& band = bands->items()[b];
                auto& c = plan.multibandParams.bands[b];
                plan.multibandOffset[b] = Decibels{r.number(band, "threshold_relative_to_band_db", "decisions.multiband.bands", -40.0, 40.0)};
                c.ratio = r.number(band, "ratio", "decisions.multiband.bands", 1.0, 20.0);
                c.knee = Decibels{r.number(band, "knee_db", "decisions.multiband.bands", 0.0, 24.0)};
                c.attack = Seconds{r.number(band, "attack_s", "decisions.multiband.bands", 0.0001, 1.0)};
                c.release = Seconds{r.number(band, "release_s", "decisions.multiband.bands", 0.001, 5.0)};
                c.detection = dsp::LevelDetection::rms;
                c.link = 1.0;
            }
        if (!r.error && !(plan.multibandParams.lowCrossover.value < plan.multibandParams.highCrossover.value))
            r.error = Error{ErrorCode::parseError, sourceName + ": decisions.multiband: the low crossover must be below the high one"};
    }
    if (const JsonValue* l = r.member(*decisions, "limiter", "decisions")) {
        plan.limiterLookahead = Seconds{r.number(*l, "lookahead_s", "decisions.limiter", 0.0, 0.020)};
        plan.limiterRelease = Seconds{r.number(*l, "release_s", "decisions.limiter", 0.001, 5.0)};
        plan.maxLimiting = Decibels{r.number(*l, "max_limiting_db", "decisions.limiter", 0.0, 30.0)};
    }
    if (r.error) return std::unexpected(*r.error);
    plan.referenceMid.fill(kNaN);
    plan.referenceSide.fill(kNaN);
    plan.eqTargetMid.fill(kNaN);
    plan.eqTargetSide.fill(kNaN);
    plan.fromProfile = true;
    plan.notes.push_back("decisions taken from the profile " + sourceName);
    return plan;
}

std::optional<std::array<Decibels, 3>> multibandLevels(const BandSpectrum& spectrum, Hertz lowCrossover, Hertz highCrossover) {
    if (!spectrum.valid) return std::nullopt;
    std::array<double, 3> power{};
    for (int b = 0; b < kNumBands; ++b) {
        const double centre = bandCentreHz(b);
        const std::size_t band = centre < lowCrossover.value ? 0 : centre < highCrossover.value ? 1 : 2;
        for (double level : {spectrum.mid[static_cast<std::size_t>(b)], spectrum.side[static_cast<std::size_t>(b)]})
            if (std::isfinite(level)) power[band] += std::pow(10.0, level / 10.0);
    }
    std::array<Decibels, 3> levels{};
    for (std::size_t b = 0; b < 3; ++b) {
        if (!(power[b] > 1e-10)) return std::nullopt;  // a band 100 dB down: nothing to compress there
        levels[b] = Decibels{10.0 * std::log10(power[b])};
    }
    return levels;
}

void adaptProfileTo(MasteringPlan& plan, const ProgramAnalysis& mix) {
    if (plan.compress && mix.integratedLufs) {
        plan.compressorReference = *mix.integratedLufs;
        plan.compressor.threshold = *mix.integratedLufs + plan.compressorOffset;
    }
    if (plan.multiband) {
        if (auto levels = multibandLevels(mix.spectrum, plan.multibandParams.lowCrossover, plan.multibandParams.highCrossover)) {
            plan.multibandReference = *levels;
            for (std::size_t b = 0; b < 3; ++b)
                plan.multibandParams.bands[b].threshold = plan.multibandReference[b] + plan.multibandOffset[b];
        } else {
            plan.multiband = false;  // no spectrum to set the thresholds against
            plan.notes.push_back("dynamics: the profile's multiband compression is off (the programme has no usable spectrum)");
        }
    }
    if (mix.channels != 2) {
        plan.midSide = false;
        plan.width = 1.0;
        plan.monoBelow = Hertz{0.0};
    }
}

}  // namespace reel::master
