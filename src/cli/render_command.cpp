// `reel render SONG.yaml -o mix.wav`: mixes a session into a stereo file.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/command.hpp"
#include "cli/progress_bar.hpp"
#include "compose/built_in_instruments.hpp"
#include "core/json_writer.hpp"
#include "engine/render_to_file.hpp"
#include "io/audio_file_writer.hpp"
#include "session/session_loader.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel render SONG.yaml -o OUTPUT [--bits 16|24|32] [--threads N] [--json] [--quiet]\n\n"
    "Mixes a session (clips, gains, fades, pan, volume, chains, sends, buses, master) into a\n"
    "stereo file at the session's sample rate. The output type follows its extension (.wav or\n"
    ".flac). The file appears only when the whole render succeeded; sources are never modified.\n\n"
    "Options:\n"
    "  -o, --output FILE   where to write the mix (.wav or .flac)\n"
    "  --bits N            16 or 24 (integer PCM with TPDF dither), 32 (float WAV). Default 24\n"
    "  --threads N         threads to render tracks on (default: all cores). The result is\n"
    "                      bit-identical for any thread count\n"
    "  --json              print a JSON summary on stdout\n"
    "  -q, --quiet         no progress bar\n\n"
    "Examples:\n"
    "  reel render song/session.yaml -o mix.wav\n"
    "  reel render song/session.yaml -o mix.flac --bits 16\n"
    "  reel render song/session.yaml -o mix.wav --bits 32 --json\n";

/// Refuses an output that would overwrite the session or one of its sources.
Result<void> checkOutputIsNotASource(const session::Session& song, const std::filesystem::path& output) {
    std::error_code ec;
    if (!std::filesystem::exists(output, ec)) return {};
    auto same = [&](const std::filesystem::path& p) { return std::filesystem::equivalent(p, output, ec); };
    if (same(song.file))
        return fail(ErrorCode::invalidArgument, fmt::format("{}: output would overwrite the session file", output.string()));
    for (const auto& track : song.tracks)
        for (const auto& clip : track.clips)
            if (same(clip.file))
                return fail(ErrorCode::invalidArgument,
                            fmt::format("{}: output would overwrite a source of track \"{}\"; sources are never modified",
                                        output.string(), track.name));
    return {};
}

ExitStatus runRender(const Arguments& args, const OutputMode& mode) {
    const std::string name = "render";
    if (args.positionals().size() != 1)
        return report(name, {ErrorCode::invalidArgument, "expected one session file (SONG.yaml)"}, mode, ExitStatus::usage);
    auto output = args.value("output");
    if (!output) return report(name, {ErrorCode::invalidArgument, "missing -o OUTPUT (a .wav or .flac file)"}, mode, ExitStatus::usage);
    auto bits = args.integer("bits", 16, 32);
    if (!bits) return report(name, bits.error(), mode, ExitStatus::usage);
    auto threads = args.integer("threads", 1, 256);
    if (!threads) return report(name, threads.error(), mode, ExitStatus::usage);
    auto type = io::fileTypeFromPath(*output);
    if (!type) return report(name, type.error(), mode, ExitStatus::usage);
    if (auto format = io::sampleFormatFromBits(bits->value_or(24), *type); !format)
        return report(name, format.error(), mode, ExitStatus::usage);

    auto song = session::openSession(args.positionals()[0]);
    if (!song) return report(name, song.error(), mode, ExitStatus::failed);
    if (auto safe = checkOutputIsNotASource(*song, *output); !safe) return report(name, safe.error(), mode, ExitStatus::usage);

    ProgressBar progress("rendering", ProgressBar::displayFor(mode.quiet));
    engine::RenderFileOptions options;
    options.output = *output;
    options.bits = *bits;
    options.render.threads = threads->value_or(0);
    options.render.instruments = &compose::builtInInstruments();
    options.progress = [&](double f) { progress.update(f); };
    const auto started = std::chrono::steady_clock::now();
    auto summary = engine::renderToFile(*song, engine::ProcessorFactory::builtIn(), options);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    progress.update(1.0);
    if (!summary) return report(name, summary.error(), mode, ExitStatus::failed);

    const double seconds = toSeconds(summary->frames, summary->sampleRate).value;
    const double realtime = elapsed > 0 ? seconds / elapsed : 0.0;
    if (mode.json) {
        JsonWriter json;
        json.beginObject();
        json.key("output").value(*output);
        json.key("duration_s").value(seconds, 3);
        json.key("frames").value(summary->frames.value);
        json.key("sample_rate").value(static_cast<std::int64_t>(summary->sampleRate.value));
        json.key("channels").value(2);
        json.key("bits").value(summary->bits);
        json.key("dither").value(summary->dithered ? "tpdf" : "none");
        json.key("peak_dbfs").value(summary->peakDbfs, 2);
        json.key("clipped_samples").value(summary->clippedSamples);
        json.key("latency_frames").value(summary->latencyFrames);
        json.key("processor_faults").beginArray();
        for (const auto& fault : summary->faults) json.value(fault);
        json.endArray();
        json.key("elapsed_s").value(elapsed, 3);
        json.key("realtime_factor").value(realtime, 1);
        json.endObject();
        printLine(json.str());
    } else if (!mode.quiet) {
        printLine(fmt::format("rendered {} -> {}: {:.2f} s, {} Hz, {}{}, peak {:.2f} dBFS, in {:.2f} s ({:.0f}x realtime)",
                              args.positionals()[0], *output, seconds, summary->sampleRate.value, summary->bits,
                              summary->bits == 32 ? "-bit float" : "-bit (TPDF dither)", summary->peakDbfs, elapsed, realtime));
    }
    for (const auto& fault : summary->faults) std::fputs(fmt::format("reel render: warning: {}\n", fault).c_str(), stderr);
    if (summary->clippedSamples > 0)
        std::fputs(fmt::format("reel render: warning: {} samples were above full scale and clipped; lower the master "
                               "volume by at least {:.1f} dB or write --bits 32\n",
                               summary->clippedSamples, summary->peakDbfs)
                       .c_str(),
                   stderr);
    return ExitStatus::ok;
}

}  // namespace

Command renderCommand() {
    return {"render", "mix a session into a stereo WAV or FLAC file", kHelp,
            {{"output", 'o', true}, {"bits", 0, true}, {"threads", 0, true}}, runRender};
}

}  // namespace reel::cli
