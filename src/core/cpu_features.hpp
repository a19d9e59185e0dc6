#pragma once
// What the CPU we run on can do, for processors that carry a second, wider build of their
// inner loops (__attribute__((target("avx2")))) and pick it at run time. The build itself
// targets baseline x86-64 and never contracts into FMA (-ffp-contract=off), so both builds
// compute the same bits; each such processor has a test that proves it.

namespace reel {

/// True on an x86-64 CPU with AVX2 (GCC/Clang); false elsewhere.
inline bool cpuHasAvx2() noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();  // GCC's CPU data may not be set yet when called from a static constructor
    return __builtin_cpu_supports("avx2") != 0;
#else
    return false;
#endif
}

}  // namespace reel
