#include "core/thread_pool.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace reel {
namespace {

// Spins until done() or for ThreadPool::kSpin, whichever is first; true if done() came true.
template <typename Done>
bool spinUntil(const Done& done) {
    const auto until = std::chrono::steady_clock::now() + ThreadPool::kSpin;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (done()) return true;
#if defined(__x86_64__) || defined(__i386__)
            _mm_pause();  // lets the other hyperthread run and saves power while spinning
#endif
        }
        if (std::chrono::steady_clock::now() >= until) return false;
    }
}

}  // namespace

ThreadPool::ThreadPool(int numThreads) {
    int n = numThreads > 0 ? numThreads : static_cast<int>(std::thread::hardware_concurrency());
    if (n < 1) n = 1;
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
}

void ThreadPool::runTasks() {
    // Claims indices one at a time under the lock; tasks are coarse (a track block), so the
    // lock is not the bottleneck and the order of claims does not affect any result.
    std::unique_lock lock(mutex_);
    while (next_ < count_) {
        std::size_t i = next_++;
        lock.unlock();
        (*task_)(i);
        lock.lock();
        if (++finished_ == count_) done_.notify_all();
    }
}

void ThreadPool::workerLoop() {
    std::size_t seen = 0;
    for (;;) {
        spinUntil([&] { return stopping_.load(std::memory_order_relaxed) || generation_.load() != seen; });
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        runTasks();
    }
}

void ThreadPool::parallelFor(std::size_t count, const std::function<void(std::size_t)>& task) {
    if (count == 0) return;
    if (workers_.empty() || count == 1) {
        for (std::size_t i = 0; i < count; ++i) task(i);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        task_ = &task;
        count_ = count;
        next_ = 0;
        finished_ = 0;
        ++generation_;
    }
    wake_.notify_all();
    runTasks();
    spinUntil([&] { return finished_.load() == count; });
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return finished_ == count_; });
    task_ = nullptr;
    count_ = 0;
}

}  // namespace reel
