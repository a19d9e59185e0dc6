#include "engine/effects_processors.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/note_value.hpp"
#include "core/percent_text.hpp"
#include "dsp/chorus.hpp"
#include "dsp/delay.hpp"
#include "dsp/flanger.hpp"
#include "dsp/phaser.hpp"
#include "dsp/saturation.hpp"
#include "engine/param_reader.hpp"

namespace reel::engine {
namespace {

using ProcessorResult = Result<std::unique_ptr<dsp::Processor>>;

/// ParamReader plus the two spellings it does not know: ratios written as percentages and
/// times written as note values. Those are checked here (errors quote the text as written),
/// then rewritten in a private copy of the entry as the plain number they mean, so
/// ParamReader still marks them known and finish() still catches every typo.
class EffectParams {
public:
    explicit EffectParams(const ProcessorContext& context) : context_(context), config_(context.config), reader_(config_) {}
    EffectParams(const EffectParams&) = delete;
    EffectParams& operator=(const EffectParams&) = delete;

    ParamReader& reader() { return reader_; }

    /// A ratio from a percentage ("35%") or a plain number ("0.35"), in [min, max].
    Result<double> ratio(std::string_view name, double fallback, double min, double max) {
        if (auto* value = find(name)) {
            auto parsed = parsePercent(value->text);
            if (!parsed) return std::unexpected(errorAt(*value, fmt::format("{} {}", name, parsed.error().message)));
            if (*parsed < min || *parsed > max)
                return std::unexpected(errorAt(*value, fmt::format("{} \"{}\" is out of range; expected {}% to {}% (or {} to {})",
                                                                   name, value->text, min * 100.0, max * 100.0, min, max)));
            value->text = fmt::format("{}", *parsed);
        }
        return reader_.number(name, fallback, min, max);
    }

    /// A time with a unit ("375ms") or a note value at the session's tempo ("1/8.").
    Result<Seconds> timeOrNote(std::string_view name, Seconds fallback, Seconds min, Seconds max) {
        if (auto* value = find(name); value && looksLikeNoteValue(value->text)) {
            auto note = parseNoteValue(value->text);
            if (!note) return std::unexpected(errorAt(*value, fmt::format("{} {}", name, note.error().message)));
            const auto& session = context_.session;
            if (!(session.tempo > 0.0))
                return std::unexpected(errorAt(*value, fmt::format("{} \"{}\" needs the session's tempo", name, value->text)));
            const Seconds seconds = noteValueSeconds(*note, session.tempo, session.meter.beatUnit);
            if (seconds < min || seconds > max)
                return std::unexpected(errorAt(
                    *value, fmt::format("{} \"{}\" is {:.4g}s at {} bpm in {}/{}; expected {}s to {}s", name, value->text,
                                        seconds.value, session.tempo, session.meter.beatsPerBar, session.meter.beatUnit,
                                        min.value, max.value)));
            value->text = fmt::format("{}s", seconds.value);
        }
        return reader_.seconds(name, fallback, min, max);
    }

    /// A whole number in [min, max].
    Result<int> wholeNumber(std::string_view name, int fallback, int min, int max) {
        auto number = reader_.number(name, fallback, min, max);
        if (!number) return std::unexpected(number.error());
        if (*number != std::floor(*number))
            return std::unexpected(errorAt(*find(name), fmt::format("{} \"{}\" should be a whole number", name, find(name)->text)));
        return static_cast<int>(*number);
    }

    Result<void> finish() const { return reader_.finish(); }
    const session::Session& session() const { return context_.session; }

private:
    session::ParamValue* find(std::string_view name) {
        auto it = config_.params.find(std::string(name));
        return it == config_.params.end() ? nullptr : &it->second;
    }
    Error errorAt(const session::ParamValue& value, const std::string& what) const {
        return Error{ErrorCode::invalidSession, value.where.prefix() + config_.type + ": " + what};
    }

    const ProcessorContext& context_;
    session::ProcessorConfig config_;
    ParamReader reader_;  // reads config_ (declared after it)
};

/// Shorthand for the getters: return the error from the enclosing creator.
#define REEL_TRY(var, expr)                                   \
    auto var##Result = (expr);                                \
    if (!var##Result) return std::unexpected(var##Result.error()); \
    const auto var = *var##Result

ProcessorResult makeDelay(const ProcessorContext& context) {
    using P = dsp::Delay;
    const auto info = P().parameters();
    EffectParams params(context);
    const auto& s = context.session;
    const Seconds quarter = noteValueSeconds(NoteValue{0.25}, s.tempo > 0.0 ? s.tempo : 120.0, s.meter.beatUnit);
    const Seconds fallback{std::min(quarter.value, info[P::kTime].max)};
    REEL_TRY(time, params.timeOrNote("time", fallback, Seconds{info[P::kTime].min}, Seconds{info[P::kTime].max}));
    REEL_TRY(feedback, params.ratio("feedback", info[P::kFeedback].defaultValue, info[P::kFeedback].min, info[P::kFeedback].max));
    REEL_TRY(lowcut, params.reader().hertz("lowcut", Hertz{info[P::kLowcut].defaultValue}, Hertz{info[P::kLowcut].min},
                                           Hertz{info[P::kLowcut].max}));
    REEL_TRY(highcut, params.reader().hertz("highcut", Hertz{info[P::kHighcut].defaultValue}, Hertz{info[P::kHighcut].min},
                                            Hertz{info[P::kHighcut].max}));
    REEL_TRY(pingPong, params.reader().flag("ping_pong", false));
    REEL_TRY(mix, params.ratio("mix", info[P::kMix].defaultValue, info[P::kMix].min, info[P::kMix].max));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<P>(P::Params{time, feedback, lowcut, highcut, pingPong ? dsp::PingPong::yes : dsp::PingPong::no, mix});
}

ProcessorResult makeChorus(const ProcessorContext& context) {
    using P = dsp::Chorus;
    const auto info = P().parameters();
    EffectParams params(context);
    auto& r = params.reader();
    REEL_TRY(rate, r.hertz("rate", Hertz{info[P::kRate].defaultValue}, Hertz{info[P::kRate].min}, Hertz{info[P::kRate].max}));
    REEL_TRY(depth, r.seconds("depth", Seconds{info[P::kDepth].defaultValue}, Seconds{info[P::kDepth].min},
                              Seconds{info[P::kDepth].max}));
    REEL_TRY(delay, r.seconds("delay", Seconds{info[P::kDelay].defaultValue}, Seconds{info[P::kDelay].min},
                              Seconds{info[P::kDelay].max}));
    REEL_TRY(mix, params.ratio("mix", info[P::kMix].defaultValue, info[P::kMix].min, info[P::kMix].max));
    REEL_TRY(spread, r.number("spread", info[P::kSpread].defaultValue, info[P::kSpread].min, info[P::kSpread].max));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<P>(P::Params{rate, depth, delay, mix, spread});
}

ProcessorResult makeFlanger(const ProcessorContext& context) {
    using P = dsp::Flanger;
    const auto info = P().parameters();
    EffectParams params(context);
    auto& r = params.reader();
    REEL_TRY(rate, r.hertz("rate", Hertz{info[P::kRate].defaultValue}, Hertz{info[P::kRate].min}, Hertz{info[P::kRate].max}));
    REEL_TRY(depth, r.seconds("depth", Seconds{info[P::kDepth].defaultValue}, Seconds{info[P::kDepth].min},
                              Seconds{info[P::kDepth].max}));
    REEL_TRY(delay, r.seconds("delay", Seconds{info[P::kDelay].defaultValue}, Seconds{info[P::kDelay].min},
                              Seconds{info[P::kDelay].max}));
    REEL_TRY(feedback, params.ratio("feedback", info[P::kFeedback].defaultValue, info[P::kFeedback].min, info[P::kFeedback].max));
    REEL_TRY(mix, params.ratio("mix", info[P::kMix].defaultValue, info[P::kMix].min, info[P::kMix].max));
    REEL_TRY(spread, r.number("spread", info[P::kSpread].defaultValue, info[P::kSpread].min, info[P::kSpread].max));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<P>(P::Params{rate, depth, delay, feedback, mix, spread});
}

ProcessorResult makePhaser(const ProcessorContext& context) {
    using P = dsp::Phaser;
    const auto info = P().parameters();
    EffectParams params(context);
    auto& r = params.reader();
    REEL_TRY(rate, r.hertz("rate", Hertz{info[P::kRate].defaultValue}, Hertz{info[P::kRate].min}, Hertz{info[P::kRate].max}));
    REEL_TRY(frequency, r.hertz("frequency", Hertz{info[P::kFrequency].defaultValue}, Hertz{info[P::kFrequency].min},
                                Hertz{info[P::kFrequency].max}));
    REEL_TRY(depth, params.ratio("depth", info[P::kDepth].defaultValue, info[P::kDepth].min, info[P::kDepth].max));
    REEL_TRY(stages, params.wholeNumber("stages", static_cast<int>(info[P::kStages].defaultValue),
                                        static_cast<int>(info[P::kStages].min), static_cast<int>(info[P::kStages].max)));
    REEL_TRY(feedback, params.ratio("feedback", info[P::kFeedback].defaultValue, info[P::kFeedback].min, info[P::kFeedback].max));
    REEL_TRY(mix, params.ratio("mix", info[P::kMix].defaultValue, info[P::kMix].min, info[P::kMix].max));
    REEL_TRY(spread, r.number("spread", info[P::kSpread].defaultValue, info[P::kSpread].min, info[P::kSpread].max));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<P>(P::Params{rate, frequency, depth, stages, feedback, mix, spread});
}

ProcessorResult makeSaturation(const ProcessorContext& context) {
    using P = dsp::Saturation;
    const auto info = P().parameters();
    EffectParams params(context);
    auto& r = params.reader();
    REEL_TRY(curve, r.choice("curve", "tape", {"tape", "tube", "hard"}));
    REEL_TRY(drive, r.decibels("drive", Decibels{info[P::kDrive].defaultValue}, Decibels{info[P::kDrive].min},
                               Decibels{info[P::kDrive].max}));
    REEL_TRY(output, r.decibels("output", Decibels{info[P::kOutput].defaultValue}, Decibels{info[P::kOutput].min},
                                Decibels{info[P::kOutput].max}));
    REEL_TRY(mix, params.ratio("mix", info[P::kMix].defaultValue, info[P::kMix].min, info[P::kMix].max));
    REEL_TRY(oversampling, r.choice("oversampling", "16x", {"off", "2x", "4x", "8x", "16x"}));
    if (auto done = params.finish(); !done) return std::unexpected(done.error());
    P::Params p;
    p.curve = curve == "tube" ? dsp::SaturationCurve::tube
              : curve == "hard" ? dsp::SaturationCurve::hard
                                : dsp::SaturationCurve::tape;
    p.drive = drive;
    p.output = output;
    p.mix = mix;
    p.oversampling = oversampling == "off"  ? dsp::Oversampling::off
                     : oversampling == "2x" ? dsp::Oversampling::x2
                     : oversampling == "4x" ? dsp::Oversampling::x4
                     : oversampling == "8x" ? dsp::Oversampling::x8
                                            : dsp::Oversampling::x16;
    return std::make_unique<P>(p);
}

#undef REEL_TRY

}  // namespace

void registerEffectsProcessors(ProcessorFactory& factory) {
    factory.add("delay", makeDelay);
    factory.add("chorus", makeChorus);
    factory.add("flanger", makeFlanger);
    factory.add("phaser", makePhaser);
    factory.add("saturation", makeSaturation);
}

}  // namespace reel::engine
