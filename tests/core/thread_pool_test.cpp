#include "core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

using namespace reel;

TEST(ThreadPool, RunsEveryIndexExactlyOnce) {
    ThreadPool pool(4);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::atomic<int>> hits(37);
        pool.parallelFor(hits.size(), [&](std::size_t i) { hits[i]++; });
        for (auto& h : hits) ASSERT_EQ(h.load(), 1);
    }
}

TEST(ThreadPool, SingleThreadPoolRunsOnCaller) {
    ThreadPool pool(1);
    EXPECT_EQ(pool.numThreads(), 1);
    int sum = 0;
    pool.parallelFor(10, [&](std::size_t i) { sum += static_cast<int>(i); });
    EXPECT_EQ(sum, 45);
}
