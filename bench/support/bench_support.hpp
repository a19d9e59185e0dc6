#pragma once
// Helpers shared by the micro benchmarks: deterministic test audio, scratch folders, and
// the counters every benchmark reports.
//
// Every benchmark reports frames processed (Google Benchmark's items/s) and a realtime
// factor: seconds of audio per second of time, so 100x means an hour of audio in 36 s.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>
#include <unistd.h>

#include "core/audio_buffer.hpp"

namespace reel::bench {

/// Deterministic white noise in [-amplitude, amplitude], different on every channel.
inline AudioBuffer noise(int channels, std::int64_t numFrames, float amplitude = 0.5f, unsigned seed = 1) {
    AudioBuffer buffer(channels, numFrames);
    std::mt19937 generator(seed);
    std::uniform_real_distribution<float> uniform(-amplitude, amplitude);
    for (int c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < numFrames; ++i) buffer.channel(c)[i] = uniform(generator);
    return buffer;
}

/// Sets items processed (frames) and the realtime factor from `framesPerIteration`.
/// The realtime rate is taken over the timer the benchmark uses (CPU time, or wall-clock
/// time for benchmarks marked UseRealTime(), such as multi-threaded ones).
inline void reportFrames(benchmark::State& state, std::int64_t framesPerIteration, double sampleRate) {
    const std::int64_t frames = static_cast<std::int64_t>(state.iterations()) * framesPerIteration;
    state.SetItemsProcessed(frames);
    state.counters["realtime"] =
        benchmark::Counter(static_cast<double>(frames) / sampleRate, benchmark::Counter::kIsRate);
}

/// A fresh folder under the system temp folder, removed when the object goes away.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() / ("reel-bench-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace reel::bench
