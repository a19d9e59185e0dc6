#pragma once
// Renders a session to stereo audio, block by block: clips -> track strips (in parallel on
// all cores) -> sends and buses -> master strip.
//
// Streaming: memory depends on the block size and the number of tracks, never on the song's
// length. Deterministic: each track renders into its own buffers and the sums are taken in
// a fixed order, so the output is bit-identical for any thread count. Plugin delay
// compensation delays every path to match the slowest, and the master's remaining latency
// is trimmed from the start so the mix lines up with the timeline. The mix runs on past the
// last clip for the longest processor tail (reverb, delay). A processor with a sidechain
// (`sidechain: Kick`) hears that track after its chain and pan, before its fader; tracks
// that key others render first (sidechain paths are not delay-compensated).
//
// Pipelined: while the buses and the master mix block N (one task), the tracks render block
// N+1 (the other tasks of the same parallel step), so no core waits through the serial mix.
// Track strips keep two sets of outputs for that (PreviousBlock::kept); the mix
// reads the tracks' previous block. The sums and their order are those of rendering one
// block after the other, so the output is the same.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "core/units.hpp"
#include "dsp/fixed_delay.hpp"
#include "engine/channel_strip.hpp"
#include "engine/clip_player.hpp"
#include "engine/instrument_factory.hpp"
#include "engine/midi_clip_player.hpp"
#include "engine/processor_factory.hpp"
#include "engine/routing.hpp"
#include "session/session.hpp"

namespace reel::engine {

struct RenderOptions {
    int threads = 0;        // 0 = all cores
    int blockSize = 4096;   // frames per block
    /// What MIDI clips play through (compose::builtInInstruments() for the SoundFont and
    /// drum kit instruments); a session with MIDI clips is refused without one.
    const InstrumentFactory* instruments = nullptr;
};

class Renderer {
public:
    /// Builds the graph: probes every source, creates and prepares every processor.
    /// The session must outlive the renderer.
    static Result<std::unique_ptr<Renderer>> create(const session::Session& session, const ProcessorFactory& factory,
                                                    const RenderOptions& options = {});

    /// Frames the mix has: to the end of the last clip plus the longest processor tail.
    /// A MIDI clip's end counts its instrument's longest release until the render shows
    /// its voices dead; then the length shrinks to the block where every source fell
    /// silent plus the tail (so it may shrink while rendering; it never grows).
    FrameCount length() const noexcept { return length_; }
    SampleRate sampleRate() const noexcept { return rate_; }
    int blockSize() const noexcept { return blockSize_; }
    /// Latency of the master path that is trimmed from the output, in frames.
    int latency() const noexcept { return latency_; }
    bool finished() const noexcept { return written_ >= length_.value; }

    /// Processors that produced NaN/Inf during the render so far, one line each.
    std::vector<std::string> faultReport(const session::Session& session) const;

    /// Renders the next block into out (2 channels, ≥ blockSize() frames) and returns how many
    /// frames it wrote: blockSize() until the end, fewer at the end, possibly 0 while the
    /// latency at the start is being trimmed. Call until finished(). `alongside`, if given,
    /// runs as one more task of the block's parallel step (a file writer's work on the block
    /// before, so it shares the render's threads instead of competing with them for cores).
    /// `mixed`, if given, gets the frames written into out, in the task that mixed them (so a
    /// caller's per-block work, such as dither, evens out the step's tasks): once per call
    /// that writes any frames, in order, never at the same time as another call of it, but on
    /// any of the pool's threads and at the same time as `alongside` and the next block's
    /// tracks, so the two callbacks must touch disjoint state.
    Result<std::int64_t> renderBlock(AudioView out, const std::function<void()>& alongside = {},
                                     const std::function<void(AudioView)>& mixed = {});

private:
    struct Track {
        ChannelStrip strip;
        std::vector<ClipPlayer> clips;
        std::vector<MidiClipPlayer> midiClips;
        AudioBuffer scratch;  // decoded clip audio; per track, so tracks never share buffers
        bool audible = true;
        Result<void> status;
    };
    struct Edge {
        RoutingEdge route;
        double gain = 1.0;
        dsp::FixedDelay delay;
        AudioBuffer scratch;  // only for delayed edges
    };

    struct Block {
        std::int64_t start = 0;  // internal timeline frame
        std::int64_t numFrames = 0;
    };

    Renderer() = default;
    Result<void> build(const session::Session& session, const ProcessorFactory& factory, const RenderOptions& options);
    Result<void> connectSidechains(const session::Session& session);
    void endEarlyIfSourcesAreSilent(std::int64_t blockEnd);
    // The mix of a block (into out, then `mixed` on it) while the next block's tracks render.
    struct MixTask {
        Block block;
        AudioView out;
        const std::function<void(AudioView)>* mixed;
        std::int64_t produced = 0;  // frames written into out
    };
    Result<void> renderTracksOfNextBlock(MixTask* mix, const std::function<void()>& alongside);
    void renderTrack(Track& track, const Block& block);
    void mixBlock(const Block& block);
    ChannelStrip& stripOf(int node);
    void mixEdgesInto(std::size_t& edgeIndex, int node, std::int64_t numFrames);
    /// What an edge carries this block: its source's tap, delayed by its compensation.
    AudioView edgeTap(Edge& edge, std::int64_t numFrames);

    SampleRate rate_;
    int blockSize_ = 4096;
    FrameCount length_;
    std::int64_t audioClipsEnd_ = 0;  // timeline frame where the last audio clip ends
    std::int64_t tailFrames_ = 0;     // the longest tail of the processor paths
    bool sourcesSilent_ = false;      // every clip has ended or fallen silent
    int latency_ = 0;
    std::vector<Track> tracks_;
    std::vector<ChannelStrip> buses_;
    ChannelStrip master_;
    Routing routing_;
    std::vector<Edge> edges_;
    std::vector<std::vector<std::size_t>> waves_;  // tracks grouped so sidechain keys render first
    std::unique_ptr<ThreadPool> pool_;
    std::int64_t timeline_ = 0;        // next internal frame whose tracks render
    std::optional<Block> tracksDone_;  // a block whose tracks have rendered, not mixed yet
    std::int64_t written_ = 0;         // frames handed out so far
};

}  // namespace reel::engine
