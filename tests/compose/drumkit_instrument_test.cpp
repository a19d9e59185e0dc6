// The drum kit sampler: velocity layers, General MIDI notes, hat choke, sample-exact timing,
// block-size independence, no allocation while rendering, resampling, errors, and the
// installed default kit.
//
// The tiny kit's samples are constants (a different value per layer), so the value at a
// frame says which layer played, at what gain, and when.
#include "compose/drumkit_instrument.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>

#include "compose/built_in_instruments.hpp"
#include "support/allocation_counter.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 4096;

AudioBuffer constant(float value, std::int64_t numFrames, int channels = 1) {
    AudioBuffer out(channels, numFrames);
    for (int c = 0; c < channels; ++c) std::fill_n(out.channel(c), numFrames, value);
    return out;
}

void writeWav(const std::filesystem::path& path, const AudioBuffer& audio, int rate = 48000) {
    test::writeFile(path, audio, rate, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
}

/// A kit of constant one-shots at 48 kHz: Kick (soft layer 0.25 for velocities up to 0.5,
/// hard 0.5 above, 100 frames), Snare (0.3, panned: right at half, 50 frames), Closed Hat
/// (0.1, 1000 frames), Open Hat (0.2, 48000 frames). No mute groups: the instrument adds one.
std::filesystem::path tinyKit(const std::string& name) {
    const auto folder = test::scratchDir(name);
    writeWav(folder / "kick-soft.wav", constant(0.25f, 100));
    writeWav(folder / "kick-hard.wav", constant(0.5f, 100));
    writeWav(folder / "snare.wav", constant(0.3f, 50));
    writeWav(folder / "hat-closed.wav", constant(0.1f, 1000));
    writeWav(folder / "hat-open.wav", constant(0.2f, 48000));
    test::writeText(folder / "drumkit.xml", R"(<drumkit_info><name>Tiny</name><license>CC0</license><instrumentList>
<instrument><id>0</id><name>Kick</name>
 <layer><filename>kick-soft.wav</filename><min>0</min><max>0.5</max></layer>
 <layer><filename>kick-hard.wav</filename><min>0.5</min><max>1</max></layer></instrument>
<instrument><id>1</id><name>Snare</name><pan_L>1</pan_L><pan_R>0.5</pan_R><filename>snare.wav</filename></instrument>
<instrument><id>2</id><name>Closed Hat</name><layer><filename>hat-closed.wav</filename></layer></instrument>
<instrument><id>3</id><name>Open Hat</name><layer><filename>hat-open.wav</filename></layer></instrument>
</instrumentList></drumkit_info>
)");
    return folder / "drumkit.xml";
}

std::unique_ptr<DrumkitInstrument> instrumentOf(const std::filesystem::path& xml, double rate = kRate) {
    auto kit = DrumkitFile::load(xml);
    EXPECT_TRUE(kit) << kit.error().message;
    if (!kit) return nullptr;
    const DrumkitNoteMap notes = generalMidiDrumMap(*kit);
    auto instrument = DrumkitInstrument::create(std::move(*kit), notes);
    auto prepared = instrument->prepare(SampleRate{rate}, kBlock);
    EXPECT_TRUE(prepared) << prepared.error().message;
    return instrument;
}

engine::InstrumentEvent on(std::int64_t frame, int key, int velocity = 127) {
    return {frame, 0x99, static_cast<std::uint8_t>(key), static_cast<std::uint8_t>(velocity)};
}

engine::InstrumentPart partOf(std::vector<engine::InstrumentEvent> events, std::int64_t length) {
    return engine::InstrumentPart{std::move(events), FrameCount{length}};
}

/// Renders a whole part, cycling through `blockSizes` (irregular sizes test the seams), and
/// checks that it gives exactly length() frames, then nothing, and ends finished.
AudioBuffer renderPart(engine::Instrument& instrument, const engine::InstrumentPart& part,
                       const std::vector<int>& blockSizes = {kBlock}) {
    auto player = instrument.play(part);
    EXPECT_TRUE(player) << player.error().message;
    if (!player) return {};
    engine::PartPlayer& p = **player;
    AudioBuffer all(2, p.length().value);
    AudioBuffer scratch(2, *std::max_element(blockSizes.begin(), blockSizes.end()));
    std::int64_t rendered = 0;
    for (std::size_t k = 0;; ++k) {
        const int size = blockSizes[k % blockSizes.size()];
        auto n = p.render(scratch.view(size));
        if (!n) {
            ADD_FAILURE() << n.error().message;
            return {};
        }
        if (*n == 0) break;
        EXPECT_EQ(*n, std::min<std::int64_t>(size, p.length().value - rendered));
        for (int c = 0; c < 2; ++c) std::copy_n(scratch.channel(c), *n, all.channel(c) + rendered);
        rendered += *n;
    }
    EXPECT_EQ(rendered, p.length().value);
    EXPECT_TRUE(p.finished());
    return all;
}

const std::filesystem::path kSystemKits = "/usr/share/hydrogen/data/drumkits";

}  // namespace

TEST(DrumkitInstrument, VelocityPicksTheLayerAndScalesItLinearly) {
    auto kit = instrumentOf(tinyKit("dk-velocity"));
    const AudioBuffer hard = renderPart(*kit, partOf({on(0, 36, 127)}, 10));
    const AudioBuffer soft = renderPart(*kit, partOf({on(0, 36, 40)}, 10));
    const AudioBuffer edge = renderPart(*kit, partOf({on(0, 36, 64)}, 10));  // 64/127 > 0.5: the hard layer
    ASSERT_EQ(hard.numFrames(), 100);  // the sample's length: notes ring to their end
    EXPECT_EQ(hard.channel(0)[0], 0.5f);
    EXPECT_EQ(hard.channel(1)[99], 0.5f);
    EXPECT_FLOAT_EQ(soft.channel(0)[50], 0.25f * 40.0f / 127.0f);
    EXPECT_FLOAT_EQ(edge.channel(0)[50], 0.5f * 64.0f / 127.0f);
}

TEST(DrumkitInstrument, NotesStartOnTheirExactFrameAndPan) {
    auto kit = instrumentOf(tinyKit("dk-timing"));
    const AudioBuffer out = renderPart(*kit, partOf({on(1234, 38), on(4099, 36)}, 5000));
    EXPECT_EQ(out.channel(0)[1233], 0.0f);
    EXPECT_EQ(out.channel(0)[1234], 0.3f);
    EXPECT_EQ(out.channel(1)[1234], 0.15f);  // pan_R 0.5
    EXPECT_EQ(out.channel(0)[1283], 0.3f);
    EXPECT_EQ(out.channel(0)[1284], 0.0f);  // 50 frames later the snare has ended
    EXPECT_EQ(out.channel(0)[4098], 0.0f);
    EXPECT_EQ(out.channel(0)[4099], 0.5f);
    EXPECT_EQ(out.numFrames(), 5000);
}

TEST(DrumkitInstrument, AClosedHatChokesTheOpenHatWithAShortFade) {
    auto kit = instrumentOf(tinyKit("dk-choke"));
    const auto fade = static_cast<std::int64_t>(std::llround(DrumkitInstrument::kChokeSeconds * kRate));
    const AudioBuffer out = renderPart(*kit, partOf({on(0, 46), on(1000, 42)}, 2000));
    EXPECT_EQ(out.channel(0)[999], 0.2f);
    EXPECT_FLOAT_EQ(out.channel(0)[1000], 0.2f + 0.1f);                // the fade starts at full level
    EXPECT_LT(out.channel(0)[1000 + fade / 2], 0.2f + 0.1f);           // halfway down
    EXPECT_GT(out.channel(0)[1000 + fade / 2], 0.1f);
    EXPECT_EQ(out.channel(0)[1000 + fade], 0.1f);                      // only the closed hat is left
    for (std::int64_t i = 1001; i < 1000 + fade; ++i)                  // falling steadily: no click
        EXPECT_LE(out.channel(0)[i], out.channel(0)[i - 1]);
    EXPECT_EQ(out.numFrames(), 48000);  // promised from the open hat's full length, before the choke

    const AudioBuffer ringing = renderPart(*kit, partOf({on(0, 46), on(1000, 36)}, 2000));
    EXPECT_EQ(ringing.channel(0)[1050], 0.2f + 0.5f);  // a kick does not choke the hat
}

TEST(DrumkitInstrument, OutputIsTheSameForAnyBlockSize) {
    auto kit = instrumentOf(tinyKit("dk-blocks"));
    std::vector<engine::InstrumentEvent> events;
    for (int i = 0; i < 200; ++i) events.push_back(on(i * 331, std::array{36, 38, 42, 46}[i % 4], 20 + i % 100));
    const auto part = partOf(events, 200 * 331);
    const AudioBuffer reference = renderPart(*kit, part, {4096});
    for (const std::vector<int>& blocks : {std::vector{1}, std::vector{64}, std::vector{7, 4095, 1, 300}}) {
        const AudioBuffer other = renderPart(*kit, part, blocks);
        ASSERT_EQ(other.numFrames(), reference.numFrames());
        for (int c = 0; c < 2; ++c)
            EXPECT_TRUE(std::equal(reference.channel(c), reference.channel(c) + reference.numFrames(), other.channel(c)))
                << "blocks of " << blocks.front() << "…, channel " << c;
    }
}

TEST(DrumkitInstrument, RenderingAllocatesNothingAndFinishesWhenTheLastVoiceEnds) {
    auto kit = instrumentOf(tinyKit("dk-alloc"));
    std::vector<engine::InstrumentEvent> events;  // more hits ringing at once than there are voices
    for (int i = 0; i < 200; ++i) events.push_back(on(i * 37, std::array{46, 36, 38, 46, 39, 40, 46, 44}[i % 8], 100));
    auto player = kit->play(partOf(events, 200 * 37));
    ASSERT_TRUE(player) << player.error().message;
    AudioBuffer block(2, 512);
    std::size_t allocations = 0;
    std::int64_t rendered = 0;
    {
        test::AllocationCounter counter;
        while (!(*player)->finished()) {
            auto n = (*player)->render(block.view());
            if (!n || *n == 0) break;
            rendered += *n;
        }
        allocations = counter.count();
    }
    EXPECT_EQ(allocations, 0u);
    EXPECT_LE(rendered, (*player)->length().value);
    EXPECT_GE(rendered, 199 * 37 + 50) << "finished before the last hit ended";

    auto single = kit->play(partOf({on(0, 36)}, 10));
    ASSERT_TRUE(single);
    EXPECT_FALSE((*single)->finished());
    ASSERT_TRUE((*single)->render(block.view().slice(0, 99)));
    EXPECT_FALSE((*single)->finished());
    ASSERT_TRUE((*single)->render(block.view().slice(0, 1)));
    EXPECT_TRUE((*single)->finished());
}

TEST(DrumkitInstrument, AKitAt44100HzPlaysAt48000Hz) {
    const auto folder = test::scratchDir("dk-44k");
    writeWav(folder / "tone.wav", test::sine(1000.0, 0.5, 44100.0, 4410, 1), 44100);  // 100 ms of 1 kHz
    test::writeText(folder / "drumkit.xml", "<drumkit_info><name>Tone</name><instrumentList><instrument><id>0</id>"
                                            "<name>Kick</name><layer><filename>tone.wav</filename></layer></instrument>"
                                            "</instrumentList></drumkit_info>");
    auto kit = instrumentOf(folder / "drumkit.xml", 48000.0);
    const AudioBuffer out = renderPart(*kit, partOf({on(0, 36)}, 10));
    EXPECT_NEAR(static_cast<double>(out.numFrames()), 4800.0, 2.0);  // still 100 ms
    int crossings = 0;  // still 1 kHz: 200 sign changes in 100 ms
    for (std::int64_t i = 100; i < 4700; ++i) crossings += (out.channel(0)[i - 1] < 0) != (out.channel(0)[i] < 0);
    EXPECT_NEAR(crossings, 2 * 96, 2);
    float peak = 0.0f;
    for (std::int64_t i = 100; i < 4700; ++i) peak = std::max(peak, std::abs(out.channel(0)[i]));
    EXPECT_NEAR(peak, 0.5f, 0.01f);
}

TEST(DrumkitInstrumentErrors, NotesTheKitCannotPlayAreReported) {
    auto kit = instrumentOf(tinyKit("dk-unmapped"));
    auto player = kit->play(partOf({on(0, 36), on(480, 62)}, 1000));
    ASSERT_FALSE(player);
    EXPECT_EQ(player.error().code, ErrorCode::invalidSession);
    EXPECT_NE(player.error().message.find("the note 62 (mute high conga) at frame 480 has no sound in the drum kit"),
              std::string::npos)
        << player.error().message;
    EXPECT_NE(player.error().message.find("map: {62: \"<sound>\"}, with one of \"Kick\", \"Snare\""), std::string::npos)
        << player.error().message;
}

TEST(DrumkitInstrumentErrors, AMissingSampleNamesTheSoundAndTheFile) {
    const auto xml = tinyKit("dk-missing-sample");
    std::filesystem::remove(xml.parent_path() / "snare.wav");
    auto kit = DrumkitFile::load(xml);
    ASSERT_TRUE(kit);
    const DrumkitNoteMap notes = generalMidiDrumMap(*kit);
    auto instrument = DrumkitInstrument::create(std::move(*kit), notes);
    auto prepared = instrument->prepare(SampleRate{kRate}, kBlock);
    ASSERT_FALSE(prepared);
    EXPECT_EQ(prepared.error().code, ErrorCode::fileNotFound);
    EXPECT_NE(prepared.error().message.find("drum kit " + xml.string() + ", sound \"Snare\": "), std::string::npos)
        << prepared.error().message;
    EXPECT_NE(prepared.error().message.find("snare.wav"), std::string::npos) << prepared.error().message;
}

TEST(DrumkitInstrumentErrors, SessionParametersAreCheckedAtTheirLine) {
    const auto xml = tinyKit("dk-session");
    engine::InstrumentFactory factory;
    registerDrumkitInstrument(factory);
    session::Session song;
    song.file = xml.parent_path().parent_path() / "song.yaml";
    const std::string kitFolder = xml.parent_path().filename().string();
    auto configOf = [](std::map<std::string, std::string> params, std::map<std::string, std::string> map = {}) {
        session::InstrumentConfig config{"drumkit", {}, {"song.yaml", 4, 5}};
        int column = 20;
        for (auto& [name, text] : params) config.params[name] = {text, {"song.yaml", 4, column += 10}, {}, {}};
        if (!map.empty()) {
            session::ParamValue value{"", {"song.yaml", 5, 10}, {{}}, session::ParamShape::map};
            int line = 5;
            for (auto& [note, sound] : map) value.items[0][note] = {sound, {"song.yaml", line++, 15}, {}, {}};
            config.params["map"] = value;
        }
        return config;
    };
    auto create = [&](auto config) { return factory.create(config, song); };
    auto error = [&](auto config) {
        auto created = create(config);
        return created ? std::string("created") : created.error().message;
    };
    EXPECT_EQ(error(configOf({{"kit", kitFolder}})), "created");
    EXPECT_EQ(error(configOf({{"kit", kitFolder + "/drumkit.xml"}})), "created");
    EXPECT_EQ(error(configOf({{"kits", kitFolder}})),
              "song.yaml:4:30: drumkit: unknown parameter \"kits\"; did you mean \"kit\"? (a drumkit instrument has "
              "kit and map)");
    EXPECT_EQ(error(configOf({})), "song.yaml:4:5: drumkit instrument has no \"kit\"; name a Hydrogen kit "
                                   "(kit: BJA_Pacific) or a drumkit.xml");
    EXPECT_EQ(error(configOf({{"kit", "kits/none"}})).rfind("song.yaml:4:30: drum kit \"kits/none\" not found", 0), 0u);
    EXPECT_EQ(error(configOf({{"kit", kitFolder}}, {{"36", "Kik"}})),
              "song.yaml:5:15: drumkit: " + xml.string() +
                  " has no sound \"Kik\"; did you mean \"Kick\"? (it has \"Kick\", \"Snare\", \"Closed Hat\", \"Open "
                  "Hat\")");
    EXPECT_EQ(error(configOf({{"kit", kitFolder}}, {{"kick", "Kick"}})),
              "song.yaml:5:15: drumkit: map key \"kick\" should be a MIDI note number from 0 to 127 (36 is the GM bass "
              "drum, 38 the snare)");

    // The map sends notes to sounds by name (any case) and the rest keep their GM guesses.
    auto mapped = create(configOf({{"kit", kitFolder}}, {{"36", "snare"}, {"62", "Open Hat"}}));
    ASSERT_TRUE(mapped) << mapped.error().message;
    const auto& notes = static_cast<DrumkitInstrument&>(**mapped).notes();
    EXPECT_EQ(notes[36], 1);
    EXPECT_EQ(notes[62], 3);
    EXPECT_EQ(notes[38], 1);
    EXPECT_EQ(notes[35], 0);
}

TEST(DrumkitInstrument, TheInstalledDefaultKitPlaysAKick) {
    const auto xml = kSystemKits / "BJA_Pacific" / "drumkit.xml";
    if (!std::filesystem::exists(xml)) GTEST_SKIP() << "hydrogen-drumkits is not installed (" << xml << ")";
    auto kit = DrumkitFile::load(xml);
    ASSERT_TRUE(kit) << kit.error().message;
    DrumkitNoteMap notes;
    notes.fill(-1);
    notes[36] = generalMidiDrumMap(*kit)[36];  // load the kick only: fast
    ASSERT_GE(notes[36], 0);
    auto instrument = DrumkitInstrument::create(std::move(*kit), notes);
    ASSERT_TRUE(instrument->prepare(SampleRate{kRate}, kBlock));
    const AudioBuffer out = renderPart(*instrument, partOf({on(480, 36, 110)}, 48000));
    float peak = 0.0f;
    for (std::int64_t i = 0; i < out.numFrames(); ++i) peak = std::max(peak, std::abs(out.channel(0)[i]));
    EXPECT_GT(peak, 0.1f);  // a real hit, not a whisper
    EXPECT_LE(peak, 1.0f);
    EXPECT_EQ(out.channel(0)[479], 0.0f);
    // A kick's energy is low: over its first 100 ms it crosses zero far less often than a cymbal would.
    int crossings = 0;
    for (std::int64_t i = 481; i < 480 + 4800; ++i) crossings += (out.channel(0)[i - 1] < 0) != (out.channel(0)[i] < 0);
    EXPECT_LT(crossings, 200) << "more than 1 kHz of zero crossings: not a kick";
}
