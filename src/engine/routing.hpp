#pragma once
// The signal flow of a session as a graph: tracks and buses feed buses and the master.
//
// Nodes are numbered tracks first (0..T-1), then buses (T..T+B-1), then the master (T+B).
// Builds the order buses are processed in, rejects feedback loops (naming the buses in the
// loop), and computes plugin delay compensation: every edge gets the delay that makes all
// of a node's inputs arrive aligned, and the master's output latency is what the renderer
// trims from the start of the mix.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "session/session.hpp"

namespace reel::engine {

struct RoutingEdge {
    int from = 0;
    int to = 0;
    session::SendTap tap = session::SendTap::postFader;
    Decibels level{0.0};
    int compensation = 0;  // frames of delay this edge adds so its destination's inputs align
};

class Routing {
public:
    /// Validates sends and builds the graph; errors name the send's line or the loop.
    static Result<Routing> build(const session::Session& session);

    int numTracks() const noexcept { return numTracks_; }
    int numBuses() const noexcept { return numBuses_; }
    int masterNode() const noexcept { return numTracks_ + numBuses_; }
    /// Buses in an order where every bus comes after all buses that send to it.
    const std::vector<int>& busOrder() const noexcept { return busOrder_; }
    /// Edges grouped by destination in processing order, sources ascending within a group.
    const std::vector<RoutingEdge>& edges() const noexcept { return edges_; }

    /// Given each node's own latency (chain, in frames), sets every edge's compensation and
    /// returns the master's output latency.
    int compensate(const std::vector<int>& nodeLatency);

private:
    int numTracks_ = 0;
    int numBuses_ = 0;
    std::vector<int> busOrder_;
    std::vector<RoutingEdge> edges_;
};

}  // namespace reel::engine
