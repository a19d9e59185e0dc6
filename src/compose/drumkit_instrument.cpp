#include "compose/drumkit_instrument.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"
#include "io/audio_file_reader.hpp"
#include "io/resampler.hpp"
#include "io/resampling_reader.hpp"
#include "session/closest_name.hpp"

namespace reel::compose {

/// One decoded sample at the session rate; `right` is empty for a mono one.
struct DecodedSample {
    std::vector<float> left;
    std::vector<float> right;
    std::int64_t numFrames() const noexcept { return static_cast<std::int64_t>(left.size()); }
};

struct DrumkitInstrument::Loaded {
    struct Layer {
        double minVelocity = 0.0;
        double maxVelocity = 1.0;
        float gain = 1.0f;
        int sample = 0;  // index in samples
    };
    struct Sound {
        float gainLeft = 1.0f;  // volume · gain · pan, per output
        float gainRight = 1.0f;
        int muteGroup = -1;
        std::vector<Layer> layers;  // empty for the sounds no note reaches
    };
    SampleRate rate;
    std::int64_t chokeFrames = 1;
    std::vector<DecodedSample> samples;
    std::vector<Sound> sounds;  // as kit.sounds
};

namespace {

using Loaded = DrumkitInstrument::Loaded;
constexpr std::int64_t kReadFrames = 8192;
constexpr std::array<int, 3> kHatNotes{42, 44, 46};  // closed, pedal, open

/// Appends frames [0, n) of `block` (first two channels) to `sample`.
void append(DecodedSample& sample, const AudioBuffer& block, std::int64_t n) {
    sample.left.insert(sample.left.end(), block.channel(0), block.channel(0) + n);
    if (block.numChannels() > 1) sample.right.insert(sample.right.end(), block.channel(1), block.channel(1) + n);
}

/// Drops the trailing frames below kSilenceFloor on every channel (see the header).
void trimSilence(DecodedSample& sample) {
    auto loud = [](float x) { return std::abs(x) >= DrumkitInstrument::kSilenceFloor; };
    std::size_t end = sample.left.size();
    while (end > 0 && !loud(sample.left[end - 1]) && (sample.right.empty() || !loud(sample.right[end - 1]))) --end;
    sample.left.resize(end);
    if (!sample.right.empty()) sample.right.resize(end);
    sample.left.shrink_to_fit();
    sample.right.shrink_to_fit();
}

/// Decodes a layer's file at `rate`, played `pitchSemitones` higher (varispeed).
Result<DecodedSample> decode(const std::filesystem::path& file, double pitchSemitones, SampleRate rate) {
    DecodedSample sample;
    if (pitchSemitones == 0.0) {
        auto reader = io::ResamplingReader::open(file, rate);
        if (!reader) return std::unexpected(reader.error());
        AudioBuffer block(reader->info().channels, kReadFrames);
        sample.left.reserve(static_cast<std::size_t>(reader->numFrames().value));
        for (;;) {
            auto got = reader->read(block.view());
            if (!got) return std::unexpected(got.error());
            if (*got == 0) break;
            append(sample, block, *got);
        }
    } else {
        auto reader = io::AudioFileReader::open(file);
        if (!reader) return std::unexpected(reader.error());
        const int channels = reader->info().channels;
        const double sourceRate = reader->info().sampleRate.value * std::exp2(pitchSemitones / 12.0);
        auto resampler = io::Resampler::create(sourceRate, rate.value, channels);
        if (!resampler) return withContext(resampler.error(), file.string() + ": ");
        AudioBuffer in(channels, kReadFrames);
        AudioBuffer out(channels, kReadFrames);
        for (;;) {
            auto got = reader->read(in.view());
            if (!got) return std::unexpected(got.error());
            const AudioView input = *got == 0 ? AudioView{} : in.view(*got);
            std::int64_t used = 0;
            for (;;) {  // until this block is taken, or (at the end) the filter's tail is out
                auto progress = resampler->process(*got == 0 ? input : input.slice(used, *got - used), out.view());
                if (!progress) return withContext(progress.error(), file.string() + ": ");
                used += progress->inputUsed;
                append(sample, out, progress->outputMade);
                if (*got == 0 ? progress->outputMade == 0 : used == *got) break;
                if (progress->inputUsed == 0 && progress->outputMade == 0)
                    return fail(ErrorCode::internal, file.string() + ": the resampler made no progress");
            }
            if (*got == 0) break;
        }
    }
    trimSilence(sample);
    return sample;
}

/// The layer a velocity (0 … 1) plays: the first whose range holds it, else the nearest.
const Loaded::Layer* layerFor(const Loaded::Sound& sound, double velocity) {
    const Loaded::Layer* nearest = nullptr;
    double distance = 2.0;
    for (const auto& layer : sound.layers) {
        if (velocity >= layer.minVelocity && velocity <= layer.maxVelocity) return &layer;
        const double d = std::min(std::abs(velocity - layer.minVelocity), std::abs(velocity - layer.maxVelocity));
        if (d < distance) distance = d, nearest = &layer;
    }
    return nearest;
}

/// A note's start, resolved when the part is played: the sample, its gains and group.
struct Hit {
    std::int64_t frame = 0;
    int sample = 0;
    int sound = 0;
    int muteGroup = -1;
    float gainLeft = 0.0f;
    float gainRight = 0.0f;
};

/// One sounding sample.
struct Voice {
    const float* left = nullptr;
    const float* right = nullptr;
    std::int64_t numFrames = 0;
    std::int64_t position = 0;
    std::int64_t fadeLeft = -1;  // frames of the choke fade still to play; -1 = not choked
    std::uint64_t serial = 0;    // start order, for stealing the oldest
    float gainLeft = 0.0f;
    float gainRight = 0.0f;
    int sound = -1;
    int muteGroup = -1;
    bool active = false;
};

class DrumkitPlayer final : public engine::PartPlayer {
public:
    DrumkitPlayer(std::shared_ptr<const Loaded> loaded, std::vector<Hit> hits, FrameCount length)
        : loaded_(std::move(loaded)), hits_(std::move(hits)), length_(length) {}

    FrameCount length() const noexcept override { return length_; }
    bool finished() const noexcept override { return position_ >= length_.value || (next_ == hits_.size() && active_ == 0); }

    Result<std::int64_t> render(AudioView out) override {
        const std::int64_t wanted = out.numFrames();
        const std::int64_t produce = std::clamp<std::int64_t>(length_.value - position_, 0, wanted);
        out.clear();
        std::int64_t done = 0;
        while (done < produce) {
            const std::int64_t now = position_ + done;
            for (; next_ < hits_.size() && hits_[next_].frame <= now; ++next_) start(hits_[next_]);
            std::int64_t until = position_ + produce;
            if (next_ < hits_.size()) until = std::min(until, hits_[next_].frame);
            const std::int64_t count = until - now;
            for (Voice& voice : voices_)
                if (voice.active) mix(voice, out.channel(0) + done, out.channel(1) + done, count);
            done += count;
        }
        position_ += produce;
        return produce;
    }

private:
    void start(const Hit& hit) noexcept {
        if (hit.muteGroup >= 0)
            for (Voice& voice : voices_)
                if (voice.active && voice.muteGroup == hit.muteGroup && voice.sound != hit.sound) choke(voice);
        int ringing = 0;
        Voice* oldestRinging = nullptr;
        for (Voice& voice : voices_) {
            if (!voice.active || voice.fadeLeft >= 0) continue;
            ++ringing;
            if (!oldestRinging || voice.serial < oldestRinging->serial) oldestRinging = &voice;
        }
        if (ringing >= DrumkitInstrument::kPolyphony) choke(*oldestRinging);
        Voice* slot = nullptr;
        for (Voice& voice : voices_)
            if (!voice.active) {
                slot = &voice;
                break;
            }
        if (!slot) {  // every slot is still fading: cut the oldest, nearly silent by now
            slot = &voices_[0];
            for (Voice& voice : voices_)
                if (voice.serial < slot->serial) slot = &voice;
            --active_;
        }
        const DecodedSample& sample = loaded_->samples[static_cast<std::size_t>(hit.sample)];
        *slot = Voice{sample.left.data(),
                      sample.right.empty() ? sample.left.data() : sample.right.data(),
                      sample.numFrames(),
                      0,
                      -1,
                      serial_++,
                      hit.gainLeft,
                      hit.gainRight,
                      hit.sound,
                      hit.muteGroup,
                      sample.numFrames() > 0};
        if (slot->active) ++active_;
    }

    void choke(Voice& voice) const noexcept {
        if (voice.fadeLeft < 0) voice.fadeLeft = loaded_->chokeFrames;
    }

    /// Adds `n` frames of a voice to left and right, and retires it when it has ended.
    void mix(Voice& voice, float* left, float* right, std::int64_t n) noexcept {
        std::int64_t m = std::min(n, voice.numFrames - voice.position);
        const float* l = voice.left + voice.position;
        const float* r = voice.right + voice.position;
        const float gl = voice.gainLeft;
        const float gr = voice.gainRight;
        if (voice.fadeLeft < 0) {
            for (std::int64_t i = 0; i < m; ++i) {
                left[i] += l[i] * gl;
                right[i] += r[i] * gr;
            }
        } else {
            m = std::min(m, voice.fadeLeft);
            const auto fadeFrames = static_cast<float>(loaded_->chokeFrames);
            for (std::int64_t i = 0; i < m; ++i) {
                const float fade = static_cast<float>(voice.fadeLeft - i) / fadeFrames;
                left[i] += l[i] * gl * fade;
                right[i] += r[i] * gr * fade;
            }
            voice.fadeLeft -= m;
        }
        voice.position += m;
        if (voice.position >= voice.numFrames || voice.fadeLeft == 0) {
            voice.active = false;
            --active_;
        }
    }

    std::shared_ptr<const Loaded> loaded_;
    std::vector<Hit> hits_;
    FrameCount length_;
    std::array<Voice, DrumkitInstrument::kVoiceSlots> voices_{};
    std::size_t next_ = 0;
    int active_ = 0;
    std::uint64_t serial_ = 0;
    std::int64_t position_ = 0;
};

/// The names of the kit's sounds that have samples, for messages.
std::string soundNames(const DrumkitFile& kit) {
    std::vector<std::string> names;
    for (const auto& sound : kit.sounds)
        if (!sound.layers.empty()) names.push_back(fmt::format("\"{}\"", sound.name));
    return fmt::format("{}", fmt::join(names, ", "));
}

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Applies `map: {36: Kick, …}` over the GM guesses; errors name the entry's line.
Result<void> applyMap(const session::ParamValue& map, const DrumkitFile& kit, DrumkitNoteMap& notes) {
    if (map.shape != session::ParamShape::map || map.items.size() != 1)
        return fail(ErrorCode::invalidSession,
                    map.where.prefix() + "drumkit: map should be a map of MIDI notes to the kit's sounds, like "
                                         "{36: Kick, 38: Snare}");
    for (const auto& [key, value] : map.items.front()) {
        int note = -1;
        const char* end = key.data() + key.size();
        auto [stop, ec] = std::from_chars(key.data(), end, note);
        if (ec != std::errc() || stop != end || note < 0 || note > 127)
            return fail(ErrorCode::invalidSession,
                        value.where.prefix() +
                            fmt::format("drumkit: map key \"{}\" should be a MIDI note number from 0 to 127 (36 is "
                                        "the GM bass drum, 38 the snare)",
                                        key));
        int found = -1;
        for (std::size_t i = 0; i < kit.sounds.size() && found < 0; ++i)
            if (kit.sounds[i].name == value.text) found = static_cast<int>(i);
        for (std::size_t i = 0; i < kit.sounds.size() && found < 0; ++i)
            if (lowered(kit.sounds[i].name) == lowered(value.text)) found = static_cast<int>(i);
        if (found >= 0 && kit.sounds[static_cast<std::size_t>(found)].layers.empty())
            return fail(ErrorCode::invalidSession,
                        value.where.prefix() + fmt::format("drumkit: the sound \"{}\" of {} has no samples; the kit's "
                                                           "sounds are {}",
                                                           value.text, kit.path.string(), soundNames(kit)));
        if (found < 0) {
            std::vector<std::string_view> names;
            for (const auto& sound : kit.sounds) names.push_back(sound.name);
            std::string message = value.where.prefix() + fmt::format("drumkit: {} has no sound \"{}\"", kit.path.string(),
                                                                      value.text);
            if (auto closest = session::closestName(value.text, names))
                message += fmt::format("; did you mean \"{}\"?", *closest);
            return fail(ErrorCode::invalidSession, message + fmt::format(" (it has {})", soundNames(kit)));
        }
        notes[static_cast<std::size_t>(note)] = found;
    }
    return {};
}

Result<std::unique_ptr<engine::Instrument>> createFromSession(const engine::InstrumentContext& context) {
    const auto& params = context.config.params;
    constexpr std::array<std::string_view, 2> kKeys{"kit", "map"};
    for (const auto& [name, value] : params) {
        if (std::find(kKeys.begin(), kKeys.end(), name) != kKeys.end()) continue;
        std::string message = value.where.prefix() + fmt::format("drumkit: unknown parameter \"{}\"", name);
        if (auto closest = session::closestName(name, kKeys)) message += fmt::format("; did you mean \"{}\"?", *closest);
        return fail(ErrorCode::invalidSession, message + " (a drumkit instrument has kit and map)");
    }
    auto kitParam = params.find("kit");
    if (kitParam == params.end())
        return fail(ErrorCode::invalidSession,
                    context.config.where.prefix() +
                        "drumkit instrument has no \"kit\"; name a Hydrogen kit (kit: BJA_Pacific) or a drumkit.xml");
    const session::ParamValue& kitValue = kitParam->second;
    auto path = resolveDrumkit(kitValue.text, context.session.folder());
    if (!path) return withContext(path.error(), kitValue.where.prefix());
    auto kit = DrumkitFile::load(*path);
    if (!kit) return withContext(kit.error(), kitValue.where.prefix());
    DrumkitNoteMap notes = generalMidiDrumMap(*kit);
    if (auto map = params.find("map"); map != params.end())
        if (auto ok = applyMap(map->second, *kit, notes); !ok) return std::unexpected(ok.error());
    return std::unique_ptr<engine::Instrument>(DrumkitInstrument::create(std::move(*kit), notes));
}

}  // namespace

std::unique_ptr<DrumkitInstrument> DrumkitInstrument::create(DrumkitFile kit, const DrumkitNoteMap& notes) {
    std::unique_ptr<DrumkitInstrument> instrument(new DrumkitInstrument());
    instrument->kit_ = std::move(kit);
    instrument->notes_ = notes;
    return instrument;
}

DrumkitInstrument::~DrumkitInstrument() = default;

const DrumkitFile& DrumkitInstrument::kit() const noexcept { return kit_; }
const DrumkitNoteMap& DrumkitInstrument::notes() const noexcept { return notes_; }

Result<void> DrumkitInstrument::prepare(SampleRate rate, int /*maxBlock: any block is rendered*/) {
    if (!(std::isfinite(rate.value) && rate.value > 0.0))
        return fail(ErrorCode::invalidArgument, fmt::format("a drum kit cannot play at {} Hz", rate.value));
    auto loaded = std::make_shared<Loaded>();
    loaded->rate = rate;
    loaded->chokeFrames = std::max<std::int64_t>(1, std::llround(kChokeSeconds * rate.value));
    loaded->sounds.resize(kit_.sounds.size());
    std::vector<bool> reached(kit_.sounds.size(), false);
    for (int sound : notes_)
        if (sound >= 0) reached[static_cast<std::size_t>(sound)] = true;

    std::map<std::pair<std::filesystem::path, double>, int> decoded;  // (file, pitch) -> sample
    for (std::size_t s = 0; s < kit_.sounds.size(); ++s) {
        if (!reached[s]) continue;
        const DrumkitSound& sound = kit_.sounds[s];
        Loaded::Sound& out = loaded->sounds[s];
        const auto gain = static_cast<float>(sound.volume * sound.gain);
        out.gainLeft = gain * static_cast<float>(sound.panLeft);
        out.gainRight = gain * static_cast<float>(sound.panRight);
        out.muteGroup = sound.muteGroup;
        for (const DrumkitLayer& layer : sound.layers) {
            const auto key = std::pair{layer.file, layer.pitchSemitones};
            auto known = decoded.find(key);
            if (known == decoded.end()) {
                auto sample = decode(layer.file, layer.pitchSemitones, rate);
                if (!sample)
                    return withContext(sample.error(), fmt::format("drum kit {}, sound \"{}\": ", kit_.path.string(),
                                                                   sound.name));
                loaded->samples.push_back(std::move(*sample));
                known = decoded.emplace(key, static_cast<int>(loaded->samples.size() - 1)).first;
            }
            out.layers.push_back({layer.minVelocity, layer.maxVelocity, static_cast<float>(layer.gain), known->second});
        }
    }

    // Hats that share no mute group get one of their own (see the header).
    std::vector<int> hats;
    for (int note : kHatNotes)
        if (int sound = notes_[static_cast<std::size_t>(note)]; sound >= 0 && std::find(hats.begin(), hats.end(), sound) == hats.end())
            hats.push_back(sound);
    const auto grouped = [&](int sound) { return loaded->sounds[static_cast<std::size_t>(sound)].muteGroup >= 0; };
    if (hats.size() > 1 && std::none_of(hats.begin(), hats.end(), grouped)) {
        int fresh = 0;
        for (const auto& sound : loaded->sounds) fresh = std::max(fresh, sound.muteGroup + 1);
        for (int sound : hats) loaded->sounds[static_cast<std::size_t>(sound)].muteGroup = fresh;
    }
    loaded_ = std::move(loaded);
    return {};
}

Result<std::unique_ptr<engine::PartPlayer>> DrumkitInstrument::play(const engine::InstrumentPart& part) {
    if (!loaded_) return fail(ErrorCode::internal, "DrumkitInstrument::play() before prepare()");
    std::vector<Hit> hits;
    std::int64_t end = part.length.value;
    for (const auto& e : part.events) {
        if ((e.status & 0xF0) != 0x90 || e.data2 == 0) continue;  // one-shots: only note-ons count
        const int key = e.data1 & 0x7F;
        const int sound = notes_[static_cast<std::size_t>(key)];
        if (sound < 0) {
            const std::string_view gm = generalMidiDrumName(key);
            return fail(ErrorCode::invalidSession,
                        fmt::format("the note {}{} at frame {} has no sound in the drum kit {}; add it to the "
                                    "instrument's map, e.g. map: {{{}: \"<sound>\"}}, with one of {}",
                                    key, gm.empty() ? "" : fmt::format(" ({})", gm), e.frame, kit_.path.string(),
                                    key, soundNames(kit_)));
        }
        const Loaded::Sound& loaded = loaded_->sounds[static_cast<std::size_t>(sound)];
        const double velocity = e.data2 / 127.0;
        const Loaded::Layer* layer = layerFor(loaded, velocity);
        const float gain = static_cast<float>(velocity) * layer->gain;
        hits.push_back({e.frame, layer->sample, sound, loaded.muteGroup, loaded.gainLeft * gain, loaded.gainRight * gain});
        end = std::max(end, e.frame + loaded_->samples[static_cast<std::size_t>(layer->sample)].numFrames());
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.frame < b.frame; });
    return std::make_unique<DrumkitPlayer>(loaded_, std::move(hits), FrameCount{end});
}

void registerDrumkitInstrument(engine::InstrumentFactory& factory) { factory.add("drumkit", createFromSession); }

}  // namespace reel::compose
