#include "session/chain_reader.hpp"

#include <fmt/format.h>

#include "session/field_values.hpp"

namespace reel::session {

/// A map of parameters: each key a plain name, written once.
static Result<std::map<std::string, ParamValue>> readParamMap(const YamlField& field) {
    std::map<std::string, ParamValue> params;
    const std::filesystem::path& file = field.where.file;
    // Entries by value: yaml-cpp's iterators hand out temporaries, so `it->second` dangles.
    for (const auto& entry : field.value) {
        const YAML::Node key = entry.first;
        const SourceLocation keyWhere = locationOf(key, file);
        if (!key.IsScalar())
            return std::unexpected(errorAt(keyWhere, ErrorCode::invalidSession,
                                           fmt::format("a parameter name in {} should be a plain name, not {}", field.name,
                                                       kindOf(key))));
        const std::string name = key.Scalar();
        if (auto earlier = params.find(name); earlier != params.end())
            return std::unexpected(errorAt(keyWhere, ErrorCode::invalidSession,
                                           fmt::format("parameter \"{}\" is written twice in {} (first on line {}); keep one",
                                                       name, field.name, earlier->second.where.line)));
        const YAML::Node value = entry.second;
        auto param = readParam(YamlField{name, value, value.IsNull() ? keyWhere : locationOf(value, file)});
        if (!param) return std::unexpected(param.error());
        params.emplace(name, std::move(*param));
    }
    return params;
}

Result<ParamValue> readParam(const YamlField& field) {
    ParamValue param;
    param.where = field.where;
    if (field.value.IsMap()) {
        param.shape = ParamShape::map;
        auto items = readParamMap(field);
        if (!items) return std::unexpected(items.error());
        param.items.push_back(std::move(*items));
        return param;
    }
    if (field.value.IsSequence()) {
        param.shape = ParamShape::list;
        auto entries = readList(field, field.name);
        if (!entries) return std::unexpected(entries.error());
        for (const auto& entry : *entries) {
            if (!entry.value.IsMap())
                return std::unexpected(errorAt(entry, ErrorCode::invalidSession,
                                               fmt::format("each entry of {} should be a map like {{name: value}}, not {}",
                                                           field.name, kindOf(entry.value))));
            auto items = readParamMap(entry);
            if (!items) return std::unexpected(items.error());
            param.items.push_back(std::move(*items));
        }
        return param;
    }
    auto text = readText(field);
    if (!text) return std::unexpected(text.error());
    param.text = std::move(*text);
    return param;
}

namespace {

Result<ProcessorConfig> readProcessor(const YamlField& entry) {
    ProcessorConfig config;
    config.where = entry.where;
    if (entry.value.IsScalar()) {  // `- limiter`: a processor with its default parameters
        config.type = entry.value.Scalar();
        return config;
    }
    if (!entry.value.IsMap() || entry.value.size() != 1) {
        std::string found = kindOf(entry.value);
        if (entry.value.IsMap()) {
            std::string keys;
            for (const auto& pair : entry.value)
                keys += (keys.empty() ? "" : ", ") + (pair.first.IsScalar() ? pair.first.Scalar() : kindOf(pair.first));
            found = fmt::format("a map with the keys {}", keys);
        }
        return std::unexpected(errorAt(entry, ErrorCode::invalidSession,
                                       fmt::format("a chain entry names one processor with its parameters indented under "
                                                   "it, like \"- eq: {{highpass: 80Hz}}\"; found {}",
                                                   found)));
    }
    const auto only = *entry.value.begin();
    const SourceLocation typeWhere = locationOf(only.first, entry.where.file);
    if (!only.first.IsScalar())
        return std::unexpected(errorAt(typeWhere, ErrorCode::invalidSession, "a processor's name should be a plain name"));
    config.type = only.first.Scalar();
    config.where = typeWhere;
    const YAML::Node params = only.second;
    if (params.IsNull()) return config;
    if (!params.IsMap())
        return std::unexpected(errorAt(locationOf(params, entry.where.file), ErrorCode::invalidSession,
                                       fmt::format("the parameters of {} should be a map like {{name: value}}, not {}",
                                                   config.type, kindOf(params))));
    auto map = readParamMap(YamlField{config.type, params, locationOf(params, entry.where.file)});
    if (!map) return std::unexpected(map.error());
    config.params = std::move(*map);
    return config;
}

}  // namespace

Result<std::vector<ProcessorConfig>> readChain(const YamlField& field) {
    auto entries = readList(field, "chain entry");
    if (!entries) return std::unexpected(entries.error());
    std::vector<ProcessorConfig> chain;
    for (const auto& entry : *entries) {
        auto processor = readProcessor(entry);
        if (!processor) return std::unexpected(processor.error());
        chain.push_back(std::move(*processor));
    }
    return chain;
}

}  // namespace reel::session
