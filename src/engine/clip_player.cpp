#include "engine/clip_player.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "io/audio_file_reader.hpp"

namespace reel::engine {

Result<ClipPlayer> ClipPlayer::create(const session::Clip& clip, SampleRate rate) {
    auto info = io::probeAudioFile(clip.file);
    if (!info) return withContext(info.error(), clip.where.prefix());
    if (info->channels > 2)
        return fail(ErrorCode::invalidSession,
                    clip.where.prefix() + fmt::format("{} has {} channels; tracks take mono or stereo sources",
                                                      clip.file.filename().string(), info->channels));
    ClipPlayer player;
    player.clip_ = &clip;
    player.rate_ = rate;
    player.sourceChannels_ = info->channels;
    player.start_ = FramePosition{toFrames(clip.at, rate).value};
    player.sourceOffset_ = toFrames(clip.from, rate);
    // The source's length at the session rate, rounded as io::ResamplingReader rounds it.
    const FrameCount sourceFrames{static_cast<std::int64_t>(
        std::llround(static_cast<double>(info->numFrames.value) * rate.value / info->sampleRate.value))};
    const FrameCount available = sourceFrames - player.sourceOffset_;
    player.length_ = clip.length ? toFrames(*clip.length, rate) : available;
    if (player.length_ > available)
        return fail(ErrorCode::invalidSession,
                    clip.where.prefix() + fmt::format("clip runs past the end of {}: from {:.3f}s + length {:.3f}s > {:.3f}s",
                                                      clip.file.filename().string(), clip.from.value,
                                                      toSeconds(player.length_, rate).value, info->duration().value));
    if (player.length_.value <= 0)
        return fail(ErrorCode::invalidSession, clip.where.prefix() + "clip has no length: `from` is at or past the end of its source");
    player.envelope_ = FadeEnvelope(toGain(clip.gain).value, player.length_.value, toFrames(clip.fadeIn.length, rate).value,
                                    clip.fadeIn.curve, toFrames(clip.fadeOut.length, rate).value, clip.fadeOut.curve);
    return player;
}

Result<void> ClipPlayer::openAt(FrameCount offsetInClip) {
    if (!reader_) {
        auto reader = io::ResamplingReader::open(clip_->file, rate_);
        if (!reader) return withContext(reader.error(), clip_->where.prefix());
        reader_ = std::make_unique<io::ResamplingReader>(std::move(*reader));
    }
    if (auto sought = reader_->seek(FramePosition{(sourceOffset_ + offsetInClip).value}); !sought)
        return withContext(sought.error(), clip_->where.prefix());
    nextOffset_ = offsetInClip;
    return {};
}

Result<void> ClipPlayer::addTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch) {
    const FramePosition blockEnd = blockStart + FrameCount{track.numFrames()};
    const FramePosition from = std::max(blockStart, start_);
    const FramePosition to = std::min(blockEnd, end());
    if (from >= to) {
        if (blockStart >= end()) reader_.reset();  // done: release the file
        return {};
    }
    const FrameCount offset = from - start_;
    if (nextOffset_ != offset)
        if (auto opened = openAt(offset); !opened) return opened;

    const std::int64_t count = (to - from).value;
    AudioView source = scratch.view(count);
    AudioView sourceChannels{std::array<float*, kMaxChannels>{source.channel(0), source.channel(1)}, sourceChannels_, count};
    std::int64_t got = 0;
    while (got < count) {
        auto n = reader_->read(sourceChannels.slice(got, count - got));
        if (!n) return withContext(n.error(), clip_->where.prefix());
        if (*n == 0) break;
        got += *n;
    }
    // A source shorter than its header promised: the rest of the clip is silence.
    for (int c = 0; c < sourceChannels_; ++c) std::fill(source.channel(c) + got, source.channel(c) + count, 0.0f);
    nextOffset_ = offset + FrameCount{count};

    const std::int64_t at = (from - blockStart).value;
    for (int c = 0; c < track.numChannels(); ++c) {
        float* in = source.channel(std::min(c, sourceChannels_ - 1));
        if (c < sourceChannels_) envelope_.apply(in, offset.value, count);
        float* out = track.channel(c) + at;
        for (std::int64_t i = 0; i < count; ++i) out[i] += in[i];
    }
    if (to == end()) reader_.reset();
    return {};
}

}  // namespace reel::engine
