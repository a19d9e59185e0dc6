#include "session/map_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "session/closest_name.hpp"

namespace reel::session {
namespace {

std::string listKeys(std::span<const std::string_view> keys) {
    std::string list;
    for (auto key : keys) list += (list.empty() ? "" : ", ") + std::string(key);
    return list;
}

Error unknownKey(const SourceLocation& where, const std::string& mapName, const std::string& key,
                 std::span<const std::string_view> allowedKeys) {
    if (auto closest = closestName(key, allowedKeys))
        return errorAt(where, ErrorCode::invalidSession, fmt::format("unknown key \"{}\"; did you mean \"{}\"?", key, *closest));
    return errorAt(where, ErrorCode::invalidSession,
                   fmt::format("unknown key \"{}\" ({} keys: {})", key, mapName, listKeys(allowedKeys)));
}

}  // namespace

Result<MapReader> MapReader::open(const YamlField& field, std::span<const std::string_view> allowedKeys) {
    MapReader reader;
    reader.name_ = field.name;
    reader.where_ = field.where;
    if (field.value.IsNull()) return reader;
    if (!field.value.IsMap())
        return std::unexpected(errorAt(field, ErrorCode::invalidSession,
                                       fmt::format("{} should be a map (keys like {}), not {}", field.name,
                                                   listKeys(allowedKeys.first(std::min<std::size_t>(3, allowedKeys.size()))),
                                                   kindOf(field.value))));
    const std::filesystem::path& file = field.where.file;
    // Entries by value: yaml-cpp's iterators hand out temporaries, so `it->second` dangles.
    for (const auto& entry : field.value) {
        const YAML::Node keyNode = entry.first;
        const SourceLocation keyWhere = locationOf(keyNode, file);
        if (!keyNode.IsScalar())
            return std::unexpected(errorAt(keyWhere, ErrorCode::invalidSession,
                                           fmt::format("a key in {} should be a plain name, not {}", field.name, kindOf(keyNode))));
        const std::string key = keyNode.Scalar();
        auto earlier = std::find_if(reader.fields_.begin(), reader.fields_.end(), [&](const YamlField& f) { return f.name == key; });
        if (earlier != reader.fields_.end())
            // yaml-cpp keeps both; silently using one would hide the user's mistake.
            return std::unexpected(errorAt(keyWhere, ErrorCode::invalidSession,
                                           fmt::format("key \"{}\" is written twice in this {} (first on line {}); keep one",
                                                       key, field.name, earlier->where.line)));
        if (std::find(allowedKeys.begin(), allowedKeys.end(), key) == allowedKeys.end())
            return std::unexpected(unknownKey(keyWhere, field.name, key, allowedKeys));
        const YAML::Node value = entry.second;
        reader.fields_.push_back(YamlField{key, value, value.IsNull() ? keyWhere : locationOf(value, file)});
    }
    return reader;
}

std::optional<YamlField> MapReader::find(std::string_view key) const {
    auto it = std::find_if(fields_.begin(), fields_.end(), [&](const YamlField& f) { return f.name == key; });
    if (it == fields_.end()) return std::nullopt;
    return *it;
}

Result<YamlField> MapReader::require(std::string_view key, std::string_view howToAdd) const {
    if (auto field = find(key)) return *field;
    return std::unexpected(
        errorAt(where_, ErrorCode::invalidSession, fmt::format("{} has no \"{}\"; {}", name_, key, howToAdd)));
}

}  // namespace reel::session
