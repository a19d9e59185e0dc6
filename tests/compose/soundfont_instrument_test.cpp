// SoundFont instruments through FluidSynth: pitch, note timing, stem length, determinism,
// speed, and the errors for fonts and programs that are not there.
#include "compose/soundfont_instrument.hpp"

#include <fftw3.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <numbers>

#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

constexpr double kRate = 48000.0;
constexpr int kBlock = 4096;
constexpr int kSquareLead = 80;  // GM "Lead 1 (square)": a steady tone whose fundamental dominates
constexpr int kFingerBass = 33;

std::filesystem::path gmFont() {
    auto path = resolveSoundFont("gm", "/");
    EXPECT_TRUE(path) << path.error().message;
    return path ? *path : std::filesystem::path{};
}

std::shared_ptr<SoundFontFile> loadGm() {
    static auto font = SoundFontFile::load(gmFont());  // loaded once for the suite (25 ms each time otherwise)
    EXPECT_TRUE(font) << font.error().message;
    return font ? *font : nullptr;
}

std::unique_ptr<SoundFontInstrument> instrumentOf(SoundFontProgram program, double rate = kRate) {
    auto instrument = SoundFontInstrument::create(loadGm(), program);
    EXPECT_TRUE(instrument) << instrument.error().message;
    if (!instrument) return nullptr;
    auto prepared = (*instrument)->prepare(SampleRate{rate}, kBlock);
    EXPECT_TRUE(prepared) << prepared.error().message;
    return std::move(*instrument);
}

engine::InstrumentEvent on(std::int64_t frame, int key, int velocity = 100, int channel = 0) {
    return {frame, static_cast<std::uint8_t>(0x90 | channel), static_cast<std::uint8_t>(key),
            static_cast<std::uint8_t>(velocity)};
}
engine::InstrumentEvent off(std::int64_t frame, int key, int channel = 0) {
    return {frame, static_cast<std::uint8_t>(0x80 | channel), static_cast<std::uint8_t>(key), 0};
}

engine::InstrumentPart partOf(std::vector<engine::InstrumentEvent> events, std::int64_t length) {
    return engine::InstrumentPart{std::move(events), FrameCount{length}};
}

/// Renders a whole part in blocks of `blockSize`, checking the frame counts the player reports.
AudioBuffer renderPart(engine::Instrument& instrument, const engine::InstrumentPart& part, int blockSize = kBlock) {
    auto player = instrument.play(part);
    EXPECT_TRUE(player) << player.error().message;
    if (!player) return {};
    const std::int64_t length = (*player)->length().value;
    AudioBuffer all(2, length);
    AudioBuffer block(2, blockSize);
    std::int64_t at = 0;
    while (at < length) {
        auto n = (*player)->render(block.view());
        EXPECT_TRUE(n) << n.error().message;
        if (!n) return {};
        EXPECT_EQ(*n, std::min<std::int64_t>(blockSize, length - at));
        for (int c = 0; c < 2; ++c) std::copy_n(block.channel(c), *n, all.channel(c) + at);
        at += *n;
    }
    auto after = (*player)->render(block.view());
    EXPECT_TRUE(after && *after == 0) << "a finished player renders nothing more";
    return all;
}

/// The strongest frequency in [lowHz, highHz] of `numFrames` frames from `start`: Hann
/// window, FFT, and a parabola through the log magnitudes around the peak bin.
double peakFrequency(const float* signal, std::int64_t start, int numFrames, double rate, double lowHz, double highHz) {
    std::vector<float> in(static_cast<std::size_t>(numFrames));
    for (int i = 0; i < numFrames; ++i)
        in[static_cast<std::size_t>(i)] =
            signal[start + i] * static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / numFrames));
    std::vector<fftwf_complex> out(static_cast<std::size_t>(numFrames / 2 + 1));
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(numFrames, in.data(), out.data(), FFTW_ESTIMATE);
    fftwf_execute(plan);
    fftwf_destroy_plan(plan);
    auto magnitude = [&](int bin) {
        const auto& c = out[static_cast<std::size_t>(bin)];
        return std::log(std::hypot(c[0], c[1]) + 1e-20);
    };
    const double binHz = rate / numFrames;
    int best = static_cast<int>(lowHz / binHz);
    for (int bin = best; bin <= static_cast<int>(highHz / binHz); ++bin)
        if (magnitude(bin) > magnitude(best)) best = bin;
    const double a = magnitude(best - 1), b = magnitude(best), c = magnitude(best + 1);
    return (best + 0.5 * (a - c) / (a - 2 * b + c)) * binHz;
}

double cents(double measured, double expected) { return 1200.0 * std::log2(measured / expected); }

double midiFrequency(int key) { return 440.0 * std::exp2((key - 69) / 12.0); }

/// The first frame at or after `from` whose magnitude passes `threshold` on either side.
std::int64_t onset(const AudioBuffer& audio, std::int64_t from, float threshold = 1e-3f) {
    for (std::int64_t i = from; i < audio.numFrames(); ++i)
        if (std::abs(audio.channel(0)[i]) > threshold || std::abs(audio.channel(1)[i]) > threshold) return i;
    return -1;
}

float peak(const AudioBuffer& audio, std::int64_t from, std::int64_t to) {
    float p = 0.0f;
    for (int c = 0; c < 2; ++c)
        for (std::int64_t i = from; i < to; ++i) p = std::max(p, std::abs(audio.channel(c)[i]));
    return p;
}

}  // namespace

TEST(SoundFontInstrument, GmResolvesToTheInstalledSoundFont) {
    auto path = resolveSoundFont("gm", "/somewhere");
    ASSERT_TRUE(path) << path.error().message;
    EXPECT_TRUE(std::filesystem::is_regular_file(*path));
    EXPECT_EQ(resolveSoundFont("fonts/x.sf2", "/song").error().message,
              "SoundFont \"fonts/x.sf2\" not found (looked in /song/fonts/x.sf2); name an .sf2 file, or gm for the "
              "installed General MIDI SoundFont");
}

TEST(SoundFontInstrument, RenderedPitchIsTheNotesFrequency) {
    auto instrument = instrumentOf({kSquareLead, 0});
    ASSERT_TRUE(instrument);
    for (int key : {57, 69, 76}) {
        const auto audio = renderPart(*instrument, partOf({on(0, key), off(24000, key)}, 24000));
        ASSERT_GT(audio.numFrames(), 24000);
        // 8192 frames of the sustained middle of the note (past the attack).
        const double measured = peakFrequency(audio.channel(0), 8000, 8192, kRate, 100.0, 1000.0);
        EXPECT_NEAR(cents(measured, midiFrequency(key)), 0.0, 5.0) << "key " << key << ": " << measured << " Hz";
    }
}

TEST(SoundFontInstrument, NotesStartAtTheirFrameWithinAMillisecond) {
    auto instrument = instrumentOf({kSquareLead, 0});
    ASSERT_TRUE(instrument);
    // The first note is exact; later ones within half of FluidSynth's 64-frame block.
    const std::int64_t first = 1000, second = 1000 + 48000 + 777, third = second + 30011;
    const auto audio = renderPart(*instrument, partOf({on(first, 69), off(first + 4800, 69), on(second, 64),
                                                       off(second + 4800, 64), on(third, 72), off(third + 4800, 72)},
                                                      third + 4800));
    // A voice starts from amplitude 0 and ramps within FluidSynth's first block, so its
    // first non-zero sample is the one after its start.
    EXPECT_EQ(onset(audio, 0, 0.0f), first + 1);
    EXPECT_EQ(peak(audio, first + 40000, second - 50), 0.0f) << "the first note has died before the second";
    const std::int64_t millisecond = 48;
    EXPECT_NEAR(static_cast<double>(onset(audio, first + 40000, 0.0f)), static_cast<double>(second), millisecond);
    EXPECT_NEAR(static_cast<double>(onset(audio, second + 29000, 0.0f)), static_cast<double>(third), millisecond);
}

TEST(SoundFontInstrument, StemLastsThePartPlusItsReleaseAndEndsSilent) {
    auto instrument = instrumentOf({kSquareLead, 0});
    ASSERT_TRUE(instrument);
    const auto part = partOf({on(0, 69), off(4800, 69)}, 9600);
    auto player = instrument->play(part);
    ASSERT_TRUE(player);
    const std::int64_t length = (*player)->length().value;
    EXPECT_GT(length, 9600);                            // the release rings on past the part
    EXPECT_LT(length, 9600 + static_cast<int>(kRate));  // a square lead releases in well under a second
    const auto audio = renderPart(*instrument, part);
    ASSERT_EQ(audio.numFrames(), length);
    EXPECT_GT(peak(audio, 4800, 4900), 1e-2f) << "still sounding as the release starts";
    EXPECT_LT(peak(audio, length - 64, length), 1e-5f) << "the release has died by the stem's end";
}

TEST(SoundFontInstrument, HeldNotesAreReleasedWhereThePartEnds) {
    auto instrument = instrumentOf({kSquareLead, 0});
    ASSERT_TRUE(instrument);
    // No note-off, and the sustain pedal down: the part's end releases both.
    const auto audio = renderPart(*instrument, partOf({{0, 0xB0, 64, 127}, on(0, 60)}, 4800));
    EXPECT_GT(peak(audio, 4000, 4800), 1e-2f);
    EXPECT_LT(peak(audio, audio.numFrames() - 64, audio.numFrames()), 1e-5f);
}

TEST(SoundFontInstrument, SameInputGivesBitIdenticalOutputForAnyBlockSize) {
    auto instrument = instrumentOf({kFingerBass, 0});
    ASSERT_TRUE(instrument);
    std::vector<engine::InstrumentEvent> events;
    for (int i = 0; i < 12; ++i) {
        events.push_back(on(i * 3001 + 17, 36 + (i * 5) % 24, 60 + i * 5));
        events.push_back(off(i * 3001 + 2500, 36 + (i * 5) % 24));
    }
    events.push_back({20000, 0xE0, 0x00, 0x50});  // a pitch bend mid-part
    std::stable_sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.frame < b.frame; });
    const auto part = partOf(events, 12 * 3001);
    const auto reference = renderPart(*instrument, part);
    ASSERT_GT(peak(reference, 0, reference.numFrames()), 1e-2f);
    for (int blockSize : {1, 7, 64, 4095, kBlock}) {
        const auto again = renderPart(*instrument, part, blockSize);
        ASSERT_EQ(again.numFrames(), reference.numFrames()) << blockSize;
        for (int c = 0; c < 2; ++c)
            ASSERT_EQ(std::memcmp(again.channel(c), reference.channel(c), sizeof(float) * reference.numFrames()), 0)
                << "block size " << blockSize << ", channel " << c;
    }
}

TEST(SoundFontInstrument, ChannelTenPlaysTheDrumKit) {
    auto instrument = instrumentOf({kFingerBass, 0});
    ASSERT_TRUE(instrument);
    const auto drums = renderPart(*instrument, partOf({on(0, 38, 110, 9), off(2400, 38, 9)}, 24000));
    const auto bass = renderPart(*instrument, partOf({on(0, 38, 110, 0), off(2400, 38, 0)}, 24000));
    ASSERT_GT(peak(drums, 0, 2400), 1e-2f);
    // A snare is noise: it does not share the bass note's spectrum peak.
    EXPECT_GT(std::abs(cents(peakFrequency(drums.channel(0), 0, 2048, kRate, 60, 4000),
                             peakFrequency(bass.channel(0), 0, 2048, kRate, 60, 4000))),
              100.0);
}

TEST(SoundFontInstrument, WithoutAProgramThePartsProgramChangesAreFollowed) {
    auto followFile = instrumentOf({std::nullopt, 0});
    auto squareLead = instrumentOf({kSquareLead, 0});
    ASSERT_TRUE(followFile && squareLead);
    const auto part = partOf({{0, 0xC0, kSquareLead, 0}, on(0, 69), off(4800, 69)}, 4800);
    const auto a = renderPart(*followFile, part);
    const auto b = renderPart(*squareLead, part);
    ASSERT_EQ(a.numFrames(), b.numFrames());
    EXPECT_EQ(std::memcmp(a.channel(0), b.channel(0), sizeof(float) * a.numFrames()), 0);
    // With `program:` set, the part's program change is ignored.
    auto bass = instrumentOf({kFingerBass, 0});
    const auto c = renderPart(*bass, part);
    EXPECT_NE(std::memcmp(c.channel(0), b.channel(0), sizeof(float) * std::min(b.numFrames(), c.numFrames())), 0);
}

TEST(SoundFontInstrument, RendersMuchFasterThanRealTime) {
    auto instrument = instrumentOf({kFingerBass, 0});
    ASSERT_TRUE(instrument);
    std::vector<engine::InstrumentEvent> events;
    for (int i = 0; i < 40; ++i) {  // a bass line: eighth notes at 120 bpm for 10 s
        events.push_back(on(i * 12000, 36 + (i * 7) % 12));
        events.push_back(off(i * 12000 + 11000, 36 + (i * 7) % 12));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto audio = renderPart(*instrument, partOf(events, 40 * 12000));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double realtimeFactor = static_cast<double>(audio.numFrames()) / kRate / seconds;
    RecordProperty("realtime_factor", static_cast<int>(realtimeFactor));
    EXPECT_GT(realtimeFactor, 20.0);
}

TEST(SoundFontInstrumentErrors, MissingFileNotASoundFontUnknownProgram) {
    auto missing = SoundFontFile::load("/nonexistent/piano.sf2");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::fileNotFound);
    EXPECT_EQ(missing.error().message, "/nonexistent/piano.sf2: SoundFont not found");

    auto text = test::scratchDir("sf-text") / "notes.sf2";
    test::writeText(text, "this is not a SoundFont\n");
    auto notFont = SoundFontFile::load(text);
    ASSERT_FALSE(notFont);
    EXPECT_EQ(notFont.error().code, ErrorCode::formatUnsupported);
    EXPECT_EQ(notFont.error().message, text.string() + ": not a SoundFont (an SF2 file starts with a RIFF sfbk chunk)");

    auto unknown = SoundFontInstrument::create(loadGm(), {33, 5});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::invalidSession);
    EXPECT_NE(unknown.error().message.find("has no program 33 in bank 5 (it has banks 0"), std::string::npos)
        << unknown.error().message;
}

TEST(SoundFontInstrumentErrors, RatesFluidSynthCannotRenderAreRefused) {
    auto instrument = SoundFontInstrument::create(loadGm(), {0, 0});
    ASSERT_TRUE(instrument);
    auto prepared = (*instrument)->prepare(SampleRate{192000.0}, kBlock);
    ASSERT_FALSE(prepared);
    EXPECT_NE(prepared.error().message.find("not 192000 Hz"), std::string::npos) << prepared.error().message;
}

TEST(SoundFontInstrumentErrors, SessionParametersAreCheckedAtTheirLine) {
    engine::InstrumentFactory factory;
    registerSoundFontInstrument(factory);
    session::Session song;
    song.file = "/song/song.yaml";
    auto configOf = [](std::map<std::string, std::string> params) {
        session::InstrumentConfig config{"soundfont", {}, {"song.yaml", 4, 5}};
        int column = 20;
        for (auto& [name, text] : params) config.params[name] = {text, {"song.yaml", 4, column += 10}, {}, {}};
        return config;
    };
    auto error = [&](std::map<std::string, std::string> params) {
        auto created = factory.create(configOf(std::move(params)), song);
        return created ? std::string("created") : created.error().message;
    };
    EXPECT_EQ(error({{"soundfont", "gm"}, {"program", "33"}}), "created");
    EXPECT_EQ(error({{"soundfont", "gm"}, {"programme", "33"}}),
              "song.yaml:4:30: soundfont: unknown parameter \"programme\"; did you mean \"program\"? (a soundfont "
              "instrument has soundfont, program and bank)");
    EXPECT_EQ(error({{"soundfont", "gm"}, {"program", "200"}}),
              "song.yaml:4:30: soundfont: program \"200\" should be a whole number from 0 to 127");
    EXPECT_EQ(error({{"soundfont", "fonts/none.sf2"}}),
              "song.yaml:4:30: SoundFont \"fonts/none.sf2\" not found (looked in /song/fonts/none.sf2); name an .sf2 "
              "file, or gm for the installed General MIDI SoundFont");
    EXPECT_NE(error({{"soundfont", "gm"}, {"bank", "7"}}).find("song.yaml:4:30: "), std::string::npos);
    EXPECT_EQ(error({{"program", "1"}}),
              "song.yaml:4:5: soundfont instrument has no \"soundfont\"; name an .sf2 file, or gm for the installed "
              "General MIDI SoundFont");
}
