#include "io/audio_file_writer.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/cpu_features.hpp"

// Safety: the file is written under a unique hidden name in the target's folder
// (".mix.wav.reel-XXXXXX.tmp", made with mkstemps, so two writers never collide), and only
// commit() renames it over the target: rename(2) within one file system is atomic, so the
// target is either the old file or the complete new one. Without commit() the temporary
// file is removed.
//
// Quantization. For integer formats the writer does the float → integer step itself,
// q = round(x · 2^(bits-1)) saturated to [-2^(bits-1), 2^(bits-1) - 1], because libsndfile
// scales float writes by 2^(bits-1) - 1, which would move every grid-aligned sample
// (the output of dsp::TpdfDither) off its step. The integers go to sf_writef_int
// left-aligned in 32 bits, which libsndfile shifts back down exactly.
// Float output is written unchanged (libsndfile's float clipping is off).

namespace reel::io {
namespace {

constexpr std::int64_t kBlockFrames = 4096;
// RIFF sizes are 32-bit; keep a margin for the header chunks in front of the data.
constexpr std::uint64_t kMaxWavDataBytes = 0xFFFFFFFFull - 4096;

std::string lowercase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
}

std::string errnoText(int error) { return std::strerror(error); }

int sndfileFormat(const WriteSpec& spec) {
    if (spec.type == FileType::mp3) return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    const int type = spec.type == FileType::wav ? SF_FORMAT_WAV : SF_FORMAT_FLAC;
    switch (spec.format) {
        case SampleFormat::pcm16:
            return type | SF_FORMAT_PCM_16;
        case SampleFormat::pcm24:
            return type | SF_FORMAT_PCM_24;
        case SampleFormat::float32:
            return type | SF_FORMAT_FLOAT;
    }
    return type;
}

// The permissions the finished file gets: those of the file it replaces, else rw-r--r--.
// (mkstemps makes the file rw------- for safety while it is being written.)
mode_t finalMode(const std::filesystem::path& target) {
    struct stat existing {};
    if (::stat(target.c_str(), &existing) == 0) return existing.st_mode & 07777;
    return 0644;
}

// Frames between writeback kicks (about 6 MB of 24-bit stereo; see startWriteback).
constexpr std::int64_t kWritebackFrames = std::int64_t{1} << 20;

// Starts writing the file's dirty pages to disk without waiting for them (Linux), so the
// fsync in commit() finds most of the file on disk already instead of writing all of it
// while the command waits. Best effort: commit()'s fsync is what guarantees the data.
void startWriteback(int fd) noexcept {
#if defined(__linux__)
    static_cast<void>(::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));
#else
    static_cast<void>(fd);
#endif
}

// How one sample becomes an integer sample: scaled by 2^(bits−1), rounded half away from
// zero, saturated to the format's range (a clip), shifted to the top of an int as
// sf_writef_int wants it.
struct IntegerSamples {
    double scale, highest;
    int shift;
};

/// The float just below 0.5: y + 0.5 in float rounds 0.5 − 2^−25 (just under half a step) up
/// to 1; y + this is exact there, and for every other y below 2^23 in magnitude lands on the
/// same side of the next integer as the exact y + 0.5 (all 2^32 floats checked against a
/// double-precision round at 16 and 24 bits, 2026-11-25).
constexpr float kJustBelowHalf = 0x1.fffffep-2f;

/// One non-NaN sample as an integer sample, exactly round(x · 2^(bits−1)) half away from
/// zero, computed in float: the scaling only moves the exponent, the rounding is trunc(y ±
/// just under 0.5) (kJustBelowHalf), and from 2^23 on (or at ±inf) a sample clips whatever it
/// rounds to. Saturated before the conversion to int. Counts a clip into `clipped`.
inline int quantizeSample(float x, const IntegerSamples& to, std::int64_t& clipped) noexcept {
    const auto scale = static_cast<float>(to.scale), highest = static_cast<float>(to.highest);
    const float y = x * scale;
    const float rounded = std::trunc(y + std::copysign(kJustBelowHalf, y));
    if (rounded > highest || rounded < -scale) ++clipped;
    const float q = std::min(std::max(rounded, -scale), highest);
    return static_cast<int>(static_cast<std::uint32_t>(static_cast<std::int32_t>(q)) << to.shift);
}

/// Frames [0, count) of a stereo block into interleaved integer samples, with no NaN among
/// them (the caller checked): quantizeSample() on each. Returns how many
/// samples clipped. quantizeStereoAvx2() does the same eight frames at a time.
std::int64_t quantizeStereoBaseline(const float* left, const float* right, std::int64_t count, const IntegerSamples& to,
                                    int* out) noexcept {
    std::int64_t clipped = 0;
    for (std::int64_t i = 0; i < count; ++i) {
        out[2 * i] = quantizeSample(left[i], to, clipped);
        out[2 * i + 1] = quantizeSample(right[i], to, clipped);
    }
    return clipped;
}

/// No NaN among x[0..count): one vectorized pass (x != x only for NaN).
bool hasNoNan(const float* x, std::int64_t count) noexcept {
    int nan = 0;
    for (std::int64_t i = 0; i < count; ++i) nan |= x[i] != x[i];
    return nan == 0;
}

#if defined(__x86_64__) && defined(__GNUC__)
const bool kCpuHasAvx2 = cpuHasAvx2();
/// quantizeSample() on eight samples, in quantizeStereoAvx2().
struct Quantize8 {
    __m256 scale, lowest, highest;
    __m128i shift;
};
__attribute__((target("avx2"), always_inline)) inline __m256i quantize8(__m256 x, const Quantize8& to,
                                                                        std::int64_t& clipped) noexcept {
    const __m256 y = _mm256_mul_ps(x, to.scale);
    const __m256 awayFromZero = _mm256_or_ps(_mm256_set1_ps(kJustBelowHalf), _mm256_and_ps(_mm256_set1_ps(-0.0f), y));
    const __m256 rounded = _mm256_round_ps(_mm256_add_ps(y, awayFromZero), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 clips =
        _mm256_or_ps(_mm256_cmp_ps(rounded, to.highest, _CMP_GT_OQ), _mm256_cmp_ps(rounded, to.lowest, _CMP_LT_OQ));
    clipped += __builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(clips)));
    const __m256 q = _mm256_min_ps(_mm256_max_ps(rounded, to.lowest), to.highest);
    return _mm256_sll_epi32(_mm256_cvttps_epi32(q), to.shift);
}

/// quantizeStereoBaseline() eight frames at a time (one sample at a time a block of 4096
/// frames took 15 µs, a third of the writing task in a 16-track render; this, 3–4 µs;
/// 2026-11-25).
__attribute__((target("avx2"))) std::int64_t quantizeStereoAvx2(const float* left, const float* right,
                                                                std::int64_t count, const IntegerSamples& to,
                                                                int* out) noexcept {
    const auto scale = static_cast<float>(to.scale);
    const Quantize8 vector{_mm256_set1_ps(scale), _mm256_set1_ps(-scale),
                           _mm256_set1_ps(static_cast<float>(to.highest)), _mm_cvtsi32_si128(to.shift)};
    std::int64_t clipped = 0;
    std::int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256i l = quantize8(_mm256_loadu_ps(left + i), vector, clipped);
        const __m256i r = quantize8(_mm256_loadu_ps(right + i), vector, clipped);
        // Interleaved: unpack pairs frames within each 128-bit half, the permutes put the halves in order.
        const __m256i low = _mm256_unpacklo_epi32(l, r), high = _mm256_unpackhi_epi32(l, r);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * i), _mm256_permute2x128_si256(low, high, 0x20));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * i + 8), _mm256_permute2x128_si256(low, high, 0x31));
    }
    return clipped + quantizeStereoBaseline(left + i, right + i, count - i, to, out + 2 * i);
}
#else
const bool kCpuHasAvx2 = false;
std::int64_t quantizeStereoAvx2(const float* left, const float* right, std::int64_t count, const IntegerSamples& to,
                                int* out) noexcept {
    return quantizeStereoBaseline(left, right, count, to, out);
}
#endif

}  // namespace

int bitsOf(SampleFormat format) {
    switch (format) {
        case SampleFormat::pcm16:
            return 16;
        case SampleFormat::pcm24:
            return 24;
        case SampleFormat::float32:
            return 32;
    }
    return 32;
}

Result<FileType> fileTypeFromPath(const std::filesystem::path& path) {
    const std::string extension = lowercase(path.extension().string());
    if (extension == ".wav") return FileType::wav;
    if (extension == ".flac") return FileType::flac;
    const std::string shown = extension.empty() ? "no extension" : "extension \"" + path.extension().string() + "\"";
    return fail(ErrorCode::invalidArgument,
                path.string() + ": cannot write a file with " + shown + "; name it .wav or .flac");
}

Result<SampleFormat> sampleFormatFromBits(int bits, FileType type) {
    if (bits == 16) return SampleFormat::pcm16;
    if (bits == 24) return SampleFormat::pcm24;
    if (bits == 32) {
        if (type == FileType::flac)
            return fail(ErrorCode::invalidArgument, "FLAC holds 16 or 24 bits; use --bits 16 or 24");
        return SampleFormat::float32;
    }
    return fail(ErrorCode::invalidArgument,
                "--bits " + std::to_string(bits) + " is not a format Reel writes; use 16, 24 or 32 (float)");
}

struct AudioFileWriter::State {
    std::filesystem::path target;
    std::filesystem::path temp;
    WriteSpec spec;
    int fd = -1;
    SNDFILE* file = nullptr;
    bool committed = false;
    bool failed = false;  // a write went wrong: the file must not be committed
    std::int64_t clipped = 0;
    std::int64_t frames = 0;
    std::int64_t writebackAt = 0;     // frames written when writeback was last started
    std::vector<int> intScratch;      // kBlockFrames interleaved frames, integer formats
    std::vector<float> floatScratch;  // kBlockFrames interleaved frames, float32

    ~State() {
        if (file) sf_close(file);
        if (fd >= 0) ::close(fd);
        if (!committed && !temp.empty()) ::unlink(temp.c_str());
    }

    std::string name() const { return target.string(); }
};

AudioFileWriter::AudioFileWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
AudioFileWriter::AudioFileWriter(AudioFileWriter&&) noexcept = default;
AudioFileWriter& AudioFileWriter::operator=(AudioFileWriter&&) noexcept = default;
AudioFileWriter::~AudioFileWriter() = default;

Result<AudioFileWriter> AudioFileWriter::create(const std::filesystem::path& path, const WriteSpec& spec) {
    const std::string name = path.string();
    if (spec.channels < 1 || spec.channels > kMaxChannels)
        return fail(ErrorCode::invalidArgument, name + ": cannot write " + std::to_string(spec.channels) +
                                                    " channels; Reel writes 1 to " + std::to_string(kMaxChannels));
    if (!(spec.sampleRate.value >= 1.0 && spec.sampleRate.value <= 1e6 &&
          std::round(spec.sampleRate.value) == spec.sampleRate.value))
        return fail(ErrorCode::invalidArgument, name + ": cannot write at " + std::to_string(spec.sampleRate.value) +
                                                    " Hz; the rate must be a whole number of Hz");
    if (spec.type == FileType::flac && spec.format == SampleFormat::float32)
        return fail(ErrorCode::invalidArgument, name + ": FLAC holds 16 or 24 bits; use --bits 16 or 24");
    if (spec.type == FileType::mp3 && spec.format != SampleFormat::float32)
        return fail(ErrorCode::invalidArgument, name + ": MP3 is encoded from float samples (SampleFormat::float32)");

    const std::filesystem::path folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        return fail(ErrorCode::ioError, name + ": folder " + folder.string() + " does not exist; create it first");
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorCode::invalidArgument, name + ": is a folder; give a file name to write");

    auto state = std::make_unique<State>();
    state->target = path;
    state->spec = spec;
    std::string pattern = (folder / ("." + path.filename().string() + ".reel-XXXXXX.tmp")).string();
    state->fd = ::mkstemps(pattern.data(), 4);
    if (state->fd < 0)
        return fail(ErrorCode::ioError,
                    name + ": cannot create a temporary file in " + folder.string() + ": " + errnoText(errno));
    state->temp = pattern;
    ::fchmod(state->fd, finalMode(path));  // best effort: the contents matter more than the mode

    SF_INFO info{};
    info.samplerate = static_cast<int>(spec.sampleRate.value);
    info.channels = spec.channels;
    info.format = sndfileFormat(spec);
    state->file = sf_open_fd(state->fd, SFM_WRITE, &info, SF_FALSE);  // we close the fd, after fsync
    if (!state->file)
        return fail(ErrorCode::formatUnsupported, name + ": libsndfile cannot write " + std::to_string(spec.channels) +
                                                      " channels at " + std::to_string(info.samplerate) +
                                                      " Hz in this format: " + sf_strerror(nullptr));
    sf_command(state->file, SFC_SET_CLIPPING, nullptr, SF_FALSE);
    if (spec.type == FileType::mp3) {
        // Constant bit rate at compression level 0, which libsndfile maps to LAME's highest
        // rate (320 kbps): the master loses as little as MP3 allows.
        int mode = SF_BITRATE_MODE_CONSTANT;
        double level = 0.0;
        sf_command(state->file, SFC_SET_BITRATE_MODE, &mode, sizeof mode);
        sf_command(state->file, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
    }

    const auto scratchSize = static_cast<std::size_t>(kBlockFrames * spec.channels);
    if (spec.format == SampleFormat::float32)
        state->floatScratch.assign(scratchSize, 0.0f);
    else
        state->intScratch.assign(scratchSize, 0);
    return AudioFileWriter(std::move(state));
}

Result<void> AudioFileWriter::write(AudioView block) {
    State& s = *state_;
    if (s.committed || s.failed || !s.file)
        return fail(ErrorCode::internal, s.name() + ": write after the file was committed or failed");
    const int channels = s.spec.channels;
    if (block.numChannels() != channels)
        return fail(ErrorCode::invalidArgument, s.name() + ": given " + std::to_string(block.numChannels()) +
                                                    " channels to write; the file has " + std::to_string(channels));
    if (s.spec.type == FileType::wav) {
        const auto bytes = static_cast<std::uint64_t>(s.frames + block.numFrames()) *
                           static_cast<std::uint64_t>(channels * bitsOf(s.spec.format) / 8);
        if (bytes > kMaxWavDataBytes) {
            s.failed = true;
            return fail(ErrorCode::ioError, s.name() + ": a WAV file holds at most 4 GiB of audio; write FLAC instead");
        }
    }

    const bool isFloat = s.spec.format == SampleFormat::float32;
    const int bits = bitsOf(s.spec.format);
    const double scale = std::ldexp(1.0, bits - 1);
    const IntegerSamples integer{scale, scale - 1.0, 32 - bits};
    for (std::int64_t begin = 0; begin < block.numFrames(); begin += kBlockFrames) {
        const std::int64_t count = std::min(kBlockFrames, block.numFrames() - begin);
        const bool fastStereo = !isFloat && channels == 2 && hasNoNan(block.channel(0) + begin, count) &&
                                hasNoNan(block.channel(1) + begin, count);
        if (fastStereo) {
            s.clipped += (kCpuHasAvx2 ? quantizeStereoAvx2 : quantizeStereoBaseline)(
                block.channel(0) + begin, block.channel(1) + begin, count, integer, s.intScratch.data());
        } else {
            for (int c = 0; c < channels; ++c) {
                const float* src = block.channel(c) + begin;
                for (std::int64_t i = 0; i < count; ++i) {
                    const float x = src[i];
                    if (std::isnan(x) || (isFloat && std::isinf(x))) {
                        s.failed = true;
                        return fail(ErrorCode::invalidArgument,
                                    s.name() + ": sample at frame " + std::to_string(s.frames + begin + i) +
                                        ", channel " + std::to_string(c + 1) + " is " +
                                        (std::isnan(x) ? "NaN" : "infinite") +
                                        "; the file will not be committed (a processor upstream is broken)");
                    }
                    const auto at = static_cast<std::size_t>(i * channels + c);
                    if (isFloat)
                        s.floatScratch[at] = x;
                    else
                        s.intScratch[at] = quantizeSample(x, integer, s.clipped);
                }
            }
        }
        const sf_count_t written = isFloat ? sf_writef_float(s.file, s.floatScratch.data(), count)
                                           : sf_writef_int(s.file, s.intScratch.data(), count);
        if (written != count) {
            s.failed = true;
            return fail(ErrorCode::ioError, s.name() + ": cannot write (disk full?): " + sf_strerror(s.file));
        }
        s.frames += count;
    }
    if (s.frames - s.writebackAt >= kWritebackFrames) {
        startWriteback(s.fd);
        s.writebackAt = s.frames;
    }
    return {};
}

Result<void> AudioFileWriter::commit() {
    State& s = *state_;
    if (s.committed) return fail(ErrorCode::internal, s.name() + ": committed twice");
    if (s.failed || !s.file)
        return fail(ErrorCode::ioError, s.name() + ": an earlier write failed; nothing was written");

    const int closeError = sf_close(s.file);
    s.file = nullptr;
    if (closeError != SF_ERR_NO_ERROR) {
        s.failed = true;
        return fail(ErrorCode::ioError, s.name() + ": cannot finish the file: " + sf_error_number(closeError));
    }
    // The data must be on disk before the rename makes it the target, or a crash could
    // leave a target that is complete in name only.
    const bool synced = ::fsync(s.fd) == 0;
    const int syncErrno = errno;
    const bool closed = ::close(s.fd) == 0;
    s.fd = -1;
    if (!synced || !closed) {
        s.failed = true;
        return fail(ErrorCode::ioError, s.name() + ": cannot write to disk: " + errnoText(synced ? errno : syncErrno));
    }
    if (std::rename(s.temp.c_str(), s.target.c_str()) != 0) {
        s.failed = true;
        return fail(ErrorCode::ioError, s.name() + ": cannot replace the file: " + errnoText(errno));
    }
    s.committed = true;

    // Make the rename itself durable; failing here loses nothing already written.
    const auto folder = s.target.parent_path().empty() ? std::filesystem::path(".") : s.target.parent_path();
    if (const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY); dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

std::int64_t AudioFileWriter::clippedSamples() const noexcept { return state_->clipped; }
std::int64_t AudioFileWriter::framesWritten() const noexcept { return state_->frames; }

}  // namespace reel::io
