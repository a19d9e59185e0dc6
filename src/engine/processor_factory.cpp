#include "engine/processor_factory.hpp"

#include <fmt/format.h>

#include "dsp/utility.hpp"
#include "engine/dynamics_processors.hpp"
#include "engine/effects_processors.hpp"
#include "engine/param_reader.hpp"
#include "engine/reverb_processors.hpp"
#include "engine/tone_processors.hpp"
#include "session/closest_name.hpp"

namespace reel::engine {
namespace {

Result<std::unique_ptr<dsp::Processor>> makeUtility(const ProcessorContext& context) {
    ParamReader params(context.config);
    dsp::Utility::Params p;
    auto gain = params.decibels("gain", Decibels{0.0}, Decibels{-120.0}, Decibels{48.0});
    if (!gain) return std::unexpected(gain.error());
    auto invert = params.flag("invert", false);
    if (!invert) return std::unexpected(invert.error());
    auto swap = params.flag("swap", false);
    if (!swap) return std::unexpected(swap.error());
    auto mono = params.flag("mono", false);
    if (!mono) return std::unexpected(mono.error());
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    p.gain = *gain;
    p.polarity = *invert ? dsp::Polarity::inverted : dsp::Polarity::normal;
    p.swap = *swap ? dsp::ChannelSwap::yes : dsp::ChannelSwap::no;
    p.mono = *mono ? dsp::MonoFold::yes : dsp::MonoFold::no;
    return std::make_unique<dsp::Utility>(p);
}

}  // namespace

ProcessorFactory ProcessorFactory::builtIn() {
    ProcessorFactory factory;
    factory.add("utility", makeUtility);
    registerToneProcessors(factory);
    registerDynamicsProcessors(factory);
    registerEffectsProcessors(factory);
    registerReverbProcessors(factory);
    return factory;
}

void ProcessorFactory::add(const std::string& type, Creator creator) { creators_[type] = std::move(creator); }

std::vector<std::string> ProcessorFactory::types() const {
    std::vector<std::string> names;
    for (const auto& [name, creator] : creators_) names.push_back(name);
    return names;
}

Result<std::unique_ptr<dsp::Processor>> ProcessorFactory::create(const session::ProcessorConfig& config,
                                                                 const session::Session& session) const {
    auto it = creators_.find(config.type);
    if (it != creators_.end()) return it->second(ProcessorContext{config, session});
    auto names = types();
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string message = config.where.prefix() + fmt::format("unknown processor \"{}\"", config.type);
    if (auto closest = session::closestName(config.type, views)) message += fmt::format("; did you mean \"{}\"?", *closest);
    message += fmt::format(" (this version of Reel has: {})", fmt::join(names, ", "));
    return fail(ErrorCode::invalidSession, message);
}

}  // namespace reel::engine
