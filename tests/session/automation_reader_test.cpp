#include <gtest/gtest.h>

#include "session/session_files.hpp"

using namespace reel;
using namespace reel::test;

TEST(AutomationReader, ReadsListAndMapPointsWithCurvesAndBarBeat) {
    auto path = writeSession("automation-ok",
                             "reel: 1\n"
                             "tempo: 120\n"
                             "tracks:\n"
                             "  - name: Vox\n"
                             "    automation:\n"
                             "      - param: volume\n"
                             "        points: [[0s, -6dB], [\"2:1\", 0dB, exponential]]\n"
                             "      - param: compressor.threshold\n"
                             "        curve: hold\n"
                             "        points:\n"
                             "          - {at: 1s, value: -18dB}\n"
                             "          - {at: 3s, value: -24dB, curve: linear}\n"
                             "buses:\n"
                             "  - name: Verb\n"
                             "    automation: [{param: pan, points: [[0s, -0.5]]}]\n"
                             "master:\n"
                             "  automation: [{param: volume, points: [[\"1:3\", 0dB]]}]\n");
    auto loaded = session::loadSession(path);
    ASSERT_TRUE(loaded) << loaded.error().message;
    const auto& lanes = loaded->tracks[0].automation;
    ASSERT_EQ(lanes.size(), 2u);
    EXPECT_EQ(lanes[0].param, "volume");
    ASSERT_EQ(lanes[0].points.size(), 2u);
    EXPECT_DOUBLE_EQ(lanes[0].points[1].at.value, 2.0);  // bar 2 at 120 bpm in 4/4
    EXPECT_EQ(lanes[0].points[1].value, "0dB");
    EXPECT_EQ(lanes[0].points[1].curve, session::AutomationCurve::exponential);
    EXPECT_EQ(lanes[1].points[0].curve, session::AutomationCurve::hold);  // the lane's default
    EXPECT_EQ(lanes[1].points[1].curve, session::AutomationCurve::linear);
    EXPECT_EQ(lanes[1].points[0].where.line, 11);
    EXPECT_EQ(loaded->buses[0].automation[0].param, "pan");
    EXPECT_DOUBLE_EQ(loaded->master.automation[0].points[0].at.value, 1.0);
}

TEST(AutomationReader, PointsOutOfOrderAndBadShapesAreErrors) {
    EXPECT_TRUE(failsAt("automation-order",
                        "reel: 1\ntracks:\n  - name: A\n    automation:\n      - param: volume\n"
                        "        points: [[2s, 0dB], [1s, -3dB]]\n",
                        6, 29, "automation points must be in time order"));
    EXPECT_TRUE(failsAt("automation-shape",
                        "reel: 1\ntracks:\n  - name: A\n    automation:\n      - param: volume\n"
                        "        points: [[2s]]\n",
                        6, 18, "[at, value]"));
    EXPECT_TRUE(failsAt("automation-curve",
                        "reel: 1\ntracks:\n  - name: A\n    automation:\n      - param: volume\n"
                        "        points: [[2s, 0dB, expo]]\n",
                        6, 28, "exponential"));
    EXPECT_TRUE(failsAt("automation-noparam",
                        "reel: 1\ntracks:\n  - name: A\n    automation:\n      - points: [[2s, 0dB]]\n", 5, 9, "param"));
}
