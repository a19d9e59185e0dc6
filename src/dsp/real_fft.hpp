#pragma once
// A forward real-to-complex FFT of one size, with its own aligned buffers (FFTW, single
// precision): fill input(), call forward(), read the size/2 + 1 bins of output().
//
// Why a class: the spectrum analyzers all need the same allocate / plan / destroy dance, with
// plan creation and destruction under fftwPlannerMutex() (FFTW's planner is not
// thread-safe, its execution is). forward() allocates nothing and takes no lock.

#include <complex>

namespace reel::dsp {

class RealFft {
public:
    /// Plans a transform of `size` real samples (size ≥ 2); may be slow, takes the planner lock.
    explicit RealFft(int size);
    ~RealFft();
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;

    int size() const noexcept { return size_; }
    /// size() real samples to transform.
    float* input() noexcept { return input_; }
    /// size()/2 + 1 bins, unnormalized (a sine of amplitude A over a whole window: A·N/2).
    const std::complex<float>* output() const noexcept { return output_; }
    /// Transforms input() into output(); real-time safe.
    void forward() noexcept;

private:
    int size_;
    float* input_ = nullptr;
    std::complex<float>* output_ = nullptr;
    void* plan_ = nullptr;  // fftwf_plan
};

}  // namespace reel::dsp
