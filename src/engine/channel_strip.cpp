#include "engine/channel_strip.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

#include "core/cpu_features.hpp"
#include "session/closest_name.hpp"

namespace reel::engine {
namespace {
constexpr std::int64_t kAutomationStep = 32;  // frames between automation updates
const dsp::ParameterInfo kVolumeInfo{"volume", "dB", -144.0, 24.0, 0.0};
const dsp::ParameterInfo kPanInfo{"pan", "", -1.0, 1.0, 0.0};

// NaN and ±Inf are the floats for which x − x is not +0 (it is exactly +0 for every finite
// x, NaN otherwise), so OR-ing the bit patterns of x − x over a block leaves 0 only if all
// are finite: a subtract and an OR per vector, no compare, no serial chain (a float sum ran
// after every processor of every track and cost as much as an equalizer). Compiled for the
// x86-64 baseline and for AVX2 (picked once from the CPU): the same answer either way.
inline std::uint32_t nonFiniteBits(float x) noexcept { return std::bit_cast<std::uint32_t>(x - x); }

__attribute__((always_inline)) inline bool channelFinite(const float* x, std::int64_t numFrames) noexcept {
    // 32 lanes of OR (four AVX2 vectors) instead of one: a 4096-frame stereo block just
    // written by a processor is partly out of L1, and four independent chains keep more of
    // its loads in flight (measured in the 16-track render: about 15 % less time).
    constexpr std::size_t kLanes = 32;
    std::array<std::uint32_t, kLanes> lanes{};
    std::int64_t i = 0;
    for (; i + std::int64_t{kLanes} <= numFrames; i += std::int64_t{kLanes})
        for (std::size_t j = 0; j < kLanes; ++j) lanes[j] |= nonFiniteBits(x[i + static_cast<std::int64_t>(j)]);
    std::uint32_t bits = 0;
    for (; i < numFrames; ++i) bits |= nonFiniteBits(x[i]);
    for (const std::uint32_t lane : lanes) bits |= lane;
    return bits == 0;
}
bool channelFiniteBaseline(const float* x, std::int64_t numFrames) noexcept { return channelFinite(x, numFrames); }
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) bool channelFiniteAvx2(const float* x, std::int64_t numFrames) noexcept {
    return channelFinite(x, numFrames);
}
#else
bool channelFiniteAvx2(const float* x, std::int64_t numFrames) noexcept { return channelFinite(x, numFrames); }
#endif

// Read once at start-up, so a render thread never meets a function-local static's guard.
const bool kCpuHasAvx2 = cpuHasAvx2();

bool allFinite(AudioView block) noexcept {
    for (int c = 0; c < block.numChannels(); ++c) {
        const float* x = block.channel(c);
        if (!(kCpuHasAvx2 ? channelFiniteAvx2(x, block.numFrames()) : channelFiniteBaseline(x, block.numFrames())))
            return false;
    }
    return true;
}
}  // namespace

Result<void> ChannelStrip::prepare(std::vector<std::unique_ptr<dsp::Processor>> chain,
                                   const std::vector<session::ProcessorConfig>& configs, const StripSettings& settings) {
    chain_ = std::move(chain);
    settings_ = settings;
    types_.clear();
    for (const auto& config : configs) types_.push_back(config.type);
    types_.resize(chain_.size(), "processor");
    latency_ = 0;
    const dsp::ProcessSpec spec{settings.sampleRate, settings.maxBlock, settings.inputChannels};
    for (std::size_t i = 0; i < chain_.size(); ++i) {
        if (auto prepared = chain_[i]->prepare(spec); !prepared) {
            const std::string where = i < configs.size() ? configs[i].where.prefix() : std::string();
            return withContext(prepared.error(), where + types_[i] + ": ");
        }
        latency_ += chain_[i]->latency();
    }
    faults_.clear();
    faults_.reserve(chain_.size());
    input_.resize(settings.inputChannels, settings.maxBlock);
    tapUsed_ = settings.tap == PreFaderTap::used;
    for (std::size_t set = 0; set < (settings.previous == PreviousBlock::kept ? 2u : 1u); ++set) {
        outputs_[set].postFader.resize(2, settings.maxBlock);
        if (tapUsed_) outputs_[set].preFader.resize(2, settings.maxBlock);
    }
    latest_ = 0;
    panLeft_.prepare(kAutomationStep, 1.0);
    panRight_.prepare(kAutomationStep, 1.0);
    setPanTarget(settings.pan, true);
    volume_.prepare(static_cast<std::int64_t>(0.020 * settings.sampleRate));
    volume_.setImmediate(toGain(settings.volume).value);
    return {};
}

void ChannelStrip::setPanTarget(double pan, bool immediate) noexcept {
    const dsp::PanGains gains = settings_.inputChannels == 1 ? dsp::monoPanGains(pan) : dsp::stereoBalanceGains(pan);
    if (immediate) {
        panLeft_.setImmediate(gains.left);
        panRight_.setImmediate(gains.right);
    } else {
        panLeft_.setTarget(gains.left);
        panRight_.setTarget(gains.right);
    }
}

Result<void> ChannelStrip::resolveProcessorTarget(const session::AutomationLane& lane, int& processor,
                                                  int& parameter) const {
    // "compressor.threshold" is the first compressor; "eq[2].band1.gain" the second eq.
    const auto dot = lane.param.find('.');
    std::string head = lane.param.substr(0, dot == std::string::npos ? lane.param.size() : dot);
    const std::string name = dot == std::string::npos ? std::string() : lane.param.substr(dot + 1);
    int occurrence = 1;
    if (auto bracket = head.find('['); bracket != std::string::npos && head.back() == ']') {
        occurrence = std::atoi(head.substr(bracket + 1).c_str());
        head = head.substr(0, bracket);
    }
    std::vector<std::string_view> targets{"volume", "pan"};
    for (const auto& t : types_) targets.push_back(t);
    for (std::size_t i = 0, seen = 0; i < types_.size(); ++i) {
        if (types_[i] != head || static_cast<int>(++seen) != occurrence) continue;
        const auto params = chain_[i]->parameters();
        std::vector<std::string_view> names;
        for (std::size_t p = 0; p < params.size(); ++p) {
            if (params[p].name == name) {
                processor = static_cast<int>(i);
                parameter = static_cast<int>(p);
                return {};
            }
            names.push_back(params[p].name);
        }
        std::string message = fmt::format("{} has no automatable parameter \"{}\"", head, name);
        if (auto closest = session::closestName(name, names)) message += fmt::format("; did you mean \"{}\"?", *closest);
        else message += fmt::format(" (it has: {})", names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
        return fail(ErrorCode::invalidSession, lane.where.prefix() + message);
    }
    std::string message = fmt::format("automation of \"{}\": the chain has no {}{}", lane.param, head,
                                      occurrence > 1 ? fmt::format(" number {}", occurrence) : "");
    if (auto closest = session::closestName(head, targets)) message += fmt::format("; did you mean \"{}\"?", *closest);
    message += " (write volume, pan, or processor.parameter such as compressor.threshold)";
    return fail(ErrorCode::invalidSession, lane.where.prefix() + message);
}

Result<void> ChannelStrip::addAutomation(const session::AutomationLane& lane, SampleRate rate) {
    Lane resolved{{}, LaneTarget::processor};
    const dsp::ParameterInfo* info = nullptr;
    if (lane.param == "volume") {
        resolved.target = LaneTarget::volume;
        info = &kVolumeInfo;
        volume_.prepare(kAutomationStep);  // follow the lane closely: ramp across each step
    } else if (lane.param == "pan") {
        resolved.target = LaneTarget::pan;
        info = &kPanInfo;
    } else {
        if (auto found = resolveProcessorTarget(lane, resolved.processor, resolved.parameter); !found) return found;
        info = &chain_[static_cast<std::size_t>(resolved.processor)]->parameters()[static_cast<std::size_t>(resolved.parameter)];
    }
    auto values = AutomationLane::resolve(lane, *info, rate);
    if (!values) return std::unexpected(values.error());
    resolved.values = std::move(*values);
    lanes_.push_back(std::move(resolved));
    // Start where the lanes start, with no glide from the static value.
    applyAutomation(0);
    for (auto& l : lanes_) l.values.rewind();
    volume_.setImmediate(volume_.target());
    panLeft_.setImmediate(panLeft_.target());
    panRight_.setImmediate(panRight_.target());
    return {};
}

void ChannelStrip::applyAutomation(std::int64_t frame) noexcept {
    for (auto& lane : lanes_) {
        const double value = lane.values.valueAt(frame);
        switch (lane.target) {
            case LaneTarget::volume: volume_.setTarget(std::pow(10.0, value / 20.0)); break;
            case LaneTarget::pan: setPanTarget(value, false); break;
            case LaneTarget::processor:
                chain_[static_cast<std::size_t>(lane.processor)]->setParameter(lane.parameter, value);
                break;
        }
    }
}

double ChannelStrip::tailSeconds() const noexcept {
    double tail = 0.0;
    for (const auto& p : chain_) tail += p->tailSeconds();
    return tail;
}

void ChannelStrip::runChain(AudioView block, std::int64_t blockOffset, std::int64_t timelineFrame) noexcept {
    for (const auto& sidechain : sidechains_)
        chain_[static_cast<std::size_t>(sidechain.processor)]->setSidechain(
            sidechain.source->preFader(blockOffset + block.numFrames(), sidechain.block)
                .slice(blockOffset, block.numFrames()));
    for (std::size_t i = 0; i < chain_.size(); ++i) {
        chain_[i]->process(block);
        // The last processor's output is checked by panAndFade(), which reads it anyway.
        if (i + 1 == chain_.size() || allFinite(block)) continue;
        silenceFault(i, block, timelineFrame + blockOffset);
    }
}

void ChannelStrip::silenceFault(std::size_t processor, AudioView block, std::int64_t timelineFrame) noexcept {
    chain_[processor]->reset();
    block.clear();
    // One record per processor type; capacity for all of them is reserved in prepare(),
    // so recording never allocates here.
    auto it = std::find_if(faults_.begin(), faults_.end(), [&](const auto& f) { return f.processor == types_[processor]; });
    if (it != faults_.end()) ++it->count;
    else if (faults_.size() < faults_.capacity()) faults_.push_back({types_[processor], timelineFrame, 1});
}

ChannelStrip::Finite ChannelStrip::panAndFade(std::int64_t offset, std::int64_t numFrames) noexcept {
    AudioView in = input_.view(offset + numFrames).slice(offset, numFrames);
    AudioView panned = preFader(offset + numFrames).slice(offset, numFrames);
    const float* inLeft = in.channel(0);
    const float* inRight = in.channel(in.numChannels() - 1);  // mono: both sides from one channel
    float* outLeft = panned.channel(0);
    float* outRight = panned.channel(1);
    std::uint32_t nonFinite = 0;  // the NaN/Inf check of the input, in the same pass (see allFinite)
    if (panLeft_.isSmoothing() || panRight_.isSmoothing()) {
        for (std::int64_t i = 0; i < numFrames; ++i) {
            nonFinite |= nonFiniteBits(inLeft[i]) | nonFiniteBits(inRight[i]);
            outLeft[i] = inLeft[i] * static_cast<float>(panLeft_.next());
            outRight[i] = inRight[i] * static_cast<float>(panRight_.next());
        }
    } else if (!tapUsed_ && !volume_.isSmoothing()) {
        // Steady pan and volume, no pre-fader tap (the usual case): both gains in one pass
        // over the block instead of two. The same two roundings per sample as the passes
        // below ((x·pan)·volume), so the same output.
        const float left = static_cast<float>(panLeft_.current());
        const float right = static_cast<float>(panRight_.current());
        const auto volume = static_cast<float>(volume_.target());  // not smoothing: the current gain
        for (std::int64_t i = 0; i < numFrames; ++i) {
            nonFinite |= nonFiniteBits(inLeft[i]) | nonFiniteBits(inRight[i]);
            outLeft[i] = inLeft[i] * left * volume;
            outRight[i] = inRight[i] * right * volume;
        }
        return nonFinite == 0 ? Finite::yes : Finite::no;
    } else {
        const float left = static_cast<float>(panLeft_.current());
        const float right = static_cast<float>(panRight_.current());
        for (std::int64_t i = 0; i < numFrames; ++i) {
            nonFinite |= nonFiniteBits(inLeft[i]) | nonFiniteBits(inRight[i]);
            outLeft[i] = inLeft[i] * left;
            outRight[i] = inRight[i] * right;
        }
    }
    AudioView out = postFader(offset + numFrames).slice(offset, numFrames);
    if (tapUsed_)
        for (int c = 0; c < 2; ++c) std::copy_n(panned.channel(c), numFrames, out.channel(c));
    volume_.apply(out);
    return nonFinite == 0 ? Finite::yes : Finite::no;
}

void ChannelStrip::process(std::int64_t numFrames, std::int64_t timelineFrame) noexcept {
    const std::int64_t step = lanes_.empty() ? numFrames : kAutomationStep;
    AudioView in = input_.view(numFrames);
    for (std::int64_t offset = 0; offset < numFrames; offset += step) {
        const std::int64_t n = std::min(step, numFrames - offset);
        if (!lanes_.empty()) applyAutomation(timelineFrame + offset);
        AudioView block = in.slice(offset, n);
        runChain(block, offset, timelineFrame);
        if (chain_.empty()) {
            (void)panAndFade(offset, n);  // nothing to blame: an empty chain passes its input on
            continue;
        }
        // Checking the last processor's output while panning it saves a pass over the block.
        // If it has NaN/Inf, the pan and fader run again from where they were, over silence,
        // so the output and the gains' glide are exactly those of a check before panning.
        const dsp::SmoothedValue panLeft = panLeft_, panRight = panRight_;
        const dsp::SmoothedGain volume = volume_;
        if (panAndFade(offset, n) == Finite::yes) continue;
        panLeft_ = panLeft;
        panRight_ = panRight;
        volume_ = volume;
        silenceFault(chain_.size() - 1, block, timelineFrame + offset);
        (void)panAndFade(offset, n);
    }
}

void ChannelStrip::reset() noexcept {
    for (auto& processor : chain_) processor->reset();
    for (auto& lane : lanes_) lane.values.rewind();
    volume_.setImmediate(toGain(settings_.volume).value);
    setPanTarget(settings_.pan, true);
}

}  // namespace reel::engine
