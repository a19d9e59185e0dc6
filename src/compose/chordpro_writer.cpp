#include "compose/chordpro_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace reel::compose {

std::string rewriteChordPro(std::string_view source, const Chart& chart) {
    struct Replacement {
        std::size_t offset;
        std::size_t length;
        std::string text;
    };
    std::vector<Replacement> replacements;
    for (const WrittenChord& written : chart.writtenChords)
        replacements.push_back({written.where.offset, written.where.length, written.chord.toString()});
    for (const WrittenKey& written : chart.writtenKeys)
        replacements.push_back({written.where.offset, written.where.length,
                                written.shortForm ? written.key.shortName() : written.key.toString()});
    std::ranges::sort(replacements, {}, &Replacement::offset);
    std::string out;
    out.reserve(source.size() + source.size() / 8);
    std::size_t done = 0;
    for (const Replacement& r : replacements) {
        if (r.offset < done || r.offset + r.length > source.size()) continue;  // not from this source
        out.append(source.substr(done, r.offset - done));
        out += r.text;
        done = r.offset + r.length;
    }
    out.append(source.substr(done));
    return out;
}

Result<void> saveTextFile(const std::filesystem::path& path, std::string_view text) {
    const std::string name = path.string();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fail(ErrorCode::ioError, name + ": is a folder; give a file name to write");
    const std::filesystem::path folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    // mkstemps makes a name no other writer can take, so two runs never write the same temporary.
    std::string temp = (folder / ("." + path.filename().string() + ".reel-XXXXXX.tmp")).string();
    const int fd = ::mkstemps(temp.data(), 4);
    if (fd < 0)
        return fail(ErrorCode::ioError,
                    name + ": cannot create a temporary file in " + folder.string() + ": " + std::strerror(errno));
    ::fchmod(fd, 0644);  // mkstemps makes it private; a chart is an ordinary document
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    const bool complete = written == text.size() && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!complete || std::rename(temp.c_str(), name.c_str()) != 0) {
        const int cause = complete ? errno : error;
        std::remove(temp.c_str());
        return fail(ErrorCode::ioError, name + ": cannot write: " + std::strerror(cause));
    }
    return {};
}

}  // namespace reel::compose
