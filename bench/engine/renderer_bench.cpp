// Renderer::renderBlock over a whole song: 16 tracks (8 mono, 8 stereo) of 10 s of 24-bit
// WAV at 48 kHz, each with volume and pan; the same kind of session the render-vs-ecasound
// comparison uses, without the file writing and dither.
// Args: block size in frames, threads, and whether the clips have clip gain and fades (1:
// every block goes through the envelope) or are plain stems at unity (0: every one is
// decoded straight into its track). Timed: decoding (from the page cache), clip gain and
// fades, the track strips, the mix. Not timed: writing the stems, building the renderer.

#include <cstdio>
#include <string>

#include "engine/processor_factory.hpp"
#include "engine/renderer.hpp"
#include "io/audio_file_writer.hpp"
#include "session/session.hpp"
#include "support/bench_support.hpp"

namespace {

using namespace reel;

constexpr double kRate = 48000.0;
constexpr int kTracks = 16;
constexpr std::int64_t kSongFrames = 10 * 48000;

/// The stems and the two sessions over them, made once for every run of the benchmark.
struct Song {
    bench::ScratchDir dir{"renderer"};
    session::Session faded;  // clip gain and fades
    session::Session plain;  // the same clips at unity, without fades
    std::string error;

    Song() {
        for (session::Session* s : {&faded, &plain}) {
            s->file = dir.path() / "session.yaml";
            s->sampleRate = SampleRate{kRate};
        }
        for (int t = 0; t < kTracks; ++t) {
            const int channels = t % 2 == 0 ? 1 : 2;
            const auto file = dir.path() / ("t" + std::to_string(t) + ".wav");
            if (!writeStem(file, channels, static_cast<unsigned>(t + 1))) return;
            session::Clip clip;
            clip.file = file;
            session::Track track;
            track.name = "t" + std::to_string(t);
            track.clips.push_back(clip);
            track.volume = Decibels{-6.0 - t % 4};
            track.pan = -0.8 + 0.1 * t;
            plain.tracks.push_back(track);
            clip.gain = Decibels{-3.0};
            clip.fadeIn.length = Seconds{0.01};
            clip.fadeOut.length = Seconds{0.04};
            track.clips = {clip};
            faded.tracks.push_back(std::move(track));
        }
    }

    bool writeStem(const std::filesystem::path& file, int channels, unsigned seed) {
        auto writer = io::AudioFileWriter::create(
            file, {.type = io::FileType::wav, .format = io::SampleFormat::pcm24, .sampleRate = SampleRate{kRate},
                   .channels = channels});
        if (!writer) return fail(writer.error().message);
        AudioBuffer audio = bench::noise(channels, kSongFrames, 0.25f, seed);
        if (auto written = writer->write(audio.view()); !written) return fail(written.error().message);
        if (auto committed = writer->commit(); !committed) return fail(committed.error().message);
        return true;
    }
    bool fail(const std::string& message) {
        error = message;
        return false;
    }
};

const Song& song() {
    static const Song instance;
    return instance;
}

void BM_RenderSong(benchmark::State& state) {
    const Song& s = song();
    if (!s.error.empty()) {
        state.SkipWithError(s.error.c_str());
        return;
    }
    const session::Session& played = state.range(2) != 0 ? s.faded : s.plain;
    const engine::ProcessorFactory factory = engine::ProcessorFactory::builtIn();
    const engine::RenderOptions options{.threads = static_cast<int>(state.range(1)),
                                        .blockSize = static_cast<int>(state.range(0))};
    AudioBuffer out(2, options.blockSize);
    std::int64_t frames = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto renderer = engine::Renderer::create(played, factory, options);
        if (!renderer) {
            state.SkipWithError(renderer.error().message.c_str());
            return;
        }
        state.ResumeTiming();
        while (!(*renderer)->finished()) {
            auto rendered = (*renderer)->renderBlock(out.view());
            if (!rendered) {
                state.SkipWithError(rendered.error().message.c_str());
                return;
            }
            benchmark::DoNotOptimize(out.channel(0)[0]);
        }
        frames = (*renderer)->length().value;
        state.PauseTiming();
        renderer->reset();  // joins the pool's threads outside the timed region
        state.ResumeTiming();
    }
    bench::reportFrames(state, frames, kRate);
}
BENCHMARK(BM_RenderSong)
    ->ArgNames({"block", "threads", "faded"})
    ->ArgsProduct({{256, 1024, 4096}, {1, 2}, {1, 0}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
