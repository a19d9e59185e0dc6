#include "io/declared_length.hpp"

#include <array>
#include <cstring>
#include <fstream>

// Chunk layouts: RIFF/WAVE per Microsoft's "Multimedia Programming Interface and Data
// Specifications 1.0" (1991), RF64 per EBU Tech 3306, AIFF per Apple's "Audio Interchange
// File Format 1.3" (1989). Only the fields needed for a length are read.

namespace reel::io::detail {
namespace {

// Garbage can claim tiny chunks forever; a real header has a handful before its data.
constexpr int kMaxChunks = 256;

using Id = std::array<char, 4>;

bool readBytes(std::ifstream& in, void* out, std::size_t n) {
    in.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
    return in.gcount() == static_cast<std::streamsize>(n);
}

std::uint64_t littleEndian(const unsigned char* p, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

std::uint64_t bigEndian(const unsigned char* p, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}

bool is(const Id& id, const char* text) { return std::memcmp(id.data(), text, 4) == 0; }

struct ChunkHeader {
    Id id{};
    std::uint64_t size = 0;
};

std::optional<ChunkHeader> nextChunk(std::ifstream& in, bool bigEndianSizes) {
    unsigned char raw[8];
    if (!readBytes(in, raw, sizeof raw)) return std::nullopt;
    ChunkHeader h;
    std::memcpy(h.id.data(), raw, 4);
    h.size = bigEndianSizes ? bigEndian(raw + 4, 4) : littleEndian(raw + 4, 4);
    return h;
}

// Chunks are padded to an even length in both RIFF and AIFF.
bool skipChunk(std::ifstream& in, std::uint64_t size, std::uint64_t alreadyRead) {
    const std::uint64_t padded = size + (size & 1u);
    in.seekg(static_cast<std::streamoff>(padded - alreadyRead), std::ios::cur);
    return static_cast<bool>(in);
}

std::optional<std::int64_t> wavFrames(std::ifstream& in, bool rf64) {
    std::uint64_t blockAlign = 0;
    std::optional<std::uint64_t> ds64DataSize;
    for (int i = 0; i < kMaxChunks; ++i) {
        auto chunk = nextChunk(in, false);
        if (!chunk) return std::nullopt;
        if (is(chunk->id, "ds64") && chunk->size >= 16) {
            unsigned char raw[16];  // riff size (8 bytes), data size (8 bytes)
            if (!readBytes(in, raw, sizeof raw)) return std::nullopt;
            ds64DataSize = littleEndian(raw + 8, 8);
            if (!skipChunk(in, chunk->size, sizeof raw)) return std::nullopt;
        } else if (is(chunk->id, "fmt ") && chunk->size >= 14) {
            unsigned char raw[14];  // tag, channels, rate, byte rate, block align
            if (!readBytes(in, raw, sizeof raw)) return std::nullopt;
            blockAlign = littleEndian(raw + 12, 2);
            if (!skipChunk(in, chunk->size, sizeof raw)) return std::nullopt;
        } else if (is(chunk->id, "data")) {
            std::uint64_t size = chunk->size;
            if (rf64 && size == 0xFFFFFFFFu && ds64DataSize) size = *ds64DataSize;
            if (blockAlign == 0 || size == 0 || size == 0xFFFFFFFFu) return std::nullopt;
            return static_cast<std::int64_t>(size / blockAlign);
        } else if (!skipChunk(in, chunk->size, 0)) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> aiffFrames(std::ifstream& in) {
    for (int i = 0; i < kMaxChunks; ++i) {
        auto chunk = nextChunk(in, true);
        if (!chunk) return std::nullopt;
        if (is(chunk->id, "COMM") && chunk->size >= 6) {
            unsigned char raw[6];  // channels (2 bytes), sample frames (4 bytes)
            if (!readBytes(in, raw, sizeof raw)) return std::nullopt;
            return static_cast<std::int64_t>(bigEndian(raw + 2, 4));
        }
        if (!skipChunk(in, chunk->size, 0)) return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> declaredFrames(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    Id outer{};
    unsigned char size[4];
    Id form{};
    if (!readBytes(in, outer.data(), 4) || !readBytes(in, size, 4) || !readBytes(in, form.data(), 4))
        return std::nullopt;
    if ((is(outer, "RIFF") || is(outer, "RF64")) && is(form, "WAVE")) return wavFrames(in, is(outer, "RF64"));
    if (is(outer, "FORM") && (is(form, "AIFF") || is(form, "AIFC"))) return aiffFrames(in);
    return std::nullopt;
}

}  // namespace reel::io::detail
