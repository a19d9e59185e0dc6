#include "session/clip_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "core/unit_text.hpp"
#include "session/field_values.hpp"
#include "session/map_reader.hpp"
#include "session/musical_time.hpp"

namespace reel::session {
namespace {

constexpr std::array<std::string_view, 8> kClipKeys{"file",   "at",      "from",     "length",
                                                    "gain",   "fade_in", "fade_out", "fade_curve"};
constexpr std::array<std::string_view, 2> kFadeKeys{"length", "curve"};
constexpr std::array<std::string_view, 2> kCurveNames{"linear", "equal_power"};

Result<FadeCurve> readCurve(const YamlField& field) {
    auto name = readChoice(field, kCurveNames);
    if (!name) return std::unexpected(name.error());
    return *name == "equal_power" ? FadeCurve::equalPower : FadeCurve::linear;
}

/// `fade_in: 10ms` or `fade_in: {length: 10ms, curve: equal_power}`.
Result<Fade> readFade(const YamlField& field, FadeCurve defaultCurve) {
    Fade fade{Seconds{0.0}, defaultCurve};
    YamlField lengthField = field;
    if (field.value.IsMap()) {
        auto map = MapReader::open(field, kFadeKeys);
        if (!map) return std::unexpected(map.error());
        auto length = map->require("length", "write its duration, like length: 10ms");
        if (!length) return std::unexpected(length.error());
        lengthField = *length;
        if (auto curveField = map->find("curve")) {
            auto curve = readCurve(*curveField);
            if (!curve) return std::unexpected(curve.error());
            fade.curve = *curve;
        }
    }
    auto length = readSeconds(lengthField);
    if (!length) return std::unexpected(length.error());
    if (length->value < 0.0)
        return std::unexpected(errorAt(lengthField, ErrorCode::invalidSession,
                                       fmt::format("{} \"{}\" is negative; a fade lasts 0s or more", field.name,
                                                   lengthField.value.Scalar())));
    fade.length = *length;
    return fade;
}

Result<void> checkFadeFits(const YamlField& field, const Fade& fade, Seconds clipLength) {
    if (fade.length <= clipLength) return {};
    return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                   fmt::format("{} ({}s) is longer than the clip (length {}s)", field.name,
                                               fade.length.value, clipLength.value)));
}

}  // namespace

Result<ClipPlacement> readClipPlacement(MapReader& map, const ClipContext& context, const char* fileKey,
                                        const char* fileHint) {
    auto fileField = map.require(fileKey, fileHint);
    if (!fileField) return std::unexpected(fileField.error());
    auto fileText = readText(*fileField);
    if (!fileText) return std::unexpected(fileText.error());
    if (fileText->empty())
        return std::unexpected(errorAt(*fileField, ErrorCode::invalidSession, fmt::format("{} is empty; {}", fileKey, fileHint)));
    ClipPlacement placement;
    const std::filesystem::path written(*fileText);
    placement.file = (written.is_absolute() ? written : context.folder / written).lexically_normal();
    placement.fileAsWritten = *fileText;
    placement.fileWhere = fileField->where;

    auto atField = map.require("at", "say where it starts, like at: 12.5s or at: \"9:1\" (bar 9, beat 1)");
    if (!atField) return std::unexpected(atField.error());
    auto at = readPosition(*atField, context.tempo, context.meter);
    if (!at) return std::unexpected(at.error());
    placement.at = *at;
    return placement;
}

Result<Clip> readClip(const YamlField& field, const ClipContext& context) {
    auto map = MapReader::open(field, kClipKeys);
    if (!map) return std::unexpected(map.error());
    Clip clip;
    clip.where = map->where();

    auto placement = readClipPlacement(*map, context, "file", "add the audio to play, like file: audio/take1.wav");
    if (!placement) return std::unexpected(placement.error());
    clip.file = placement->file;
    clip.fileAsWritten = placement->fileAsWritten;
    clip.fileWhere = placement->fileWhere;
    clip.at = placement->at;

    if (auto fromField = map->find("from")) {
        auto from = readSeconds(*fromField);
        if (!from) return std::unexpected(from.error());
        if (from->value < 0.0)
            return std::unexpected(errorAt(*fromField, ErrorCode::invalidSession,
                                           fmt::format("from \"{}\" is negative; it is the offset into the audio file, "
                                                       "0s or more",
                                                       fromField->value.Scalar())));
        clip.from = *from;
    }

    std::optional<YamlField> lengthField = map->find("length");
    if (lengthField) {
        if (lengthField->value.IsScalar() && looksLikeBarBeat(lengthField->value.Scalar()))
            return std::unexpected(errorAt(*lengthField, ErrorCode::parseError,
                                           fmt::format("length \"{}\" is a duration; write seconds like 12s "
                                                       "(bar:beat is for positions)",
                                                       lengthField->value.Scalar())));
        auto length = readSeconds(*lengthField);
        if (!length) return std::unexpected(length.error());
        if (length->value <= 0.0)
            return std::unexpected(errorAt(*lengthField, ErrorCode::invalidSession,
                                           fmt::format("length \"{}\" should be more than 0s", lengthField->value.Scalar())));
        clip.length = *length;
    }

    if (auto gainField = map->find("gain")) {
        auto gain = readDecibels(*gainField);
        if (!gain) return std::unexpected(gain.error());
        clip.gain = *gain;
    }

    FadeCurve defaultCurve = FadeCurve::linear;
    if (auto curveField = map->find("fade_curve")) {
        auto curve = readCurve(*curveField);
        if (!curve) return std::unexpected(curve.error());
        defaultCurve = *curve;
    }
    clip.fadeIn.curve = clip.fadeOut.curve = defaultCurve;
    for (auto [key, fade] : {std::pair{"fade_in", &clip.fadeIn}, std::pair{"fade_out", &clip.fadeOut}}) {
        auto fadeField = map->find(key);
        if (!fadeField) continue;
        auto read = readFade(*fadeField, defaultCurve);
        if (!read) return std::unexpected(read.error());
        *fade = *read;
        // Without a length the clip plays to the end of its source; validateSources checks that case.
        if (clip.length)
            if (auto fits = checkFadeFits(*fadeField, *fade, *clip.length); !fits) return std::unexpected(fits.error());
    }
    return clip;
}

}  // namespace reel::session
