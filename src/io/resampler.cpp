#include "io/resampler.hpp"

#include <soxr.h>

#include <array>
#include <cmath>
#include <string>

// soxr (the SoX resampler, https://sourceforge.net/projects/soxr/) at SOXR_HQ: 20-bit
// precision, passband kept up to 91.3 % of the lower Nyquist frequency, linear phase.
// The split-channel float I/O type (SOXR_FLOAT32_S) takes one pointer per channel, which is
// exactly what an AudioView holds, so no interleaving happens here. soxr removes its own
// filter delay: output frame 0 lines up with input frame 0.
// One thread (soxr_runtime_spec(1)): the engine schedules its own work across cores.

namespace reel::io {

struct Resampler::State {
    soxr_t soxr = nullptr;
    int channels = 0;
    ~State() {
        if (soxr) soxr_delete(soxr);
    }
};

Resampler::Resampler(std::unique_ptr<State> state) : state_(std::move(state)) {}
Resampler::Resampler(Resampler&&) noexcept = default;
Resampler& Resampler::operator=(Resampler&&) noexcept = default;
Resampler::~Resampler() = default;

Result<Resampler> Resampler::create(double inRate, double outRate, int channels) {
    if (!(std::isfinite(inRate) && inRate > 0.0 && std::isfinite(outRate) && outRate > 0.0))
        return fail(ErrorCode::invalidArgument, "resampler: rates must be positive, got " + std::to_string(inRate) +
                                                    " Hz to " + std::to_string(outRate) + " Hz");
    if (channels < 1 || channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, "resampler: " + std::to_string(channels) + " channels; expected 1 to " +
                                                    std::to_string(kMaxChannels));
    const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
    const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
    const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t error = nullptr;
    soxr_t soxr = soxr_create(inRate, outRate, static_cast<unsigned>(channels), &error, &io, &quality, &runtime);
    if (error || !soxr) {
        if (soxr) soxr_delete(soxr);
        return fail(ErrorCode::internal, "resampler: soxr_create failed for " + std::to_string(inRate) + " Hz to " +
                                             std::to_string(outRate) + " Hz: " + (error ? error : "unknown error"));
    }
    auto state = std::make_unique<State>();
    state->soxr = soxr;
    state->channels = channels;
    return Resampler(std::move(state));
}

Result<Resampler::Progress> Resampler::process(AudioView in, AudioView out) {
    State& s = *state_;
    const bool flushing = in.numFrames() == 0;
    if ((!flushing && in.numChannels() != s.channels) || out.numChannels() != s.channels)
        return fail(ErrorCode::invalidArgument, "resampler: made for " + std::to_string(s.channels) +
                                                    " channels, given " + std::to_string(in.numChannels()) + " in, " +
                                                    std::to_string(out.numChannels()) + " out");
    std::array<const float*, kMaxChannels> inPtrs{};
    std::array<float*, kMaxChannels> outPtrs{};
    for (int c = 0; c < s.channels; ++c) {
        if (!flushing) inPtrs[static_cast<std::size_t>(c)] = in.channel(c);
        outPtrs[static_cast<std::size_t>(c)] = out.channel(c);
    }
    std::size_t inputUsed = 0;
    std::size_t outputMade = 0;
    // A null input tells soxr the stream has ended, so it drains the filter's tail.
    const soxr_error_t error = soxr_process(
        s.soxr, flushing ? nullptr : static_cast<soxr_in_t>(inPtrs.data()), static_cast<std::size_t>(in.numFrames()),
        &inputUsed, static_cast<soxr_out_t>(outPtrs.data()), static_cast<std::size_t>(out.numFrames()), &outputMade);
    if (error) return fail(ErrorCode::internal, std::string("resampler: soxr_process failed: ") + error);
    return Progress{static_cast<std::int64_t>(inputUsed), static_cast<std::int64_t>(outputMade)};
}

Result<void> Resampler::reset() {
    if (const soxr_error_t error = soxr_clear(state_->soxr))
        return fail(ErrorCode::internal, std::string("resampler: soxr_clear failed: ") + error);
    return {};
}

}  // namespace reel::io
