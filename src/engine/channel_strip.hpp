#pragma once
// The part tracks, buses and the master share: a chain of processors, then pan, then the
// fader (volume). Mono input is panned with the constant-power law; stereo input with the
// balance law (dsp/pan_law.hpp). Output is always stereo.
//
// Taps for sends: preFader() is after the chain and the pan, before the volume;
// postFader() is the strip's output.
//
// Automation: lanes for `volume`, `pan` and any processor parameter are evaluated every
// 32 frames; the strip then processes those 32 frames, and the targets glide (volume and
// pan ramp linearly across each 32-frame step; processors smooth their own parameters).
//
// Two blocks: with PreviousBlock::kept the strip keeps its previous block's
// outputs readable while it processes the next into a second set of buffers (startBlock()
// switches), so a renderer can mix block N while the tracks render block N+1.
//
// Safety: after every processor the block is checked for NaN/Inf (the last one's output while
// it is panned); a processor that made one is reset, its block silenced, and the event
// counted for the render's report.

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "dsp/pan_law.hpp"
#include "dsp/processor.hpp"
#include "dsp/smoothed_gain.hpp"
#include "dsp/smoothed_value.hpp"
#include "engine/automation_lane.hpp"
#include "session/session.hpp"

namespace reel::engine {

enum class PreFaderTap { unused, used };
/// Whether a strip keeps its previous block's outputs while it processes the next.
enum class PreviousBlock { dropped, kept };

struct StripSettings {
    int inputChannels = 2;  // 1 or 2
    double sampleRate = 48000.0;
    int maxBlock = 4096;
    double pan = 0.0;
    Decibels volume{0.0};
    PreFaderTap tap = PreFaderTap::unused;
    PreviousBlock previous = PreviousBlock::dropped;  // kept: two sets of outputs, switched by startBlock()
};

/// Which block's output to read: the one process() made last, or the one before it (only
/// with PreviousBlock::kept; a strip that drops it answers with its latest).
enum class StripBlock { latest, previous };

/// A processor that produced NaN or Inf and was reset.
struct ProcessorFault {
    std::string_view processor;  // its type, e.g. "compressor" (valid while the strip lives)
    std::int64_t firstFrame = 0; // timeline frame of the first block where it happened
    int count = 0;               // blocks it happened in
};

class ChannelStrip {
public:
    ChannelStrip() = default;
    /// Prepares every processor of the chain; `configs` are the chain's session entries
    /// (same order), used to resolve automation targets and name faults.
    Result<void> prepare(std::vector<std::unique_ptr<dsp::Processor>> chain,
                         const std::vector<session::ProcessorConfig>& configs, const StripSettings& settings);
    /// Adds an automation lane; errors name the lane's line (unknown target, bad value).
    Result<void> addAutomation(const session::AutomationLane& lane, SampleRate rate);
    /// Feeds processor `index` the pre-fader output of `source` as its sidechain key: the
    /// source's latest block (it processes first) or, for a strip that runs a block behind
    /// its source, the previous one.
    void setSidechain(int index, ChannelStrip* source, StripBlock block = StripBlock::latest) {
        sidechains_.push_back({index, source, block});
    }

    /// With PreviousBlock::kept: the outputs made so far become the previous block's, and
    /// process() writes the other set. Call it before each block, when no thread reads the
    /// strip (so a reader of the previous block never races the switch).
    void startBlock() noexcept {
        if (settings_.previous == PreviousBlock::kept) latest_ = 1 - latest_;
    }

    /// The buffer to fill with input before process(); channels = inputChannels.
    AudioView input(std::int64_t numFrames) noexcept { return input_.view(numFrames); }
    /// Runs chain, pan and fader over the first numFrames frames of input(); timelineFrame is
    /// the frame of the block's start, for automation.
    void process(std::int64_t numFrames, std::int64_t timelineFrame) noexcept;

    AudioView preFader(std::int64_t numFrames, StripBlock block = StripBlock::latest) noexcept {
        Outputs& outputs = outputsOf(block);
        return (tapUsed_ ? outputs.preFader : outputs.postFader).view(numFrames);
    }
    AudioView postFader(std::int64_t numFrames, StripBlock block = StripBlock::latest) noexcept {
        return outputsOf(block).postFader.view(numFrames);
    }

    /// Sum of the chain's latencies, in frames.
    int latency() const noexcept { return latency_; }
    /// Sum of the chain's tails, in seconds.
    double tailSeconds() const noexcept;
    const std::vector<ProcessorFault>& faults() const noexcept { return faults_; }
    void reset() noexcept;

private:
    enum class LaneTarget { volume, pan, processor };
    struct Lane {
        AutomationLane values;
        LaneTarget target;
        int processor = -1;  // chain index for LaneTarget::processor
        int parameter = -1;
    };
    struct Sidechain {
        int processor;
        ChannelStrip* source;
        StripBlock block;
    };
    struct Outputs {
        AudioBuffer preFader;   // after chain and pan; only with a pre-fader tap
        AudioBuffer postFader;  // the strip's output
    };

    Outputs& outputsOf(StripBlock block) noexcept {
        const bool previous = block == StripBlock::previous && settings_.previous == PreviousBlock::kept;
        return outputs_[static_cast<std::size_t>(previous ? 1 - latest_ : latest_)];
    }

    Result<void> resolveProcessorTarget(const session::AutomationLane& lane, int& processor, int& parameter) const;
    void applyAutomation(std::int64_t frame) noexcept;
    enum class Finite { no, yes };

    /// Runs the chain in place, checking for NaN/Inf after every processor but the last.
    void runChain(AudioView block, std::int64_t blockOffset, std::int64_t timelineFrame) noexcept;
    /// Resets a processor that made NaN/Inf, silences its block and records the fault.
    void silenceFault(std::size_t processor, AudioView block, std::int64_t timelineFrame) noexcept;
    /// Pans and fades input frames [offset, offset + numFrames) into the taps; tells whether
    /// that input was all finite.
    [[nodiscard]] Finite panAndFade(std::int64_t offset, std::int64_t numFrames) noexcept;
    void setPanTarget(double pan, bool immediate) noexcept;

    std::vector<std::unique_ptr<dsp::Processor>> chain_;
    std::vector<std::string> types_;
    std::vector<Lane> lanes_;
    std::vector<Sidechain> sidechains_;
    std::vector<ProcessorFault> faults_;
    AudioBuffer input_;
    std::array<Outputs, 2> outputs_;  // the second only with PreviousBlock::kept
    int latest_ = 0;                  // the set process() writes
    dsp::SmoothedValue panLeft_;
    dsp::SmoothedValue panRight_;
    dsp::SmoothedGain volume_;
    StripSettings settings_;
    int latency_ = 0;
    bool tapUsed_ = false;
};

}  // namespace reel::engine
