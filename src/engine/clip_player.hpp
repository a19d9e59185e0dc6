#pragma once
// Plays one clip onto its track: reads its region of the source (converted to the session
// rate), applies clip gain and fades, and adds it into the track's block.
//
// The source file is opened when playback first reaches the clip and closed when it ends,
// so a song with hundreds of clips holds only the files that are playing. Blocks must be
// asked for in timeline order (the engine streams from start to end).
//
// Where the clip's gain and fades leave the audio as it is (unity gain, outside the fades)
// and the source has the track's channels and the session's rate, the file is decoded
// straight into the track (added, or written over it), without the scratch block.

#include <memory>
#include <optional>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "engine/fade_envelope.hpp"
#include "io/audio_file_reader.hpp"
#include "io/resampling_reader.hpp"
#include "session/session.hpp"

namespace reel::engine {

class ClipPlayer {
public:
    /// Reads the source's header to fix the clip's extent; errors name the clip's line.
    static Result<ClipPlayer> create(const session::Clip& clip, SampleRate rate);

    FramePosition start() const noexcept { return start_; }
    FramePosition end() const noexcept { return start_ + length_; }
    int sourceChannels() const noexcept { return sourceChannels_; }

    /// Adds the clip's audio for the timeline frames [blockStart, blockStart + track.numFrames())
    /// into `track` (1 or 2 channels; a mono source feeds both sides of a stereo track).
    /// `scratch` must have ≥ 2 channels and ≥ track.numFrames() frames.
    Result<void> addTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch);
    /// As addTo() into a silent track, without the track having to be cleared first: writes
    /// over all of `track`, silence where the clip does not play. The same bits as clearing
    /// `track` and calling addTo(), for the first clip a track plays in a block.
    Result<void> writeTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch);

private:
    ClipPlayer() = default;
    Result<void> openAt(FrameCount offsetInClip);
    void close() noexcept;
    Result<void> play(AudioView track, FramePosition blockStart, AudioBuffer& scratch, io::Mix mix);
    /// Reads the source's next out.numFrames() frames into out; returns how many there were
    /// (fewer only if the source ends early). Mix::add needs a source at the session rate.
    Result<std::int64_t> readSource(AudioView out, io::Mix mix);

    const session::Clip* clip_ = nullptr;
    SampleRate rate_;
    FramePosition start_;
    FrameCount length_;
    FrameCount sourceOffset_;  // `from`, in frames at the session rate
    int sourceChannels_ = 0;
    FadeEnvelope envelope_;
    // Open while the clip plays. A source at the session rate passes through it unresampled,
    // so it can be decoded straight into the track (io::Mix).
    std::unique_ptr<io::ResamplingReader> reader_;
    FrameCount nextOffset_{-1};  // clip frame the reader will deliver next; -1 = not open
};

}  // namespace reel::engine
