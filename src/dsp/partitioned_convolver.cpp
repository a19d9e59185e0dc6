#include "dsp/partitioned_convolver.hpp"

#include <fftw3.h>

#include <algorithm>
#include <bit>

#include "dsp/fftw_planner.hpp"

namespace reel::dsp {
namespace {

struct FftwFree {
    void operator()(float* p) const noexcept { fftwf_free(p); }
};
using FftwFloats = std::unique_ptr<float[], FftwFree>;

struct PlanDestroy {
    void operator()(fftwf_plan plan) const noexcept {
        std::lock_guard lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
    }
};
using Plan = std::unique_ptr<std::remove_pointer_t<fftwf_plan>, PlanDestroy>;

FftwFloats allocate(std::size_t count) {
    FftwFloats p(fftwf_alloc_real(count));
    if (p) std::fill_n(p.get(), count, 0.0f);
    return p;
}

/// Splits FFTW's interleaved complex into real and imaginary arrays (the multiply-accumulate
/// vectorizes on split data).
void deinterleave(const float* __restrict complex, std::size_t bins, float* __restrict re, float* __restrict im) {
    for (std::size_t k = 0; k < bins; ++k) {
        re[k] = complex[2 * k];
        im[k] = complex[2 * k + 1];
    }
}

}  // namespace

/// One level: partitions of `size` frames covering taps [size, size·(1 + partitions)).
struct PartitionedConvolver::Level {
    std::size_t size = 0;        // P; the FFT is 2P long
    std::size_t partitions = 0;  // n
    std::size_t bins = 0;        // P + 1
    FftwFloats time;             // 2P: the input window (forward) and the result (inverse)
    FftwFloats spectrum;         // 2(P + 1): interleaved complex, the forward result and the inverse's input
    std::vector<float> re, im;   // P + 1: the accumulated product, split
    Plan forward, inverse;
    std::vector<float> irRe, irIm;    // n × bins: the IR's partition spectra, scaled by 1/(2P)
    std::vector<float> fdlRe, fdlIm;  // n × bins: the last n input spectra
    std::size_t newest = 0;           // the FDL slot holding the newest spectrum
};

PartitionedConvolver::PartitionedConvolver() = default;
PartitionedConvolver::~PartitionedConvolver() = default;
PartitionedConvolver::PartitionedConvolver(PartitionedConvolver&&) noexcept = default;
PartitionedConvolver& PartitionedConvolver::operator=(PartitionedConvolver&&) noexcept = default;

Result<void> PartitionedConvolver::prepare(std::span<const float> impulseResponse) {
    length_ = static_cast<std::int64_t>(impulseResponse.size());
    const std::int64_t headTaps = std::min(length_, kHeadLength);
    headReversed_.assign(static_cast<std::size_t>(headTaps), 0.0f);
    for (std::int64_t k = 0; k < headTaps; ++k)
        headReversed_[static_cast<std::size_t>(k)] = impulseResponse[static_cast<std::size_t>(headTaps - 1 - k)];

    levels_.clear();
    std::size_t largest = static_cast<std::size_t>(kHeadLength);
    for (std::int64_t offset = kHeadLength, size = kHeadLength; offset < length_;) {
        const std::int64_t needed = (length_ - offset + size - 1) / size;
        const std::int64_t count = size < kMaxPartition ? std::min(needed, kLevelGrowth - 1) : needed;
        Level level;
        level.size = static_cast<std::size_t>(size);
        level.partitions = static_cast<std::size_t>(count);
        level.bins = level.size + 1;
        level.time = allocate(2 * level.size);
        level.spectrum = allocate(2 * level.bins);
        if (!level.time || !level.spectrum)
            return fail(ErrorCode::internal, "convolution: out of memory for FFT buffers");
        level.re.assign(level.bins, 0.0f);
        level.im.assign(level.bins, 0.0f);
        {
            std::lock_guard lock(fftwPlannerMutex());
            auto* complex = reinterpret_cast<fftwf_complex*>(level.spectrum.get());
            const int n = static_cast<int>(2 * level.size);
            level.forward.reset(fftwf_plan_dft_r2c_1d(n, level.time.get(), complex, FFTW_ESTIMATE));
            level.inverse.reset(fftwf_plan_dft_c2r_1d(n, complex, level.time.get(), FFTW_ESTIMATE));
        }
        if (!level.forward || !level.inverse)
            return fail(ErrorCode::internal, "convolution: FFTW could not plan an FFT");
        const std::size_t spectrum = level.partitions * level.bins;
        level.irRe.assign(spectrum, 0.0f);
        level.irIm.assign(spectrum, 0.0f);
        level.fdlRe.assign(spectrum, 0.0f);
        level.fdlIm.assign(spectrum, 0.0f);
        // Partition j holds taps [offset + j·P, offset + (j+1)·P), zero-padded to 2P; the
        // 1/(2P) of FFTW's unnormalized inverse is folded in here.
        const float scale = 1.0f / static_cast<float>(2 * level.size);
        for (std::size_t j = 0; j < level.partitions; ++j) {
            std::fill_n(level.time.get(), 2 * level.size, 0.0f);
            const std::int64_t first = offset + static_cast<std::int64_t>(j * level.size);
            const std::int64_t last = std::min(length_, first + size);
            for (std::int64_t t = first; t < last; ++t)
                level.time[static_cast<std::size_t>(t - first)] = impulseResponse[static_cast<std::size_t>(t)] * scale;
            fftwf_execute(level.forward.get());
            deinterleave(level.spectrum.get(), level.bins, level.irRe.data() + j * level.bins,
                         level.irIm.data() + j * level.bins);
        }
        largest = std::max(largest, level.size);
        offset += count * size;
        levels_.push_back(std::move(level));
        if (size < kMaxPartition) size *= kLevelGrowth;
    }

    inputSize_ = std::bit_ceil(2 * largest);
    inputMask_ = inputSize_ - 1;
    input_.assign(2 * inputSize_, 0.0f);
    output_.assign(std::bit_ceil(2 * largest), 0.0f);
    outputMask_ = output_.size() - 1;
    reset();
    return {};
}

void PartitionedConvolver::reset() noexcept {
    std::fill(input_.begin(), input_.end(), 0.0f);
    std::fill(output_.begin(), output_.end(), 0.0f);
    for (Level& level : levels_) {
        std::fill(level.fdlRe.begin(), level.fdlRe.end(), 0.0f);
        std::fill(level.fdlIm.begin(), level.fdlIm.end(), 0.0f);
        level.newest = 0;
    }
    now_ = 0;
}

void PartitionedConvolver::trigger(Level& level) noexcept {
    const std::size_t p = level.size, bins = level.bins;
    // The input window [now − 2P, now): overlap-save with the previous block.
    const std::size_t start = (static_cast<std::size_t>(now_) - 2 * p) & inputMask_;
    std::copy_n(input_.data() + start, 2 * p, level.time.get());
    fftwf_execute(level.forward.get());
    level.newest = (level.newest + 1) % level.partitions;
    deinterleave(level.spectrum.get(), bins, level.fdlRe.data() + level.newest * bins,
                 level.fdlIm.data() + level.newest * bins);

    // Y = Σ_j X[newest − j] · H_j, split complex, a run of bins at a time so the
    // accumulator stays in the L1 cache while the partitions stream past.
    float* __restrict accRe = level.re.data();
    float* __restrict accIm = level.im.data();
    std::fill_n(accRe, bins, 0.0f);
    std::fill_n(accIm, bins, 0.0f);
    constexpr std::size_t kRun = 512;
    for (std::size_t from = 0; from < bins; from += kRun) {
        const std::size_t to = std::min(bins, from + kRun);
        for (std::size_t j = 0; j < level.partitions; ++j) {
            const std::size_t slot = (level.newest + level.partitions - j) % level.partitions;
            const float* __restrict xr = level.fdlRe.data() + slot * bins;
            const float* __restrict xi = level.fdlIm.data() + slot * bins;
            const float* __restrict hr = level.irRe.data() + j * bins;
            const float* __restrict hi = level.irIm.data() + j * bins;
            for (std::size_t k = from; k < to; ++k) {
                accRe[k] += xr[k] * hr[k] - xi[k] * hi[k];
                accIm[k] += xr[k] * hi[k] + xi[k] * hr[k];
            }
        }
    }
    float* __restrict spectrum = level.spectrum.get();
    for (std::size_t k = 0; k < bins; ++k) {
        spectrum[2 * k] = accRe[k];
        spectrum[2 * k + 1] = accIm[k];
    }
    fftwf_execute(level.inverse.get());
    // The last P samples are the valid (non-wrapped) ones; they are outputs [now, now + P).
    const float* __restrict y = level.time.get() + p;
    float* __restrict out = output_.data() + (static_cast<std::size_t>(now_) & outputMask_);
    for (std::size_t k = 0; k < p; ++k) out[k] += y[k];
}

void PartitionedConvolver::process(const float* in, float* out, std::int64_t numFrames) noexcept {
    const auto taps = static_cast<std::size_t>(headReversed_.size());
    for (std::int64_t done = 0; done < numFrames;) {
        // Segments end where the smallest level's blocks do, so FFTs run between segments.
        const std::int64_t segment = std::min(numFrames - done, kHeadLength - now_ % kHeadLength);
        const auto n = static_cast<std::size_t>(segment);
        const auto t0 = static_cast<std::size_t>(now_);
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t at = (t0 + k) & inputMask_;
            input_[at] = input_[at + inputSize_] = in[done + static_cast<std::int64_t>(k)];
        }
        // The head: y[t0 + n] = Σ_k hrev[k]·x[t0 + n − (taps − 1) + k], vectorized over n.
        alignas(16) float acc[kHeadLength];
        std::fill_n(acc, n, 0.0f);
        if (taps > 0) {
            const float* x = input_.data() + ((t0 - (taps - 1)) & inputMask_);
            for (std::size_t k = 0; k < taps; ++k) {
                const float h = headReversed_[k];
                const float* __restrict xs = x + k;
                for (std::size_t j = 0; j < n; ++j) acc[j] += h * xs[j];
            }
        }
        float* o = out + done;
        float* pending = output_.data() + (t0 & outputMask_);  // a segment never wraps: it ends at a multiple of 64
        for (std::size_t j = 0; j < n; ++j) {
            o[j] = acc[j] + pending[j];
            pending[j] = 0.0f;
        }
        now_ += segment;
        done += segment;
        for (Level& level : levels_)
            if (now_ % static_cast<std::int64_t>(level.size) == 0) trigger(level);
    }
}

}  // namespace reel::dsp
