#pragma once
// Renders a session into an audio file: engine -> dither (when reducing to integer PCM) ->
// writer. The file appears only when the whole render succeeded (temporary file + rename).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "engine/processor_factory.hpp"
#include "engine/renderer.hpp"
#include "session/session.hpp"

namespace reel::engine {

struct RenderFileOptions {
    std::filesystem::path output;  // .wav or .flac
    std::optional<int> bits;       // 16, 24 or 32 (float WAV); default 24
    RenderOptions render;
    std::function<void(double fraction)> progress;  // called after each block, 0..1
};

struct RenderSummary {
    FrameCount frames;
    SampleRate sampleRate;
    int bits = 24;
    bool dithered = false;
    std::int64_t clippedSamples = 0;  // samples beyond full scale, saturated in the file
    int latencyFrames = 0;            // trimmed by delay compensation
    double peakDbfs = 0.0;            // highest sample of the mix before quantization
    std::vector<std::string> faults;  // processors that produced NaN/Inf and were reset
};

Result<RenderSummary> renderToFile(const session::Session& session, const ProcessorFactory& factory,
                                   const RenderFileOptions& options);

}  // namespace reel::engine
