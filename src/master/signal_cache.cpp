#include "master/signal_cache.hpp"

#include <fmt/format.h>
#include <unistd.h>

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
      interleaved_(std::move(other.interleaved_)) {
    other.fd_ = -1;
}

SignalCache& SignalCache::operator=(SignalCache&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        channels_ = other.channels_;
        numFrames_ = other.numFrames_;
        readFrame_ = other.readFrame_;
        interleaved_ = std::move(other.interleaved_);
        other.fd_ = -1;
    }
    return *this;
}

SignalCache::~SignalCache() {
    if (fd_ >= 0) ::close(fd_);
}

Result<void> SignalCache::append(AudioView frames) {
    const std::int64_t n = frames.numFrames();
    interleaved_.resize(static_cast<std::size_t>(n * channels_));
    for (int c = 0; c < channels_; ++c) {
        const float* x = frames.channel(c);
        for (std::int64_t i = 0; i < n; ++i) interleaved_[static_cast<std::size_t>(i * channels_ + c)] = x[i];
    }
    const auto bytes = static_cast<std::size_t>(n * channels_) * sizeof(float);
    const off_t offset = static_cast<off_t>(numFrames_ * channels_) * static_cast<off_t>(sizeof(float));
    std::size_t done = 0;
    while (done < bytes) {
        const ssize_t w = ::pwrite(fd_, reinterpret_cast<const char*>(interleaved_.data()) + done, bytes - done,
                                   offset + static_cast<off_t>(done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return fail(ErrorCode::ioError, fmt::format("cannot write the mastering pass's temporary file: {}", std::strerror(errno)));
        done += static_cast<std::size_t>(w);
    }
    numFrames_ += n;
    return {};
}

Result<std::int64_t> SignalCache::read(AudioView out) {
    const std::int64_t n = std::min(out.numFrames(), numFrames_ - readFrame_);
    if (n <= 0) return std::int64_t{0};
    interleaved_.resize(static_cast<std::size_t>(n * channels_));
    const auto bytes = static_cast<std::size_t>(n * channels_) * sizeof(float);
    const off_t offset = static_cast<off_t>(readFrame_ * channels_) * static_cast<off_t>(sizeof(float));
    std::size_t done = 0;
    while (done < bytes) {
        const ssize_t r = ::pread(fd_, reinterpret_cast<char*>(interleaved_.data()) + done, bytes - done, offset + static_cast<off_t>(done));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return fail(ErrorCode::ioError, fmt::format("cannot read the mastering pass's temporary file: {}", std::strerror(errno)));
        done += static_cast<std::size_t>(r);
    }
    for (int c = 0; c < channels_; ++c) {
        float* x = out.channel(c);
        for (std::int64_t i = 0; i < n; ++i) x[i] = interleaved_[static_cast<std::size_t>(i * channels_ + c)];
    }
    readFrame_ += n;
    return n;
}

}  // namespace reel::master
