// Hydrogen drumkit.xml reading (all three layouts, errors with their line), finding kits by
// name or path, and the General MIDI guesses that send drum notes to a kit's sounds.
#include "compose/drumkit_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "compose/drumkit_note_map.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

/// A kit description naming sounds with the given names, one layer each (files not needed).
std::string kitNamed(const std::vector<std::string>& names) {
    std::string xml = "<drumkit_info><name>Named</name><instrumentList>\n";
    int id = 0;
    for (const auto& name : names)
        xml += "<instrument><id>" + std::to_string(id++) + "</id><name>" + name +
               "</name><layer><filename>x.wav</filename></layer></instrument>\n";
    return xml + "</instrumentList></drumkit_info>\n";
}

DrumkitFile parsed(const std::string& xml) {
    auto kit = DrumkitFile::parse(xml, "/kits/Named/drumkit.xml");
    EXPECT_TRUE(kit) << kit.error().message;
    return kit ? *kit : DrumkitFile{};
}

/// The name of the sound a note plays, "" for none.
std::string soundOf(const DrumkitFile& kit, const DrumkitNoteMap& map, int note) {
    const int sound = map[static_cast<std::size_t>(note)];
    return sound < 0 ? "" : kit.sounds[static_cast<std::size_t>(sound)].name;
}

const std::filesystem::path kSystemKits = "/usr/share/hydrogen/data/drumkits";

}  // namespace

TEST(DrumkitFile, ReadsTheKitItsSoundsAndTheirLayersInEveryLayout) {
    const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<drumkit_info xmlns="http://www.hydrogen-music.org/drumkit">
 <name>Tiny</name>
 <author>Reel tests</author>
 <license>CC0</license>
 <instrumentList>
  <instrument>
   <id>3</id><name>Kick</name><volume>0.8</volume><gain>0.5</gain><pan_L>1</pan_L><pan_R>0.25</pan_R>
   <muteGroup>-1</muteGroup>
   <layer><filename>kick-soft.wav</filename><min>0</min><max>0.5</max><gain>0.7</gain><pitch>0</pitch></layer>
   <layer><filename>kick-hard.flac</filename><min>0.5</min><max>1</max><gain>1</gain><pitch>-3</pitch></layer>
  </instrument>
  <instrument>
   <id>4</id><name>Hat</name><muteGroup>2</muteGroup>
   <instrumentComponent><component_id>0</component_id>
    <layer><filename>sub/hat.wav</filename><min>0.2</min><max>0.9</max></layer>
   </instrumentComponent>
  </instrument>
  <instrument><id>5</id><name>Old Snare</name><filename>snare.wav</filename></instrument>
  <instrument><id>6</id><name></name></instrument>
 </instrumentList>
</drumkit_info>
)";
    auto kit = DrumkitFile::parse(xml, "/kits/Tiny/drumkit.xml");
    ASSERT_TRUE(kit) << kit.error().message;
    EXPECT_EQ(kit->name, "Tiny");
    EXPECT_EQ(kit->author, "Reel tests");
    EXPECT_EQ(kit->license, "CC0");
    ASSERT_EQ(kit->sounds.size(), 4u);

    const DrumkitSound& kick = kit->sounds[0];
    EXPECT_EQ(kick.id, 3);
    EXPECT_EQ(kick.name, "Kick");
    EXPECT_DOUBLE_EQ(kick.volume, 0.8);
    EXPECT_DOUBLE_EQ(kick.gain, 0.5);
    EXPECT_DOUBLE_EQ(kick.panLeft, 1.0);
    EXPECT_DOUBLE_EQ(kick.panRight, 0.25);
    EXPECT_EQ(kick.muteGroup, -1);
    ASSERT_EQ(kick.layers.size(), 2u);
    EXPECT_DOUBLE_EQ(kick.layers[0].maxVelocity, 0.5);
    EXPECT_DOUBLE_EQ(kick.layers[0].gain, 0.7);
    EXPECT_EQ(kick.layers[0].file, "/kits/Tiny/kick-soft.wav");
    EXPECT_DOUBLE_EQ(kick.layers[1].minVelocity, 0.5);
    EXPECT_DOUBLE_EQ(kick.layers[1].pitchSemitones, -3.0);

    const DrumkitSound& hat = kit->sounds[1];  // Hydrogen 0.9.7's components; defaults where unwritten
    EXPECT_EQ(hat.muteGroup, 2);
    EXPECT_DOUBLE_EQ(hat.volume, 1.0);
    EXPECT_DOUBLE_EQ(hat.panRight, 1.0);
    ASSERT_EQ(hat.layers.size(), 1u);
    EXPECT_EQ(hat.layers[0].file, "/kits/Tiny/sub/hat.wav");
    EXPECT_DOUBLE_EQ(hat.layers[0].minVelocity, 0.2);
    EXPECT_DOUBLE_EQ(hat.layers[0].gain, 1.0);

    const DrumkitSound& snare = kit->sounds[2];  // the oldest kits: one file for every velocity
    ASSERT_EQ(snare.layers.size(), 1u);
    EXPECT_EQ(snare.layers[0].file, "/kits/Tiny/snare.wav");
    EXPECT_DOUBLE_EQ(snare.layers[0].minVelocity, 0.0);
    EXPECT_DOUBLE_EQ(snare.layers[0].maxVelocity, 1.0);

    EXPECT_TRUE(kit->sounds[3].layers.empty());  // an unused slot stays, empty
}

TEST(DrumkitFileErrors, NameTheFileTheLineAndWhatIsWrong) {
    auto error = [](const std::string& xml) {
        auto kit = DrumkitFile::parse(xml, "kit/drumkit.xml");
        return kit ? std::string("parsed") : kit.error().message;
    };
    EXPECT_EQ(error("<drumkit_info>\n<name>Broken</name>\n<instrumentList>\n</drumkit_info>\n"),
              "kit/drumkit.xml:4: not a drum kit's XML: Start-end tags mismatch");
    EXPECT_EQ(error("<?xml version=\"1.0\"?>\n<song><name>x</name></song>\n"),
              "kit/drumkit.xml:2: not a Hydrogen drumkit.xml: its root element should be <drumkit_info>, not <song>");
    EXPECT_EQ(error("<drumkit_info><instrumentList>\n<instrument><name>Kick</name>\n<volume>loud</volume>"
                    "</instrument></instrumentList></drumkit_info>"),
              "kit/drumkit.xml:3: <volume> of instrument \"Kick\" should be a number, not \"loud\"");
    EXPECT_EQ(error("<drumkit_info><instrumentList><instrument><name>Kick</name>\n\n<layer><min>0</min></layer>"
                    "</instrument></instrumentList></drumkit_info>"),
              "kit/drumkit.xml:3: a layer of instrument \"Kick\" names no <filename>");
    EXPECT_EQ(error("<drumkit_info><instrumentList><instrument><name>Kick</name>\n<layer><filename>k.wav</filename>"
                    "<min>0.8</min><max>0.5</max></layer></instrument></instrumentList></drumkit_info>"),
              "kit/drumkit.xml:2: the layer k.wav of instrument \"Kick\" plays velocities 0.8 … 0.5; they should lie "
              "in 0 … 1, min first");

    auto missing = DrumkitFile::load("/nowhere/drumkit.xml");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::fileNotFound);
    EXPECT_EQ(missing.error().message, "/nowhere/drumkit.xml: drum kit file not found");
}

TEST(DrumkitFile, KitsAreFoundByFolderNameOrPath) {
    const auto kits = test::scratchDir("drumkit-search");
    std::filesystem::create_directories(kits / "My Kit");
    test::writeText(kits / "My Kit" / "drumkit.xml", kitNamed({"Kick"}));
    ::setenv("REEL_DRUMKITS", kits.c_str(), 1);
    auto byName = resolveDrumkit("My Kit", "/songs/a");
    auto ignoringCase = resolveDrumkit("my kit", "/songs/a");
    auto byFolder = resolveDrumkit("My Kit", kits);  // relative to the session's folder
    auto byFile = resolveDrumkit("My Kit/drumkit.xml", kits);
    auto misspelt = resolveDrumkit("My Kitt", "/songs/a");
    auto notThere = resolveDrumkit("kits/none", "/songs/a");
    ::unsetenv("REEL_DRUMKITS");

    ASSERT_TRUE(byName) << byName.error().message;
    EXPECT_EQ(*byName, kits / "My Kit" / "drumkit.xml");
    ASSERT_TRUE(ignoringCase);
    EXPECT_EQ(*ignoringCase, kits / "My Kit" / "drumkit.xml");
    ASSERT_TRUE(byFolder);
    EXPECT_EQ(*byFolder, kits / "My Kit" / "drumkit.xml");
    ASSERT_TRUE(byFile);
    EXPECT_EQ(*byFile, kits / "My Kit" / "drumkit.xml");
    ASSERT_FALSE(misspelt);
    EXPECT_EQ(misspelt.error().code, ErrorCode::fileNotFound);
    EXPECT_EQ(misspelt.error().message, "no drum kit \"My Kitt\" in " + kits.string() +
                                            "; did you mean \"My Kit\"? (installed: My Kit); a path to a drumkit.xml "
                                            "or its folder works too");
    ASSERT_FALSE(notThere);
    EXPECT_EQ(notThere.error().message, "drum kit \"kits/none\" not found: neither /songs/a/kits/none nor "
                                        "/songs/a/kits/none/drumkit.xml exists");
}

TEST(DrumkitNoteMap, GeneralMidiNotesFindSoundsByTheirNames) {
    const DrumkitFile kit = parsed(kitNamed({"Pearl Kick", "Pearl Side Stick", "Pearl Snare", "Pearl Snare Rimshot",
                                             "Pearl Tom Floor", "Sabian Hat Closed", "Pearl Tom 2", "Sabian Hat Pedal",
                                             "Pearl Tom 1", "Sabian Hat Semi-Open", "Sabian Hat Open", "Cowbell",
                                             "Paiste Ride", "Paiste Bell", "Sabian Crash", "Zildjian Splash"}));
    const DrumkitNoteMap map = generalMidiDrumMap(kit);
    EXPECT_EQ(soundOf(kit, map, 36), "Pearl Kick");
    EXPECT_EQ(soundOf(kit, map, 35), "Pearl Kick");
    EXPECT_EQ(soundOf(kit, map, 37), "Pearl Side Stick");
    EXPECT_EQ(soundOf(kit, map, 38), "Pearl Snare");
    EXPECT_EQ(soundOf(kit, map, 40), "Pearl Snare");  // no second snare: the first
    EXPECT_EQ(soundOf(kit, map, 39), "Pearl Snare");  // no clap: the snare stands in
    EXPECT_EQ(soundOf(kit, map, 42), "Sabian Hat Closed");
    EXPECT_EQ(soundOf(kit, map, 44), "Sabian Hat Pedal");
    EXPECT_EQ(soundOf(kit, map, 46), "Sabian Hat Open");
    EXPECT_EQ(soundOf(kit, map, 49), "Sabian Crash");
    EXPECT_EQ(soundOf(kit, map, 57), "Sabian Crash");
    EXPECT_EQ(soundOf(kit, map, 55), "Zildjian Splash");
    EXPECT_EQ(soundOf(kit, map, 51), "Paiste Ride");
    EXPECT_EQ(soundOf(kit, map, 53), "Paiste Ride");  // "Paiste Bell" says no ride: the ride plays it
    EXPECT_EQ(soundOf(kit, map, 56), "Cowbell");
    EXPECT_EQ(soundOf(kit, map, 54), "Sabian Hat Closed");  // no tambourine: the documented stand-in
    EXPECT_EQ(soundOf(kit, map, 70), "Sabian Hat Closed");
    // Toms low to high: floor, then rack toms numbered from the highest.
    for (int note : {41, 43}) EXPECT_EQ(soundOf(kit, map, note), "Pearl Tom Floor") << note;
    for (int note : {45, 47}) EXPECT_EQ(soundOf(kit, map, note), "Pearl Tom 2") << note;
    for (int note : {48, 50}) EXPECT_EQ(soundOf(kit, map, note), "Pearl Tom 1") << note;
    EXPECT_EQ(soundOf(kit, map, 60), "");  // no bongos
    EXPECT_EQ(soundOf(kit, map, 81), "");
}

TEST(DrumkitNoteMap, OtherSpellingsOfTheSameDrumsAreUnderstood) {
    const DrumkitFile kit = parsed(kitNamed({"c3 - bass drum 1", "d3 - snare 1", "e3 - snare 2", "f#3 - hi-hat closed",
                                             "a#3 - hi-hat open", "Crash Left", "Crash Right", "Ride", "Ride 2",
                                             "BassDrum", "Closed HH", "Tom Hi", "Tom Low", "Tom Mid", "Hand Clap",
                                             "Tambourine", "Maracas"}));
    const DrumkitNoteMap map = generalMidiDrumMap(kit);
    EXPECT_EQ(soundOf(kit, map, 36), "c3 - bass drum 1");
    EXPECT_EQ(soundOf(kit, map, 38), "d3 - snare 1");
    EXPECT_EQ(soundOf(kit, map, 40), "e3 - snare 2");
    EXPECT_EQ(soundOf(kit, map, 42), "f#3 - hi-hat closed");
    EXPECT_EQ(soundOf(kit, map, 46), "a#3 - hi-hat open");
    EXPECT_EQ(soundOf(kit, map, 49), "Crash Left");
    EXPECT_EQ(soundOf(kit, map, 57), "Crash Right");
    EXPECT_EQ(soundOf(kit, map, 51), "Ride");
    EXPECT_EQ(soundOf(kit, map, 59), "Ride 2");
    EXPECT_EQ(soundOf(kit, map, 39), "Hand Clap");
    EXPECT_EQ(soundOf(kit, map, 54), "Tambourine");
    EXPECT_EQ(soundOf(kit, map, 70), "Maracas");
    EXPECT_EQ(soundOf(kit, map, 43), "Tom Low");
    EXPECT_EQ(soundOf(kit, map, 47), "Tom Mid");
    EXPECT_EQ(soundOf(kit, map, 50), "Tom Hi");
    EXPECT_EQ(generalMidiDrumName(46), "open hi-hat");
    EXPECT_EQ(generalMidiDrumName(81), "open triangle");
    EXPECT_EQ(generalMidiDrumName(20), "");
}

TEST(DrumkitNoteMap, TheInstalledKitsStylesUseHaveTheirCoreSounds) {
    for (const std::string name : {"BJA_Pacific", "The Black Pearl 1.0", "Audiophob", "rumpf_kit_z01_h2"}) {
        const auto path = kSystemKits / name / "drumkit.xml";
        if (!std::filesystem::exists(path)) GTEST_SKIP() << "hydrogen-drumkits is not installed (" << path << ")";
        auto kit = DrumkitFile::load(path);
        ASSERT_TRUE(kit) << kit.error().message;
        const DrumkitNoteMap map = generalMidiDrumMap(*kit);
        for (int note : {36, 38, 42, 46, 49, 51, 43, 47, 50})
            EXPECT_GE(map[static_cast<std::size_t>(note)], 0) << name << " plays no " << generalMidiDrumName(note);
        EXPECT_NE(map[42], map[46]) << name << ": closed and open hat are one sound";
    }
}
