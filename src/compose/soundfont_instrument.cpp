#include "compose/soundfont_instrument.hpp"

#include <fluidsynth.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

#include "core/unit_text.hpp"
#include "session/closest_name.hpp"

namespace reel::compose {
namespace {

constexpr int kChannels = 16;
constexpr int kDrumChannel = 9;       // MIDI channel 10, the GM percussion channel
constexpr int kPercussionBank = 128;  // where SoundFonts keep drum kits
constexpr int kBankSelectMsb = 0;     // MIDI 1.0 controller numbers
constexpr int kBankSelectLsb = 32;
constexpr int kSustainPedal = 64;
constexpr int kSostenutoPedal = 66;
// FluidSynth clamps the release generator to this range (timecents; 8000 ≈ 101 s).
constexpr double kMinReleaseTimecents = -12000.0;
constexpr double kMaxReleaseTimecents = 8000.0;

/// Points channels at the track's program (see the header), or leaves FluidSynth's GM
/// defaults (program 0, channel 10 percussion) for the part's own program changes.
void setUpChannels(fluid_synth_t* synth, int fontId, const SoundFontProgram& program) {
    if (!program.program) return;
    for (int channel = 0; channel < kChannels; ++channel) {
        if (program.bank == kPercussionBank) {
            fluid_synth_set_channel_type(synth, channel, CHANNEL_TYPE_DRUM);
            fluid_synth_program_select(synth, channel, fontId, kPercussionBank, *program.program);
        } else if (channel == kDrumChannel) {
            fluid_synth_program_select(synth, channel, fontId, kPercussionBank, 0);
        } else {
            fluid_synth_program_select(synth, channel, fontId, program.bank, *program.program);
        }
    }
}

/// True for the messages a track's `program:` overrides: program changes and bank selects.
bool overridden(const engine::InstrumentEvent& e, const SoundFontProgram& program) {
    if (!program.program) return false;
    const int type = e.status & 0xF0;
    return type == 0xC0 || (type == 0xB0 && (e.data1 == kBankSelectMsb || e.data1 == kBankSelectLsb));
}

/// Sends one channel message (MIDI 1.0 status byte) to the synth.
int send(fluid_synth_t* synth, const engine::InstrumentEvent& e) {
    const int channel = e.status & 0x0F;
    switch (e.status & 0xF0) {
        case 0x80:
            return fluid_synth_noteoff(synth, channel, e.data1);
        case 0x90:
            return e.data2 == 0 ? fluid_synth_noteoff(synth, channel, e.data1)
                                : fluid_synth_noteon(synth, channel, e.data1, e.data2);
        case 0xA0:
            return fluid_synth_key_pressure(synth, channel, e.data1, e.data2);
        case 0xB0:
            return fluid_synth_cc(synth, channel, e.data1, e.data2);
        case 0xC0:
            return fluid_synth_program_change(synth, channel, e.data1);
        case 0xD0:
            return fluid_synth_channel_pressure(synth, channel, e.data1);
        case 0xE0:
            return fluid_synth_pitch_bend(synth, channel, (e.data2 << 7) | e.data1);
        default:
            return FLUID_OK;
    }
}

/// Releases every note, pedals included: what happens where a part ends.
void releaseAll(fluid_synth_t* synth) {
    for (int channel = 0; channel < kChannels; ++channel) {
        fluid_synth_cc(synth, channel, kSustainPedal, 0);
        fluid_synth_cc(synth, channel, kSostenutoPedal, 0);
        fluid_synth_all_notes_off(synth, channel);
    }
}

/// Renders and throws away `numFrames` frames (FluidSynth needs rendering to retire voices).
void discard(fluid_synth_t* synth, int numFrames) {
    std::array<float, 256> left{}, right{};
    while (numFrames > 0) {
        const int n = std::min(numFrames, static_cast<int>(left.size()));
        fluid_synth_write_float(synth, n, left.data(), 0, 1, right.data(), 0, 1);
        numFrames -= n;
    }
}

/// One synth playing from a shared font, with its settings; torn down in the order
/// FluidSynth needs (voices retired, font removed, synth, then settings).
class Synth {
public:
    static Result<std::unique_ptr<Synth>> create(std::shared_ptr<SoundFontFile> font, double rate) {
        std::unique_ptr<Synth> synth(new Synth());
        synth->font_ = std::move(font);
        synth->settings_ = newSynthSettings(rate);
        if (synth->settings_) {
            fluid_settings_setnum(synth->settings_, "synth.gain", SoundFontInstrument::kSynthGain);
            synth->synth_ = new_fluid_synth(synth->settings_);
        }
        if (!synth->synth_)
            return fail(ErrorCode::internal, "FluidSynth could not create a synth: " + lastFluidSynthError());
        if (fluid_synth_add_sfont(synth->synth_, synth->font_->font()) == FLUID_FAILED)
            return fail(ErrorCode::internal, "FluidSynth could not share the SoundFont: " + lastFluidSynthError());
        synth->added_ = true;
        return synth;
    }
    ~Synth() {
        if (synth_ && added_) {
            for (int channel = 0; channel < kChannels; ++channel) fluid_synth_all_sounds_off(synth_, channel);
            discard(synth_, 2 * fluid_synth_get_internal_bufsize(synth_));
            fluid_synth_remove_sfont(synth_, font_->font());
        }
        if (synth_) delete_fluid_synth(synth_);
        if (settings_) delete_fluid_settings(settings_);
    }
    Synth(const Synth&) = delete;
    Synth& operator=(const Synth&) = delete;

    fluid_synth_t* get() const noexcept { return synth_; }
    int fontId() const noexcept { return fluid_sfont_get_id(font_->font()); }

private:
    Synth() = default;
    std::shared_ptr<SoundFontFile> font_;
    fluid_settings_t* settings_ = nullptr;
    fluid_synth_t* synth_ = nullptr;
    bool added_ = false;
};

/// Plays one part (see the header for timing and length).
class SoundFontPlayer final : public engine::PartPlayer {
public:
    SoundFontPlayer(std::shared_ptr<SoundFontFile> font, SoundFontProgram program, SampleRate rate,
                    std::vector<engine::InstrumentEvent> events, FrameCount partLength, FrameCount length,
                    int blockSize)
        : font_(std::move(font)),
          program_(program),
          rate_(rate),
          events_(std::move(events)),
          partLength_(partLength),
          length_(length),
          block_(blockSize) {
        // Shift FluidSynth's block grid so the first note-on falls on a block start.
        auto first = std::find_if(events_.begin(), events_.end(),
                                  [](const auto& e) { return (e.status & 0xF0) == 0x90 && e.data2 > 0; });
        if (first != events_.end()) preroll_ = static_cast<int>((block_ - first->frame % block_) % block_);
    }

    FrameCount length() const noexcept override { return length_; }
    bool finished() const noexcept override {
        return finished_ || (synth_ && released_ && fluid_synth_get_active_voice_count(synth_->get()) == 0);
    }

    Result<std::int64_t> render(AudioView out) override {
        const std::int64_t wanted = out.numFrames();
        const std::int64_t produce = std::clamp<std::int64_t>(length_.value - position_, 0, wanted);
        for (int c = 0; c < 2; ++c) std::fill(out.channel(c) + produce, out.channel(c) + wanted, 0.0f);
        if (produce == 0) return 0;
        if (!synth_ && !finished_)
            if (auto started = start(); !started) return std::unexpected(started.error());

        std::int64_t written = 0;
        while (written < produce) {
            const std::int64_t now = position_ + written;
            sendDue(now);
            std::int64_t until = position_ + produce;
            if (next_ < events_.size()) until = std::min(until, applyFrame(events_[next_].frame));
            if (!released_) until = std::min(until, applyFrame(partLength_.value));
            const auto count = static_cast<int>(until - now);
            if (silent()) {
                for (int c = 0; c < 2; ++c) std::fill_n(out.channel(c) + written, count, 0.0f);
            } else {
                fluid_synth_write_float(synth_->get(), count, out.channel(0) + written, 0, 1, out.channel(1) + written,
                                        0, 1);
            }
            written += count;
        }
        position_ += produce;
        if (position_ >= length_.value) {  // done: free the synth's memory now, not when the clip goes
            synth_.reset();
            finished_ = true;
        }
        return produce;
    }

private:
    Result<void> start() {
        auto synth = Synth::create(font_, rate_.value);
        if (!synth) return std::unexpected(synth.error());
        synth_ = std::move(*synth);
        setUpChannels(synth_->get(), synth_->fontId(), program_);
        discard(synth_->get(), preroll_);
        return {};
    }

    /// The output frame where an event at `frame` takes effect: the nearest start of a
    /// FluidSynth block (after the preroll), so within half a block of `frame`.
    std::int64_t applyFrame(std::int64_t frame) const noexcept {
        const std::int64_t onGrid = frame + preroll_;
        std::int64_t blocks = (onGrid + block_ / 2) / block_;
        if (preroll_ > 0) blocks = std::max<std::int64_t>(blocks, 1);
        return blocks * block_ - preroll_;
    }

    /// Sends the events (and the end of the part) that take effect at or before `now`.
    void sendDue(std::int64_t now) {
        for (; next_ < events_.size() && applyFrame(events_[next_].frame) <= now; ++next_)
            send(synth_->get(), events_[next_]);
        if (!released_ && next_ == events_.size() && applyFrame(partLength_.value) <= now) {
            releaseAll(synth_->get());
            released_ = true;
        }
    }

    /// True once everything is sent and every voice has died: the rest is silence, and
    /// writing zeros is what the synth would produce, only without running it.
    bool silent() const { return !synth_ || (released_ && fluid_synth_get_active_voice_count(synth_->get()) == 0); }

    std::shared_ptr<SoundFontFile> font_;
    SoundFontProgram program_;
    SampleRate rate_;
    std::vector<engine::InstrumentEvent> events_;
    FrameCount partLength_;
    FrameCount length_;
    int block_;
    int preroll_ = 0;
    std::unique_ptr<Synth> synth_;
    std::size_t next_ = 0;
    bool released_ = false;
    bool finished_ = false;
    std::int64_t position_ = 0;
};

/// The longest release (seconds) of the voices the part's notes start, replaying the part's
/// settings on the font's probe synth so each note meets the program it will play with.
/// Errors (corruptData) for a note whose channel has no preset.
Result<double> longestRelease(const SoundFontFile& font, const SoundFontProgram& program,
                              const std::vector<engine::InstrumentEvent>& events) {
    fluid_synth_t* probe = font.probe();
    fluid_synth_system_reset(probe);
    setUpChannels(probe, fluid_sfont_get_id(font.font()), program);
    std::map<std::array<int, 5>, double> known;  // (channel, bank, program, key, velocity) -> seconds
    std::vector<fluid_voice_t*> voices(static_cast<std::size_t>(fluid_synth_get_polyphony(probe)) + 1);
    double longest = 0.0;
    for (const auto& e : events) {
        const int channel = e.status & 0x0F;
        if ((e.status & 0xF0) != 0x90 || e.data2 == 0) {
            if ((e.status & 0xF0) != 0x80 && (e.status & 0xF0) != 0x90) send(probe, e);
            continue;
        }
        int fontId = 0, bank = 0, preset = 0;
        fluid_synth_get_program(probe, channel, &fontId, &bank, &preset);
        const std::array<int, 5> key{channel, bank, preset, e.data1, e.data2};
        if (known.contains(key)) continue;
        if (fluid_synth_noteon(probe, channel, e.data1, e.data2) == FLUID_FAILED ||
            !fluid_synth_get_channel_preset(probe, channel))
            return fail(ErrorCode::corruptData,
                        fmt::format("the note {} on MIDI channel {} at frame {} has no instrument: {} has no preset at "
                                    "bank {}, program {}",
                                    e.data1, channel + 1, e.frame, font.path().filename().string(), bank, preset));
        std::fill(voices.begin(), voices.end(), nullptr);
        fluid_synth_get_voicelist(probe, voices.data(), static_cast<int>(voices.size()), -1);
        double release = 0.0;
        for (fluid_voice_t* voice : voices) {
            if (!voice) break;
            const double timecents = std::clamp(static_cast<double>(fluid_voice_gen_get(voice, GEN_VOLENVRELEASE)),
                                                kMinReleaseTimecents, kMaxReleaseTimecents);
            release = std::max(release, std::exp2(timecents / 1200.0));  // SF2.01 §8.1.3: timecents
        }
        fluid_synth_all_sounds_off(probe, channel);
        discard(probe, fluid_synth_get_internal_bufsize(probe));
        known.emplace(key, release);
        longest = std::max(longest, release);
    }
    fluid_synth_system_reset(probe);
    return longest;
}

/// A whole number parameter in [min, max], with the line in its errors.
Result<int> wholeNumber(const session::ParamValue& value, std::string_view name, int min, int max) {
    auto number = parseNumber(value.text);
    if (!number || *number != std::floor(*number) || *number < min || *number > max)
        return fail(ErrorCode::invalidSession,
                    value.where.prefix() + fmt::format("soundfont: {} \"{}\" should be a whole number from {} to {}",
                                                       name, value.text, min, max));
    return static_cast<int>(*number);
}

Result<std::unique_ptr<engine::Instrument>> createFromSession(const engine::InstrumentContext& context) {
    const auto& params = context.config.params;
    constexpr std::array<std::string_view, 3> kKeys{"soundfont", "program", "bank"};
    for (const auto& [name, value] : params) {
        if (std::find(kKeys.begin(), kKeys.end(), name) != kKeys.end()) continue;
        std::string message = value.where.prefix() + fmt::format("soundfont: unknown parameter \"{}\"", name);
        if (auto closest = session::closestName(name, kKeys))
            message += fmt::format("; did you mean \"{}\"?", *closest);
        return fail(ErrorCode::invalidSession, message + " (a soundfont instrument has soundfont, program and bank)");
    }
    auto fontParam = params.find("soundfont");
    if (fontParam == params.end())
        return fail(ErrorCode::invalidSession,
                    context.config.where.prefix() +
                        "soundfont instrument has no \"soundfont\"; name an .sf2 file, or gm for the installed "
                        "General MIDI SoundFont");
    const session::ParamValue& fontValue = fontParam->second;
    auto path = resolveSoundFont(fontValue.text, context.session.folder());
    if (!path) return withContext(path.error(), fontValue.where.prefix());
    SoundFontProgram program;
    const session::ParamValue* presetAt = &fontValue;
    if (auto it = params.find("bank"); it != params.end()) {
        auto bank = wholeNumber(it->second, "bank", 0, 16383);
        if (!bank) return std::unexpected(bank.error());
        program.bank = *bank;
        program.program = 0;
        presetAt = &it->second;
    }
    if (auto it = params.find("program"); it != params.end()) {
        auto number = wholeNumber(it->second, "program", 0, 127);
        if (!number) return std::unexpected(number.error());
        program.program = *number;
        presetAt = &it->second;
    }
    auto font = SoundFontFile::load(*path);
    if (!font) return withContext(font.error(), fontValue.where.prefix());
    auto instrument = SoundFontInstrument::create(std::move(*font), program);
    if (!instrument) return withContext(instrument.error(), presetAt->where.prefix());
    return std::unique_ptr<engine::Instrument>(std::move(*instrument));
}

}  // namespace

Result<std::unique_ptr<SoundFontInstrument>> SoundFontInstrument::create(std::shared_ptr<SoundFontFile> font,
                                                                         SoundFontProgram program) {
    if (program.program && !font->hasPreset(program.bank, *program.program))
        return fail(ErrorCode::invalidSession,
                    fmt::format("{} has no program {} in bank {} (it has banks {}); GM programs are 0 … 127 in bank 0, "
                                "drum kits are in bank 128",
                                font->path().filename().string(), *program.program, program.bank,
                                fmt::join(font->banks(), ", ")));
    std::unique_ptr<SoundFontInstrument> instrument(new SoundFontInstrument());
    instrument->font_ = std::move(font);
    instrument->program_ = program;
    return instrument;
}

Result<void> SoundFontInstrument::prepare(SampleRate rate, int /*maxBlock: FluidSynth takes any block*/) {
    double min = 0.0, max = 0.0;
    fluid_settings_getnum_range(fluid_synth_get_settings(font_->probe()), "synth.sample-rate", &min, &max);
    if (rate.value < min || rate.value > max)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("FluidSynth renders at {} to {} Hz, not {} Hz; set the session's sample_rate within it",
                                min, max, rate.value));
    rate_ = rate;
    prepared_ = true;
    return {};
}

Result<std::unique_ptr<engine::PartPlayer>> SoundFontInstrument::play(const engine::InstrumentPart& part) {
    if (!prepared_) return fail(ErrorCode::internal, "SoundFontInstrument::play() before prepare()");
    std::vector<engine::InstrumentEvent> events;
    for (const auto& e : part.events)
        if (!overridden(e, program_)) events.push_back(e);
    auto release = longestRelease(*font_, program_, events);
    if (!release) return std::unexpected(release.error());
    fluid_synth_t* probe = font_->probe();
    const int block = fluid_synth_get_internal_bufsize(probe);
    int minNoteMs = 0;
    fluid_settings_getint(fluid_synth_get_settings(probe), "synth.min-note-length", &minNoteMs);
    // The release ends on a block; an event may land half a block late; a note may be held
    // to FluidSynth's minimum length. A few blocks cover all three.
    const std::int64_t margin = 3 * block + static_cast<std::int64_t>(std::ceil(minNoteMs * rate_.value / 1000.0));
    const FrameCount length{part.length.value + static_cast<std::int64_t>(std::ceil(*release * rate_.value)) + margin};
    return std::make_unique<SoundFontPlayer>(font_, program_, rate_, std::move(events), part.length, length, block);
}

void registerSoundFontInstrument(engine::InstrumentFactory& factory) { factory.add("soundfont", createFromSession); }

}  // namespace reel::compose
