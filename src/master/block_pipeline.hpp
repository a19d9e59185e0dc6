#pragma once
// A software pipeline over audio blocks on two threads, for the mastering passes.
//
// A pass is a list of stages (decode, EQ on one channel, limiter, meters, writer, …). In
// round r, stage k works on block r − k, so a block moves one stage per round and every
// stage sees the blocks in order; stages run in two groups (task 0 and task 1 of
// ThreadPool::parallelFor), each group's stages one after another, and the round ends when
// both groups are done. No two stages touch the same block in a round (block b lives in
// buffer b mod S), so nothing is shared without the round barrier between them, and the
// result cannot depend on timing: every stage does the same work on the same data in the
// same order whatever the scheduling.
// Stage 0 is the source: it fills a block and reports its frame count; a block of 0 frames
// ends the stream (the later stages never see it).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/audio_buffer.hpp"
#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace reel::master {

struct PipelineBlock {
    AudioBuffer buffer;         // capacity: the pipeline's block size
    std::int64_t frames = 0;    // valid frames from the start of buffer
    std::int64_t skip = 0;      // leading frames later stages ignore (latency compensation)
    /// The frames after `skip`.
    AudioView view() { return buffer.view(frames).slice(skip, frames - skip); }
    /// All valid frames.
    AudioView all() { return buffer.view(frames); }
};

struct PipelineStage {
    std::function<Result<void>(PipelineBlock&)> run;
    int group = 0;  // 0 or 1: which of the two tasks runs it
};

/// Runs the stages until the source ends; returns the first error of any stage. `pool` may
/// be null (everything on the caller's thread).
Result<void> runPipeline(std::vector<PipelineStage>& stages, int channels, std::int64_t blockFrames, ThreadPool* pool);

}  // namespace reel::master
