#include "engine/tone_processors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "dsp/equalizer.hpp"
#include "dsp/stereo_tool.hpp"
#include "engine/param_reader.hpp"
#include "session/closest_name.hpp"

namespace reel::engine {
namespace {

using dsp::BandType;
using dsp::Equalizer;

constexpr Hertz kMinFrequency{10.0}, kMaxFrequency{40000.0};
constexpr Decibels kMinGain{-24.0}, kMaxGain{24.0};

struct BandKind {
    std::string_view key;
    BandType type;
    bool hasGain, hasQ, hasSlope;
    double defaultQ;
};
constexpr std::array<BandKind, 6> kBandKinds{{
    {"bell", BandType::bell, true, true, false, 1.0},
    {"low_shelf", BandType::lowShelf, true, true, false, 0.7071},
    {"high_shelf", BandType::highShelf, true, true, false, 0.7071},
    {"high_pass", BandType::highPass, false, false, true, 0.7071},
    {"low_pass", BandType::lowPass, false, false, true, 0.7071},
    {"notch", BandType::notch, false, true, false, 8.0},
}};
constexpr std::array<std::string_view, 3> kBandOptions{"gain", "q", "slope"};
constexpr std::array<std::string_view, 5> kEqNames{"highpass", "highpass_slope", "lowpass", "lowpass_slope", "bands"};

std::unexpected<Error> errorAt(const session::SourceLocation& where, const std::string& what) {
    return fail(ErrorCode::invalidSession, where.prefix() + what);
}

std::string bandTypeList() {
    std::string list;
    for (const auto& kind : kBandKinds) list += (list.empty() ? "" : ", ") + std::string(kind.key);
    return list;
}

/// Reads a slope such as "24dB" (12, 24 or 48 dB per octave).
Result<int> readSlope(ParamReader& reader, const session::ProcessorConfig& config, std::string_view name) {
    auto slope = reader.decibels(name, Decibels{12.0}, Decibels{12.0}, Decibels{48.0});
    if (!slope) return std::unexpected(slope.error());
    const double db = slope->value;
    if (db != 12.0 && db != 24.0 && db != 48.0) {
        const auto& value = config.params.at(std::string(name));
        return errorAt(value.where, fmt::format("{}: {} \"{}\" should be 12dB, 24dB or 48dB (per octave)", config.type, name,
                                                value.text));
    }
    return static_cast<int>(db);
}

/// One entry of `bands:`: the type key holds the frequency; gain, q and slope as the type takes.
Result<Equalizer::Band> readBand(const std::map<std::string, session::ParamValue>& entry, int number,
                                 const session::SourceLocation& listWhere) {
    session::ProcessorConfig band{fmt::format("eq band {}", number), entry, entry.empty() ? listWhere : entry.begin()->second.where};
    const BandKind* kind = nullptr;
    for (const auto& [key, value] : entry) {
        const BandKind* match = nullptr;
        for (const auto& k : kBandKinds)
            if (k.key == key) match = &k;
        if (match && kind)
            return errorAt(value.where, fmt::format("{}: names two types ({} and {}); write one band per entry", band.type,
                                                    kind->key, match->key));
        if (match) kind = match;
    }
    if (!kind) {
        for (const auto& [key, value] : entry) {
            if (std::find(kBandOptions.begin(), kBandOptions.end(), key) != kBandOptions.end()) continue;
            std::vector<std::string_view> types;
            for (const auto& k : kBandKinds) types.push_back(k.key);
            std::string message = fmt::format("{}: unknown band type \"{}\"", band.type, key);
            if (auto closest = session::closestName(key, types)) message += fmt::format("; did you mean \"{}\"?", *closest);
            return errorAt(value.where, message + fmt::format(" (band types: {})", bandTypeList()));
        }
        return errorAt(band.where, fmt::format("{}: has no type; start it with one of {} holding its frequency, like "
                                               "{{bell: 3kHz, gain: 2dB}}",
                                               band.type, bandTypeList()));
    }
    ParamReader reader(band);
    Equalizer::Band result;
    result.type = kind->type;
    auto frequency = reader.hertz(kind->key, Hertz{1000.0}, kMinFrequency, kMaxFrequency);
    if (!frequency) return std::unexpected(frequency.error());
    result.frequency = *frequency;
    if (kind->hasGain) {
        auto gain = reader.decibels("gain", Decibels{0.0}, kMinGain, kMaxGain);
        if (!gain) return std::unexpected(gain.error());
        result.gain = *gain;
    }
    if (kind->hasQ) {
        auto q = reader.number("q", kind->defaultQ, 0.1, 40.0);
        if (!q) return std::unexpected(q.error());
        result.q = *q;
    }
    if (kind->hasSlope) {
        auto slope = readSlope(reader, band, "slope");
        if (!slope) return std::unexpected(slope.error());
        result.slopeDbPerOctave = *slope;
    }
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    return result;
}

/// The `highpass:`/`lowpass:` shorthand and its `<name>_slope`.
Result<void> readShorthand(ParamReader& reader, const session::ProcessorConfig& config, std::string_view name,
                           BandType type, Equalizer::Band& band) {
    const std::string slopeName = std::string(name) + "_slope";
    auto slope = readSlope(reader, config, slopeName);
    if (!slope) return std::unexpected(slope.error());
    auto frequency = reader.hertz(name, band.frequency, kMinFrequency, kMaxFrequency);
    if (!frequency) return std::unexpected(frequency.error());
    if (!config.params.contains(std::string(name))) {
        if (config.params.contains(slopeName))
            return errorAt(config.params.at(slopeName).where,
                           fmt::format("{}: {} without {}; write {}: 80Hz too", config.type, slopeName, name, name));
        return {};
    }
    band = {type, *frequency, Decibels{0.0}, 0.7071, *slope};
    return {};
}

Result<std::unique_ptr<dsp::Processor>> makeEq(const ProcessorContext& context) {
    const session::ProcessorConfig& config = context.config;
    // Unknown names first, with `bands` among the candidates (ParamReader reads only scalars).
    for (const auto& [name, value] : config.params) {
        if (std::find(kEqNames.begin(), kEqNames.end(), name) != kEqNames.end()) continue;
        std::vector<std::string_view> names(kEqNames.begin(), kEqNames.end());
        std::string message = fmt::format("{}: unknown parameter \"{}\"", config.type, name);
        if (auto closest = session::closestName(name, names)) message += fmt::format("; did you mean \"{}\"?", *closest);
        else message += fmt::format("; eq takes: {}", fmt::join(names, ", "));
        return errorAt(value.where, message);
    }
    session::ProcessorConfig scalars = config;
    scalars.params.erase("bands");
    ParamReader reader(scalars);
    Equalizer::Params p;
    if (auto done = readShorthand(reader, scalars, "highpass", BandType::highPass, p.highPass); !done)
        return std::unexpected(done.error());
    if (auto done = readShorthand(reader, scalars, "lowpass", BandType::lowPass, p.lowPass); !done)
        return std::unexpected(done.error());
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());

    if (auto it = config.params.find("bands"); it != config.params.end()) {
        const session::ParamValue& bands = it->second;
        if (bands.shape == session::ParamShape::scalar && !bands.text.empty())
            return errorAt(bands.where, fmt::format("{}: bands should be a list of maps like [{{bell: 3kHz, gain: 2dB, q: 1}}]",
                                                    config.type));
        if (bands.items.size() > static_cast<std::size_t>(Equalizer::kMaxBands))
            return errorAt(bands.where, fmt::format("{}: {} bands, but one eq holds at most {}; put the rest in a second eq",
                                                    config.type, bands.items.size(), Equalizer::kMaxBands));
        for (std::size_t i = 0; i < bands.items.size(); ++i) {
            auto band = readBand(bands.items[i], static_cast<int>(i) + 1, bands.where);
            if (!band) return std::unexpected(band.error());
            p.bands[i] = *band;
        }
    }
    return std::make_unique<Equalizer>(p);
}

Result<std::unique_ptr<dsp::Processor>> makeStereo(const ProcessorContext& context) {
    ParamReader reader(context.config);
    dsp::StereoTool::Params p;
    auto width = reader.number("width", 1.0, 0.0, 2.0);
    if (!width) return std::unexpected(width.error());
    auto midSide = reader.number("mid_side", 0.0, -1.0, 1.0);
    if (!midSide) return std::unexpected(midSide.error());
    auto monoBelow = reader.hertz("mono_below", Hertz{0.0}, Hertz{0.0}, Hertz{1000.0});
    if (!monoBelow) return std::unexpected(monoBelow.error());
    auto balance = reader.number("balance", 0.0, -1.0, 1.0);
    if (!balance) return std::unexpected(balance.error());
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    if (monoBelow->value > 0.0 && monoBelow->value < 10.0) {
        const auto& value = context.config.params.at("mono_below");
        return errorAt(value.where, fmt::format("stereo: mono_below \"{}\" is below 10Hz; write 0Hz for off or 10Hz to 1000Hz",
                                                value.text));
    }
    p.width = *width;
    p.midSide = *midSide;
    p.monoBelow = *monoBelow;
    p.balance = *balance;
    return std::make_unique<dsp::StereoTool>(p);
}

}  // namespace

void registerToneProcessors(ProcessorFactory& factory) {
    factory.add("eq", makeEq);
    factory.add("stereo", makeStereo);
}

}  // namespace reel::engine
