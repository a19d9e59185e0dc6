#pragma once
// What the CPU we run on can do, for processors that carry a second, wider build of their
// inner loops (__attribute__((target("avx2")))) and pick it at run time. The build itself
// targets baseline x86-64 and never contracts into FMA (-ffp-contract=off).
//
// Two kinds of wider code use this:
// - AVX2 only (cpuHasAvx2): the same element-wise operations as the baseline, wider; both
//   compute the same bits, and each such processor has a test that proves it.
// - AVX2 with FMA (cpuHasAvx2Fma): for latency-bound recursions (a biquad's or an envelope's
//   feedback), a fused multiply-add shortens each step's chain (one rounding instead of two);
//   the result then differs from the baseline's in the last bits only, and the processor's
//   test bounds that difference instead of requiring equality. A render is still
//   bit-identical for any thread count and block size on one machine; two machines agree to
//   the bit only if both have (or both lack) AVX2 with FMA (a CPU with FMA but no AVX2 runs
//   the baseline).
// - AVX-512VL (cpuHasAvx512Vl): 256-bit vectors as in AVX2, but 32 registers instead of 16,
//   for a loop that needs more values at hand than AVX2 can hold; the same element-wise
//   operations, so the same bits as the AVX2 and baseline code.

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

/// True on an x86-64 CPU with AVX2 and FMA3 (every such CPU since 2013 has both).
inline bool cpuHasAvx2Fma() noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
#else
    return false;
#endif
}

/// True on an x86-64 CPU with AVX2, AVX-512F and AVX-512VL (256-bit vectors in 32 registers).
inline bool cpuHasAvx512Vl() noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("avx512f") != 0 &&
           __builtin_cpu_supports("avx512vl") != 0;
#else
    return false;
#endif
}

}  // namespace reel
