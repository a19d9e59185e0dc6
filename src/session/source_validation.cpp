// validateSources() of session_loader.hpp: the checks that need the clips' audio files.
#include <fmt/format.h>

#include <map>
#include <system_error>

#include "io/audio_file_reader.hpp"
#include "session/session_loader.hpp"

namespace reel::session {
namespace {

/// Each file is probed once, however many clips use it (a drum loop may be placed 100 times).
class SourceCache {
public:
    Result<const io::AudioFileInfo*> probe(const Clip& clip) {
        if (auto known = infos_.find(clip.file); known != infos_.end()) return &known->second;
        std::error_code ec;
        if (!std::filesystem::exists(clip.file, ec))
            return fail(ErrorCode::fileNotFound,
                        clip.fileWhere.prefix() + fmt::format("audio file \"{}\" not found (looked in {})",
                                                              clip.fileAsWritten, clip.file.string()));
        auto info = io::probeAudioFile(clip.file);
        if (!info) return withContext(info.error(), clip.fileWhere.prefix());
        return &infos_.emplace(clip.file, std::move(*info)).first->second;
    }

private:
    std::map<std::filesystem::path, io::AudioFileInfo> infos_;
};

Result<void> checkClipFits(const Clip& clip, const io::AudioFileInfo& source) {
    const double duration = source.duration().value;
    // Half a source frame of slack: a length written in ms rarely lands on a frame exactly.
    const double slack = 0.5 / source.sampleRate.value;
    const auto invalid = [&](const std::string& message) {
        return fail(ErrorCode::invalidSession, clip.where.prefix() + message);
    };
    if (clip.from.value >= duration - slack)
        return invalid(fmt::format("from {}s is at or past the end of \"{}\", which is {:.3f}s long", clip.from.value,
                                   clip.fileAsWritten, duration));
    const double length = clip.length ? clip.length->value : duration - clip.from.value;
    if (clip.from.value + length > duration + slack)
        return invalid(fmt::format("clip runs past the end of \"{}\": from {}s + length {}s = {}s, but the file is "
                                   "{:.3f}s long",
                                   clip.fileAsWritten, clip.from.value, length, clip.from.value + length, duration));
    for (auto [name, fade] : {std::pair{"fade_in", &clip.fadeIn}, std::pair{"fade_out", &clip.fadeOut}})
        if (fade->length.value > length + slack)
            return invalid(fmt::format("{} ({}s) is longer than the clip ({:.3f}s{})", name, fade->length.value, length,
                                       clip.length ? "" : fmt::format(": the rest of \"{}\" after {}s",
                                                                      clip.fileAsWritten, clip.from.value)));
    return {};
}

}  // namespace

Result<void> validateSources(const Session& session) {
    SourceCache sources;
    for (const auto& track : session.tracks)
        for (const auto& clip : track.clips) {
            auto source = sources.probe(clip);
            if (!source) return std::unexpected(source.error());
            if (auto fits = checkClipFits(clip, **source); !fits) return fits;
        }
    return {};
}

}  // namespace reel::session
