#include "session/instrument_reader.hpp"

#include <fmt/format.h>

#include "session/chain_reader.hpp"
#include "session/field_values.hpp"

namespace reel::session {

Result<InstrumentConfig> readInstrument(const YamlField& field) {
    if (!field.value.IsMap())
        return std::unexpected(
            errorAt(field, ErrorCode::invalidSession,
                    fmt::format("instrument should be a map like {{soundfont: gm, program: 33}}, not {}",
                                kindOf(field.value))));
    InstrumentConfig config;
    config.where = field.where;
    std::optional<YamlField> typeField;
    const std::filesystem::path& file = field.where.file;
    // Entries by value: yaml-cpp's iterators hand out temporaries.
    for (const auto& entry : field.value) {
        const YAML::Node key = entry.first;
        const SourceLocation keyWhere = locationOf(key, file);
        if (!key.IsScalar())
            return std::unexpected(
                errorAt(keyWhere, ErrorCode::invalidSession,
                        fmt::format("a key of instrument should be a plain name, not {}", kindOf(key))));
        const std::string name = key.Scalar();
        const YamlField value{name, entry.second, entry.second.IsNull() ? keyWhere : locationOf(entry.second, file)};
        const bool twice = name == "type" ? typeField.has_value() : config.params.contains(name);
        if (twice)
            return std::unexpected(errorAt(keyWhere, ErrorCode::invalidSession,
                                           fmt::format("\"{}\" is written twice in instrument; keep one", name)));
        if (name == "type") {
            typeField = value;
            continue;
        }
        // A single value, or a map of them (a drum kit's `map: {36: Kick}`); lists mean nothing here.
        if (!value.value.IsScalar() && !value.value.IsMap())
            return std::unexpected(
                errorAt(value, ErrorCode::invalidSession,
                        fmt::format("instrument {} should be a single value, not {}", name, kindOf(value.value))));
        auto param = readParam(value);
        if (!param) return std::unexpected(param.error());
        config.params.emplace(name, std::move(*param));
    }
    if (typeField) {
        auto type = readText(*typeField);
        if (!type) return std::unexpected(type.error());
        config.type = std::move(*type);
    } else if (config.params.contains("soundfont")) {
        config.type = "soundfont";
    } else {
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       "instrument has no \"type\"; write type: soundfont, or name the SoundFont "
                                       "like {soundfont: gm, program: 0}"));
    }
    return config;
}

}  // namespace reel::session
