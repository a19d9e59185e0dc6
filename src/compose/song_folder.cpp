#include "compose/song_folder.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <fstream>

#include "compose/arrangement_file.hpp"
#include "compose/arranger_parts.hpp"
#include "compose/drumkit_file.hpp"
#include "compose/midi_file.hpp"

namespace reel::compose {
namespace {


std::string number(double value) { return fmt::format("{:.3g}", value); }

std::string fileSafe(const std::string& name) {
    std::string out;
    for (unsigned char c : name) out += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
    return out.empty() ? "part" : out;
}

/// The track's `instrument:` line: the style's drum kit when it names one that is installed,
/// else the GM SoundFont. A missing kit falls back rather than failing, so a song can still
/// be arranged and heard on a machine without hydrogen-drumkits; the line says why.
std::string instrumentLine(const StyleInstrument& inst) {
    const std::string soundFont = inst.role == PartRole::drums
                                      ? fmt::format("    instrument: {{soundfont: gm, bank: 128, program: {}}}\n", inst.program)
                                      : fmt::format("    instrument: {{soundfont: gm, program: {}}}\n", inst.program);
    if (inst.role != PartRole::drums || inst.kit.empty()) return soundFont;
    if (auto kit = resolveDrumkit(inst.kit, "."); !kit)
        return fmt::format("    # the style's drum kit {} is not installed (apt-get install hydrogen-drumkits)\n{}",
                           quoted(inst.kit), soundFont);
    return fmt::format("    instrument: {{type: drumkit, kit: {}}}\n", quoted(inst.kit));
}

}  // namespace

std::string partPath(const std::string& instrumentName) { return "parts/" + fileSafe(instrumentName) + ".mid"; }

std::string sessionYaml(const Arrangement& a, const Style& style, const std::vector<const StyleInstrument*>& instruments) {
    std::string out;
    out += fmt::format("# Made by `reel arrange` in the {} style. Render with:  reel render session.yaml -o mix.wav\n", style.name);
    out += "# The parts come from arrangement.yaml; edit it and run `reel arrange --from arrangement.yaml -o .`\n";
    out += fmt::format("reel: 1\ntitle: {}\nsample_rate: 48000\ntempo: {}\nmeter: {}/{}\n", quoted(a.title.empty() ? "Untitled" : a.title),
                       number(a.tempo), a.meter.beatsPerBar, a.meter.beatUnit);
    if (!a.key.empty()) out += fmt::format("key: {}\n", a.key);
    out += "sections:\n";
    for (const auto& s : a.sections) out += fmt::format("  - {{name: {}, bars: {}}}\n", quoted(s.name), s.bars.size());
    out += "tracks:\n";
    for (const StyleInstrument* instrument : instruments) {
        const auto& inst = *instrument;
        out += fmt::format("  - name: {}\n", quoted(inst.name));
        out += instrumentLine(inst);
        out += fmt::format("    clips:\n      - {{midi: {}, at: \"1:1\"}}\n", partPath(inst.name));
        if (!inst.chainYaml.empty()) out += fmt::format("    chain: {}\n", inst.chainYaml);
        if (inst.reverbDb) out += fmt::format("    sends: [{{to: Reverb, level: {}dB}}]\n", number(*inst.reverbDb));
        out += fmt::format("    volume: {}dB\n    pan: {}\n", number(inst.volumeDb), number(inst.pan));
    }
    out += fmt::format("buses:\n  - {{name: Reverb, chain: [{}]}}\n", style.reverbYaml);
    out += "master:\n  chain:\n    - limiter: {ceiling: -1dB, release: 80ms}\n  volume: -3dB\n  target: streaming\n";
    return out;
}

Result<std::vector<SongFile>> songFiles(const Arrangement& arrangement, const Style& style, const std::string& styleName) {
    std::vector<SongFile> files;
    const auto parts = makeParts(arrangement, style);
    for (const auto& part : parts) {
        auto bytes = encodeMidi(part.song);
        if (!bytes) return std::unexpected(bytes.error());
        files.push_back({partPath(part.instrument->name), std::string(bytes->begin(), bytes->end())});
    }
    files.push_back({"arrangement.yaml", arrangementYaml(arrangement, styleName)});
    std::vector<const StyleInstrument*> instruments;
    for (const auto& part : parts) instruments.push_back(part.instrument);
    files.push_back({"session.yaml", sessionYaml(arrangement, style, instruments)});
    return files;
}

Result<void> writeSongFolder(const std::filesystem::path& folder, const std::vector<SongFile>& files) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool fresh = !fs::exists(folder, ec);
    const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
    const fs::path root =
        fresh ? parent / fmt::format(".{}.tmp-{}", folder.filename().string(), static_cast<long>(::getpid())) : folder;
    auto cleanup = [&] {
        if (fresh) fs::remove_all(root, ec);
    };
    auto failed = [&](const std::string& what) -> Result<void> {
        cleanup();
        return fail(ErrorCode::ioError, fmt::format("{}: {}", folder.string(), what));
    };
    if (fresh && !fs::create_directories(root, ec)) return failed("cannot create the folder: " + ec.message());
    for (const auto& file : files) {
        const fs::path target = root / file.path;
        fs::create_directories(target.parent_path(), ec);
        const fs::path temporary = target.string() + ".tmp";
        {
            std::ofstream out(temporary, std::ios::binary);
            out.write(file.bytes.data(), static_cast<std::streamsize>(file.bytes.size()));
            if (!out) {
                fs::remove(temporary, ec);
                return failed("cannot write " + file.path);
            }
        }
        fs::rename(temporary, target, ec);
        if (ec) {
            fs::remove(temporary, ec);
            return failed("cannot write " + file.path);
        }
    }
    if (fresh) {
        fs::rename(root, folder, ec);
        if (ec) return failed("cannot move the finished folder into place: " + ec.message());
    }
    return {};
}

}  // namespace reel::compose
