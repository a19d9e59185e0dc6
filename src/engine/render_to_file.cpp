#include "engine/render_to_file.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "dsp/tpdf_dither.hpp"
#include "io/audio_file_writer.hpp"

// A render runs as two stages: the engine renders block N+1 while a second thread measures,
// dithers and writes block N. The file side (peak, dither, integer conversion, encoding) is
// serial work of about a quarter of the render; in line, it would leave the other cores idle
// after every block. The output does not change: the writer takes the blocks in order and is
// the only user of the dither, so the file is bit-identical for any thread count.
// (renderToFile is an offline job: the stages hand blocks over under a mutex.)

namespace reel::engine {
namespace {

// Blocks in flight: one being rendered, one being written, one spare so neither stage waits
// on a short hiccup of the other. Memory stays fixed (3 × 2 × blockSize floats).
constexpr int kSlots = 3;

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

// The writing stage: its own thread, fed blocks in render order through a small FIFO of
// reusable buffers.
class BlockWriter {
public:
    BlockWriter(io::AudioFileWriter& writer, dsp::TpdfDither* dither, std::int64_t blockSize)
        : writer_(writer), dither_(dither) {
        for (int s = 0; s < kSlots; ++s) {
            slots_[static_cast<std::size_t>(s)].resize(2, blockSize);
            free_.push_back(s);
        }
    }

    /// Starts the thread. Error if the system cannot start one.
    Result<void> start() {
        try {
            thread_ = std::thread([this] { run(); });
        } catch (const std::system_error& e) {
            return fail(ErrorCode::internal, std::string("cannot start the writer thread: ") + e.what());
        }
        return {};
    }

    /// Waits for a free buffer; -1 if writing has failed (stop rendering).
    int acquire() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !free_.empty() || !status_; });
        if (!status_) return -1;
        const int slot = free_.front();
        free_.pop_front();
        return slot;
    }
    AudioView view(int slot) { return slots_[static_cast<std::size_t>(slot)].view(); }
    /// Hands a rendered block (its first numFrames frames) to the writer; 0 frames returns the slot.
    void submit(int slot, std::int64_t numFrames) {
        {
            std::lock_guard lock(mutex_);
            if (numFrames > 0)
                ready_.push_back({slot, numFrames});
            else
                free_.push_back(slot);
        }
        changed_.notify_all();
    }
    /// No more blocks: waits for the thread to write the rest. Returns the first write error.
    Result<void> finish() {
        {
            std::lock_guard lock(mutex_);
            ended_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
        return status_;
    }
    float peak() const noexcept { return peak_; }

    ~BlockWriter() { static_cast<void>(finish()); }

private:
    struct Block {
        int slot;
        std::int64_t numFrames;
    };

    void run() {
        for (;;) {
            Block block{};
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [&] { return !ready_.empty() || ended_; });
                if (ready_.empty()) return;  // ended, all written
                block = ready_.front();
                ready_.pop_front();
            }
            auto written = write(slots_[static_cast<std::size_t>(block.slot)].view(block.numFrames));
            {
                std::lock_guard lock(mutex_);
                free_.push_back(block.slot);
                if (!written) {
                    status_ = written;
                    ready_.clear();
                }
            }
            changed_.notify_all();
            if (!written) return;
        }
    }

    Result<void> write(AudioView out) {
        for (int c = 0; c < 2; ++c) peak_ = std::max(peak_, channelPeak(out.channel(c), out.numFrames()));
        if (dither_) dither_->process(out);
        return writer_.write(out);
    }

    io::AudioFileWriter& writer_;
    dsp::TpdfDither* dither_;
    std::array<AudioBuffer, kSlots> slots_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<int> free_;
    std::deque<Block> ready_;
    bool ended_ = false;
    Result<void> status_;
    float peak_ = 0.0f;  // written by the writer thread only; read after finish()
    std::thread thread_;
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
    {
        BlockWriter stage(*writer, summary.dithered ? &dither : nullptr, (*renderer)->blockSize());
        if (auto started = stage.start(); !started) return std::unexpected(started.error());
        while (!(*renderer)->finished()) {
            const int slot = stage.acquire();
            if (slot < 0) break;  // writing failed; finish() reports why
            auto produced = (*renderer)->renderBlock(stage.view(slot));
            if (!produced) return std::unexpected(produced.error());  // the writer removes its temporary file
            stage.submit(slot, *produced);
            summary.frames = summary.frames + FrameCount{*produced};
            if (options.progress) options.progress(static_cast<double>(summary.frames.value) / total);
        }
        if (auto written = stage.finish(); !written) return std::unexpected(written.error());
        summary.peakDbfs = 20.0 * std::log10(std::max(stage.peak(), 1e-20f));
    }
    if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
    summary.clippedSamples = writer->clippedSamples();
    summary.faults = (*renderer)->faultReport(session);
    return summary;
}

}  // namespace reel::engine
