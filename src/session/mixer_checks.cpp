#include "session/mixer_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>
#include <string_view>
#include <vector>

#include "session/closest_name.hpp"

namespace reel::session {
namespace {

Result<void> checkSend(const Send& send, const Session& session, const std::string* fromBus) {
    std::vector<std::string_view> buses;
    for (const auto& bus : session.buses) {
        if (bus.name == send.to) {
            if (fromBus && *fromBus == send.to)
                return fail(ErrorCode::invalidSession,
                            send.where.prefix() + fmt::format("bus \"{}\" sends to itself, a feedback loop; "
                                                              "send to another bus",
                                                              send.to));
            return {};
        }
        buses.push_back(bus.name);
    }
    std::string message = fmt::format("send to \"{}\", which is not a bus", send.to);
    for (const auto& track : session.tracks)
        if (track.name == send.to) message += " (it is a track; sends feed buses)";
    if (auto closest = closestName(send.to, buses)) message += fmt::format("; did you mean \"{}\"?", *closest);
    if (buses.empty()) message += "; the session has no buses: add one under buses:";
    else message += fmt::format(" (buses: {})", fmt::join(buses, ", "));
    return fail(ErrorCode::invalidSession, send.where.prefix() + message);
}

}  // namespace

Result<void> checkUniqueNames(const Session& session) {
    struct Named {
        const std::string* name;
        const SourceLocation* where;
        const char* kind;
    };
    std::vector<Named> all;
    for (const auto& track : session.tracks) all.push_back({&track.name, &track.where, "track"});
    for (const auto& bus : session.buses) all.push_back({&bus.name, &bus.where, "bus"});
    // In file order, so the error is at the later of the two whichever list it is in.
    std::stable_sort(all.begin(), all.end(), [](const Named& a, const Named& b) {
        return std::pair(a.where->line, a.where->column) < std::pair(b.where->line, b.where->column);
    });
    std::map<std::string, const Named*> seen;
    for (const auto& named : all) {
        auto [first, isNew] = seen.emplace(*named.name, &named);
        if (isNew) continue;
        return fail(ErrorCode::invalidSession,
                    named.where->prefix() + fmt::format("{} name \"{}\" is already used by the {} on line {}; tracks and "
                                                        "buses need names of their own",
                                                        named.kind, *named.name, first->second->kind,
                                                        first->second->where->line));
    }
    return {};
}

Result<void> checkSendTargets(const Session& session) {
    for (const auto& track : session.tracks)
        for (const auto& send : track.sends)
            if (auto ok = checkSend(send, session, nullptr); !ok) return ok;
    for (const auto& bus : session.buses)
        for (const auto& send : bus.sends)
            if (auto ok = checkSend(send, session, &bus.name); !ok) return ok;
    return {};
}

}  // namespace reel::session
