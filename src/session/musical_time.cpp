#include "session/musical_time.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/unit_text.hpp"
#include "session/field_values.hpp"
#include "session/unit_problem.hpp"

namespace reel::session {

Result<Meter> readMeter(const YamlField& field) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    auto bad = [&] {
        return std::unexpected(errorAt(field, ErrorCode::parseError,
                                       fmt::format("{} \"{}\" is not a meter; write beats per bar / note value, "
                                                   "like 4/4, 3/4, 6/8 or 7/8",
                                                   field.name, *text)));
    };
    auto slash = text->find('/');
    if (slash == std::string::npos) return bad();
    auto beats = parseNumber(std::string_view(*text).substr(0, slash));
    auto unit = parseNumber(std::string_view(*text).substr(slash + 1));
    if (!beats || !unit || *beats != std::floor(*beats) || *beats < 1 || *beats > 64) return bad();
    for (int noteValue = 1; noteValue <= 64; noteValue *= 2)
        if (*unit == noteValue) return Meter{static_cast<int>(*beats), noteValue};
    return bad();
}

Result<Seconds> readPosition(const YamlField& field, double tempo, const Meter& meter) {
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    if (looksLikeBarBeat(*text)) {
        auto position = parseBarBeat(*text);
        if (!position) return std::unexpected(errorAt(field, ErrorCode::parseError, field.name + " " + position.error().message));
        if (position->beat >= meter.beatsPerBar + 1)
            return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                           fmt::format("{} \"{}\": a bar of {}/{} has beats 1 to {}", field.name, *text,
                                                       meter.beatsPerBar, meter.beatUnit, meter.beatsPerBar)));
        return barBeatToSeconds(position->bar, position->beat, tempo, meter);
    }
    auto seconds = parseSeconds(*text);
    if (!seconds)
        return std::unexpected(errorAt(field, ErrorCode::parseError,
                                       unitProblem(field.name, *text, seconds.error(), "{0}s or bar:beat like \"9:1\"")));
    if (seconds->value < 0.0)
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       fmt::format("{} \"{}\" is before the start of the song; positions are 0s or later",
                                                   field.name, *text)));
    return *seconds;
}

}  // namespace reel::session
