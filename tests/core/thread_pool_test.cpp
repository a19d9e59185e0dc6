#include "core/thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
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
// next loop (each task here waits until a second thread has started one, so a loop that only
// the caller ran would time out), and the caller must wait for tasks that outlast its spin.
TEST(ThreadPool, WorkersWakeAfterSpinningOrSleeping) {
    ThreadPool pool(3);
    for (auto pause : {std::chrono::microseconds{0}, 10 * ThreadPool::kSpin}) {
        for (int round = 0; round < 5; ++round) {
            std::this_thread::sleep_for(pause);  // long enough for the workers to fall asleep
            std::vector<std::atomic<int>> hits(6);
            std::mutex mutex;
            std::set<std::thread::id> threads;
            std::atomic<bool> timedOut = false;
            pool.parallelFor(hits.size(), [&](std::size_t i) {
                const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                {
                    std::lock_guard lock(mutex);
                    threads.insert(std::this_thread::get_id());
                }
                for (;;) {
                    {
                        std::lock_guard lock(mutex);
                        if (threads.size() >= 2) break;
                    }
                    if (std::chrono::steady_clock::now() > giveUp) {
                        timedOut = true;
                        break;
                    }
                    std::this_thread::yield();
                }
                std::this_thread::sleep_for(2 * ThreadPool::kSpin);  // longer than the caller spins
                hits[i]++;
            });
            ASSERT_FALSE(timedOut) << "only one thread ran the loop (pause " << pause.count() << " us)";
            EXPECT_GE(threads.size(), 2u);
            for (auto& h : hits) ASSERT_EQ(h.load(), 1);
        }
    }
}
