#include "engine/instrument_factory.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "session/closest_name.hpp"

namespace reel::engine {

void InstrumentFactory::add(const std::string& type, Creator creator) { creators_[type] = std::move(creator); }

void InstrumentFactory::setPartReader(PartReader reader) { partReader_ = std::move(reader); }

std::vector<std::string> InstrumentFactory::types() const {
    std::vector<std::string> names;
    for (const auto& [name, creator] : creators_) names.push_back(name);
    return names;
}

Result<std::unique_ptr<Instrument>> InstrumentFactory::create(const session::InstrumentConfig& config,
                                                              const session::Session& session) const {
    auto it = creators_.find(config.type);
    if (it != creators_.end()) return it->second(InstrumentContext{config, session});
    auto names = types();
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string message = config.where.prefix() + fmt::format("unknown instrument type \"{}\"", config.type);
    if (auto closest = session::closestName(config.type, views))
        message += fmt::format("; did you mean \"{}\"?", *closest);
    message += names.empty() ? " (no instrument types are registered in this program)"
                             : fmt::format(" (this version of Reel has: {})", fmt::join(names, ", "));
    return fail(ErrorCode::invalidSession, message);
}

Result<MidiPart> InstrumentFactory::readPart(const session::MidiClip& clip, const session::Session& session) const {
    if (!partReader_)
        return fail(ErrorCode::internal,
                    clip.where.prefix() + "this program cannot read MIDI clips (no MIDI part reader is registered)");
    return partReader_(clip, session);
}

}  // namespace reel::engine
