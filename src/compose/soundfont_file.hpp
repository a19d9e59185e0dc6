#pragma once
// A SoundFont (SF2) file loaded into FluidSynth, shared by the synths that play from it.
//
// FluidSynth loads a SoundFont into a synth; other synths may play from the same loaded
// font (fluid_synth_add_sfont / fluid_synth_remove_sfont), so each MIDI clip can have its
// own synth (its own gain, start and end) while the samples are loaded once. FluidSynth
// counts sample references without atomics, so the synths sharing a SoundFontFile must
// be used from one thread at a time: the engine keeps one per track (see
// engine/instrument.hpp).
//
// FluidSynth's logger is silenced for the whole process on first use (library code never
// prints); its last error on the calling thread is kept for our messages.

#include <fluidsynth/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reel::compose {

/// Where `soundfont: gm` looks, in order: $REEL_GM_SOUNDFONT if set (and only it), then
/// the TimGM6mb SoundFont scripts/install-deps.sh installs (small, the same everywhere),
/// then the system's default GM SoundFont and FluidR3 (Debian, Fedora and Arch paths).
std::vector<std::filesystem::path> generalMidiSoundFontCandidates();

/// The path a `soundfont:` value names: "gm" is the first existing candidate above;
/// a relative path starts at `folder`. Errors (fileNotFound) say where it looked.
Result<std::filesystem::path> resolveSoundFont(std::string_view written, const std::filesystem::path& folder);

/// Silences FluidSynth's logger (once per process) and initializes its tables; called
/// before any FluidSynth object is made.
void initFluidSynth();

/// The last error FluidSynth logged on this thread ("" if none), for messages.
std::string lastFluidSynthError();

/// New settings for a Reel synth at `sampleRate` (the caller deletes them after the synth):
/// reverb and chorus off (the track's chain adds effects, and FluidSynth's are not part of
/// the instrument's sound here), one core and no internal locking (each synth is used by
/// one thread and rendering must not depend on thread timing), memory not locked.
/// Null if FluidSynth could not allocate them.
fluid_settings_t* newSynthSettings(double sampleRate);

class SoundFontFile {
public:
    /// Loads an SF2 file. Errors: fileNotFound; formatUnsupported (not a SoundFont);
    /// corruptData (FluidSynth refused it, with its reason).
    static Result<std::shared_ptr<SoundFontFile>> load(const std::filesystem::path& path);

    ~SoundFontFile();
    SoundFontFile(const SoundFontFile&) = delete;
    SoundFontFile& operator=(const SoundFontFile&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }
    /// True if the font has a preset at bank (0 … 16383; 128 = percussion kits) and program (0 … 127).
    bool hasPreset(int bank, int program) const;
    /// The preset's name, "" if there is none.
    std::string presetName(int bank, int program) const;
    /// The banks that hold presets, ascending (for messages).
    std::vector<int> banks() const;

    /// The loaded font, to add to other synths (fluid_synth_add_sfont); they must remove
    /// it (fluid_synth_remove_sfont) before this object goes.
    fluid_sfont_t* font() const noexcept { return font_; }
    /// A synth holding the font, free for probing (e.g. voice release times) between
    /// fluid_synth_system_reset() calls; same thread rules as the font.
    fluid_synth_t* probe() const noexcept { return owner_; }

private:
    SoundFontFile() = default;
    std::filesystem::path path_;
    fluid_settings_t* settings_ = nullptr;
    fluid_synth_t* owner_ = nullptr;
    fluid_sfont_t* font_ = nullptr;
};

}  // namespace reel::compose
