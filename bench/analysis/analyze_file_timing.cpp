// Times reel's whole-file analysis against libebur128 on the same file, in one run.
//
//   analyze_file_timing FILE [REPEATS]
//
// For each of REPEATS rounds (default 3) it times:
//   reel        analysis::analyzeFile (decode + loudness + LRA + true peak + levels)
//   decode      io::AudioFileReader alone (the floor every analyzer pays)
//   ebur128     decode + libebur128 I + LRA (EBUR128_MODE_I | EBUR128_MODE_LRA)
//   ebur128+tp  decode + libebur128 I + LRA + true peak
// and prints the best time of each and reel's speed-up. Compare with FFmpeg in the same run
// with compare_with_peers.sh beside this file.

#include <ebur128.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "analysis/analysis_report.hpp"
#include "analysis/file_analysis.hpp"
#include "io/audio_file_reader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds(const std::function<void()>& work) {
    const auto start = Clock::now();
    work();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Decodes the whole file, handing each block to `consume`; false on a read error.
bool decode(const char* path, const std::function<void(reel::AudioView)>& consume) {
    auto reader = reel::io::AudioFileReader::open(path);
    if (!reader) return false;
    reel::AudioBuffer block(reader->info().channels, 65536);
    for (;;) {
        auto got = reader->read(block.view());
        if (!got) return false;
        if (*got == 0) return true;
        consume(block.view(*got));
    }
}

double libebur128(const char* path, int mode, double* integrated) {
    auto probe = reel::io::probeAudioFile(path);
    if (!probe) return -1.0;
    const int channels = probe->channels;
    ebur128_state* st = ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(probe->sampleRate.value), mode);
    std::vector<float> interleaved;
    const double t = seconds([&] {
        decode(path, [&](reel::AudioView v) {
            interleaved.resize(static_cast<std::size_t>(v.numFrames() * channels));
            for (std::int64_t i = 0; i < v.numFrames(); ++i)
                for (int c = 0; c < channels; ++c)
                    interleaved[static_cast<std::size_t>(i * channels + c)] = v.channel(c)[i];
            ebur128_add_frames_float(st, interleaved.data(), static_cast<std::size_t>(v.numFrames()));
        });
        ebur128_loudness_global(st, integrated);
        double range = 0.0;
        ebur128_loudness_range(st, &range);
    });
    ebur128_destroy(&st);
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [REPEATS]\n", argv[0]);
        return 2;
    }
    const char* path = argv[1];
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    reel::analysis::FileAnalysis analysis;
    double integrated = 0.0;
    for (int r = 0; r < repeats; ++r) {
        bool ok = true;
        best[0] = std::min(best[0], seconds([&] {
            auto result = reel::analysis::analyzeFile(path);
            ok = result.has_value();
            if (ok) analysis = *result;
        }));
        if (!ok) {
            std::fprintf(stderr, "%s: cannot analyze\n", path);
            return 1;
        }
        best[1] = std::min(best[1], seconds([&] { decode(path, [](reel::AudioView) {}); }));
        best[2] = std::min(best[2], libebur128(path, EBUR128_MODE_I | EBUR128_MODE_LRA, &integrated));
        best[3] = std::min(best[3], libebur128(path, EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK, &integrated));
    }
    std::printf("%s", reel::analysis::toText(analysis).c_str());
    std::printf("libebur128 integrated   %.2f LUFS\n\n", integrated);
    std::printf("best of %d runs:\n", repeats);
    std::printf("  reel analyze (all)    %.3f s\n", best[0]);
    std::printf("  decode only           %.3f s\n", best[1]);
    std::printf("  libebur128 I+LRA      %.3f s\n", best[2]);
    std::printf("  libebur128 I+LRA+TP   %.3f s   (%.2fx reel's time)\n", best[3], best[3] / best[0]);
    return 0;
}
