#pragma once
// Reading one YAML map of the session schema: its keys are checked on opening, so a typo
// is reported (with the closest allowed key) instead of being silently ignored.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

class MapReader {
public:
    /// Opens `field` as a map allowed to hold `allowedKeys`. An empty value is an empty map.
    /// Fails (invalidSession), at the first problem in the file's order, if the value is not a
    /// map, a key is not a plain name, is written twice, or is unknown ("did you mean ...?").
    static Result<MapReader> open(const YamlField& field, std::span<const std::string_view> allowedKeys);

    /// The value written for `key`, if any.
    std::optional<YamlField> find(std::string_view key) const;
    /// The value written for `key`; if it is missing, an error at the map saying
    /// `<map> has no "<key>"; <howToAdd>`.
    Result<YamlField> require(std::string_view key, std::string_view howToAdd) const;

    /// Where the map is written (for errors about the whole map).
    const SourceLocation& where() const { return where_; }
    /// What the map is ("clip", "track", "master", ...).
    const std::string& name() const { return name_; }

private:
    MapReader() = default;
    std::string name_;
    SourceLocation where_;
    std::vector<YamlField> fields_;
};

}  // namespace reel::session
