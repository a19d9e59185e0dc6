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
    // FadeEnvelope clamps the fades to the clip.
    player.envelope_ = FadeEnvelope(toGain(clip.gain).value, player.length_.value, toFrames(clip.fadeIn.length, rate).value,
                                    clip.fadeIn.curve, toFrames(clip.fadeOut.length, rate).value, clip.fadeOut.curve);
    return player;
}

Result<void> ClipPlayer::openAt(FrameCount offsetInClip) {
    const FramePosition sourceFrame{(sourceOffset_ + offsetInClip).value};
    if (!reader_) {
        auto reader = io::ResamplingReader::open(clip_->file, rate_);
        if (!reader) return withContext(reader.error(), clip_->where.prefix());
        reader_ = std::make_unique<io::ResamplingReader>(std::move(*reader));
    }
    if (auto sought = reader_->seek(sourceFrame); !sought) return withContext(sought.error(), clip_->where.prefix());
    nextOffset_ = offsetInClip;
    return {};
}

void ClipPlayer::close() noexcept {
    reader_.reset();
    nextOffset_ = FrameCount{-1};
}

Result<std::int64_t> ClipPlayer::readSource(AudioView out, io::Mix mix) {
    std::int64_t got = 0;
    while (got < out.numFrames()) {
        const AudioView rest = out.slice(got, out.numFrames() - got);
        auto n = reader_->read(rest, mix);
        if (!n) return withContext(n.error(), clip_->where.prefix());
        if (*n == 0) break;
        got += *n;
    }
    return got;
}

Result<void> ClipPlayer::addTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch) {
    return play(track, blockStart, scratch, io::Mix::add);
}

Result<void> ClipPlayer::writeTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch) {
    return play(track, blockStart, scratch, io::Mix::replace);
}

Result<void> ClipPlayer::play(AudioView track, FramePosition blockStart, AudioBuffer& scratch, io::Mix mix) {
    const bool writing = mix == io::Mix::replace;
    const FramePosition blockEnd = blockStart + FrameCount{track.numFrames()};
    const FramePosition from = std::max(blockStart, start_);
    const FramePosition to = std::min(blockEnd, end());
    if (from >= to) {
        if (writing) track.clear();
        if (blockStart >= end()) close();  // done: release the file
        return {};
    }
    const FrameCount offset = from - start_;
    if (nextOffset_ != offset)
        if (auto opened = openAt(offset); !opened) return opened;

    const std::int64_t count = (to - from).value;
    const std::int64_t at = (from - blockStart).value;
    if (writing) {  // silence around the clip
        track.slice(0, at).clear();
        track.slice(at + count, track.numFrames() - at - count).clear();
    }
    const AudioView into = track.slice(at, count);
    if (!reader_->resamples() && sourceChannels_ == track.numChannels() && envelope_.leavesUnchanged(offset.value, count)) {
        // Writing a sample over the track gives the bits of adding it to silence (0 + x) for
        // every x but -0 and, with denormals flushed, subnormals: integer samples are neither.
        io::Mix direct = mix;
        if (writing && !reader_->info().integerSamples) {
            into.clear();
            direct = io::Mix::add;
        }
        // (A source shorter than its header promised reads as silence to the clip's end.)
        if (auto got = readSource(into, direct); !got) return std::unexpected(got.error());
    } else {
        AudioView source = scratch.view(count);
        AudioView sourceChannels{std::array<float*, kMaxChannels>{source.channel(0), source.channel(1)}, sourceChannels_,
                                 count};
        auto got = readSource(sourceChannels, io::Mix::replace);
        if (!got) return std::unexpected(got.error());
        // A source shorter than its header promised: the rest of the clip is silence.
        for (int c = 0; c < sourceChannels_; ++c) std::fill(source.channel(c) + *got, source.channel(c) + count, 0.0f);
        for (int c = 0; c < track.numChannels(); ++c) {
            float* in = source.channel(std::min(c, sourceChannels_ - 1));
            if (c < sourceChannels_) envelope_.apply(in, offset.value, count);
            float* out = into.channel(c);
            if (writing) {
                // 0 + x, not x: a fade's first frame is a negative sample times 0, which is -0,
                // and silence plus that is +0 (the same bits as clearing the track and adding).
                for (std::int64_t i = 0; i < count; ++i) out[i] = 0.0f + in[i];
            } else {
                for (std::int64_t i = 0; i < count; ++i) out[i] += in[i];
            }
        }
    }
    nextOffset_ = offset + FrameCount{count};
    if (to == end()) close();
    return {};
}

}  // namespace reel::engine
