#pragma once
// Virtual instruments as the engine sees them: something that turns a MIDI part into audio.
//
// The engine defines these interfaces and plays MIDI clips through them; the instruments
// themselves (SoundFonts through FluidSynth, later drum kits) live in compose/, above the
// engine, and register themselves in an InstrumentFactory. So does the reading of MIDI
// files: the engine asks the factory for a clip's part in ticks and times it itself.
//
// Two levels, because loading is slow and parts are many: an Instrument is one track's
// loaded sound (a SoundFont and a program), created once per track; each of the track's
// MIDI clips is played by a PartPlayer the instrument makes, so each clip has its own
// gain, start and end while the SoundFont is loaded once.
//
// Threads: an instrument and the players it made are used from one thread at a time (the
// renderer renders each track on one thread per block). Different instruments may render
// on different threads at once.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::engine {

// ---------------------------------------------------------------------------------------
// A part as a MIDI file holds it, in ticks (what a part reader returns)

/// A note of a part: channel 0 … 15, key and velocity 0 … 127, in ticks.
struct MidiPartNote {
    int channel = 0;
    int key = 60;
    int velocity = 100;
    std::int64_t startTick = 0;
    std::int64_t lengthTicks = 0;
};

/// A channel message other than a note (control or program change, pitch bend, pressure):
/// status 0xA0 … 0xEF with the channel in its low 4 bits, data bytes as sent (MIDI 1.0).
struct MidiPartMessage {
    std::int64_t tick = 0;
    std::uint8_t status = 0xB0;
    std::uint8_t data1 = 0;
    std::uint8_t data2 = 0;
};

/// The notes and messages of one MIDI clip, in ticks of 1/ticksPerQuarter quarter note.
struct MidiPart {
    int ticksPerQuarter = 480;
    std::vector<MidiPartNote> notes;        // by start
    std::vector<MidiPartMessage> messages;  // by tick
    std::int64_t endTick = 0;               // where the part ends (the end of its track)
};

// ---------------------------------------------------------------------------------------
// A part as an instrument plays it, in frames

/// A channel message at a frame of the part (0 = the clip's first frame): note off 0x8n,
/// note on 0x9n (velocity 0 = off), key pressure 0xAn, control change 0xBn, program
/// change 0xCn, channel pressure 0xDn, pitch bend 0xEn (data1 = low 7 bits).
struct InstrumentEvent {
    std::int64_t frame = 0;
    std::uint8_t status = 0x90;
    std::uint8_t data1 = 0;
    std::uint8_t data2 = 0;
    friend bool operator==(const InstrumentEvent&, const InstrumentEvent&) = default;
};

/// A timed part: events sorted by frame (ties keep their order), at frames 0 … `length`.
/// At `length` the part ends: notes still held are released there.
struct InstrumentPart {
    std::vector<InstrumentEvent> events;
    FrameCount length;
};

/// Renders one part, block by block, in stereo.
class PartPlayer {
public:
    virtual ~PartPlayer() = default;
    /// Frames the part sounds: its length plus the longest release it leaves ringing.
    /// Known before rendering, so the engine can place the clip's end.
    virtual FrameCount length() const noexcept = 0;
    /// Renders the next out.numFrames() frames (at most the instrument's maxBlock) into
    /// `out` (2 channels, overwritten). Returns the frames that belong to the part:
    /// out.numFrames() until its length, fewer at the end, then 0 (the rest of `out` is
    /// silence). The output is the same for any sequence of block sizes.
    virtual Result<std::int64_t> render(AudioView out) = 0;
    /// True once all the part has left to give is silence (every note sent and every voice
    /// died), which may be well before length(): length() has to be promised before
    /// rendering and so counts the longest release, while a note's sound may die sooner.
    /// The engine ends the song early on it. A player that cannot tell returns false.
    virtual bool finished() const noexcept { return false; }
};

/// One track's loaded instrument.
class Instrument {
public:
    virtual ~Instrument() = default;
    /// Readies it for `rate` and blocks of at most `maxBlock` frames. May be slow; called
    /// once before play(). Errors need not say where: the engine prefixes the line of the
    /// track's `instrument:` (and a clip's line to play()'s and render()'s errors).
    virtual Result<void> prepare(SampleRate rate, int maxBlock) = 0;
    /// A player for one part: checks it (e.g. its programs exist) and measures its length.
    virtual Result<std::unique_ptr<PartPlayer>> play(const InstrumentPart& part) = 0;
};

}  // namespace reel::engine
