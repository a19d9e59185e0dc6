#pragma once
// Measurements the io tests make on decoded audio, and a writer of exact integer files.

#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"

namespace reel::test {

/// RMS of samples [begin, end) of one channel.
inline double rms(const float* x, std::int64_t begin, std::int64_t end) {
    double sum = 0.0;
    for (std::int64_t i = begin; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
    return std::sqrt(sum / static_cast<double>(end - begin));
}

/// Frequency of a sine from its rising zero crossings in [begin, end), each located by
/// linear interpolation between the samples either side: (crossings − 1) periods between the
/// first and the last crossing.
inline double zeroCrossingFrequency(const float* x, std::int64_t begin, std::int64_t end, double sampleRate) {
    double first = -1.0;
    double last = -1.0;
    int count = 0;
    for (std::int64_t i = begin + 1; i < end; ++i) {
        if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
            const double t = static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]);
            if (count == 0) first = t;
            last = t;
            ++count;
        }
    }
    if (count < 2) return 0.0;
    return sampleRate * (count - 1) / (last - first);
}

/// Writes integer samples exactly (no float scaling by libsndfile): `samples` are interleaved
/// values of `bits` bits, stored left-aligned through sf_writef_int.
inline void writeIntFile(const std::filesystem::path& path, const std::vector<std::int32_t>& samples, int channels,
                         int sampleRate, int bits, int sndfileFormat) {
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = sndfileFormat;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) throw std::runtime_error("cannot write " + path.string() + ": " + sf_strerror(nullptr));
    std::vector<int> aligned(samples.size());
    for (std::size_t i = 0; i < samples.size(); ++i)
        aligned[i] = static_cast<int>(static_cast<std::uint32_t>(samples[i]) << (32 - bits));
    sf_writef_int(f, aligned.data(), static_cast<sf_count_t>(samples.size() / static_cast<std::size_t>(channels)));
    sf_close(f);
}

/// Reads a whole file through a callable `read(AudioView) -> Result<int64>` in blocks of
/// `blockFrames`, into a buffer of `capacity` frames; returns the frames read.
template <class Reader>
std::int64_t readAll(Reader& reader, AudioBuffer& into, std::int64_t blockFrames) {
    std::int64_t total = 0;
    for (;;) {
        const std::int64_t ask = std::min(blockFrames, into.numFrames() - total);
        if (ask <= 0) break;
        auto got = reader.read(into.view().slice(total, ask));
        if (!got) throw std::runtime_error(got.error().message);
        if (*got == 0) break;
        total += *got;
    }
    return total;
}

}  // namespace reel::test
