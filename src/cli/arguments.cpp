#include "cli/arguments.hpp"

#include <fmt/format.h>

#include <charconv>

namespace reel::cli {

Result<Arguments> Arguments::parse(const std::vector<std::string>& args, const std::vector<OptionSpec>& options) {
    Arguments parsed;
    auto findLong = [&](const std::string& name) -> const OptionSpec* {
        for (const auto& o : options)
            if (o.name == name) return &o;
        return nullptr;
    };
    auto findShort = [&](char name) -> const OptionSpec* {
        for (const auto& o : options)
            if (o.shortName == name) return &o;
        return nullptr;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            parsed.positionals_.insert(parsed.positionals_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        const OptionSpec* spec = nullptr;
        std::optional<std::string> inlineValue;
        if (arg.starts_with("--")) {
            std::string name = arg.substr(2);
            if (auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            spec = findLong(name);
            if (!spec) return fail(ErrorCode::invalidArgument, fmt::format("unknown option --{}", name));
        } else if (arg.size() == 2 && arg[0] == '-' && arg[1] != '-') {
            spec = findShort(arg[1]);
            if (!spec) return fail(ErrorCode::invalidArgument, fmt::format("unknown option {}", arg));
        } else {
            parsed.positionals_.push_back(arg);
            continue;
        }
        if (!spec->takesValue) {
            if (inlineValue) return fail(ErrorCode::invalidArgument, fmt::format("--{} takes no value", spec->name));
            parsed.flags_.insert(spec->name);
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= args.size()) return fail(ErrorCode::invalidArgument, fmt::format("--{} needs a value", spec->name));
            inlineValue = args[++i];
        }
        parsed.values_[spec->name].push_back(*inlineValue);
    }
    return parsed;
}

std::optional<std::string> Arguments::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

Result<std::optional<int>> Arguments::integer(const std::string& name, int min, int max) const {
    auto text = value(name);
    if (!text) return std::optional<int>{};
    int number = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), number);
    if (ec != std::errc{} || end != text->data() + text->size() || number < min || number > max)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("--{} \"{}\": expected a whole number from {} to {}", name, *text, min, max));
    return std::optional<int>{number};
}

}  // namespace reel::cli
