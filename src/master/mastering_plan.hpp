#pragma once
// What the user asks of a master (MasterSettings) and what Reel decides to do (MasteringPlan).
//
// The decisions are plain data, so they can be shown in the report, saved as a profile and
// applied again to another song (--save-profile / --profile). planMastering() turns a
// programme's analysis (and the references') into a plan; the gains that land the loudness
// (drive, trim, the limiter's working ceiling) are found later by the mastering loop
// (master_file.hpp) and written back into the plan.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "dsp/compressor.hpp"
#include "master/multiband_compressor.hpp"
#include "dsp/equalizer.hpp"
#include "master/band_spectrum.hpp"
#include "master/delivery_target.hpp"
#include "master/program_analysis.hpp"

namespace reel::master {

/// The tonal and dynamic flavour the automatic decisions lean toward (like the "styles" of
/// LANDR's and Ozone's assistants). balanced is the default.
enum class Character { balanced, transparent, warm, bright, punchy };
/// How far the decisions may go: EQ bounds, compression ratio, limiting allowed.
enum class Intensity { low, medium, high };

/// How much of each decision to apply, 0 … 1 (--amount eq=60%,width=0%,...). 1 = as decided.
struct Amounts {
    double eq = 1.0;        // tonal correction, reference matching and character EQ
    double width = 1.0;     // stereo decisions (mono bass, width matching)
    double dynamics = 1.0;  // compression (ratio moves toward 1:1)
    double loudness = 1.0;  // the gain toward the target loudness (0 = keep the mix's level)
};

/// A reference programme and its weight among several (--reference a.wav:2).
struct ReferenceTrack {
    std::filesystem::path path;
    double weight = 1.0;
};

struct MasterSettings {
    DeliveryTarget target;               // preset or --lufs/--ceiling
    bool loudnessGiven = false;          // a target or --lufs was given (else a reference sets it)
    bool ceilingGiven = false;
    Character character = Character::balanced;
    Intensity intensity = Intensity::medium;
    Amounts amounts;
    std::vector<ReferenceTrack> references;
};

const char* toString(Character character) noexcept;
const char* toString(Intensity intensity) noexcept;
Result<Character> parseCharacter(std::string_view text);
Result<Intensity> parseIntensity(std::string_view text);
/// "eq=60%,width=0%,dynamics=40%,loudness=100%" (any subset, any order; 0–100 %, or 0–1).
Result<Amounts> parseAmounts(std::string_view text);
/// "ref.wav" or "ref.wav:2" (weight > 0); a ':' followed by a non-number belongs to the path.
Result<ReferenceTrack> parseReference(std::string_view text);

/// The decisions. Frequencies in Hz, gains in dB, times in seconds.
struct MasteringPlan {
    MasterSettings settings;
    DeliveryTarget target;           // what the loudness loop aims for (after references and amount)

    // Tonal: one equalizer on the mid and one on the side; when sideEq is unused (no
    // reference, or a mono programme) the mid settings run on left and right alike.
    bool midSide = false;
    dsp::Equalizer::Params midEq;
    dsp::Equalizer::Params sideEq;
    BandLevels eqTargetMid{};        // the correction aimed at per band (dB), before fitting
    BandLevels eqTargetSide{};
    BandLevels referenceMid{};       // the tonal reference, relative dB (NaN: none)
    BandLevels referenceSide{};
    bool hasReference = false;

    // Stereo.
    double width = 1.0;
    Hertz monoBelow{0.0};

    // Dynamics.
    bool compress = false;
    dsp::Compressor::Params compressor;
    Decibels compressorReference{0.0};  // the mix loudness the threshold was set against (LUFS)
    Decibels compressorOffset{0.0};     // threshold − that loudness: what a profile carries
    // Multiband (instead of the broadband compressor, at --intensity high): three LR4 bands,
    // each band's threshold set against that band's level in the mix.
    bool multiband = false;
    MultibandCompressor::Params multibandParams;
    std::array<Decibels, 3> multibandReference{};  // the mix's band levels (dB RMS per channel)
    std::array<Decibels, 3> multibandOffset{};     // threshold − band level: what a profile carries

    // Limiter and gain.
    Seconds limiterLookahead{0.004};
    Seconds limiterRelease{0.120};
    Decibels maxLimiting{8.0};       // the most peak gain reduction this intensity allows
    Decibels drive{0.0};             // gain into the limiter (found by the loop)
    Decibels trim{0.0};              // gain after it (found by the loop)
    Decibels limiterCeiling{-1.0};   // the limiter's working ceiling (found by the loop)

    bool fromProfile = false;
    std::vector<std::string> notes;  // why each decision was made, for people
};

/// Decides the chain for a programme. `references` are the analyses of settings.references
/// (same order). `albumMid`: in album mode, the album's average tonal balance (relative dB
/// per band), which the song is drawn toward. Never fails on valid analyses; the loudness
/// gains stay 0 (the loop sets them).
MasteringPlan planMastering(const ProgramAnalysis& mix, const MasterSettings& settings,
                            const std::vector<ProgramAnalysis>& references,
                            const std::optional<BandLevels>& albumMid = std::nullopt);

/// Band levels relative to their total (dB); NaN where missing or > 60 dB under the total.
BandLevels relativeLevels(const BandLevels& levels);

/// The tonal balance a balanced master leans toward when no reference is given: relative
/// levels (dB) per 1/3-octave band, 0 dB at 100 Hz. See mastering_plan.cpp for its origin.
BandLevels builtInTonalCurve() noexcept;

/// The response (dB) of an equalizer setting at the band centres, at a rate.
BandLevels equalizerResponse(const dsp::Equalizer::Params& params, SampleRate rate);

/// The mean-square level per channel (dB) of a programme in the three multiband bands, from
/// its 1/3-octave spectrum (mid + side power of the bands whose centres fall in each); nullopt
/// when the spectrum is missing or a band is empty.
std::optional<std::array<Decibels, 3>> multibandLevels(const BandSpectrum& spectrum, Hertz lowCrossover, Hertz highCrossover);

/// A profile: the plan as JSON (settings and decisions), and back. Loading checks every
/// field and says which is wrong.
std::string profileToJson(const MasteringPlan& plan);
Result<MasteringPlan> profileFromJson(const std::string& text, const std::string& sourceName);
/// Fits a profile's level-relative decisions (the compressor thresholds) to another programme.
void adaptProfileTo(MasteringPlan& plan, const ProgramAnalysis& mix);

}  // namespace reel::master
