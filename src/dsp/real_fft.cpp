#include "dsp/real_fft.hpp"

#include <fftw3.h>

#include <mutex>

#include "dsp/fftw_planner.hpp"

namespace reel::dsp {

// std::complex<float> and fftwf_complex (float[2]) share their layout (FFTW manual, "Complex
// numbers"; C++ [complex.numbers]), so FFTW writes straight into output_.
RealFft::RealFft(int size) : size_(size) {
    const auto n = static_cast<std::size_t>(size);
    input_ = fftwf_alloc_real(n);
    output_ = reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(n / 2 + 1));
    std::lock_guard lock(fftwPlannerMutex());
    plan_ = fftwf_plan_dft_r2c_1d(size, input_, reinterpret_cast<fftwf_complex*>(output_), FFTW_ESTIMATE);
}

RealFft::~RealFft() {
    {
        std::lock_guard lock(fftwPlannerMutex());
        if (plan_) fftwf_destroy_plan(static_cast<fftwf_plan>(plan_));
    }
    fftwf_free(input_);
    fftwf_free(output_);
}

void RealFft::forward() noexcept {
    fftwf_execute_dft_r2c(static_cast<fftwf_plan>(plan_), input_, reinterpret_cast<fftwf_complex*>(output_));
}

}  // namespace reel::dsp
