#pragma once
// Plays one MIDI clip onto its track: the clip's part, timed with the session's tempo, goes
// through the track's instrument, and the instrument's audio (with the clip's gain) is added
// into the track's block, as ClipPlayer adds an audio clip's.
//
// Timing: the MIDI file's ticks are converted with the *session's* tempo and meter (not the
// file's tempo map), so a part written at any tempo follows the song: a quarter note is
// 60/tempo · beatUnit/4 seconds (the session's tempo counts beats of the meter's note
// value), and tick t plays at t/ticksPerQuarter quarter notes after the part's start.
// Frames are rounded to the nearest.
//
// The clip's window: `from` skips into the part (notes that start before it are not played;
// controllers, programs and bends set before it are sent at its start, so the part sounds
// as it would there), `length` cuts it (notes still held are released at the end). The
// clip's audio runs on past its length for the instrument's release.
//
// Blocks must be asked for in timeline order (the engine streams from start to end); a
// jump back restarts the part and a jump forward renders through the skipped frames.

#include <memory>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "engine/instrument.hpp"
#include "engine/instrument_factory.hpp"
#include "session/session.hpp"

namespace reel::engine {

/// The clip's part in frames from its start: the session-tempo timing and the from/length
/// window described above. Errors (invalidSession, at the clip's line): a window that holds
/// nothing (`from` at or past the part's end).
Result<InstrumentPart> timePart(const MidiPart& part, const session::MidiClip& clip, const session::Session& session);

class MidiClipPlayer {
public:
    /// Starts the part on the instrument (which must be prepared) to learn its length.
    static Result<MidiClipPlayer> create(const session::MidiClip& clip, std::shared_ptr<Instrument> instrument,
                                         InstrumentPart part, SampleRate rate);

    FramePosition start() const noexcept { return start_; }
    /// Where the clip's sound ends: its part's length plus the instrument's release.
    FramePosition end() const noexcept { return start_ + length_; }
    /// True if nothing but silence is left by `frame`: past end(), or the instrument has
    /// played every note and its voices have died (often long before end()).
    bool silentFrom(FramePosition frame) const noexcept {
        return frame >= end() || (frame > start_ && player_ && player_->finished());
    }

    /// Adds the clip's audio for the timeline frames [blockStart, blockStart + track.numFrames())
    /// into `track` (2 channels; a mono track gets the mean of left and right). `scratch`
    /// must have ≥ 2 channels and ≥ track.numFrames() frames.
    Result<void> addTo(AudioView track, FramePosition blockStart, AudioBuffer& scratch);

private:
    MidiClipPlayer() = default;
    Result<void> restart();
    Result<void> skipTo(FrameCount offset, AudioBuffer& scratch);

    const session::MidiClip* clip_ = nullptr;
    std::shared_ptr<Instrument> instrument_;
    InstrumentPart part_;
    std::unique_ptr<PartPlayer> player_;  // null when finished (its resources released)
    FramePosition start_;
    FrameCount length_;
    float gain_ = 1.0f;
    FrameCount next_{0};  // the part frame the player renders next
};

/// The players of a track's MIDI clips, all through one instrument made from the track's
/// `instrument:` and prepared for the session's rate and `maxBlock`. Empty if the track has
/// no MIDI clips. Errors name the session line of the instrument or clip.
Result<std::vector<MidiClipPlayer>> createMidiClipPlayers(const session::Track& track, const session::Session& session,
                                                          const InstrumentFactory& factory, int maxBlock);

}  // namespace reel::engine
