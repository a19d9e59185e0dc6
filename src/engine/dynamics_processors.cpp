#include "engine/dynamics_processors.hpp"

#include <fmt/format.h>

#include <optional>

#include "core/unit_text.hpp"
#include "dsp/compressor.hpp"
#include "dsp/de_esser.hpp"
#include "dsp/downward_expander.hpp"
#include "dsp/limiter.hpp"
#include "engine/param_reader.hpp"

namespace reel::engine {
namespace {

using Info = dsp::ParameterInfo;

/// Keeps the first error of a run of reads, so a creator reads every parameter in a row and
/// checks once.
struct FirstError {
    std::optional<Error> error;
    template <class T>
    T operator()(Result<T> read, T fallback) {
        if (read) return *read;
        if (!error) error = read.error();
        return fallback;
    }
};

Result<Decibels> readDecibels(ParamReader& r, const Info& info) {
    return r.decibels(info.name, Decibels{info.defaultValue}, Decibels{info.min}, Decibels{info.max});
}
Result<Seconds> readSeconds(ParamReader& r, const Info& info) {
    return r.seconds(info.name, Seconds{info.defaultValue}, Seconds{info.min}, Seconds{info.max});
}
Result<Hertz> readHertz(ParamReader& r, const Info& info) {
    return r.hertz(info.name, Hertz{info.defaultValue}, Hertz{info.min}, Hertz{info.max});
}
Result<double> readNumber(ParamReader& r, const Info& info) {
    return r.number(info.name, info.defaultValue, info.min, info.max);
}

Error errorAt(const session::ProcessorConfig& config, const session::ParamValue& value, const std::string& what) {
    return Error{ErrorCode::invalidSession, value.where.prefix() + config.type + ": " + what};
}

/// The entries ParamReader cannot read (free names, "auto", percentages) are taken out of a
/// copy of the config and read here; the reader still learns their names (by asking for
/// them in the copy, where they are absent), so a typo of them gets a suggestion.
class DynamicsConfig {
public:
    explicit DynamicsConfig(const session::ProcessorConfig& config) : original_(config), rest_(config) {}

    /// Takes `name` out for reading by hand; null if the session does not set it.
    const session::ParamValue* take(std::string_view name) {
        taken_.emplace_back(name);
        auto it = original_.params.find(std::string(name));
        if (it == original_.params.end()) return nullptr;
        rest_.params.erase(std::string(name));
        return &it->second;
    }
    /// Takes `name` out only if its text is `word` (e.g. makeup: auto).
    bool takeWord(std::string_view name, std::string_view word) {
        auto it = original_.params.find(std::string(name));
        if (it == original_.params.end() || it->second.text != word) return false;
        rest_.params.erase(std::string(name));
        return true;
    }
    /// A reader over what is left, told the names taken.
    ParamReader reader() const {
        ParamReader r(rest_);
        for (const auto& name : taken_) static_cast<void>(r.flag(name, false));
        return r;
    }
    const session::ProcessorConfig& original() const { return original_; }

private:
    const session::ProcessorConfig& original_;
    session::ProcessorConfig rest_;
    std::vector<std::string> taken_;
};

/// `link: 100%` or a fraction `link: 0.5`.
Result<double> readLink(DynamicsConfig& config, const Info& info) {
    const session::ParamValue* value = config.take(info.name);
    if (!value) return info.defaultValue;
    std::string_view text = value->text;
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.remove_suffix(1);
    auto number = parseNumber(text);
    if (!number)
        return std::unexpected(errorAt(config.original(), *value,
                                       fmt::format("{} \"{}\" should be a percentage such as 100% or a fraction from 0 to 1",
                                                   info.name, value->text)));
    const double fraction = percent ? *number / 100.0 : *number;
    if (fraction < 0.0 || fraction > 1.0)
        return std::unexpected(errorAt(config.original(), *value,
                                       fmt::format("{} \"{}\" is out of range; expected 0% to 100% (or 0 to 1)",
                                                   info.name, value->text)));
    return fraction;
}

/// `sidechain: Kick`: the key's source, checked to be one name.
Result<std::optional<std::string>> readSidechain(DynamicsConfig& config) {
    const session::ParamValue* value = config.take("sidechain");
    if (!value) return std::optional<std::string>{};
    if (value->shape != session::ParamShape::scalar || value->text.empty())
        return std::unexpected(errorAt(config.original(), *value, "sidechain should name a track, e.g. sidechain: Kick"));
    return std::optional<std::string>{value->text};
}

/// `sidechain_highpass: 100Hz`, or `off` (= 0 Hz, the default).
Result<Hertz> readSidechainHighpass(DynamicsConfig& config, ParamReader& reader, const Info& info) {
    if (config.takeWord(info.name, "off")) return Hertz{0.0};
    return readHertz(reader, info);
}

Result<dsp::LevelDetection> readDetection(ParamReader& reader) {
    auto word = reader.choice("detection", "peak", {"peak", "rms"});
    if (!word) return std::unexpected(word.error());
    return *word == "rms" ? dsp::LevelDetection::rms : dsp::LevelDetection::peak;
}

Result<Seconds> readLookahead(ParamReader& reader, Seconds fallback, double maxSeconds) {
    return reader.seconds("lookahead", fallback, Seconds{0.0}, Seconds{maxSeconds});
}

Result<std::unique_ptr<dsp::Processor>> makeCompressor(const ProcessorContext& context) {
    using C = dsp::Compressor;
    const auto info = C::parameterInfo();
    DynamicsConfig config(context.config);
    FirstError check;
    C::Params p;
    const auto sidechain = check(readSidechain(config), std::optional<std::string>{});
    p.link = check(readLink(config, info[C::link]), p.link);
    if (config.takeWord("makeup", "auto")) p.makeupMode = dsp::MakeupMode::automatic;
    const bool automatic = p.makeupMode == dsp::MakeupMode::automatic;
    ParamReader reader = config.reader();
    if (automatic) static_cast<void>(reader.flag("makeup", false));  // known, though read above
    p.threshold = check(readDecibels(reader, info[C::threshold]), p.threshold);
    p.ratio = check(readNumber(reader, info[C::ratio]), p.ratio);
    p.knee = check(readDecibels(reader, info[C::knee]), p.knee);
    p.attack = check(readSeconds(reader, info[C::attack]), p.attack);
    p.release = check(readSeconds(reader, info[C::release]), p.release);
    if (!automatic) p.makeup = check(readDecibels(reader, info[C::makeup]), p.makeup);
    p.detection = check(readDetection(reader), p.detection);
    p.lookahead = check(readLookahead(reader, p.lookahead, C::kMaxLookaheadSeconds), p.lookahead);
    p.sidechainHighpass = check(readSidechainHighpass(config, reader, info[C::sidechainHighpass]), p.sidechainHighpass);
    if (check.error) return std::unexpected(*check.error);
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    p.keying = sidechain ? dsp::Keying::external : dsp::Keying::input;
    return std::make_unique<C>(p);
}

Result<std::unique_ptr<dsp::Processor>> makeExpander(const ProcessorContext& context, dsp::DownwardExpander::Kind kind) {
    using E = dsp::DownwardExpander;
    const auto info = E::parameterInfo(kind);
    DynamicsConfig config(context.config);
    FirstError check;
    E::Params p = E::defaults(kind);
    const auto sidechain = check(readSidechain(config), std::optional<std::string>{});
    p.link = check(readLink(config, info[E::link]), p.link);
    ParamReader reader = config.reader();
    p.threshold = check(readDecibels(reader, info[E::threshold]), p.threshold);
    p.ratio = check(readNumber(reader, info[E::ratio]), p.ratio);
    p.range = check(readDecibels(reader, info[E::range]), p.range);
    p.knee = check(readDecibels(reader, info[E::knee]), p.knee);
    p.attack = check(readSeconds(reader, info[E::attack]), p.attack);
    p.hold = check(readSeconds(reader, info[E::hold]), p.hold);
    p.release = check(readSeconds(reader, info[E::release]), p.release);
    p.detection = check(readDetection(reader), p.detection);
    p.lookahead = check(readLookahead(reader, p.lookahead, dsp::Compressor::kMaxLookaheadSeconds), p.lookahead);
    p.sidechainHighpass = check(readSidechainHighpass(config, reader, info[E::sidechainHighpass]), p.sidechainHighpass);
    if (check.error) return std::unexpected(*check.error);
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    p.keying = sidechain ? dsp::Keying::external : dsp::Keying::input;
    return std::make_unique<E>(kind, p);
}

Result<std::unique_ptr<dsp::Processor>> makeDeEsser(const ProcessorContext& context) {
    using D = dsp::DeEsser;
    const auto info = D::parameterInfo();
    ParamReader reader(context.config);
    FirstError check;
    D::Params p;
    p.frequency = check(readHertz(reader, info[D::frequency]), p.frequency);
    p.threshold = check(readDecibels(reader, info[D::threshold]), p.threshold);
    p.ratio = check(readNumber(reader, info[D::ratio]), p.ratio);
    p.reduction = check(readDecibels(reader, info[D::reduction]), p.reduction);
    p.attack = check(readSeconds(reader, info[D::attack]), p.attack);
    p.release = check(readSeconds(reader, info[D::release]), p.release);
    p.listen = check(reader.flag("listen", false), false) ? dsp::Listen::band : dsp::Listen::off;
    if (check.error) return std::unexpected(*check.error);
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<D>(p);
}

Result<std::unique_ptr<dsp::Processor>> makeLimiter(const ProcessorContext& context) {
    using L = dsp::Limiter;
    const auto info = L::parameterInfo();
    ParamReader reader(context.config);
    FirstError check;
    L::Params p;
    p.ceiling = check(readDecibels(reader, info[L::ceiling]), p.ceiling);
    p.release = check(readSeconds(reader, info[L::release]), p.release);
    p.lookahead = check(readLookahead(reader, p.lookahead, L::kMaxLookaheadSeconds), p.lookahead);
    if (check.error) return std::unexpected(*check.error);
    if (auto done = reader.finish(); !done) return std::unexpected(done.error());
    return std::make_unique<L>(p);
}

}  // namespace

void registerDynamicsProcessors(ProcessorFactory& factory) {
    factory.add("compressor", makeCompressor);
    factory.add("gate", [](const ProcessorContext& c) { return makeExpander(c, dsp::DownwardExpander::Kind::gate); });
    factory.add("expander",
                [](const ProcessorContext& c) { return makeExpander(c, dsp::DownwardExpander::Kind::expander); });
    factory.add("de_esser", makeDeEsser);
    factory.add("limiter", makeLimiter);
}


}  // namespace reel::engine
