#pragma once
// An algorithmic reverb: a 16-line feedback delay network (FDN) after J.-M. Jot and
// A. Chaigne, "Digital delay networks for designing artificial reverberators" (AES 90th
// Convention, 1991, preprint 3030).
//
// Signal flow, per channel pair:
//   in ─▶ predelay (GlidingDelay) ─▶ 6 Schroeder allpasses per side, 1.5–10.4 ms (input
//        │                              diffusion: the echo density is noise-like by 40 ms)
//        ├─▶ early output (the diffused onset, so the wet starts exactly at the predelay)
//        └─▶ injected into the 16 lines (L into lines 0–7, R into 8–15, fixed signs)
//   line i: delay m_i ─▶ absorption filter h_i ─▶ 16×16 Hadamard matrix / 4 ─▶ back into the lines
//   wet L / wet R = two different rows of the matrix output (orthogonal sign patterns, so the
//   sides are decorrelated) + the early output; width by mid/side; mix against the dry.
//
// Delay lengths m_i are distinct primes (so mutually prime: no shared modes or echoes piling
// up) spread over 35–95 ms at size 1, scaled by 0.2 + 0.8·size. The absorption filters make
// the decay time exact and frequency dependent (Jot 1991): the gain at DC of line i is
//   g_i = 10^(-3·m_i / (T60·fs)),
// so every path through the network loses 60 dB in T60 whatever lines it visits; damping
// shortens the decay toward high frequencies with a one-pole lowpass per line,
//   h_i(z) = g_i·(1 − p_i) / (1 − p_i·z⁻¹),  with |h_i| at Nyquist = 10^(-3·m_i / (α·T60·fs)),
// where α = T60(Nyquist)/T60(DC) = 1 − 0.9·damping. The matrix is orthogonal (lossless), so
// the network's stability and decay come from the h_i alone.
//
// Defaults: when no decay is given it follows the size: T60 = 0.5 s + 3.5 s·size² (size 0.7 →
// 2.2 s, size 1 → 4 s). Mix is linear: out = (1 − mix)·dry + mix·wet.
//
// Parameters glide: mix and width per frame over 20 ms; decay and damping over 50 ms (the
// filters are redesigned every 128 frames while they move); size and predelay over 250 ms by
// gliding the delay lengths (a brief pitch bend, as on a tape machine, not a click; a
// predelay that grows by more than 125 ms takes twice its growth: GlidingDelay).
// All state updates happen on a fixed 128-frame grid counted from reset, so the output is
// bit-identical whatever block sizes the caller uses.
//
// Denormals: process() sets flush-to-zero / denormals-are-zero for its duration
// (ScopedDenormalFlush), so a dying tail ends in exact zeros and never slows down.
// Channels: mono (the wet is the two sides' sum · √½) or stereo; channels past the second pass dry.
// Latency 0. Threads: prepare() allocates; everything else is real-time safe.
// Cost (bench/dsp/fdn_reverb_bench.cpp, AVX2, 44.1 kHz, ns per stereo frame): sixteen
// reverbs in turn 7.8 and one with a predelay 8.5 at 02:00 UTC on 2026-11-25; since the lines'
// rings hold the matrix output alone, about 5 % less each (alternated with the code before at
// 04:23, when this VM ran slower; medians of three: 9.3 → 8.9 and 9.1 → 8.6). 8.8 and 9.1
// before the diffusers ran both sides in one pass; the SSE2 code about 12.4, from 12.8 and 15.7.
// Later on 2026-11-25 (medians of ten alternations, sixteen reverbs): with AVX-512VL the
// filters and matrix in one pass about 5 % less (563 → 532 µs per 4096 frames of all
// sixteen); a predelay at 0 that records the input once per call instead of once per chunk
// about 5 % less again (516 → 490 µs), and then not at all, only its last frame, 2.8 % less
// CPU for the 16-track render (paired runs); the VM drifts more than that between runs.
// How: every line is longer than the 128-frame grid step, so a step's 128 outputs of all
// lines were fed to them before the step began; the network (reads, absorption filters,
// Hadamard matrix) runs for the whole step at its start (runTank), with the recursive
// filters vectorized across lines (register transposes) and the matrix across time (plain
// row adds); the input side (diffusers, injection, mix) runs per caller block. A line's ring
// holds only the matrix output, which the matrix's last pass writes straight into it; the
// injection (the diffused input · kInjectGain, one stream per side) has a small ring of its
// own and is added to each line as the line is read, before its filter (before
// interpolating, while its length glides): the same one float add of the same two values as
// when the sum was stored, so the same bits, with two streams written per frame, not 16.
// The twelve diffusers run in one pass, four independent cascades at once (each is a long
// chain of dependent operations), on delay lines that slide back instead of wrapping, so no
// pass is split at a ring's end; a predelay of 0 that is not gliding only keeps the last
// input frame (GlidingDelay::remember()).
// Same operations per sample as one frame at a time, so the output is bit-identical to that
// and to any block size. The time-parallel loops are compiled for SSE2 and AVX2 (picked from
// the CPU at run time; bit-identical, tested; no FMA either way); where the CPU has
// AVX-512VL, the filters and the matrix run in one pass whose sixteen rows of a tile stay in
// its 32 registers (the same operations on 256-bit vectors, so the same bits; tested).
// Memory: each line's ring is only as long as its delay (plus 18–25 frames), not the longest
// it could glide to, so the slot a frame is written into is one the network read a grid step
// before, still in L1 (rings sized for size 1 wrote to memory untouched for thousands of
// frames: those stores were the costliest part of a render with sixteen reverbs). A size
// change that lengthens a line grows its ring first and a steady line's ring shrinks back (a
// copy of its recent history, no allocation; prepare() allocates room for size 1). The
// injection rings hold the longest delay at size 1 (two of 4.2k frames at 44.1 kHz, 35 kB).
// No modulation of the line lengths: the 16 mutually prime lines and the input diffusion
// keep long tails from ringing metallically without it.

#include <array>
#include <optional>
#include <span>
#include <vector>

#include "core/cpu_features.hpp"
#include "core/units.hpp"
#include "dsp/gliding_delay.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_value.hpp"

namespace reel::dsp {

class FdnReverb final : public Processor {
public:
    struct Params {
        double size = 0.5;             // 0..1: room size (delay lengths)
        std::optional<Seconds> decay;  // T60 at low frequencies, 0.1–20 s; unset: from size
        double damping = 0.5;          // 0..1: how much shorter the decay is at high frequencies
        Seconds predelay{0.0};         // 0–500 ms before the reverb starts
        double width = 1.0;            // 0 = mono wet, 1 = full stereo
        double mix = 0.3;              // 0..1 wet share (written 0–100 % in the session)
    };
    static constexpr int kLines = 16;
    static constexpr int kDiffusersPerSide = 6;  // input diffusion allpasses per side
    enum ParameterIndex { kSize, kDecay, kDamping, kPredelay, kWidth, kMix };

    FdnReverb() = default;
    explicit FdnReverb(const Params& params) : params_(params) {}

    [[nodiscard]] Result<void> prepare(const ProcessSpec& spec) override;
    void setParams(const Params& params) noexcept;
    const Params& params() const noexcept { return params_; }
    void process(AudioView io) noexcept override;
    void reset() noexcept override;
    /// Predelay plus 1.5·T60 (the wet is then 90 dB down).
    double tailSeconds() const noexcept override;
    std::span<const ParameterInfo> parameters() const noexcept override;
    void setParameter(int index, double value) noexcept override;

    /// Which vector code runs: the widest the CPU has (the default: AVX-512VL where present,
    /// else AVX2), AVX2 even where AVX-512VL is present, or the x86-64 baseline (SSE2). The
    /// output is bit-identical every way; tests compare them.
    enum class VectorWidth { widest, avx2, baseline };
    void setVectorWidth(VectorWidth width) noexcept;

    /// For tests: every ring as long as its line can ever be (no fitting to the current
    /// length). The output must not change: fitting moves where frames are kept, not what is
    /// computed. Takes effect at the next reset() / prepare() (rings are laid out there).
    void keepRingsAtCapacity(bool keep) noexcept { ringsAtCapacityRequested_ = keep; }
    /// For tests: the input diffusers' window at least `frames` long, so over a shorter run
    /// their delay lines never slide back. The output must not change. Takes effect at the
    /// next prepare().
    void widenDiffusionWindow(std::size_t frames) noexcept { diffusionWindowRequested_ = frames; }

    /// The T60 used when none is given, for a size in 0..1.
    static Seconds decayForSize(double size) noexcept;
    /// The delay lengths in frames (distinct primes) for a size at a sample rate.
    static std::array<std::int64_t, kLines> delayLengths(double size, double sampleRate) noexcept;

private:
    // Frames between state updates; also the largest chunk. 128 rather than 64 (before
    // 2026-11-24): the per-step setup of 16 lines then costs half as much per frame (10.1 →
    // about 9 ns/frame); glides still move in 2.9 ms steps at 44.1 kHz.
    static constexpr int kGrid = 128;

    // One input diffuser's place in diffusion_: its window starts at `start` (where the
    // frame read at diffusePos_ 0 is) and holds its delay plus the window's kept frames.
    struct Allpass {
        std::size_t start = 0;
        std::size_t delay = 0;
    };

    double decayTarget() const noexcept;
    enum class Apply { immediately, gliding };
    enum class Lengths { keep, recompute };
    void applyParams(Apply how, Lengths lengthsToo) noexcept;
    void startGridStep() noexcept;
    void updateAbsorption(double decay, double damping) noexcept;
    void runChunkBody(AudioView io, std::int64_t start, int numFrames) noexcept;
    void runChunkBaseline(AudioView io, std::int64_t start, int numFrames) noexcept;
    void runChunkAvx2(AudioView io, std::int64_t start, int numFrames) noexcept;
    void readGliding() noexcept;
    // Whether the lines' frames read for filterLines() still lack the input injected into
    // them (a steady line: the ring holds the matrix output alone) or hold it already
    // (readGliding() adds it before interpolating).
    enum class Injection { add, included };
    using LineSources = std::array<const float*, kLines>;
    template <Injection injection>
    void filterLines(const LineSources& source, const LineSources& inject) noexcept;
    template <Injection injection>
    void filterLinesAvx2(const LineSources& source, const LineSources& inject) noexcept;
    using LineOutputs = std::array<float*, kLines>;
    // Whether filterTiles() applies the matrix to each tile before storing it.
    enum class ThenMatrix { no, yes };
    template <Injection injection, ThenMatrix thenMatrix>
    void filterTiles(const LineSources& source, const LineSources& inject, const LineOutputs& to) noexcept;
    template <Injection injection>
    void filterAndMixAvx512(const LineSources& source, const LineSources& inject, const LineOutputs& out) noexcept;
    void runTankBody() noexcept;
    void runTankBaseline() noexcept;
    void runTankAvx2() noexcept;
    void feedLines(int numFrames) noexcept;
    void fitRings() noexcept;
    void resizeRing(std::size_t line, std::size_t length) noexcept;
    void diffuse(const float* left, const float* right, int numFrames) noexcept;

    Params params_;
    double sampleRate_ = 48000.0;
    bool prepared_ = false;
    // The vector code in use (setVectorWidth()): AVX-512VL runs the tank's filters and matrix
    // in one pass (filterAndMixAvx512()), everything else as AVX2 does.
    enum class Code { baseline, avx2, avx512vl };
    static Code codeFor(VectorWidth width) noexcept;
    Code code_ = codeFor(VectorWidth::widest);
    bool avx2_ = code_ != Code::baseline;  // AVX2 or wider

    // Smoothed controls. Lengths, decay and damping advance per grid step; mix and width per frame.
    std::array<SmoothedValue, kLines> length_;
    SmoothedValue decay_, damping_, mix_, width_;
    GlidingDelay predelay_;
    bool inputRemembered_ = false;  // process() has passed its whole block to predelay_.remember()

    // Per grid step: each line's length at the step's start and its change per frame.
    std::array<double, kLines> lengthStart_{};
    std::array<double, kLines> lengthStep_{};
    bool gliding_ = false;
    bool lengthsSteady_ = false;  // no length moves: startGridStep() keeps lengthStart_ and lengthStep_
    int gridPos_ = 0;  // frames into the current grid step
    bool absorptionDirty_ = true;

    // The network.
    // The lines' rings, one region per line in lines_ (at lineBase_, lineCapacity_ floats: its
    // length at size 1 plus slack). Each ring is only as long as its line's delay needs now
    // (ringLength_, plus a few frames; see fitRings()), so the slot a frame is written into is
    // the one the network read a grid step before: still in L1, where a ring of the largest
    // size would write to memory not touched for thousands of frames.
    std::vector<float> lines_;
    std::array<std::size_t, kLines> lineBase_{}, lineCapacity_{}, ringLength_{}, writePos_{};
    bool ringsAtCapacityRequested_ = false;  // keepRingsAtCapacity(), applied by reset()
    bool ringsAtCapacity_ = false;
    bool ringsFit_ = false;                   // every ring fits its steady line (fitRings() has nothing to do)
    std::vector<float> ringScratch_;          // resizeRing()'s copy of a ring's history (prepare() sizes it)
    std::array<float, kLines> inputScale_{};  // g_i·(1 − p_i)/4: absorption gain with the matrix's 1/4
    std::array<float, kLines> pole_{};        // p_i
    std::array<float, kLines> state_{};       // the one-pole filters' outputs
    // The input diffusers' delay lines, one region each in diffusion_ (32-byte aligned where
    // they are written). Not rings: a region is its delay plus diffusionWindow_ frames, written
    // forward from diffusePos_ until a chunk would pass its end, and then the last `delay`
    // frames move to its start (see diffuse()). So a chunk's reads and writes are contiguous in
    // every one of the twelve, which lets both sides run in one pass with no split at a wrap.
    std::vector<float> diffusion_;
    std::array<Allpass, 2 * kDiffusersPerSide> diffusers_;
    std::size_t diffusionWindow_ = 0;  // frames, a multiple of kGrid
    std::size_t diffusionWindowRequested_ = 0;  // widenDiffusionWindow()
    std::size_t diffusePos_ = 0;       // frames into the window
    // The input injected into the lines, kInjectGain · the diffused input, one ring per side:
    // the lines' rings hold the matrix output alone and a line's read adds its side's
    // injection from the same frame (see runTankBody()). A ring of injectionLength_ frames (the
    // longest line at size 1 + 1, in whole grid steps) per side at injectionBase_, each grid
    // step written from injectionStep_ (chunk by chunk), and its first grid step written again
    // after its end, so a step's read of any line is contiguous.
    std::vector<float> injection_;
    std::array<std::size_t, 2> injectionBase_{};
    std::size_t injectionLength_ = 0;  // frames, a multiple of kGrid
    std::size_t injectionStep_ = 0;    // where the current grid step's first frame is

    // The network's output for the current grid step (runTank()): the matrix output per line
    // goes straight into the rings (block_ holds the reads, the filters' output, the first
    // matrix pass, and the rows of the last pass whose ring would wrap); tapAt_ says where the
    // two rows the wet takes are (offsets, not pointers, so a copied reverb stays whole).
    // Kept here so process() never allocates.
    alignas(32) std::array<std::array<float, kGrid>, kLines> block_{};
    static constexpr std::size_t kTapInBlock = ~std::size_t{0};
    std::array<std::size_t, 2> tapAt_{};  // per tapped row: its frames' offset in lines_, or kTapInBlock
    // Scratch for one chunk (≤ kGrid frames), 32-byte aligned so no AVX load or store of
    // eight frames straddles two cache lines.
    alignas(32) std::array<std::array<float, kGrid>, 2> input_{};  // the predelayed, then diffused input
    alignas(32) std::array<std::array<float, kGrid>, 2> wet_{};
};

}  // namespace reel::dsp
