#pragma once
// The one lock around FFTW's planner.
//
// FFTW's planner (fftwf_plan_*, fftwf_destroy_plan) is not thread-safe; executing a plan is
// (FFTW manual, "Thread safety"). Every Reel component that makes or destroys an FFTW plan
// holds this mutex while it does, off the audio thread; fftwf_execute needs no lock.

#include <mutex>

namespace reel::dsp {

/// The process-wide mutex that serializes FFTW plan creation and destruction.
std::mutex& fftwPlannerMutex() noexcept;

}  // namespace reel::dsp
