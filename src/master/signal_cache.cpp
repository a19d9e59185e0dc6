#include "master/signal_cache.hpp"

#include <fmt/format.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace reel::master {

Result<SignalCache> SignalCache::create(const std::filesystem::path& folder, int channels) {
    std::string pattern = (folder / ".reel-master-cache-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
        return fail(ErrorCode::ioError, fmt::format("{}: cannot create a temporary file for the mastering passes: {}",
                                                    folder.string(), std::strerror(errno)));
    ::unlink(pattern.c_str());  // anonymous from now on: removed when closed
    SignalCache cache;
    cache.fd_ = fd;
    cache.channels_ = channels;
    return cache;
}

SignalCache::SignalCache(SignalCache&& other) noexcept
    : fd_(other.fd_), channels_(other.channels_), numFrames_(other.numFrames_), readFrame_(other.readFrame_),
      readBlock_(other.readBlock_), blocks_(std::move(other.blocks_)) {
    other.fd_ = -1;
}

SignalCache& SignalCache::operator=(SignalCache&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        channels_ = other.channels_;
        numFrames_ = other.numFrames_;
        readFrame_ = other.readFrame_;
        readBlock_ = other.readBlock_;
        blocks_ = std::move(other.blocks_);
        other.fd_ = -1;
    }
    return *this;
}

SignalCache::~SignalCache() {
    if (fd_ >= 0) ::close(fd_);
}

namespace {

/// Moves `bytes` between the file at `offset` and the channels' buffers (each numFrames
/// floats), with as many pwritev/preadv calls as partial transfers need.
template <class Transfer>
bool transferAll(Transfer&& transfer, AudioView frames, int channels, off_t offset) {
    const auto channelBytes = static_cast<std::size_t>(frames.numFrames()) * sizeof(float);
    std::size_t done = 0;
    const std::size_t total = channelBytes * static_cast<std::size_t>(channels);
    while (done < total) {
        std::array<iovec, kMaxChannels + 1> parts{};
        int count = 0;
        for (int c = 0; c < channels; ++c) {
            const std::size_t start = static_cast<std::size_t>(c) * channelBytes;
            if (done >= start + channelBytes) continue;
            const std::size_t skip = done > start ? done - start : 0;
            parts[static_cast<std::size_t>(count)].iov_base = reinterpret_cast<char*>(frames.channel(c)) + skip;
            parts[static_cast<std::size_t>(count)].iov_len = channelBytes - skip;
            ++count;
        }
        const ssize_t n = transfer(parts.data(), count, offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

Result<void> SignalCache::append(AudioView frames) {
    const std::int64_t n = frames.numFrames();
    if (n == 0) return {};
    const off_t offset = static_cast<off_t>(numFrames_ * channels_) * static_cast<off_t>(sizeof(float));
    const bool ok = transferAll([&](const iovec* parts, int count, off_t at) { return ::pwritev(fd_, parts, count, at); }, frames,
                                channels_, offset);
    if (!ok) return fail(ErrorCode::ioError, fmt::format("cannot write the mastering pass's temporary file: {}", std::strerror(errno)));
    numFrames_ += n;
    blocks_.push_back(n);
    return {};
}

Result<std::int64_t> SignalCache::read(AudioView out) {
    if (readBlock_ >= blocks_.size()) return std::int64_t{0};
    const std::int64_t n = blocks_[readBlock_];
    if (n > out.numFrames())
        return fail(ErrorCode::internal, "mastering cache: read into a block smaller than the one appended");
    const off_t offset = static_cast<off_t>(readFrame_ * channels_) * static_cast<off_t>(sizeof(float));
    const bool ok = transferAll([&](const iovec* parts, int count, off_t at) { return ::preadv(fd_, parts, count, at); },
                                out.slice(0, n), channels_, offset);
    if (!ok) return fail(ErrorCode::ioError, fmt::format("cannot read the mastering pass's temporary file: {}", std::strerror(errno)));
    readFrame_ += n;
    ++readBlock_;
    return n;
}

}  // namespace reel::master
