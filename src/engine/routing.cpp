#include "engine/routing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace reel::engine {
namespace {

/// Depth-first search for a loop among bus-to-bus sends; returns the bus names around it.
bool findLoop(int bus, const std::vector<std::vector<int>>& sendsTo, std::vector<int>& state, std::vector<int>& path,
              std::vector<int>& loop) {
    state[bus] = 1;  // on the current path
    path.push_back(bus);
    for (int next : sendsTo[bus]) {
        if (state[next] == 1) {
            auto at = std::find(path.begin(), path.end(), next);
            loop.assign(at, path.end());
            loop.push_back(next);
            return true;
        }
        if (state[next] == 0 && findLoop(next, sendsTo, state, path, loop)) return true;
    }
    path.pop_back();
    state[bus] = 2;  // finished
    return false;
}

}  // namespace

Result<Routing> Routing::build(const session::Session& session) {
    Routing routing;
    routing.numTracks_ = static_cast<int>(session.tracks.size());
    routing.numBuses_ = static_cast<int>(session.buses.size());
    std::map<std::string, int> busIndex;
    for (int b = 0; b < routing.numBuses_; ++b) busIndex[session.buses[b].name] = b;

    auto resolve = [&](const session::Send& send) -> Result<int> {
        auto it = busIndex.find(send.to);
        if (it != busIndex.end()) return it->second;
        std::string known;
        for (const auto& bus : session.buses) known += (known.empty() ? "" : ", ") + bus.name;
        return fail(ErrorCode::invalidSession,
                    send.where.prefix() + fmt::format("send to \"{}\", which is not a bus ({})", send.to,
                                                      known.empty() ? "the session has no buses" : "buses: " + known));
    };

    std::vector<RoutingEdge> all;
    std::vector<std::vector<int>> sendsTo(static_cast<std::size_t>(routing.numBuses_));
    for (int t = 0; t < routing.numTracks_; ++t) {
        all.push_back({t, routing.masterNode(), session::SendTap::postFader, Decibels{0.0}, 0});
        for (const auto& send : session.tracks[t].sends) {
            auto bus = resolve(send);
            if (!bus) return std::unexpected(bus.error());
            all.push_back({t, routing.numTracks_ + *bus, send.tap, send.level, 0});
        }
    }
    for (int b = 0; b < routing.numBuses_; ++b) {
        const int node = routing.numTracks_ + b;
        all.push_back({node, routing.masterNode(), session::SendTap::postFader, Decibels{0.0}, 0});
        for (const auto& send : session.buses[b].sends) {
            auto bus = resolve(send);
            if (!bus) return std::unexpected(bus.error());
            if (*bus == b)
                return fail(ErrorCode::invalidSession,
                            send.where.prefix() + fmt::format("bus \"{}\" sends to itself, a feedback loop", send.to));
            all.push_back({node, routing.numTracks_ + *bus, send.tap, send.level, 0});
            sendsTo[b].push_back(*bus);
        }
    }

    // Order buses so each comes after everything that feeds it (reverse DFS finishing order).
    std::vector<int> state(static_cast<std::size_t>(routing.numBuses_), 0), path, loop;
    for (int b = 0; b < routing.numBuses_; ++b) {
        if (state[b] == 0 && findLoop(b, sendsTo, state, path, loop)) {
            std::string names;
            for (int n : loop) names += (names.empty() ? "" : " -> ") + session.buses[n].name;
            return fail(ErrorCode::invalidSession,
                        session.buses[loop.front()].where.prefix() + "buses feed back into each other: " + names);
        }
    }
    std::vector<int> indegree(static_cast<std::size_t>(routing.numBuses_), 0);
    for (const auto& targets : sendsTo)
        for (int t : targets) ++indegree[t];
    std::vector<int> ready;
    for (int b = 0; b < routing.numBuses_; ++b)
        if (indegree[b] == 0) ready.push_back(b);
    while (!ready.empty()) {  // Kahn's algorithm, lowest index first for a stable order
        std::sort(ready.begin(), ready.end(), std::greater<>());
        int b = ready.back();
        ready.pop_back();
        routing.busOrder_.push_back(b);
        for (int t : sendsTo[b])
            if (--indegree[t] == 0) ready.push_back(t);
    }

    // Group edges by destination in processing order: buses in busOrder, then the master.
    for (int b : routing.busOrder_)
        for (const auto& e : all)
            if (e.to == routing.numTracks_ + b) routing.edges_.push_back(e);
    for (const auto& e : all)
        if (e.to == routing.masterNode()) routing.edges_.push_back(e);
    return routing;
}

int Routing::compensate(const std::vector<int>& nodeLatency) {
    const std::size_t numNodes = static_cast<std::size_t>(masterNode() + 1);
    // A node nothing feeds (a track, an unused bus) outputs with just its own latency.
    std::vector<int> outputLatency(nodeLatency.begin(), nodeLatency.begin() + static_cast<std::ptrdiff_t>(numNodes));
    // Edges come grouped by destination in processing order, so every source is final
    // before its destination's group is reached.
    for (std::size_t i = 0; i < edges_.size();) {
        const int to = edges_[i].to;
        std::size_t groupEnd = i;
        int arrival = 0;
        while (groupEnd < edges_.size() && edges_[groupEnd].to == to) arrival = std::max(arrival, outputLatency[edges_[groupEnd++].from]);
        for (std::size_t j = i; j < groupEnd; ++j) edges_[j].compensation = arrival - outputLatency[edges_[j].from];
        outputLatency[to] = arrival + nodeLatency[to];
        i = groupEnd;
    }
    return outputLatency[masterNode()];
}

}  // namespace reel::engine
