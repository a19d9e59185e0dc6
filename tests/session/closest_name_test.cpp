#include "session/closest_name.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

using namespace reel::session;

namespace {
constexpr std::array<std::string_view, 6> kKeys{"tempo", "title", "tracks", "sample_rate", "meter", "key"};
}

TEST(ClosestName, CountsInsertionsDeletionsSubstitutionsAndSwapsAsOneEditEach) {
    EXPECT_EQ(editDistance("tempo", "tempo"), 0u);
    EXPECT_EQ(editDistance("tempoo", "tempo"), 1u);
    EXPECT_EQ(editDistance("temp", "tempo"), 1u);
    EXPECT_EQ(editDistance("tempa", "tempo"), 1u);
    EXPECT_EQ(editDistance("lenght", "length"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
    EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(ClosestName, IgnoresCase) { EXPECT_EQ(editDistance("Tempo", "tempo"), 0u); }

TEST(ClosestName, SuggestsTheNearestCandidate) {
    EXPECT_EQ(closestName("tempoo", kKeys), "tempo");
    EXPECT_EQ(closestName("samplerate", kKeys), "sample_rate");
    EXPECT_EQ(closestName("trakcs", kKeys), "tracks");
    EXPECT_EQ(closestName("metre", kKeys), "meter");
}

TEST(ClosestName, SuggestsNothingWhenNoCandidateIsClose) {
    EXPECT_EQ(closestName("volume", kKeys), std::nullopt);
    EXPECT_EQ(closestName("xyz", kKeys), std::nullopt);
    EXPECT_EQ(closestName("anything", std::span<const std::string_view>{}), std::nullopt);
}

TEST(ClosestName, PrefersTheEarlierCandidateOnATie) {
    constexpr std::array<std::string_view, 2> names{"gain", "rain"};
    EXPECT_EQ(closestName("bain", names), "gain");
}
