#include "engine/renderer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>

#include "core/denormals.hpp"

namespace reel::engine {

Result<std::unique_ptr<Renderer>> Renderer::create(const session::Session& session, const ProcessorFactory& factory,
                                                   const RenderOptions& options) {
    std::unique_ptr<Renderer> renderer(new Renderer());
    if (auto built = renderer->build(session, factory, options); !built) return std::unexpected(built.error());
    return renderer;
}

namespace {
Result<std::vector<std::unique_ptr<dsp::Processor>>> createChain(const std::vector<session::ProcessorConfig>& configs,
                                                                 const session::Session& session,
                                                                 const ProcessorFactory& factory) {
    std::vector<std::unique_ptr<dsp::Processor>> chain;
    for (const auto& config : configs) {
        auto processor = factory.create(config, session);
        if (!processor) return std::unexpected(processor.error());
        chain.push_back(std::move(*processor));
    }
    return chain;
}

bool usesPreFaderTap(const Routing& routing, int node) {
    return std::any_of(routing.edges().begin(), routing.edges().end(),
                       [&](const RoutingEdge& e) { return e.from == node && e.tap == session::SendTap::preFader; });
}

Result<void> addLanes(ChannelStrip& strip, const std::vector<session::AutomationLane>& lanes, SampleRate rate) {
    for (const auto& lane : lanes)
        if (auto added = strip.addAutomation(lane, rate); !added) return added;
    return {};
}
}  // namespace

Result<void> Renderer::build(const session::Session& session, const ProcessorFactory& factory,
                             const RenderOptions& options) {
    rate_ = session.sampleRate;
    blockSize_ = std::max(1, options.blockSize);
    auto routing = Routing::build(session);
    if (!routing) return std::unexpected(routing.error());
    routing_ = std::move(*routing);

    const bool anySolo = std::any_of(session.tracks.begin(), session.tracks.end(), [](const auto& t) { return t.solo; });
    std::vector<int> nodeLatency;
    std::int64_t end = 0;
    double trackTail = 0.0, busTail = 0.0;
    tracks_.resize(session.tracks.size());
    for (std::size_t t = 0; t < session.tracks.size(); ++t) {
        const session::Track& spec = session.tracks[t];
        Track& track = tracks_[t];
        track.scratch.resize(2, blockSize_);
        track.audible = !spec.mute && (!anySolo || spec.solo);
        int channels = 1;
        for (const auto& clip : spec.clips) {
            auto player = ClipPlayer::create(clip, rate_);
            if (!player) return std::unexpected(player.error());
            channels = std::max(channels, player->sourceChannels());
            end = std::max(end, player->end().value);
            audioClipsEnd_ = std::max(audioClipsEnd_, player->end().value);
            track.clips.push_back(std::move(*player));
        }
        if (!spec.midiClips.empty()) {
            if (!options.instruments)
                return fail(ErrorCode::invalidSession, spec.midiClips.front().where.prefix() +
                                                           "MIDI clips need an instrument factory (this program renders audio clips only)");
            auto players = createMidiClipPlayers(spec, session, *options.instruments, blockSize_);
            if (!players) return std::unexpected(players.error());
            for (const auto& player : *players) end = std::max(end, player.end().value);
            track.midiClips = std::move(*players);
            channels = 2;  // instruments play in stereo
        }
        auto chain = createChain(spec.chain, session, factory);
        if (!chain) return std::unexpected(chain.error());
        const bool tapped = usesPreFaderTap(routing_, static_cast<int>(t)) || session::keysASidechain(session, spec.name);
        const StripSettings settings{channels, rate_.value, blockSize_, spec.pan, spec.volume,
                                     tapped ? PreFaderTap::used : PreFaderTap::unused, PreviousBlock::kept};
        if (auto prepared = track.strip.prepare(std::move(*chain), spec.chain, settings); !prepared) return prepared;
        if (auto lanes = addLanes(track.strip, spec.automation, rate_); !lanes) return lanes;
        nodeLatency.push_back(track.strip.latency());
        trackTail = std::max(trackTail, track.strip.tailSeconds());
    }
    buses_.resize(session.buses.size());
    for (std::size_t b = 0; b < session.buses.size(); ++b) {
        const session::Bus& spec = session.buses[b];
        auto chain = createChain(spec.chain, session, factory);
        if (!chain) return std::unexpected(chain.error());
        const int node = routing_.numTracks() + static_cast<int>(b);
        const StripSettings settings{2, rate_.value, blockSize_, spec.pan, spec.volume,
                                     usesPreFaderTap(routing_, node) ? PreFaderTap::used : PreFaderTap::unused};
        if (auto prepared = buses_[b].prepare(std::move(*chain), spec.chain, settings); !prepared) return prepared;
        if (auto lanes = addLanes(buses_[b], spec.automation, rate_); !lanes) return lanes;
        nodeLatency.push_back(buses_[b].latency());
        busTail = std::max(busTail, buses_[b].tailSeconds());
    }
    auto masterChain = createChain(session.master.chain, session, factory);
    if (!masterChain) return std::unexpected(masterChain.error());
    const StripSettings masterSettings{2, rate_.value, blockSize_, 0.0, session.master.volume, PreFaderTap::unused};
    if (auto prepared = master_.prepare(std::move(*masterChain), session.master.chain, masterSettings); !prepared) return prepared;
    if (auto lanes = addLanes(master_, session.master.automation, rate_); !lanes) return lanes;
    nodeLatency.push_back(master_.latency());

    if (auto keyed = connectSidechains(session); !keyed) return keyed;

    latency_ = routing_.compensate(nodeLatency);
    for (const RoutingEdge& route : routing_.edges()) {
        Edge edge{route, toGain(route.level).value, dsp::FixedDelay(route.compensation), {}};
        if (route.compensation > 0) {
            if (auto prepared = edge.delay.prepare({rate_.value, blockSize_, 2}); !prepared) return prepared;
            edge.scratch.resize(2, blockSize_);
        }
        edges_.push_back(std::move(edge));
    }
    // Reverb and delay tails ring on past the last clip: a track's tail may feed a bus's.
    const double tail = trackTail + busTail + master_.tailSeconds();
    tailFrames_ = toFrames(Seconds{tail}, rate_).value;
    length_ = FrameCount{end + tailFrames_};
    pool_ = std::make_unique<ThreadPool>(options.threads);
    return {};
}

Result<void> Renderer::connectSidechains(const session::Session& session) {
    std::map<std::string, int> trackIndex;
    for (std::size_t t = 0; t < session.tracks.size(); ++t) trackIndex[session.tracks[t].name] = static_cast<int>(t);
    // Which tracks key each track's processors: a track renders after the tracks it listens to.
    std::vector<std::vector<int>> keys(session.tracks.size());
    auto connect = [&](ChannelStrip& strip, const std::vector<session::ProcessorConfig>& chain, int listener) -> Result<void> {
        for (std::size_t i = 0; i < chain.size(); ++i) {
            const session::ParamValue* param = session::sidechainParam(chain[i]);
            if (!param) continue;
            auto it = trackIndex.find(param->text);
            if (it == trackIndex.end())
                return fail(ErrorCode::invalidSession,
                            param->where.prefix() + fmt::format("{}: sidechain \"{}\" is not a track; a sidechain listens "
                                                                "to a track's signal after its chain, before its fader",
                                                                chain[i].type, param->text));
            if (it->second == listener)
                return fail(ErrorCode::invalidSession,
                            param->where.prefix() + fmt::format("{}: a track cannot key its own sidechain", chain[i].type));
            // A track hears its key's block as it renders (keys render in an earlier wave); a bus
            // or the master mixes a block behind the tracks, so it hears the previous one.
            strip.setSidechain(static_cast<int>(i), &tracks_[static_cast<std::size_t>(it->second)].strip,
                               listener >= 0 ? StripBlock::latest : StripBlock::previous);
            if (listener >= 0) keys[static_cast<std::size_t>(listener)].push_back(it->second);
        }
        return {};
    };
    for (std::size_t t = 0; t < session.tracks.size(); ++t)
        if (auto ok = connect(tracks_[t].strip, session.tracks[t].chain, static_cast<int>(t)); !ok) return ok;
    for (std::size_t b = 0; b < session.buses.size(); ++b)
        if (auto ok = connect(buses_[b], session.buses[b].chain, -1); !ok) return ok;
    if (auto ok = connect(master_, session.master.chain, -1); !ok) return ok;

    // Tracks render in waves: wave 0 needs no key, wave n keys only from earlier waves.
    std::vector<int> wave(session.tracks.size(), -1), state(session.tracks.size(), 0);
    std::vector<int> path;
    std::function<Result<int>(int)> waveOf = [&](int t) -> Result<int> {
        if (state[t] == 2) return wave[t];
        if (state[t] == 1) {
            std::string names;
            auto at = std::find(path.begin(), path.end(), t);
            for (auto p = at; p != path.end(); ++p) names += session.tracks[*p].name + " -> ";
            return fail(ErrorCode::invalidSession, session.tracks[t].where.prefix() + "sidechains form a loop: " + names +
                                                       session.tracks[t].name);
        }
        state[t] = 1;
        path.push_back(t);
        int w = 0;
        for (int source : keys[t]) {
            auto sw = waveOf(source);
            if (!sw) return sw;
            w = std::max(w, *sw + 1);
        }
        path.pop_back();
        state[t] = 2;
        return wave[t] = w;
    };
    waves_.clear();
    for (std::size_t t = 0; t < session.tracks.size(); ++t) {
        auto w = waveOf(static_cast<int>(t));
        if (!w) return std::unexpected(w.error());
        if (static_cast<std::size_t>(*w) >= waves_.size()) waves_.resize(static_cast<std::size_t>(*w) + 1);
        waves_[static_cast<std::size_t>(*w)].push_back(t);
    }
    return {};
}

void Renderer::endEarlyIfSourcesAreSilent(std::int64_t blockEnd) {
    if (sourcesSilent_ || blockEnd < audioClipsEnd_) return;
    for (const auto& track : tracks_)
        for (const auto& clip : track.midiClips)
            if (track.audible && !clip.silentFrom(FramePosition{blockEnd})) return;
    sourcesSilent_ = true;
    length_ = FrameCount{std::min(length_.value, blockEnd + tailFrames_)};
}

ChannelStrip& Renderer::stripOf(int node) {
    if (node < routing_.numTracks()) return tracks_[static_cast<std::size_t>(node)].strip;
    if (node < routing_.masterNode()) return buses_[static_cast<std::size_t>(node - routing_.numTracks())];
    return master_;
}

void Renderer::renderTrack(Track& track, const Block& block) {
    ScopedDenormalFlush flush;
    AudioView input = track.strip.input(block.numFrames);
    // The first clip writes over the whole block (silence where it does not play); the
    // others add to it.
    if (!track.audible || track.clips.empty()) input.clear();
    if (track.audible) {
        for (std::size_t i = 0; i < track.clips.size(); ++i) {
            ClipPlayer& clip = track.clips[i];
            auto played = i == 0 ? clip.writeTo(input, FramePosition{block.start}, track.scratch)
                                 : clip.addTo(input, FramePosition{block.start}, track.scratch);
            if (!played) {
                track.status = played;
                return;
            }
        }
        for (auto& clip : track.midiClips) {
            if (auto added = clip.addTo(input, FramePosition{block.start}, track.scratch); !added) {
                track.status = added;
                return;
            }
        }
    }
    track.strip.process(block.numFrames, block.start);
}

AudioView Renderer::edgeTap(Edge& edge, std::int64_t numFrames) {
    ChannelStrip& source = stripOf(edge.route.from);
    // Tracks have moved on to the next block; a bus rendered this one just now.
    const StripBlock block = edge.route.from < routing_.numTracks() ? StripBlock::previous : StripBlock::latest;
    AudioView tap = edge.route.tap == session::SendTap::preFader ? source.preFader(numFrames, block)
                                                                   : source.postFader(numFrames, block);
    if (edge.route.compensation > 0) {
        AudioView delayed = edge.scratch.view(numFrames);
        for (int c = 0; c < 2; ++c) std::copy_n(tap.channel(c), numFrames, delayed.channel(c));
        edge.delay.process(delayed);
        tap = delayed;
    }
    return tap;
}

namespace {

/// to[i] = (…((start + from[0][i]·gain[0]) + from[1][i]·gain[1]) …): the sum of up to four
/// taps in one pass over `to`, with the additions in the order of one pass per tap (the same
/// bits). start is to[i] itself, or 0 for the first taps of a node.
template <bool fromZero, std::size_t count>
void addTaps(float* __restrict to, const std::array<const float*, 4>& from, const std::array<float, 4>& gain,
             std::int64_t numFrames) noexcept {
    for (std::int64_t i = 0; i < numFrames; ++i) {
        float sum = fromZero ? 0.0f : to[i];
        for (std::size_t t = 0; t < count; ++t) sum += from[t][i] * gain[t];
        to[i] = sum;
    }
}

template <bool fromZero>
void addTaps(float* to, const std::array<const float*, 4>& from, const std::array<float, 4>& gain,
             std::size_t count, std::int64_t numFrames) noexcept {
    switch (count) {
        case 1: addTaps<fromZero, 1>(to, from, gain, numFrames); break;
        case 2: addTaps<fromZero, 2>(to, from, gain, numFrames); break;
        case 3: addTaps<fromZero, 3>(to, from, gain, numFrames); break;
        default: addTaps<fromZero, 4>(to, from, gain, numFrames); break;
    }
}

}  // namespace

void Renderer::mixEdgesInto(std::size_t& edgeIndex, int node, std::int64_t numFrames) {
    // The edges into the node four at a time, so the node's input is read and written once
    // per four edges instead of once per edge (the sum of sixteen tracks is a mix's largest
    // pass after the processors).
    AudioView input = stripOf(node).input(numFrames);
    bool empty = true;
    while (edgeIndex < edges_.size() && edges_[edgeIndex].route.to == node) {
        std::array<AudioView, 4> taps;
        std::array<float, 4> gains{};
        std::size_t count = 0;
        for (; count < 4 && edgeIndex < edges_.size() && edges_[edgeIndex].route.to == node; ++count, ++edgeIndex) {
            taps[count] = edgeTap(edges_[edgeIndex], numFrames);
            gains[count] = static_cast<float>(edges_[edgeIndex].gain);
        }
        for (int c = 0; c < 2; ++c) {
            std::array<const float*, 4> from{};
            for (std::size_t t = 0; t < count; ++t) from[t] = taps[t].channel(c);
            if (empty)
                addTaps<true>(input.channel(c), from, gains, count, numFrames);
            else
                addTaps<false>(input.channel(c), from, gains, count, numFrames);
        }
        empty = false;
    }
    if (empty) input.clear();
}

void Renderer::mixBlock(const Block& block) {
    ScopedDenormalFlush flush;
    std::size_t edgeIndex = 0;
    for (int b : routing_.busOrder()) {
        const int node = routing_.numTracks() + b;
        mixEdgesInto(edgeIndex, node, block.numFrames);
        buses_[static_cast<std::size_t>(b)].process(block.numFrames, block.start);
    }
    mixEdgesInto(edgeIndex, routing_.masterNode(), block.numFrames);
    master_.process(block.numFrames, block.start);
}

Result<void> Renderer::renderTracksOfNextBlock(MixTask* mixAlongside, const std::function<void()>& alongside) {
    // Internally the timeline runs `latency_` frames longer; the first latency_ frames are
    // the processors filling up and are dropped.
    const Block next{timeline_, std::min<std::int64_t>(blockSize_, length_.value + latency_ - timeline_)};
    const bool tracksToRender = next.numFrames > 0;
    // The tracks' last outputs become their previous block (what the mix reads), before any
    // task reads a strip.
    for (auto& track : tracks_) track.strip.startBlock();
    // The mix and the caller's task, when there are any, come first in the first wave, so they
    // start at once and never end up as the last task the other threads wait for.
    const std::function<void()> mix = [&] {
        // The mix, the master's frames into the caller's block (less the latency trimmed at
        // the start), and the caller's work on them, all in this one task.
        MixTask& task = *mixAlongside;
        mixBlock(task.block);
        const std::int64_t skip = std::clamp<std::int64_t>(latency_ - task.block.start, 0, task.block.numFrames);
        task.produced = task.block.numFrames - skip;
        AudioView master = master_.postFader(task.block.numFrames);
        for (int c = 0; c < 2; ++c) std::copy_n(master.channel(c) + skip, task.produced, task.out.channel(c));
        if (*task.mixed && task.produced > 0) (*task.mixed)(task.out.slice(0, task.produced));
    };
    std::array<const std::function<void()>*, 2> extras{};
    std::size_t numExtras = 0;
    if (mixAlongside) extras[numExtras++] = &mix;
    if (alongside) extras[numExtras++] = &alongside;
    for (std::size_t w = 0; w < std::max<std::size_t>(waves_.size(), 1); ++w) {
        const std::size_t extraTasks = w == 0 ? numExtras : 0;
        const std::size_t trackTasks = tracksToRender && w < waves_.size() ? waves_[w].size() : 0;
        pool_->parallelFor(extraTasks + trackTasks, [&](std::size_t i) {
            if (i < extraTasks) (*extras[i])();
            else renderTrack(tracks_[waves_[w][i - extraTasks]], next);
        });
    }
    for (auto& track : tracks_)  // report the first failure in track order, whatever thread hit it
        if (!track.status) return std::unexpected(track.status.error());
    if (tracksToRender) {
        timeline_ += next.numFrames;
        tracksDone_ = next;
        endEarlyIfSourcesAreSilent(timeline_);
    }
    return {};
}

Result<std::int64_t> Renderer::renderBlock(AudioView out, const std::function<void()>& alongside,
                                           const std::function<void(AudioView)>& mixed) {
    if (finished()) return 0;
    if (!tracksDone_)  // the first block: its tracks render alone
        if (auto rendered = renderTracksOfNextBlock(nullptr, {}); !rendered) return std::unexpected(rendered.error());
    MixTask mix{*tracksDone_, out, &mixed};
    tracksDone_.reset();
    if (auto rendered = renderTracksOfNextBlock(&mix, alongside); !rendered) return std::unexpected(rendered.error());
    written_ += mix.produced;
    return mix.produced;
}

std::vector<std::string> Renderer::faultReport(const session::Session& session) const {
    std::vector<std::string> lines;
    auto describe = [&](const ChannelStrip& strip, const std::string& where) {
        for (const auto& fault : strip.faults())
            lines.push_back(fmt::format("{}: {} produced NaN/Inf at {:.3f}s ({} block{}); it was reset and those blocks "
                                        "silenced",
                                        where, fault.processor, static_cast<double>(fault.firstFrame) / rate_.value,
                                        fault.count, fault.count == 1 ? "" : "s"));
    };
    for (std::size_t t = 0; t < tracks_.size(); ++t) describe(tracks_[t].strip, "track \"" + session.tracks[t].name + "\"");
    for (std::size_t b = 0; b < buses_.size(); ++b) describe(buses_[b], "bus \"" + session.buses[b].name + "\"");
    describe(master_, "master");
    return lines;
}

}  // namespace reel::engine
