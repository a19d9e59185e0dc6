#include "session/yaml_field.hpp"

namespace reel::session {

SourceLocation locationOf(const YAML::Node& node, const std::filesystem::path& file) {
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0 || mark.column < 0) return SourceLocation{file, 0, 0};
    return SourceLocation{file, mark.line + 1, mark.column + 1};
}

std::string kindOf(const YAML::Node& node) {
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    if (node.IsScalar()) return "a single value";
    return "nothing";
}

Error errorAt(const YamlField& field, ErrorCode code, const std::string& message) {
    return errorAt(field.where, code, message);
}

Error errorAt(const SourceLocation& where, ErrorCode code, const std::string& message) {
    return Error{code, where.prefix() + message};
}

}  // namespace reel::session
