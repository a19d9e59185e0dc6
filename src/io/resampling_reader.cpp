#include "io/resampling_reader.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "io/resampler.hpp"

// Seeking without a seam. A resampler started mid-stream sees silence before its first input
// frame, so its first outputs differ from those of a reader that played from the start, and
// its output grid is offset by the fraction of a frame where it started. So seek() restarts
// the resampler a preroll of source frames *before* the target, at a source frame `start`
// that is a multiple of q for the rate ratio target/source = p/q in lowest terms: that
// instant is exactly target frame start/q · p, so the restarted output grid is the original
// grid. The outputs up to the target are decoded and dropped. The outputs after a seek then
// match a read from the start to within float rounding (soxr's FFT blocks fall differently):
// measured ≤ 3·10⁻⁷, below soxr's own 20-bit precision (tests/io/resampling_reader_test.cpp).
//
// Length. The stream holds exactly numFrames() = round(source frames · target/source) frames:
// soxr's drained tail is trimmed or padded with silence to that count, so a clip's length
// at the target rate never depends on the filter. A lossy file that decodes to fewer frames
// than its header states is padded likewise (see AudioFileReader on lenient formats).

namespace reel::io {
namespace {

constexpr std::int64_t kBlockFrames = 4096;
// Source frames decoded before a seek target, per unit of the downsampling factor: more than
// half of soxr's SOXR_HQ filter, so the restart's silent history has left the filter before
// the first kept output. Measured: 128 suffices from 22.05, 44.1, 48 and 96 kHz; 64 does
// not (22.05 → 48 kHz). When downsampling by k the filter is k times longer in source frames.
constexpr std::int64_t kPrerollFrames = 512;

// The ratio target/source as p/q in lowest terms, when both rates are whole numbers of Hz.
struct Ratio {
    std::int64_t p = 1;
    std::int64_t q = 1;
    bool exact = false;
};

Ratio rationalRatio(double sourceHz, double targetHz) {
    const double s = std::round(sourceHz);
    const double t = std::round(targetHz);
    if (s != sourceHz || t != targetHz || s > 1e9 || t > 1e9) return {};
    const auto si = static_cast<std::int64_t>(s);
    const auto ti = static_cast<std::int64_t>(t);
    const std::int64_t g = std::gcd(si, ti);
    return Ratio{ti / g, si / g, true};
}

}  // namespace

struct ResamplingReader::State {
    AudioFileReader reader;
    std::optional<Resampler> resampler;  // absent when the rates match
    double sourceHz = 0.0;
    double targetHz = 0.0;
    Ratio ratio;
    std::int64_t prerollFrames = kPrerollFrames;
    FrameCount numFrames;
    std::int64_t position = 0;  // the next target frame read() returns

    AudioBuffer input;            // one block of source frames
    std::int64_t inputBegin = 0;  // [inputBegin, inputEnd) not yet given to the resampler
    std::int64_t inputEnd = 0;
    bool sourceEnded = false;       // the reader has returned its last frame
    bool drained = false;           // the resampler's tail has been flushed out
    std::int64_t framesToDrop = 0;  // warm-up outputs after a seek
    AudioBuffer dropped;            // where those go

    explicit State(AudioFileReader r) : reader(std::move(r)) {}

    // Produces resampled frames into `out`; 0 only when the stream is fully drained.
    Result<std::int64_t> pull(AudioView out) {
        while (!drained) {
            if (inputBegin == inputEnd && !sourceEnded) {
                auto got = reader.read(input.view());
                if (!got) return std::unexpected(got.error());
                inputBegin = 0;
                inputEnd = *got;
                sourceEnded = *got == 0;
            }
            const AudioView in = sourceEnded ? AudioView{} : input.view().slice(inputBegin, inputEnd - inputBegin);
            auto progress = resampler->process(in, out);
            if (!progress) return std::unexpected(progress.error());
            inputBegin += progress->inputUsed;
            if (progress->outputMade > 0) return progress->outputMade;
            if (sourceEnded)
                drained = true;
            else if (progress->inputUsed == 0)
                return fail(ErrorCode::internal, reader.info().path.string() + ": the resampler made no progress");
        }
        return std::int64_t{0};
    }

    void restartStream() {
        inputBegin = inputEnd = 0;
        sourceEnded = false;
        drained = false;
    }
};

ResamplingReader::ResamplingReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
ResamplingReader::ResamplingReader(ResamplingReader&&) noexcept = default;
ResamplingReader& ResamplingReader::operator=(ResamplingReader&&) noexcept = default;
ResamplingReader::~ResamplingReader() = default;

Result<ResamplingReader> ResamplingReader::open(const std::filesystem::path& path, SampleRate targetRate) {
    if (!(std::isfinite(targetRate.value) && targetRate.value > 0.0))
        return fail(ErrorCode::invalidArgument, path.string() + ": cannot read at " + std::to_string(targetRate.value) +
                                                    " Hz; the target rate must be positive");
    auto reader = AudioFileReader::open(path);
    if (!reader) return std::unexpected(reader.error());

    auto state = std::make_unique<State>(std::move(*reader));
    const AudioFileInfo& info = state->reader.info();
    state->sourceHz = info.sampleRate.value;
    state->targetHz = targetRate.value;
    if (state->sourceHz == state->targetHz) {
        state->numFrames = info.numFrames;
    } else {
        auto resampler = Resampler::create(state->sourceHz, state->targetHz, info.channels);
        if (!resampler) return withContext(resampler.error(), path.string() + ": ");
        state->resampler.emplace(std::move(*resampler));
        state->ratio = rationalRatio(state->sourceHz, state->targetHz);
        const double downsampling = std::max(1.0, std::ceil(state->sourceHz / state->targetHz));
        state->prerollFrames = kPrerollFrames * static_cast<std::int64_t>(downsampling);
        state->numFrames = FrameCount{static_cast<std::int64_t>(
            std::llround(static_cast<double>(info.numFrames.value) * state->targetHz / state->sourceHz))};
        state->input.resize(info.channels, kBlockFrames);
        state->dropped.resize(info.channels, kBlockFrames);
    }
    return ResamplingReader(std::move(state));
}

const AudioFileInfo& ResamplingReader::info() const noexcept { return state_->reader.info(); }

FrameCount ResamplingReader::numFrames() const noexcept { return state_->numFrames; }

Result<void> ResamplingReader::seek(FramePosition frame) {
    State& s = *state_;
    if (frame.value < 0 || frame.value > s.numFrames.value)
        return fail(ErrorCode::invalidArgument,
                    info().path.string() + ": cannot seek to frame " + std::to_string(frame.value) + " at " +
                        std::to_string(static_cast<long>(s.targetHz)) + " Hz; the file has " +
                        std::to_string(s.numFrames.value) + " frames at that rate");
    if (!s.resampler) {
        if (auto ok = s.reader.seek(frame); !ok) return ok;
        s.position = frame.value;
        s.sourceEnded = false;
        return {};
    }

    std::int64_t sourceStart = 0;
    std::int64_t targetStart = 0;  // the target frame the restarted resampler's output 0 is
    if (s.ratio.exact) {
        const std::int64_t sourceFrame = frame.value * s.ratio.q / s.ratio.p;
        const std::int64_t blocks = std::max<std::int64_t>(0, sourceFrame - s.prerollFrames) / s.ratio.q;
        sourceStart = blocks * s.ratio.q;
        targetStart = blocks * s.ratio.p;
    } else {
        // Rates that are not whole numbers of Hz have no common grid: the restart lands within
        // half a target frame of the original grid, which is as close as it gets.
        const auto sourceFrame = static_cast<std::int64_t>(static_cast<double>(frame.value) * s.sourceHz / s.targetHz);
        sourceStart = std::max<std::int64_t>(0, sourceFrame - s.prerollFrames);
        targetStart = std::min(frame.value, static_cast<std::int64_t>(std::llround(static_cast<double>(sourceStart) *
                                                                                   s.targetHz / s.sourceHz)));
    }
    const std::int64_t sourceFrames = s.reader.info().numFrames.value;
    if (auto ok = s.reader.seek(FramePosition{std::min(sourceStart, sourceFrames)}); !ok) return ok;
    if (auto ok = s.resampler->reset(); !ok) return withContext(ok.error(), info().path.string() + ": ");
    s.restartStream();
    s.framesToDrop = frame.value - targetStart;
    s.position = frame.value;
    return {};
}

bool ResamplingReader::resamples() const noexcept { return state_->resampler.has_value(); }

Result<std::int64_t> ResamplingReader::read(AudioView out, Mix mix) {
    State& s = *state_;
    if (mix == Mix::add && s.resampler)
        return fail(ErrorCode::invalidArgument, info().path.string() + ": adding while resampling is not supported");
    if (out.numChannels() != info().channels)
        return fail(ErrorCode::invalidArgument, info().path.string() + ": asked to read into " +
                                                    std::to_string(out.numChannels()) + " channels; the file has " +
                                                    std::to_string(info().channels));
    const std::int64_t want = std::clamp<std::int64_t>(s.numFrames.value - s.position, 0, out.numFrames());
    std::int64_t made = 0;
    if (!s.resampler) {
        while (made < want && !s.sourceEnded) {
            auto got = s.reader.read(out.slice(made, want - made), mix);
            if (!got) return std::unexpected(got.error());
            made += *got;
            s.sourceEnded = *got == 0;
        }
    } else {
        while (s.framesToDrop > 0) {
            auto got = s.pull(s.dropped.view(std::min(s.framesToDrop, kBlockFrames)));
            if (!got) return std::unexpected(got.error());
            if (*got == 0) break;
            s.framesToDrop -= *got;
        }
        while (made < want) {
            auto got = s.pull(out.slice(made, want - made));
            if (!got) return std::unexpected(got.error());
            if (*got == 0) break;
            made += *got;
        }
    }
    // A source shorter than its header, or a resampler tail shorter than the rounding of the
    // length, leaves a gap: silence keeps the clip's length exact (adding silence is nothing).
    if (made < want && mix == Mix::replace) out.slice(made, want - made).clear();
    s.position += want;
    return want;
}

}  // namespace reel::io
