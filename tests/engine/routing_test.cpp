#include "engine/routing.hpp"

#include <gtest/gtest.h>

using namespace reel;
using namespace reel::engine;

namespace {
session::Send sendTo(const std::string& bus) { return {bus, Decibels{0.0}, session::SendTap::postFader, {}}; }
}  // namespace

TEST(Routing, BusesAreOrderedAfterEverythingThatFeedsThem) {
    session::Session s;
    s.tracks.resize(2);
    s.tracks[0].sends = {sendTo("Room")};
    s.buses.resize(3);
    s.buses[0].name = "Room";
    s.buses[0].sends = {sendTo("Glue")};
    s.buses[1].name = "Glue";
    s.buses[2].name = "Verb";
    s.buses[2].sends = {sendTo("Room")};
    auto routing = Routing::build(s);
    ASSERT_TRUE(routing) << routing.error().message;
    auto order = routing->busOrder();
    auto pos = [&](int b) { return std::find(order.begin(), order.end(), b) - order.begin(); };
    EXPECT_LT(pos(2), pos(0));  // Verb -> Room
    EXPECT_LT(pos(0), pos(1));  // Room -> Glue
}

TEST(Routing, CompensationAlignsEveryInputOfANode) {
    // track0 (latency 100) -> master; track1 (latency 0) -> bus (latency 50) -> master
    session::Session s;
    s.tracks.resize(2);
    s.tracks[1].sends = {sendTo("Bus")};
    s.buses.resize(1);
    s.buses[0].name = "Bus";
    auto routing = Routing::build(s);
    ASSERT_TRUE(routing);
    int masterLatency = routing->compensate({100, 0, 50, 10});
    EXPECT_EQ(masterLatency, 110);
    for (const auto& e : routing->edges()) {
        int expected = -1;
        if (e.from == 0 && e.to == 3) expected = 0;    // slowest path: no delay
        if (e.from == 1 && e.to == 3) expected = 100;  // dry track waits for track0
        if (e.from == 1 && e.to == 2) expected = 0;
        if (e.from == 2 && e.to == 3) expected = 50;   // bus out at 50, master input at 100
        EXPECT_EQ(e.compensation, expected) << e.from << " -> " << e.to;
    }
}
