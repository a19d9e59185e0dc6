#include "master/block_pipeline.hpp"

#include <array>
#include <optional>

namespace reel::master {

Result<void> runPipeline(std::vector<PipelineStage>& stages, int channels, std::int64_t blockFrames, ThreadPool* pool) {
    const auto numStages = static_cast<std::int64_t>(stages.size());
    if (numStages == 0) return {};
    std::vector<PipelineBlock> blocks(static_cast<std::size_t>(numStages));
    for (auto& b : blocks) b.buffer.resize(channels, blockFrames);

    std::int64_t endBlock = -1;  // the index of the 0-frame block, once the source made it
    std::array<std::optional<Error>, 2> errors;
    for (std::int64_t round = 0;; ++round) {
        // The last real block is endBlock − 1; it leaves the last stage in round endBlock − 1 + S − 1.
        if (endBlock >= 0 && round > endBlock + numStages - 2) break;
        auto task = [&](std::size_t group) {
            for (std::int64_t k = 0; k < numStages; ++k) {
                PipelineStage& stage = stages[static_cast<std::size_t>(k)];
                if (stage.group != static_cast<int>(group)) continue;
                const std::int64_t index = round - k;
                if (index < 0 || (endBlock >= 0 && index >= endBlock)) continue;
                if (errors[group]) return;
                PipelineBlock& block = blocks[static_cast<std::size_t>(index % numStages)];
                if (k == 0) {
                    block.frames = 0;
                    block.skip = 0;
                }
                if (auto ok = stage.run(block); !ok) {
                    errors[group] = ok.error();
                    return;
                }
            }
        };
        if (pool) pool->parallelFor(2, task);
        else {
            task(0);
            task(1);
        }
        for (auto& e : errors)
            if (e) return std::unexpected(*e);
        // Did the source just end the stream?
        if (endBlock < 0 && blocks[static_cast<std::size_t>(round % numStages)].frames == 0) {
            endBlock = round;
            if (numStages == 1) break;
        }
    }
    return {};
}

}  // namespace reel::master
