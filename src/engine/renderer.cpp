#include "engine/renderer.hpp"

#include <algorithm>

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
            track.clips.push_back(std::move(*player));
        }
        auto chain = createChain(spec.chain, session, factory);
        if (!chain) return std::unexpected(chain.error());
        auto prepared = track.strip.prepare(std::move(*chain), channels, rate_.value, blockSize_, spec.pan, spec.volume,
                                            usesPreFaderTap(routing_, static_cast<int>(t)) ? PreFaderTap::used : PreFaderTap::unused);
        if (!prepared) return withContext(prepared.error(), spec.where.prefix() + "track \"" + spec.name + "\": ");
        nodeLatency.push_back(track.strip.latency());
    }
    buses_.resize(session.buses.size());
    for (std::size_t b = 0; b < session.buses.size(); ++b) {
        const session::Bus& spec = session.buses[b];
        auto chain = createChain(spec.chain, session, factory);
        if (!chain) return std::unexpected(chain.error());
        const int node = routing_.numTracks() + static_cast<int>(b);
        auto prepared = buses_[b].prepare(std::move(*chain), 2, rate_.value, blockSize_, spec.pan, spec.volume,
                                          usesPreFaderTap(routing_, node) ? PreFaderTap::used : PreFaderTap::unused);
        if (!prepared) return withContext(prepared.error(), spec.where.prefix() + "bus \"" + spec.name + "\": ");
        nodeLatency.push_back(buses_[b].latency());
    }
    auto masterChain = createChain(session.master.chain, session, factory);
    if (!masterChain) return std::unexpected(masterChain.error());
    if (auto prepared = master_.prepare(std::move(*masterChain), 2, rate_.value, blockSize_, 0.0, session.master.volume,
                                        PreFaderTap::unused);
        !prepared)
        return withContext(prepared.error(), session.master.where.prefix() + "master: ");
    nodeLatency.push_back(master_.latency());

    latency_ = routing_.compensate(nodeLatency);
    for (const RoutingEdge& route : routing_.edges()) {
        Edge edge{route, toGain(route.level).value, dsp::FixedDelay(route.compensation), {}};
        if (route.compensation > 0) {
            if (auto prepared = edge.delay.prepare({rate_.value, blockSize_, 2}); !prepared) return prepared;
            edge.scratch.resize(2, blockSize_);
        }
        edges_.push_back(std::move(edge));
    }
    length_ = FrameCount{end};
    pool_ = std::make_unique<ThreadPool>(options.threads);
    return {};
}

ChannelStrip& Renderer::stripOf(int node) {
    if (node < routing_.numTracks()) return tracks_[static_cast<std::size_t>(node)].strip;
    if (node < routing_.masterNode()) return buses_[static_cast<std::size_t>(node - routing_.numTracks())];
    return master_;
}

void Renderer::renderTrack(Track& track, std::int64_t numFrames) {
    AudioView input = track.strip.input(numFrames);
    input.clear();
    if (track.audible) {
        for (auto& clip : track.clips) {
            if (auto added = clip.addTo(input, FramePosition{timeline_}, track.scratch); !added) {
                track.status = added;
                return;
            }
        }
    }
    track.strip.process(numFrames);
}

void Renderer::mixEdgesInto(std::size_t& edgeIndex, int node, std::int64_t numFrames) {
    AudioView input = stripOf(node).input(numFrames);
    input.clear();
    for (; edgeIndex < edges_.size() && edges_[edgeIndex].route.to == node; ++edgeIndex) {
        Edge& edge = edges_[edgeIndex];
        ChannelStrip& source = stripOf(edge.route.from);
        AudioView tap = edge.route.tap == session::SendTap::preFader ? source.preFader(numFrames) : source.postFader(numFrames);
        if (edge.route.compensation > 0) {
            AudioView delayed = edge.scratch.view(numFrames);
            for (int c = 0; c < 2; ++c) std::copy_n(tap.channel(c), numFrames, delayed.channel(c));
            edge.delay.process(delayed);
            tap = delayed;
        }
        const float gain = static_cast<float>(edge.gain);
        for (int c = 0; c < 2; ++c) {
            const float* from = tap.channel(c);
            float* to = input.channel(c);
            for (std::int64_t i = 0; i < numFrames; ++i) to[i] += from[i] * gain;
        }
    }
}

Result<std::int64_t> Renderer::renderBlock(AudioView out) {
    if (finished()) return 0;
    // Internally the timeline runs `latency_` frames longer; the first latency_ frames are
    // the processors filling up and are dropped.
    const std::int64_t internalEnd = length_.value + latency_;
    const std::int64_t numFrames = std::min<std::int64_t>(blockSize_, internalEnd - timeline_);

    pool_->parallelFor(tracks_.size(), [&](std::size_t t) { renderTrack(tracks_[t], numFrames); });
    for (auto& track : tracks_)  // report the first failure in track order, whatever thread hit it
        if (!track.status) return std::unexpected(track.status.error());

    std::size_t edgeIndex = 0;
    for (int b : routing_.busOrder()) {
        const int node = routing_.numTracks() + b;
        mixEdgesInto(edgeIndex, node, numFrames);
        buses_[static_cast<std::size_t>(b)].process(numFrames);
    }
    mixEdgesInto(edgeIndex, routing_.masterNode(), numFrames);
    master_.process(numFrames);

    const std::int64_t skip = std::clamp<std::int64_t>(latency_ - timeline_, 0, numFrames);
    const std::int64_t produced = numFrames - skip;
    AudioView mix = master_.postFader(numFrames);
    for (int c = 0; c < 2; ++c) std::copy_n(mix.channel(c) + skip, produced, out.channel(c));
    timeline_ += numFrames;
    written_ += produced;
    return produced;
}

}  // namespace reel::engine
