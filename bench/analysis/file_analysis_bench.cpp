// analyzeFile (decode + loudness + LRA + true peak + levels, two threads) against libebur128
// doing the same file with the same decoder, in one run: a 60 s 44.1 kHz stereo 16-bit WAV of
// noise with a slow swell, read from the page cache. The whole-program comparison with FFmpeg
// is bench/analyze-vs-ffmpeg.sh.
//   BM_AnalyzeFile              reel's analysis, everything `reel analyze` reports
//   BM_DecodeOnly               io::AudioFileReader alone: the floor every analyzer pays
//   BM_Libebur128/truePeak:0|1  decode + libebur128 I + LRA (+ true peak)

#include <ebur128.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "analysis/file_analysis.hpp"
#include "io/audio_file_reader.hpp"
#include "io/audio_file_writer.hpp"
#include "support/bench_support.hpp"

namespace {

using namespace reel;

constexpr double kRate = 44100.0;
constexpr std::int64_t kFileFrames = 60 * 44100;

const bench::ScratchDir& scratch() {
    static const bench::ScratchDir dir("file-analysis");
    return dir;
}

// Writes the test file once; returns its path, or the error.
Result<std::filesystem::path> testFile() {
    const auto path = scratch().path() / "swell.wav";
    if (std::filesystem::exists(path)) return path;
    auto writer = io::AudioFileWriter::create(path, {.type = io::FileType::wav, .format = io::SampleFormat::pcm16,
                                                     .sampleRate = SampleRate{kRate}, .channels = 2});
    if (!writer) return std::unexpected(writer.error());
    AudioBuffer audio = bench::noise(2, kFileFrames, 0.4f);
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = 0; i < kFileFrames; ++i)
            audio.channel(c)[i] *= static_cast<float>(0.55 + 0.45 * std::sin(2.0 * std::numbers::pi * static_cast<double>(i) / (7.0 * kRate)));
    if (auto written = writer->write(audio.view()); !written) return std::unexpected(written.error());
    if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
    return path;
}

// Decodes the file in 64 k-frame blocks, handing each to `consume`.
template <class Consume>
Result<void> decode(const std::filesystem::path& path, Consume&& consume) {
    auto reader = io::AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());
    AudioBuffer block(reader->info().channels, 65536);
    for (;;) {
        auto got = reader->read(block.view());
        if (!got) return std::unexpected(got.error());
        if (*got == 0) return {};
        consume(block.view(*got));
    }
}

void BM_AnalyzeFile(benchmark::State& state) {
    auto path = testFile();
    if (!path) return state.SkipWithError(path.error().message.c_str());
    for (auto _ : state) {
        auto result = analysis::analyzeFile(*path);
        if (!result) return state.SkipWithError(result.error().message.c_str());
        benchmark::DoNotOptimize(result->integratedLufs);
    }
    bench::reportFrames(state, kFileFrames, kRate);
}
BENCHMARK(BM_AnalyzeFile)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeOnly(benchmark::State& state) {
    auto path = testFile();
    if (!path) return state.SkipWithError(path.error().message.c_str());
    for (auto _ : state) {
        if (auto ok = decode(*path, [](AudioView v) { benchmark::DoNotOptimize(v.channel(0)[0]); }); !ok)
            return state.SkipWithError(ok.error().message.c_str());
    }
    bench::reportFrames(state, kFileFrames, kRate);
}
BENCHMARK(BM_DecodeOnly)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Libebur128(benchmark::State& state) {
    auto path = testFile();
    if (!path) return state.SkipWithError(path.error().message.c_str());
    const int mode = EBUR128_MODE_I | EBUR128_MODE_LRA | (state.range(0) ? EBUR128_MODE_TRUE_PEAK : 0);
    std::vector<float> interleaved;
    for (auto _ : state) {
        ebur128_state* st = ebur128_init(2, static_cast<unsigned long>(kRate), mode);
        auto ok = decode(*path, [&](AudioView v) {
            interleaved.resize(static_cast<std::size_t>(v.numFrames() * 2));
            for (std::int64_t i = 0; i < v.numFrames(); ++i)
                for (int c = 0; c < 2; ++c) interleaved[static_cast<std::size_t>(i * 2 + c)] = v.channel(c)[i];
            ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(v.numFrames()));
        });
        double integrated = 0.0, range = 0.0;
        ebur128_loudness_global(st, &integrated);
        ebur128_loudness_range(st, &range);
        benchmark::DoNotOptimize(integrated + range);
        ebur128_destroy(&st);
        if (!ok) return state.SkipWithError(ok.error().message.c_str());
    }
    bench::reportFrames(state, kFileFrames, kRate);
}
BENCHMARK(BM_Libebur128)->ArgName("truePeak")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
