#pragma once
// A fixed pool of worker threads that runs an indexed loop in parallel and waits for it.
//
// Used by the engine to render tracks in parallel. Each index must write only its own data,
// so the result does not depend on the thread count or scheduling (determinism rule).

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reel {

class ThreadPool {
public:
    /// Starts numThreads - 1 workers; the calling thread is the last worker. 0 = all cores.
    explicit ThreadPool(int numThreads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /// Number of threads that take part in parallelFor, the caller included.
    int numThreads() const noexcept { return static_cast<int>(workers_.size()) + 1; }

    /// Calls task(i) for every i in [0, count), spread over the threads; returns when all are done.
    /// Not reentrant: call from one thread at a time.
    void parallelFor(std::size_t count, const std::function<void(std::size_t)>& task);

private:
    void workerLoop();
    void runTasks();

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t count_ = 0;
    std::size_t next_ = 0;
    std::size_t finished_ = 0;
    std::size_t generation_ = 0;
    bool stopping_ = false;
};

}  // namespace reel
