#include "dsp/fftw_planner.hpp"

namespace reel::dsp {

std::mutex& fftwPlannerMutex() noexcept {
    static std::mutex mutex;
    return mutex;
}

}  // namespace reel::dsp
