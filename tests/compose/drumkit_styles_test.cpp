// The shipped styles' drums on recorded kits: each kit is installed and plays every drum
// the style writes, and the arranged session names it (or falls back to the GM SoundFont).
#include <gtest/gtest.h>

#include <cstdlib>

#include "compose/drumkit_file.hpp"
#include "compose/drumkit_note_map.hpp"
#include "compose/song_folder.hpp"
#include "compose/style.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

const std::filesystem::path kStyles = std::filesystem::path(REEL_SOURCE_DIR) / "examples/styles";

const StyleInstrument* drumsOf(const Style& style) {
    for (const auto& instrument : style.instruments)
        if (instrument.role == PartRole::drums) return &instrument;
    return nullptr;
}

}  // namespace

TEST(DrumkitStyles, EveryStyleNamesAnInstalledKitThatPlaysAllItsDrums) {
    if (!std::filesystem::exists("/usr/share/hydrogen/data/drumkits"))
        GTEST_SKIP() << "hydrogen-drumkits is not installed";
    for (const std::string name : {"pop", "rock", "ballad", "folk", "funk"}) {
        auto style = loadStyle(kStyles / (name + ".yaml"));
        ASSERT_TRUE(style) << style.error().message;
        const StyleInstrument* drums = drumsOf(*style);
        ASSERT_NE(drums, nullptr) << name;
        ASSERT_FALSE(drums->kit.empty()) << name << " plays the GM SoundFont's drums";
        auto path = resolveDrumkit(drums->kit, "/");
        ASSERT_TRUE(path) << name << ": " << path.error().message;
        auto kit = DrumkitFile::load(*path);
        ASSERT_TRUE(kit) << kit.error().message;
        EXPECT_FALSE(kit->license.empty()) << name << ": " << drums->kit << " states no licence";
        const DrumkitNoteMap notes = generalMidiDrumMap(*kit);
        std::vector<std::string> used{"crash"};  // the arranger's crash at section starts
        for (const auto& pattern : style->drumPatterns)
            for (const auto& [drum, grid] : pattern.grids) used.push_back(drum);
        for (const auto& [drum, grid] : style->fill.grids) used.push_back(drum);
        for (const auto& drum : used) {
            const int note = *drumKey(drum);
            EXPECT_GE(notes[static_cast<std::size_t>(note)], 0)
                << name << ": " << drums->kit << " has no sound for " << drum << " (" << generalMidiDrumName(note) << ")";
        }
    }
}

TEST(DrumkitStyles, TheSessionPlaysTheKitOrFallsBackToTheSoundFontWhenItIsMissing) {
    const auto kits = test::scratchDir("dk-style-kits");
    std::filesystem::create_directories(kits / "Studio");
    test::writeText(kits / "Studio" / "drumkit.xml", "<drumkit_info><name>Studio</name></drumkit_info>");
    Style style;
    style.name = "test";
    StyleInstrument drums;
    drums.name = "Drums";
    drums.role = PartRole::drums;
    drums.program = 25;
    drums.kit = "Studio";
    Arrangement arrangement;
    arrangement.title = "Kit";

    ::setenv("REEL_DRUMKITS", kits.c_str(), 1);
    const std::string installed = sessionYaml(arrangement, style, {&drums});
    drums.kit = "Elsewhere";
    const std::string missing = sessionYaml(arrangement, style, {&drums});
    ::unsetenv("REEL_DRUMKITS");

    EXPECT_NE(installed.find("    instrument: {type: drumkit, kit: \"Studio\"}\n"), std::string::npos) << installed;
    EXPECT_NE(missing.find("    # the style's drum kit \"Elsewhere\" is not installed (apt-get install "
                           "hydrogen-drumkits)\n    instrument: {soundfont: gm, bank: 128, program: 25}\n"),
              std::string::npos)
        << missing;
}

TEST(DrumkitStyles, AKitIsOnlyForDrums) {
    auto style = parseStyle("instruments:\n  - {name: Bass, role: bass, kit: Studio}\n", "bad.yaml");
    ASSERT_FALSE(style);
    EXPECT_EQ(style.error().message, "bad.yaml:2:35: kit: names a drum kit, for an instrument with role: drums");
}
