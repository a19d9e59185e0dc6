// MIDI clips through the whole renderer: they sound on their track, a session with MIDI
// clips needs an instrument factory, and the song ends when the instruments fall silent
// rather than after the longest release they promised.
#include <gtest/gtest.h>

#include "engine/instrument_factory.hpp"
#include "engine/renderer.hpp"

using namespace reel;
using namespace reel::engine;

namespace {

constexpr double kRate = 48000.0;
constexpr std::int64_t kPromisedRelease = 96000;  // 2 s promised ...
constexpr std::int64_t kActualRelease = 1000;     // ... but silent after 1000 frames

/// Plays a constant 0.5 while the part lasts and for kActualRelease frames after, but
/// promises kPromisedRelease frames of release (as a SoundFont voice's release time would).
class DyingInstrument final : public Instrument {
public:
    Result<void> prepare(SampleRate, int) override { return {}; }
    Result<std::unique_ptr<PartPlayer>> play(const InstrumentPart& part) override {
        return std::make_unique<Player>(part.length.value);
    }

private:
    class Player final : public PartPlayer {
    public:
        explicit Player(std::int64_t partLength) : partLength_(partLength) {}
        FrameCount length() const noexcept override { return FrameCount{partLength_ + kPromisedRelease}; }
        bool finished() const noexcept override { return position_ >= partLength_ + kActualRelease; }
        Result<std::int64_t> render(AudioView out) override {
            const std::int64_t n = std::clamp<std::int64_t>(length().value - position_, 0, out.numFrames());
            out.clear();
            for (std::int64_t i = 0; i < n; ++i) {
                const float level = position_ + i < partLength_ + kActualRelease ? 0.5f : 0.0f;
                out.channel(0)[i] = level;
                out.channel(1)[i] = level;
            }
            position_ += n;
            return n;
        }

    private:
        std::int64_t partLength_;
        std::int64_t position_ = 0;
    };
};

InstrumentFactory dyingFactory() {
    InstrumentFactory factory;
    factory.add("dying", [](const InstrumentContext&) -> Result<std::unique_ptr<Instrument>> {
        return std::make_unique<DyingInstrument>();
    });
    // One quarter note at 120 bpm: 24000 frames.
    factory.setPartReader([](const session::MidiClip&, const session::Session&) -> Result<MidiPart> {
        return MidiPart{480, {{0, 60, 100, 0, 480}}, {}, 480};
    });
    return factory;
}

session::Session songWithAMidiClip() {
    session::Session song;
    song.file = "/song/song.yaml";
    song.sampleRate = SampleRate{kRate};
    song.tempo = 120.0;
    session::Track track;
    track.name = "Keys";
    track.instrument = session::InstrumentConfig{"dying", {}, {"song.yaml", 5, 5}};
    session::MidiClip clip;
    clip.file = "/song/keys.mid";
    clip.fileAsWritten = "keys.mid";
    clip.at = Seconds{0.5};
    clip.where = {"song.yaml", 7, 9};
    track.midiClips.push_back(clip);
    track.pan = 0.0;
    song.tracks.push_back(track);
    return song;
}

/// Renders to the end; returns the left channel.
std::vector<float> renderAll(Renderer& renderer) {
    std::vector<float> left;
    AudioBuffer block(2, renderer.blockSize());
    while (!renderer.finished()) {
        auto n = renderer.renderBlock(block.view(renderer.blockSize()));
        EXPECT_TRUE(n) << n.error().message;
        if (!n) break;
        left.insert(left.end(), block.channel(0), block.channel(0) + *n);
    }
    return left;
}

}  // namespace

TEST(MidiRender, TheClipSoundsWhereItIsPlaced) {
    const auto song = songWithAMidiClip();
    const auto instruments = dyingFactory();
    auto renderer = Renderer::create(song, ProcessorFactory::builtIn(), {1, 512, &instruments});
    ASSERT_TRUE(renderer) << renderer.error().message;
    const auto left = renderAll(**renderer);
    const std::int64_t start = 24000, soundEnd = start + 24000 + kActualRelease;
    ASSERT_GE(static_cast<std::int64_t>(left.size()), soundEnd);
    EXPECT_EQ(left[static_cast<std::size_t>(start - 1)], 0.0f);
    EXPECT_GT(left[static_cast<std::size_t>(start)], 0.3f);  // 0.5 through a centred constant-power pan
    EXPECT_GT(left[static_cast<std::size_t>(soundEnd - 1)], 0.3f);
    EXPECT_EQ(left[static_cast<std::size_t>(soundEnd)], 0.0f);
}

TEST(MidiRender, TheSongEndsWhenTheInstrumentFallsSilentNotAfterItsPromisedRelease) {
    const auto song = songWithAMidiClip();
    const auto instruments = dyingFactory();
    auto renderer = Renderer::create(song, ProcessorFactory::builtIn(), {1, 512, &instruments});
    ASSERT_TRUE(renderer) << renderer.error().message;
    EXPECT_EQ((*renderer)->length().value, 24000 + 24000 + kPromisedRelease) << "before rendering: the promise";
    const auto left = renderAll(**renderer);
    const std::int64_t soundEnd = 24000 + 24000 + kActualRelease;
    // Found at the end of the 512-frame block in which the instrument said it was done.
    EXPECT_GE(static_cast<std::int64_t>(left.size()), soundEnd);
    EXPECT_LE(static_cast<std::int64_t>(left.size()), soundEnd + 512);
    EXPECT_EQ((*renderer)->length().value, static_cast<std::int64_t>(left.size()));
}

TEST(MidiRender, ASessionWithMidiClipsNeedsInstruments) {
    const auto song = songWithAMidiClip();
    auto renderer = Renderer::create(song, ProcessorFactory::builtIn(), {1, 512, nullptr});
    ASSERT_FALSE(renderer);
    EXPECT_NE(renderer.error().message.find("song.yaml:7:9"), std::string::npos) << renderer.error().message;
}
