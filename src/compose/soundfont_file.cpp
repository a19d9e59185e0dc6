#include "compose/soundfont_file.hpp"

#include <fluidsynth.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <mutex>
#include <set>
#include <system_error>

namespace reel::compose {
namespace {

thread_local std::string lastError;

void keepErrors(int level, const char* message, void*) {
    if ((level == FLUID_PANIC || level == FLUID_ERR) && message) lastError = message;
}

}  // namespace

void initFluidSynth() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int level = FLUID_PANIC; level <= FLUID_DBG; ++level) fluid_set_log_function(level, keepErrors, nullptr);
        // FluidSynth fills its conversion tables on the first synth; making one here, on
        // the loading thread, keeps that away from the render threads.
        if (fluid_settings_t* settings = newSynthSettings(44100.0)) {
            if (fluid_synth_t* synth = new_fluid_synth(settings)) delete_fluid_synth(synth);
            delete_fluid_settings(settings);
        }
    });
}

std::string lastFluidSynthError() { return lastError; }

fluid_settings_t* newSynthSettings(double sampleRate) {
    fluid_settings_t* settings = new_fluid_settings();
    if (!settings) return nullptr;
    fluid_settings_setnum(settings, "synth.sample-rate", sampleRate);
    fluid_settings_setint(settings, "synth.reverb.active", 0);
    fluid_settings_setint(settings, "synth.chorus.active", 0);
    fluid_settings_setint(settings, "synth.cpu-cores", 1);
    fluid_settings_setint(settings, "synth.threadsafe-api", 0);
    fluid_settings_setint(settings, "synth.lock-memory", 0);
    return settings;
}

std::vector<std::filesystem::path> generalMidiSoundFontCandidates() {
    if (const char* chosen = std::getenv("REEL_GM_SOUNDFONT"); chosen && *chosen) return {chosen};
    return {"/usr/share/sounds/sf2/TimGM6mb.sf2",   "/usr/share/sounds/sf2/default-GM.sf2",
            "/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/soundfonts/default.sf2",
            "/usr/share/soundfonts/FluidR3_GM.sf2", "/usr/share/soundfonts/FluidR3_GM2-2.sf2"};
}

Result<std::filesystem::path> resolveSoundFont(std::string_view written, const std::filesystem::path& folder) {
    std::error_code ec;
    if (written == "gm") {
        const auto candidates = generalMidiSoundFontCandidates();
        for (const auto& candidate : candidates)
            if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
        std::vector<std::string> names;
        for (const auto& candidate : candidates) names.push_back(candidate.string());
        return fail(ErrorCode::fileNotFound,
                    fmt::format("soundfont: gm: no General MIDI SoundFont is installed (looked for {}); install the "
                                "timgm6mb-soundfont package (scripts/install-deps.sh) or set REEL_GM_SOUNDFONT to an "
                                ".sf2 file",
                                fmt::join(names, ", ")));
    }
    const std::filesystem::path path(written);
    const std::filesystem::path resolved = (path.is_absolute() ? path : folder / path).lexically_normal();
    if (!std::filesystem::exists(resolved, ec))
        return fail(ErrorCode::fileNotFound,
                    fmt::format("SoundFont \"{}\" not found (looked in {}); name an .sf2 file, or gm for the installed "
                                "General MIDI SoundFont",
                                written, resolved.string()));
    return resolved;
}

Result<std::shared_ptr<SoundFontFile>> SoundFontFile::load(const std::filesystem::path& path) {
    initFluidSynth();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(ErrorCode::fileNotFound, fmt::format("{}: SoundFont not found", path.string()));
    if (!fluid_is_soundfont(path.c_str()))
        return fail(ErrorCode::formatUnsupported,
                    fmt::format("{}: not a SoundFont (an SF2 file starts with a RIFF sfbk chunk)", path.string()));
    std::shared_ptr<SoundFontFile> file(new SoundFontFile());
    file->path_ = path;
    file->settings_ = newSynthSettings(44100.0);  // the font itself does not depend on the rate
    if (file->settings_) file->owner_ = new_fluid_synth(file->settings_);
    if (!file->owner_)
        return fail(ErrorCode::internal,
                    fmt::format("{}: FluidSynth could not create a synth: {}", path.string(), lastFluidSynthError()));
    lastError.clear();
    const int id = fluid_synth_sfload(file->owner_, path.c_str(), 0);
    if (id == FLUID_FAILED)
        return fail(ErrorCode::corruptData, fmt::format("{}: FluidSynth could not load this SoundFont{}", path.string(),
                                                        lastError.empty() ? "" : ": " + lastError));
    file->font_ = fluid_synth_get_sfont_by_id(file->owner_, id);
    return file;
}

SoundFontFile::~SoundFontFile() {
    if (owner_) delete_fluid_synth(owner_);  // deletes the font too
    if (settings_) delete_fluid_settings(settings_);
}

bool SoundFontFile::hasPreset(int bank, int program) const {
    return fluid_sfont_get_preset(font_, bank, program) != nullptr;
}

std::string SoundFontFile::presetName(int bank, int program) const {
    fluid_preset_t* preset = fluid_sfont_get_preset(font_, bank, program);
    const char* name = preset ? fluid_preset_get_name(preset) : nullptr;
    return name ? name : "";
}

std::vector<int> SoundFontFile::banks() const {
    std::set<int> banks;
    fluid_sfont_iteration_start(font_);
    while (fluid_preset_t* preset = fluid_sfont_iteration_next(font_)) banks.insert(fluid_preset_get_banknum(preset));
    return {banks.begin(), banks.end()};
}

}  // namespace reel::compose
