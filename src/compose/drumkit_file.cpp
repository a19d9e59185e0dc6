#include "compose/drumkit_file.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <pugixml.hpp>

#include "session/closest_name.hpp"

namespace reel::compose {
namespace {

constexpr const char* kSystemFolder = "/usr/share/hydrogen/data/drumkits";
constexpr const char* kFileName = "drumkit.xml";

/// Reads one kit description; every message starts "path:line: ".
class KitReader {
public:
    KitReader(std::string_view text, const std::filesystem::path& path) : text_(text), path_(path) {}

    Result<DrumkitFile> read() {
        pugi::xml_document doc;
        const pugi::xml_parse_result parsed = doc.load_buffer(text_.data(), text_.size());
        if (!parsed)
            return fail(ErrorCode::parseError, fmt::format("{}:{}: not a drum kit's XML: {}", path_.string(),
                                                           lineAt(parsed.offset), parsed.description()));
        const pugi::xml_node root = doc.child("drumkit_info");
        if (!root)
            return fail(ErrorCode::parseError,
                        fmt::format("{}:{}: not a Hydrogen drumkit.xml: its root element should be <drumkit_info>, "
                                    "not <{}>",
                                    path_.string(), lineAt(doc.first_child().offset_debug()), doc.first_child().name()));
        DrumkitFile kit;
        kit.path = path_;
        kit.name = trimmed(root.child_value("name"));
        kit.author = trimmed(root.child_value("author"));
        kit.license = trimmed(root.child_value("license"));
        for (pugi::xml_node node : root.child("instrumentList").children("instrument")) {
            auto sound = readSound(node);
            if (!sound) return std::unexpected(sound.error());
            kit.sounds.push_back(std::move(*sound));
        }
        return kit;
    }

private:
    Result<DrumkitSound> readSound(pugi::xml_node node) {
        DrumkitSound sound;
        sound.name = trimmed(node.child_value("name"));
        const std::string what = fmt::format("instrument \"{}\"", sound.name);
        auto id = number(node, "id", what, 0.0);
        auto volume = number(node, "volume", what, 1.0);
        auto gain = number(node, "gain", what, 1.0);
        auto panLeft = number(node, "pan_L", what, 1.0);
        auto panRight = number(node, "pan_R", what, 1.0);
        auto muteGroup = number(node, "muteGroup", what, -1.0);
        for (const auto* value : {&id, &volume, &gain, &panLeft, &panRight, &muteGroup})
            if (!*value) return std::unexpected(value->error());
        sound.id = static_cast<int>(*id);
        sound.volume = *volume;
        sound.gain = *gain;
        sound.panLeft = *panLeft;
        sound.panRight = *panRight;
        sound.muteGroup = static_cast<int>(*muteGroup);
        auto addLayers = [&](pugi::xml_node parent) -> Result<void> {
            for (pugi::xml_node layerNode : parent.children("layer")) {
                auto layer = readLayer(layerNode, what);
                if (!layer) return std::unexpected(layer.error());
                sound.layers.push_back(std::move(*layer));
            }
            return {};
        };
        if (auto ok = addLayers(node); !ok) return std::unexpected(ok.error());
        for (pugi::xml_node component : node.children("instrumentComponent"))
            if (auto ok = addLayers(component); !ok) return std::unexpected(ok.error());
        const std::string lone = trimmed(node.child_value("filename"));
        if (sound.layers.empty() && !lone.empty()) sound.layers.push_back({0.0, 1.0, 1.0, 0.0, samplePath(lone)});
        return sound;
    }

    Result<DrumkitLayer> readLayer(pugi::xml_node node, const std::string& sound) {
        const std::string file = trimmed(node.child_value("filename"));
        if (file.empty())
            return fail(ErrorCode::corruptData, fmt::format("{}:{}: a layer of {} names no <filename>", path_.string(),
                                                            lineAt(node.offset_debug()), sound));
        const std::string what = fmt::format("the layer {} of {}", file, sound);
        auto min = number(node, "min", what, 0.0);
        auto max = number(node, "max", what, 1.0);
        auto gain = number(node, "gain", what, 1.0);
        auto pitch = number(node, "pitch", what, 0.0);
        for (const auto* value : {&min, &max, &gain, &pitch})
            if (!*value) return std::unexpected(value->error());
        if (*min < 0.0 || *max > 1.0 || *min > *max)
            return fail(ErrorCode::corruptData,
                        fmt::format("{}:{}: {} plays velocities {} … {}; they should lie in 0 … 1, min first",
                                    path_.string(), lineAt(node.offset_debug()), what, *min, *max));
        return DrumkitLayer{*min, *max, *gain, *pitch, samplePath(file)};
    }

    /// The number in child `tag` of `node`, or `otherwise` when the tag is absent or empty.
    Result<double> number(pugi::xml_node node, const char* tag, const std::string& what, double otherwise) const {
        const pugi::xml_node child = node.child(tag);
        const std::string text = trimmed(child.child_value());
        if (text.empty()) return otherwise;
        double value = 0.0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (ec != std::errc() || stop != end)
            return fail(ErrorCode::corruptData, fmt::format("{}:{}: <{}> of {} should be a number, not \"{}\"",
                                                            path_.string(), lineAt(child.offset_debug()), tag, what, text));
        return value;
    }

    std::filesystem::path samplePath(const std::string& file) const { return path_.parent_path() / file; }

    /// The line (from 1) of a byte offset into the text.
    long lineAt(std::ptrdiff_t offset) const {
        const auto end = text_.begin() + std::clamp<std::ptrdiff_t>(offset, 0, static_cast<std::ptrdiff_t>(text_.size()));
        return 1 + std::count(text_.begin(), end, '\n');
    }

    static std::string trimmed(std::string_view text) {
        auto space = [](unsigned char c) { return std::isspace(c) != 0; };
        while (!text.empty() && space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
        while (!text.empty() && space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
        return std::string(text);
    }

    std::string_view text_;
    std::filesystem::path path_;
};

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The kit folders (those holding a drumkit.xml) in `folder`, by name.
std::vector<std::string> kitsIn(const std::filesystem::path& folder) {
    std::vector<std::string> kits;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (std::filesystem::is_regular_file(entry.path() / kFileName, ec)) kits.push_back(entry.path().filename().string());
    std::sort(kits.begin(), kits.end());
    return kits;
}

}  // namespace

Result<DrumkitFile> DrumkitFile::load(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail(ErrorCode::fileNotFound, fmt::format("{}: drum kit file not found", path.string()));
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open() || in.bad())
        return fail(ErrorCode::fileUnreadable, fmt::format("{}: cannot read the drum kit file", path.string()));
    return parse(text, path);
}

Result<DrumkitFile> DrumkitFile::parse(std::string_view text, const std::filesystem::path& path) {
    return KitReader(text, path).read();
}

std::vector<std::filesystem::path> drumkitSearchFolders() {
    if (const char* chosen = std::getenv("REEL_DRUMKITS"); chosen && *chosen) return {chosen};
    std::vector<std::filesystem::path> folders{kSystemFolder};
    if (const char* home = std::getenv("HOME"); home && *home)
        folders.push_back(std::filesystem::path(home) / ".hydrogen/data/drumkits");
    return folders;
}

Result<std::filesystem::path> resolveDrumkit(std::string_view written, const std::filesystem::path& sessionFolder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path asPath = sessionFolder / fs::path(written);
    const bool looksLikePath = written.find('/') != std::string_view::npos || fs::path(written).extension() == ".xml";
    if (fs::is_regular_file(asPath, ec)) return asPath;
    if (fs::is_regular_file(asPath / kFileName, ec)) return asPath / kFileName;
    if (looksLikePath)
        return fail(ErrorCode::fileNotFound,
                    fmt::format("drum kit \"{}\" not found: neither {} nor {} exists", written, asPath.string(),
                                (asPath / kFileName).string()));

    const auto folders = drumkitSearchFolders();
    std::vector<std::string> installed;
    for (const auto& folder : folders) {
        if (fs::is_regular_file(folder / written / kFileName, ec)) return folder / written / kFileName;
        for (auto& kit : kitsIn(folder)) installed.push_back(std::move(kit));
    }
    const std::string wanted = lowered(written);
    for (const auto& folder : folders)
        for (const auto& kit : kitsIn(folder))
            if (lowered(kit) == wanted) return folder / kit / kFileName;

    std::vector<std::string> places;
    for (const auto& folder : folders) places.push_back(folder.string());
    std::string message = fmt::format("no drum kit \"{}\" in {}", written, fmt::join(places, " or "));
    const std::vector<std::string_view> names(installed.begin(), installed.end());
    if (auto closest = session::closestName(written, names)) message += fmt::format("; did you mean \"{}\"?", *closest);
    if (installed.empty())
        message += "; no kits are installed there (Debian: apt-get install hydrogen-drumkits, or set REEL_DRUMKITS to "
                   "a folder of Hydrogen kits)";
    else
        message += fmt::format(" (installed: {})", fmt::join(installed, ", "));
    return fail(ErrorCode::fileNotFound, message + "; a path to a drumkit.xml or its folder works too");
}

}  // namespace reel::compose
