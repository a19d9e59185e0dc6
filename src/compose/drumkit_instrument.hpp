#pragma once
// A sampler that plays MIDI drum parts on a recorded Hydrogen kit (drumkit.xml + WAV/FLAC).
//
// Session: `instrument: {type: drumkit, kit: BJA_Pacific, map: {36: BassDrum, 38: Snare}}`.
// `kit:` is a kit folder name in drumkitSearchFolders() or a path (relative to the session's
// folder) to a drumkit.xml or its folder. `map:` (optional) sends MIDI notes to kit sounds
// by name; the notes it leaves out follow the General MIDI guesses of drumkit_note_map.hpp.
// A part that plays a note the kit has no sound for is an error at play() naming the note.
//
// Playing: notes are one-shots — note-offs are ignored, every hit plays its sample to the
// end (or until choked), as Hydrogen plays kits. Velocity v (1 … 127) picks the layer whose
// [min, max] holds v/127 (the nearest one if the kit leaves a gap) and scales it by v/127
// in amplitude (linear, as Hydrogen does), on top of the layer's gain and the sound's gain,
// volume and pan (pan_L to the left output, pan_R to the right). Mono samples feed both
// sides; stereo samples keep theirs (more channels: the first two).
// Mute groups: a hit stops the ringing voices of the other sounds of its group with a
// kChokeSeconds linear fade (no click), so a closed hat chokes an open one. Kits rarely set
// groups for their hats, so when the sounds of notes 42, 44 and 46 share none, they are
// put in a group of their own.
// Timing is sample-exact: each hit starts on its event's frame, whatever the block sizes.
// Polyphony: at most kPolyphony voices sound; a hit beyond that chokes the oldest voice.
// Output is deterministic and bit-identical for any block sizes; render() never allocates.
//
// Samples: decoded in prepare() (only those of sounds some note reaches) at the session
// rate through io::ResamplingReader, or, for a layer with a pitch, resampled from
// rate · 2^(pitch/12) (varispeed, as Hydrogen plays it). Trailing samples below
// kSilenceFloor are dropped so a part ends when its sound has.

#include <memory>

#include "compose/drumkit_file.hpp"
#include "compose/drumkit_note_map.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "engine/instrument.hpp"
#include "engine/instrument_factory.hpp"

namespace reel::compose {

class DrumkitInstrument final : public engine::Instrument {
public:
    static constexpr int kPolyphony = 48;
    /// Voice slots: room for kPolyphony voices plus those fading out after a choke.
    static constexpr int kVoiceSlots = 64;
    static constexpr double kChokeSeconds = 0.005;
    /// 2^-16 (-96 dBFS): below the last bit of a 16-bit recording.
    static constexpr float kSilenceFloor = 1.0f / 65536.0f;

    /// An instrument playing `kit` with `notes` (kit.sounds indices per MIDI note, -1 none).
    static std::unique_ptr<DrumkitInstrument> create(DrumkitFile kit, const DrumkitNoteMap& notes);
    ~DrumkitInstrument() override;

    /// Decodes the samples at `rate`. Errors: a sample file missing or unreadable (the
    /// message names the kit's sound and the file), a rate that is not positive.
    Result<void> prepare(SampleRate rate, int maxBlock) override;
    /// Errors (invalidSession): a note the kit has no sound for (naming it, its frame and
    /// how to map it).
    Result<std::unique_ptr<engine::PartPlayer>> play(const engine::InstrumentPart& part) override;

    const DrumkitFile& kit() const noexcept;
    const DrumkitNoteMap& notes() const noexcept;

    struct Loaded;  // the decoded samples, shared with the players

private:
    DrumkitInstrument() = default;
    DrumkitFile kit_;
    DrumkitNoteMap notes_{};
    std::shared_ptr<const Loaded> loaded_;
};

/// Registers the "drumkit" instrument type: parameters `kit` (required) and `map`.
/// Errors name the session line of the parameter at fault.
void registerDrumkitInstrument(engine::InstrumentFactory& factory);

}  // namespace reel::compose
