#include "core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
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

// Idle workers spin for ThreadPool::kSpin, then sleep: both ways of waiting must pick up the
// next loop, and the caller must wait for tasks that outlast its own spin.
TEST(ThreadPool, WorkersWakeAfterSpinningOrSleeping) {
    ThreadPool pool(3);
    for (auto pause : {std::chrono::microseconds{0}, 10 * ThreadPool::kSpin}) {
        for (int round = 0; round < 5; ++round) {
            std::this_thread::sleep_for(pause);  // long enough for the workers to fall asleep
            std::vector<std::atomic<int>> hits(6);
            pool.parallelFor(hits.size(), [&](std::size_t i) {
                std::this_thread::sleep_for(2 * ThreadPool::kSpin);  // longer than the caller spins
                hits[i]++;
            });
            for (auto& h : hits) ASSERT_EQ(h.load(), 1);
        }
    }
}
