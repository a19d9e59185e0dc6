#include "engine/reverb_processors.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/percent_text.hpp"
#include "dsp/convolution_reverb.hpp"
#include "dsp/fdn_reverb.hpp"
#include "engine/param_reader.hpp"
#include "io/resampling_reader.hpp"

namespace reel::engine {
namespace {

using ProcessorResult = Result<std::unique_ptr<dsp::Processor>>;

constexpr double kMaxImpulseSeconds = 60.0;
constexpr double kBusMix = 1.0;

/// ParamReader plus what it does not read: ratios written as percentages and free text (a
/// file name). Those are handled here on a private copy of the entry (percentages rewritten
/// as the ratio they mean, text taken out), and every name is still marked known, so
/// finish() catches typos and suggests the right name.
class ReverbParams {
public:
    explicit ReverbParams(const ProcessorContext& context)
        : original_(context.config), config_(context.config), reader_(config_) {}
    ReverbParams(const ReverbParams&) = delete;
    ReverbParams& operator=(const ReverbParams&) = delete;

    ParamReader& reader() { return reader_; }

    /// A ratio from "30%" or "0.3", in [min, max].
    Result<double> ratio(std::string_view name, double fallback, double min, double max) {
        if (auto* value = find(name)) {
            auto parsed = parsePercent(value->text);
            if (!parsed) return std::unexpected(errorAt(*value, fmt::format("{} {}", name, parsed.error().message)));
            if (*parsed < min || *parsed > max)
                return std::unexpected(
                    errorAt(*value, fmt::format("{} \"{}\" is out of range; expected {}% to {}% (or {} to {})", name,
                                                value->text, min * 100.0, max * 100.0, min, max)));
            value->text = fmt::format("{}", *parsed);
        }
        return reader_.number(name, fallback, min, max);
    }

    /// The text of a parameter written as free text, with its place; nullptr if absent.
    const session::ParamValue* text(std::string_view name) {
        config_.params.erase(std::string(name));
        (void)reader_.flag(name, false);  // absent from the copy now: this only marks the name known
        auto it = original_.params.find(std::string(name));
        return it == original_.params.end() ? nullptr : &it->second;
    }

    bool has(std::string_view name) const { return config_.params.contains(std::string(name)); }
    Result<void> finish() const { return reader_.finish(); }
    Error errorAt(const session::ParamValue& value, const std::string& what) const {
        return Error{ErrorCode::invalidSession, value.where.prefix() + config_.type + ": " + what};
    }

private:
    session::ParamValue* find(std::string_view name) {
        auto it = config_.params.find(std::string(name));
        return it == config_.params.end() ? nullptr : &it->second;
    }

    const session::ProcessorConfig& original_;
    session::ProcessorConfig config_;
    ParamReader reader_;  // reads config_ (declared after it)
};

#define REEL_TRY(var, expr)                                        \
    auto var##Result = (expr);                                     \
    if (!var##Result) return std::unexpected(var##Result.error()); \
    const auto var = *var##Result

/// True if the entry is in one of the session's bus chains: reverbs there default to 100 %
/// wet, since a send bus returns only the effect.
bool onBus(const ProcessorContext& context) {
    for (const auto& bus : context.session.buses)
        for (const auto& entry : bus.chain)
            if (&entry == &context.config) return true;
    return false;
}

ProcessorResult makeReverb(const ProcessorContext& context) {
    using P = dsp::FdnReverb;
    const auto info = P().parameters();
    ReverbParams params(context);
    auto& r = params.reader();
    const double defaultMix = onBus(context) ? kBusMix : info[P::kMix].defaultValue;
    REEL_TRY(size, r.number("size", info[P::kSize].defaultValue, info[P::kSize].min, info[P::kSize].max));
    const bool decayGiven = params.has("decay");
    REEL_TRY(decay, r.seconds("decay", Seconds{info[P::kDecay].defaultValue}, Seconds{info[P::kDecay].min},
                              Seconds{info[P::kDecay].max}));
    REEL_TRY(damping,
             r.number("damping", info[P::kDamping].defaultValue, info[P::kDamping].min, info[P::kDamping].max));
    REEL_TRY(predelay, r.seconds("predelay", Seconds{info[P::kPredelay].defaultValue}, Seconds{info[P::kPredelay].min},
                                 Seconds{info[P::kPredelay].max}));
    REEL_TRY(width, r.number("width", info[P::kWidth].defaultValue, info[P::kWidth].min, info[P::kWidth].max));
    REEL_TRY(mix, params.ratio("mix", defaultMix, info[P::kMix].min, info[P::kMix].max));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    P::Params p;
    p.size = size;
    if (decayGiven) p.decay = decay;
    p.damping = damping;
    p.predelay = predelay;
    p.width = width;
    p.mix = mix;
    return std::make_unique<P>(p);
}

/// Reads a whole impulse response at the session's rate.
Result<AudioBuffer> loadImpulseResponse(const std::filesystem::path& path, SampleRate rate) {
    auto reader = io::ResamplingReader::open(path, rate);
    if (!reader) return std::unexpected(reader.error());
    const int channels = reader->info().channels;
    if (channels < 1 || channels > 2)
        return fail(
            ErrorCode::formatUnsupported,
            fmt::format("{}: has {} channels; an impulse response must be mono or stereo", path.string(), channels));
    const std::int64_t frames = reader->numFrames().value;
    if (frames <= 0) return fail(ErrorCode::corruptData, path.string() + ": has no audio");
    if (static_cast<double>(frames) > kMaxImpulseSeconds * rate.value)
        return fail(ErrorCode::invalidArgument,
                    fmt::format("{}: is {:.1f} s long; an impulse response may be at most {} s", path.string(),
                                static_cast<double>(frames) / rate.value, kMaxImpulseSeconds));
    AudioBuffer ir(channels, frames);
    std::int64_t at = 0;
    while (at < frames) {
        auto got = reader->read(ir.view().slice(at, frames - at));
        if (!got) return std::unexpected(got.error());
        if (*got == 0) break;  // a header that promised more than the file holds: keep what there is
        at += *got;
    }
    if (at == 0) return fail(ErrorCode::corruptData, path.string() + ": has no audio");
    if (at < frames) {
        AudioBuffer trimmed(channels, at);
        for (int c = 0; c < channels; ++c) std::copy_n(ir.channel(c), at, trimmed.channel(c));
        return trimmed;
    }
    return ir;
}

ProcessorResult makeConvolution(const ProcessorContext& context) {
    using P = dsp::ConvolutionReverb;
    const auto info = P(AudioBuffer{}).parameters();
    ReverbParams params(context);
    auto& r = params.reader();
    const auto* ir = params.text("ir");
    const double defaultMix = onBus(context) ? kBusMix : info[P::kMix].defaultValue;
    REEL_TRY(mix, params.ratio("mix", defaultMix, info[P::kMix].min, info[P::kMix].max));
    REEL_TRY(predelay, r.seconds("predelay", Seconds{info[P::kPredelay].defaultValue}, Seconds{info[P::kPredelay].min},
                                 Seconds{info[P::kPredelay].max}));
    REEL_TRY(gain, r.decibels("gain", Decibels{info[P::kGain].defaultValue}, Decibels{info[P::kGain].min},
                              Decibels{info[P::kGain].max}));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    if (!ir || ir->text.empty())
        return fail(ErrorCode::invalidSession,
                    context.config.where.prefix() +
                        "convolution: needs ir: the impulse response file, e.g. {ir: irs/hall.wav, mix: 30%}");
    const std::filesystem::path path = context.session.folder() / ir->text;
    auto loaded = loadImpulseResponse(path, context.session.sampleRate);
    if (!loaded)
        return std::unexpected(
            Error{loaded.error().code, ir->where.prefix() + fmt::format("convolution: impulse response \"{}\": {}",
                                                                        ir->text, loaded.error().message)});
    return std::make_unique<P>(std::move(*loaded), P::Params{mix, predelay, gain});
}

}  // namespace

void registerReverbProcessors(ProcessorFactory& factory) {
    factory.add("reverb", makeReverb);
    factory.add("convolution", makeConvolution);
}

}  // namespace reel::engine
