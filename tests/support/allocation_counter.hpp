#pragma once
// Counts heap allocations made by the current thread while an AllocationCounter lives.
//
// Linking this file replaces the global operator new for the test program, so a test can
// prove that a process() call allocates nothing: the real-time rule of DESIGN.md.

#include <cstddef>

namespace reel::test {

class AllocationCounter {
public:
    AllocationCounter();
    ~AllocationCounter();
    AllocationCounter(const AllocationCounter&) = delete;
    AllocationCounter& operator=(const AllocationCounter&) = delete;
    /// Allocations on this thread since construction.
    std::size_t count() const;
};

}  // namespace reel::test
