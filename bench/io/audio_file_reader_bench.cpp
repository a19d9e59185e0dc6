// AudioFileReader::read: decoding WAV (libsndfile) into planar float, the first stage of
// every render. Args: block size in frames, bits (16, 24, 32 = float); a 10 s stereo file
// at 48 kHz, read from the page cache. Opening the file is not timed.

#include <string>

#include "io/audio_file_reader.hpp"
#include "io/audio_file_writer.hpp"
#include "support/bench_support.hpp"

namespace {

using namespace reel;

constexpr double kRate = 48000.0;
constexpr std::int64_t kFileFrames = 10 * 48000;

const bench::ScratchDir& scratch() {
    static const bench::ScratchDir dir("reader");
    return dir;
}

/// Writes the test file for a bit depth once; returns its path, or an error message.
Result<std::filesystem::path> testFile(int bits) {
    const auto path = scratch().path() / ("noise-" + std::to_string(bits) + ".wav");
    if (std::filesystem::exists(path)) return path;
    auto format = io::sampleFormatFromBits(bits, io::FileType::wav);
    if (!format) return std::unexpected(format.error());
    auto writer = io::AudioFileWriter::create(
        path, {.type = io::FileType::wav, .format = *format, .sampleRate = SampleRate{kRate}, .channels = 2});
    if (!writer) return std::unexpected(writer.error());
    AudioBuffer audio = bench::noise(2, kFileFrames, 0.25f);
    if (auto written = writer->write(audio.view()); !written) return std::unexpected(written.error());
    if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
    return path;
}

void BM_ReadWav(benchmark::State& state) {
    const std::int64_t blockFrames = state.range(0);
    auto path = testFile(static_cast<int>(state.range(1)));
    if (!path) {
        state.SkipWithError(path.error().message.c_str());
        return;
    }
    AudioBuffer block(2, blockFrames);
    std::int64_t frames = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto reader = io::AudioFileReader::open(*path);
        if (!reader) {
            state.SkipWithError(reader.error().message.c_str());
            return;
        }
        state.ResumeTiming();
        frames = 0;
        for (;;) {
            auto read = reader->read(block.view());
            if (!read) {
                state.SkipWithError(read.error().message.c_str());
                return;
            }
            if (*read == 0) break;
            frames += *read;
        }
        benchmark::DoNotOptimize(block.channel(0)[0]);
    }
    bench::reportFrames(state, frames, kRate);
}
BENCHMARK(BM_ReadWav)->ArgNames({"block", "bits"})->ArgsProduct({{256, 4096}, {16, 24, 32}})->Unit(benchmark::kMillisecond);

}  // namespace
