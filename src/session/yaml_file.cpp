#include "session/yaml_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "session/session.hpp"

namespace reel::session {

Result<YAML::Node> readYamlFile(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail(ErrorCode::fileNotFound, fmt::format("{}: session file not found", path.string()));
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorCode::fileUnreadable,
                    fmt::format("{}: is a folder; give the session file inside it (e.g. {})", path.string(),
                                (path / "session.yaml").string()));
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad())
        return fail(ErrorCode::fileUnreadable, fmt::format("{}: cannot read the session file", path.string()));
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        SourceLocation where{path, e.mark.line + 1, e.mark.column + 1};
        return fail(ErrorCode::parseError, where.prefix() + "YAML syntax error: " + e.msg);
    } catch (const YAML::Exception& e) {
        return fail(ErrorCode::parseError, fmt::format("{}: YAML error: {}", path.string(), e.what()));
    }
}

}  // namespace reel::session
