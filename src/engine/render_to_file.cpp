#include "engine/render_to_file.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "dsp/tpdf_dither.hpp"
#include "io/audio_file_writer.hpp"

// A render runs as two stages: the task that mixes block N (Renderer::renderBlock's
// `mixed`) also measures its peak and dithers it, and while the engine renders block N+1,
// one more task of the same parallel step encodes and writes block N. The file side is
// serial work; in line, it would leave the other cores idle after every block, and on a
// thread of its own it would compete with the render's threads for the cores (the render
// waits at each block for its slowest task). It is split in two so the step's two short
// tasks are about as long as each other: with the peak and dither in the writing task it
// took 57 µs against the mix's 19, and each step of the 16-track render ended with one
// thread idle for the difference (2026-11-25). The output does not change: the blocks are
// dithered in order by one mix task at a time, the only user of the dither, and written in
// order, so the file is bit-identical for any thread count. The cost: a slow write (a disk
// hiccup) now holds up that block's step, where a writer thread with spare buffers would
// have absorbed it; offline, only the render's time feels it.

namespace reel::engine {
namespace {

// The highest |sample| of a channel. Eight running maxima instead of one, so the loop is not
// one long chain of dependent max operations (and vectorizes): max is exact in any order.
float channelPeak(const float* x, std::int64_t numFrames) noexcept {
    std::array<float, 8> lanes{};
    std::int64_t i = 0;
    for (; i + 8 <= numFrames; i += 8)
        for (std::size_t k = 0; k < 8; ++k) lanes[k] = std::max(lanes[k], std::fabs(x[i + static_cast<std::int64_t>(k)]));
    float peak = *std::max_element(lanes.begin(), lanes.end());
    for (; i < numFrames; ++i) peak = std::max(peak, std::fabs(x[i]));
    return peak;
}

// The writing stage: the block rendered last, written while the next one renders.
class BlockWriter {
public:
    BlockWriter(io::AudioFileWriter& writer, dsp::TpdfDither* dither, std::int64_t blockSize)
        : writer_(writer), dither_(dither) {
        for (auto& block : blocks_) block.resize(2, blockSize);
    }

    /// Where the renderer puts the next block.
    AudioView next() noexcept { return blocks_[static_cast<std::size_t>(next_)].view(); }
    /// The frames the renderer just put into next(): their peak measured, then dithered (a
    /// task of the renderer's step, one block at a time and in order).
    void finish(AudioView mixed) noexcept {
        for (int c = 0; c < 2; ++c) peak_ = std::max(peak_, channelPeak(mixed.channel(c), mixed.numFrames()));
        if (dither_) dither_->process(mixed);
    }
    /// The block in next() holds numFrames frames now: it is the one to write.
    void rendered(std::int64_t numFrames) noexcept {
        pending_ = numFrames;
        next_ = 1 - next_;
    }
    /// Writes the pending block, if any (a task of the renderer's step; never at the same
    /// time as rendered()). The first error stops all later writes.
    void writePending() {
        if (pending_ == 0 || !status_) return;
        AudioView out = blocks_[static_cast<std::size_t>(1 - next_)].view(pending_);
        pending_ = 0;
        status_ = writer_.write(out);
    }
    const Result<void>& status() const noexcept { return status_; }
    float peak() const noexcept { return peak_; }

private:
    io::AudioFileWriter& writer_;
    dsp::TpdfDither* dither_;
    std::array<AudioBuffer, 2> blocks_;  // one being rendered, one being written
    int next_ = 0;
    std::int64_t pending_ = 0;
    Result<void> status_;
    float peak_ = 0.0f;
};

}  // namespace

Result<RenderSummary> renderToFile(const session::Session& session, const ProcessorFactory& factory,
                                   const RenderFileOptions& options) {
    auto type = io::fileTypeFromPath(options.output);
    if (!type) return std::unexpected(type.error());
    auto format = io::sampleFormatFromBits(options.bits.value_or(24), *type);
    if (!format) return std::unexpected(format.error());
    auto renderer = Renderer::create(session, factory, options.render);
    if (!renderer) return std::unexpected(renderer.error());

    io::WriteSpec spec{*type, *format, session.sampleRate, 2};
    auto writer = io::AudioFileWriter::create(options.output, spec);
    if (!writer) return std::unexpected(writer.error());

    RenderSummary summary;
    summary.sampleRate = session.sampleRate;
    summary.bits = io::bitsOf(*format);
    summary.dithered = *format != io::SampleFormat::float32;
    summary.latencyFrames = (*renderer)->latency();
    dsp::TpdfDither dither(dsp::TpdfDither::Params{summary.bits});
    if (summary.dithered)
        if (auto prepared = dither.prepare({session.sampleRate.value, (*renderer)->blockSize(), 2}); !prepared)
            return std::unexpected(prepared.error());

    const double total = static_cast<double>(std::max<std::int64_t>(1, (*renderer)->length().value));
    BlockWriter stage(*writer, summary.dithered ? &dither : nullptr, (*renderer)->blockSize());
    const std::function<void()> writePending = [&stage] { stage.writePending(); };
    const std::function<void(AudioView)> finish = [&stage](AudioView mixed) { stage.finish(mixed); };
    while (!(*renderer)->finished() && stage.status()) {
        auto produced = (*renderer)->renderBlock(stage.next(), writePending, finish);
        if (!produced) return std::unexpected(produced.error());  // the writer removes its temporary file
        stage.rendered(*produced);
        summary.frames = summary.frames + FrameCount{*produced};
        if (options.progress) options.progress(static_cast<double>(summary.frames.value) / total);
    }
    stage.writePending();  // the last block
    if (!stage.status()) return std::unexpected(stage.status().error());
    summary.peakDbfs = 20.0 * std::log10(std::max(stage.peak(), 1e-20f));
    if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
    summary.clippedSamples = writer->clippedSamples();
    summary.faults = (*renderer)->faultReport(session);
    return summary;
}

}  // namespace reel::engine
