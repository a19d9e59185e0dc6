#pragma once
// Builds sessions in code for engine tests (independent of the YAML loader) and renders
// them to memory.

#include <gtest/gtest.h>

#include "engine/processor_factory.hpp"
#include "engine/renderer.hpp"
#include "session/session.hpp"
#include "support/test_signals.hpp"

namespace reel::test {

inline session::Clip clipOf(const std::filesystem::path& file, double atSeconds) {
    session::Clip clip;
    clip.file = file;
    clip.at = Seconds{atSeconds};
    clip.where.file = "test.yaml";
    clip.where.line = 1;
    clip.where.column = 1;
    return clip;
}

inline session::Track trackOf(std::string name, std::vector<session::Clip> clips) {
    session::Track track;
    track.name = std::move(name);
    track.clips = std::move(clips);
    return track;
}

inline session::Session sessionAt(double rate, std::vector<session::Track> tracks) {
    session::Session s;
    s.file = "test.yaml";
    s.sampleRate = SampleRate{rate};
    s.tracks = std::move(tracks);
    return s;
}

/// Renders the whole session into memory (stereo).
inline AudioBuffer renderAll(const session::Session& s, const engine::RenderOptions& options = {},
                             const engine::ProcessorFactory& factory = engine::ProcessorFactory::builtIn()) {
    auto renderer = engine::Renderer::create(s, factory, options);
    if (!renderer) {
        ADD_FAILURE() << renderer.error().message;
        return {};
    }
    AudioBuffer all(2, (*renderer)->length().value);
    AudioBuffer block(2, (*renderer)->blockSize());
    std::int64_t at = 0;
    while (!(*renderer)->finished()) {
        auto n = (*renderer)->renderBlock(block.view());
        if (!n) {
            ADD_FAILURE() << n.error().message;
            return {};
        }
        for (int c = 0; c < 2; ++c) std::copy_n(block.channel(c), *n, all.channel(c) + at);
        at += *n;
    }
    EXPECT_EQ(at, all.numFrames());
    return all;
}

}  // namespace reel::test
