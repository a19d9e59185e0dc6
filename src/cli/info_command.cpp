// `reel info FILE|SONG.yaml`: what an audio file or a session holds.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cli/command.hpp"
#include "compose/built_in_instruments.hpp"
#include "core/json_writer.hpp"
#include "engine/midi_clip_player.hpp"
#include "io/audio_file_reader.hpp"
#include "session/session_loader.hpp"

namespace reel::cli {
namespace {

const char* kHelp =
    "Usage: reel info FILE|SONG.yaml [--json]\n\n"
    "For an audio file: its format, encoding, sample rate, channels, frames and duration.\n"
    "For a session: its title, rate, tempo, meter and length, its tracks with their clips,\n"
    "its buses and master chain. A session is checked fully (every source is opened).\n\n"
    "Examples:\n"
    "  reel info mix.wav\n"
    "  reel info song/session.yaml --json\n";

std::string clock(double seconds) {
    const int minutes = static_cast<int>(seconds / 60.0);
    return fmt::format("{}:{:06.3f}", minutes, seconds - 60.0 * minutes);
}

ExitStatus describeFile(const std::string& path, const OutputMode& mode) {
    auto info = io::probeAudioFile(path);
    if (!info) return report("info", info.error(), mode, ExitStatus::failed);
    if (mode.json) {
        JsonWriter json;
        json.beginObject();
        json.key("file").value(path);
        json.key("container").value(info->container);
        json.key("encoding").value(info->encoding);
        json.key("sample_rate").value(static_cast<std::int64_t>(info->sampleRate.value));
        json.key("channels").value(info->channels);
        json.key("frames").value(info->numFrames.value);
        json.key("duration_s").value(info->duration().value, 3);
        json.endObject();
        printLine(json.str());
        return ExitStatus::ok;
    }
    printLine(fmt::format("{}: {} {}, {} Hz, {} channel{}, {} frames ({})", path, info->container, info->encoding,
                          info->sampleRate.value, info->channels, info->channels == 1 ? "" : "s", info->numFrames.value,
                          clock(info->duration().value)));
    return ExitStatus::ok;
}

/// Where a clip ends on the timeline, in seconds (its own length or the rest of its source).
Result<double> clipEnd(const session::Clip& clip, std::map<std::filesystem::path, double>& durations) {
    if (clip.length) return clip.at.value + clip.length->value;
    auto known = durations.find(clip.file);
    if (known == durations.end()) {
        auto info = io::probeAudioFile(clip.file);
        if (!info) return withContext(info.error(), clip.where.prefix());
        known = durations.emplace(clip.file, info->duration().value).first;
    }
    return clip.at.value + known->second - clip.from.value;
}

/// Where a MIDI clip's notes end on the timeline (the instrument's release comes after).
Result<double> midiClipEnd(const session::MidiClip& clip, const session::Session& song) {
    auto part = compose::builtInInstruments().readPart(clip, song);
    if (!part) return std::unexpected(part.error());
    auto timed = engine::timePart(*part, clip, song);
    if (!timed) return std::unexpected(timed.error());
    return clip.at.value + toSeconds(timed->length, song.sampleRate).value;
}

/// A clip of either kind as info lists it.
struct ClipLine {
    std::string kind;  // "audio" or "midi"
    std::filesystem::path file;
    double at = 0.0;
    double end = 0.0;
    double gainDb = 0.0;
};

std::string chainNames(const std::vector<session::ProcessorConfig>& chain) {
    std::string names;
    for (const auto& p : chain) names += (names.empty() ? "" : ", ") + p.type;
    return names.empty() ? "-" : names;
}

ExitStatus describeSession(const std::string& path, const OutputMode& mode) {
    auto song = session::openSession(path);
    if (!song) return report("info", song.error(), mode, ExitStatus::failed);
    std::map<std::filesystem::path, double> durations;
    double length = 0.0;
    std::vector<std::vector<ClipLine>> clips(song->tracks.size());
    for (std::size_t t = 0; t < song->tracks.size(); ++t) {
        for (const auto& clip : song->tracks[t].clips) {
            auto end = clipEnd(clip, durations);
            if (!end) return report("info", end.error(), mode, ExitStatus::failed);
            clips[t].push_back({"audio", clip.file, clip.at.value, *end, clip.gain.value});
        }
        for (const auto& clip : song->tracks[t].midiClips) {
            auto end = midiClipEnd(clip, *song);
            if (!end) return report("info", end.error(), mode, ExitStatus::failed);
            clips[t].push_back({"midi", clip.file, clip.at.value, *end, clip.gain.value});
        }
        for (const auto& clip : clips[t]) length = std::max(length, clip.end);
    }

    if (mode.json) {
        JsonWriter json;
        json.beginObject();
        json.key("session").value(path);
        json.key("title").value(song->title);
        json.key("sample_rate").value(static_cast<std::int64_t>(song->sampleRate.value));
        json.key("tempo_bpm").value(song->tempo, 3);
        json.key("meter").value(fmt::format("{}/{}", song->meter.beatsPerBar, song->meter.beatUnit));
        json.key("key").value(song->key);
        json.key("clips_end_s").value(length, 3);  // tails of reverbs and delays come after
        json.key("tracks").beginArray();
        for (std::size_t t = 0; t < song->tracks.size(); ++t) {
            const auto& track = song->tracks[t];
            json.beginObject().key("name").value(track.name);
            json.key("volume_db").value(track.volume.value, 2).key("pan").value(track.pan, 3);
            json.key("mute").value(track.mute).key("solo").value(track.solo);
            json.key("chain").beginArray();
            for (const auto& p : track.chain) json.value(p.type);
            json.endArray();
            if (track.instrument) json.key("instrument").value(track.instrument->type);
            json.key("clips").beginArray();
            for (const auto& clip : clips[t]) {
                json.beginObject().key("kind").value(clip.kind).key("file").value(clip.file.string());
                json.key("at_s").value(clip.at, 3).key("end_s").value(clip.end, 3);
                json.key("gain_db").value(clip.gainDb, 2).endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.key("buses").beginArray();
        for (const auto& bus : song->buses) {
            json.beginObject().key("name").value(bus.name).key("chain").beginArray();
            for (const auto& p : bus.chain) json.value(p.type);
            json.endArray().endObject();
        }
        json.endArray();
        json.endObject();
        printLine(json.str());
        return ExitStatus::ok;
    }
    printLine(fmt::format("{}: \"{}\", {} Hz, {} bpm in {}/{}{}, clips end at {}", path, song->title, song->sampleRate.value,
                          song->tempo, song->meter.beatsPerBar, song->meter.beatUnit,
                          song->key.empty() ? "" : ", key " + song->key, clock(length)));
    for (std::size_t t = 0; t < song->tracks.size(); ++t) {
        const auto& track = song->tracks[t];
        printLine(fmt::format("  track {:<16} {:+.1f} dB, pan {:+.2f}{}{}{}, chain: {}", "\"" + track.name + "\"",
                              track.volume.value, track.pan, track.mute ? ", muted" : "", track.solo ? ", solo" : "",
                              track.instrument ? ", instrument: " + track.instrument->type : "", chainNames(track.chain)));
        for (const auto& clip : clips[t])
            printLine(fmt::format("    {} .. {}  {}{}", clock(clip.at), clock(clip.end), clip.kind == "midi" ? "midi " : "",
                                  std::filesystem::relative(clip.file, song->folder()).string()));
    }
    for (const auto& bus : song->buses) printLine(fmt::format("  bus   \"{}\", chain: {}", bus.name, chainNames(bus.chain)));
    printLine(fmt::format("  master chain: {}", chainNames(song->master.chain)));
    return ExitStatus::ok;
}

ExitStatus runInfo(const Arguments& args, const OutputMode& mode) {
    if (args.positionals().size() != 1)
        return report("info", {ErrorCode::invalidArgument, "expected one audio file or session"}, mode, ExitStatus::usage);
    const std::string& path = args.positionals()[0];
    const auto ext = std::filesystem::path(path).extension().string();
    if (ext == ".yaml" || ext == ".yml") return describeSession(path, mode);
    return describeFile(path, mode);
}

}  // namespace

Command infoCommand() { return {"info", "say what an audio file or a session holds", kHelp, {}, runInfo}; }

}  // namespace reel::cli
