#include "engine/render_to_file.hpp"

#include <algorithm>
#include <cmath>

#include "dsp/tpdf_dither.hpp"
#include "io/audio_file_writer.hpp"

namespace reel::engine {

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

    AudioBuffer block(2, (*renderer)->blockSize());
    const double total = static_cast<double>(std::max<std::int64_t>(1, (*renderer)->length().value));
    float peak = 0.0f;
    while (!(*renderer)->finished()) {
        auto produced = (*renderer)->renderBlock(block.view());
        if (!produced) return std::unexpected(produced.error());  // the writer removes its temporary file
        if (*produced == 0) continue;
        AudioView out = block.view(*produced);
        for (int c = 0; c < 2; ++c)
            for (std::int64_t i = 0; i < *produced; ++i) peak = std::max(peak, std::fabs(out.channel(c)[i]));
        if (summary.dithered) dither.process(out);
        if (auto written = writer->write(out); !written) return std::unexpected(written.error());
        summary.frames = summary.frames + FrameCount{*produced};
        if (options.progress) options.progress(static_cast<double>(summary.frames.value) / total);
    }
    if (auto committed = writer->commit(); !committed) return std::unexpected(committed.error());
    summary.clippedSamples = writer->clippedSamples();
    summary.faults = (*renderer)->faultReport(session);
    summary.peakDbfs = 20.0 * std::log10(std::max(peak, 1e-20f));
    return summary;
}

}  // namespace reel::engine
