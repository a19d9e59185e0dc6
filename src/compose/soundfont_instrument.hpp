#pragma once
// A virtual instrument that plays MIDI parts through a SoundFont with FluidSynth, offline.
//
// Session: `instrument: {type: soundfont, soundfont: gm, program: 33, bank: 0}` (or just
// `{soundfont: gm, program: 33}`); `soundfont:` is an .sf2 path (relative to the session's
// folder) or `gm` for the installed General MIDI SoundFont (generalMidiSoundFontCandidates()).
//
// Programs: with `program:` every channel plays that program of `bank:` (default 0) and the
// part's own program changes and bank selects are ignored (the session decides the sound),
// except MIDI channel 10, which plays the GM percussion kit (bank 128, program 0) as
// General MIDI assigns it; with `bank: 128` every channel plays percussion kit `program`.
// Without `program:` the part's program changes are followed, as a GM player would.
//
// Rendering: one FluidSynth synth per part, made when the part starts sounding and freed
// when it ends, sharing the track's loaded SoundFont. Deterministic: the same part gives
// bit-identical audio for any block sizes and any thread (reverb and chorus off, no audio
// driver, one core, the output taken with fluid_synth_write_float). Much faster than real
// time (about 600x for a bass line at 48 kHz on one core).
//
// Timing: FluidSynth applies events only at the start of its internal 64-frame blocks
// (fluid_synth_get_internal_bufsize), so an event cannot land between two block starts.
// Each event is applied at the block start nearest its frame (within ±32 frames, 0.67 ms
// at 48 kHz), and the synth's blocks are shifted so the part's first note lands exactly.
//
// Length: the part's length plus the longest volume-envelope release (SoundFont generator
// releaseVolEnv, read from the voices each note starts) plus a few blocks, so the last
// release is never cut; after the voices have died the player writes silence without
// running the synth.

#include <memory>
#include <optional>

#include "compose/soundfont_file.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "engine/instrument.hpp"
#include "engine/instrument_factory.hpp"

namespace reel::compose {

/// Which sound of the font a track plays (see the header for how channels use it).
struct SoundFontProgram {
    std::optional<int> program;  // 0 … 127; unset = follow the part's program changes
    int bank = 0;                // 0 … 16383 (with program); 128 = percussion kits
};

class SoundFontInstrument final : public engine::Instrument {
public:
    /// FluidSynth's output gain (synth.gain, linear): 1 = its unscaled output. Its default
    /// 0.2 guards 16-bit output against clipping under many voices; in Reel's float mix a
    /// single GM note at velocity 100 then peaks around -18 to -11 dBFS (TimGM6mb), like a
    /// recorded track with headroom, and the track's fader sets the level.
    static constexpr double kSynthGain = 1.0;

    /// An instrument playing `program` from `font`. Errors (invalidSession): the font has
    /// no such preset (the message names the banks it has).
    static Result<std::unique_ptr<SoundFontInstrument>> create(std::shared_ptr<SoundFontFile> font,
                                                               SoundFontProgram program);

    /// Errors (invalidArgument): a rate FluidSynth cannot render at (it takes 8–96 kHz).
    Result<void> prepare(SampleRate rate, int maxBlock) override;
    /// Checks that every note has a preset (corruptData otherwise: the part selects a
    /// program the font lacks) and measures the release tails.
    Result<std::unique_ptr<engine::PartPlayer>> play(const engine::InstrumentPart& part) override;

private:
    SoundFontInstrument() = default;
    std::shared_ptr<SoundFontFile> font_;
    SoundFontProgram program_;
    SampleRate rate_;
    bool prepared_ = false;
};

/// Registers the "soundfont" instrument type: parameters `soundfont` (required: a path or
/// gm), `program` (0 … 127) and `bank` (0 … 16383; written alone it means program 0).
/// Errors name the session line of the parameter at fault.
void registerSoundFontInstrument(engine::InstrumentFactory& factory);

}  // namespace reel::compose
