#pragma once
// Command-line arguments: positionals and --options, checked against what a command takes.
//
// `--name value`, `--name=value` and short aliases (`-o`) are accepted; flags take no value.
// Anything unexpected is a usage error (exit status 2) that says what was expected.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace reel::cli {

struct OptionSpec {
    std::string name;   // "output"
    char shortName = 0; // 'o'
    bool takesValue = false;
};

class Arguments {
public:
    /// Parses args (after the command name) against the options a command accepts.
    static Result<Arguments> parse(const std::vector<std::string>& args, const std::vector<OptionSpec>& options);

    const std::vector<std::string>& positionals() const noexcept { return positionals_; }
    bool has(const std::string& name) const { return flags_.contains(name) || values_.contains(name); }
    /// The option's value; if it was given several times, the last one.
    std::optional<std::string> value(const std::string& name) const;
    /// Every value of an option that may repeat (`--reference a.wav --reference b.wav`), in order.
    std::vector<std::string> values(const std::string& name) const;
    /// An integer option's value; error (usage) if it is not an integer within [min, max].
    Result<std::optional<int>> integer(const std::string& name, int min, int max) const;

private:
    std::vector<std::string> positionals_;
    std::set<std::string> flags_;
    std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace reel::cli
