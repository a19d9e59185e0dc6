// Standard MIDI Files: variable-length quantities, write -> read round trips, the tempo
// and meter maps, and an error naming the byte for every kind of corrupt file.
#include "compose/midi_file.hpp"

#include <gtest/gtest.h>

#include <initializer_list>

#include "compose/midi_vlq.hpp"
#include "support/test_signals.hpp"

using namespace reel;
using namespace reel::compose;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(int format, int numTracks, int division) {
    return {'M',
            'T',
            'h',
            'd',
            0,
            0,
            0,
            6,
            0,
            static_cast<std::uint8_t>(format),
            0,
            static_cast<std::uint8_t>(numTracks),
            static_cast<std::uint8_t>(division >> 8),
            static_cast<std::uint8_t>(division & 0xFF)};
}

/// An MTrk chunk around `events`; `declared` overrides the length field.
Bytes track(const Bytes& events, long declared = -1) {
    const auto length = static_cast<std::uint32_t>(declared >= 0 ? declared : static_cast<long>(events.size()));
    // Built byte by byte: GCC 12 reports a false -Warray-bounds for insert() after a braced list.
    Bytes out;
    out.reserve(8 + events.size());
    for (char c : {'M', 'T', 'r', 'k'}) out.push_back(static_cast<std::uint8_t>(c));
    for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<std::uint8_t>(length >> shift));
    for (std::uint8_t b : events) out.push_back(b);
    return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes vlq(std::uint32_t value) {
    Bytes out;
    appendVlq(out, value);
    return out;
}

MidiSong parseOrFail(const Bytes& bytes) {
    auto song = parseMidi(bytes, "test.mid");
    EXPECT_TRUE(song) << song.error().message;
    return song ? *song : MidiSong{};
}

/// Parses and expects corruptData (or `code`) with exactly `message`.
void expectError(const Bytes& bytes, const std::string& message, ErrorCode code = ErrorCode::corruptData) {
    auto song = parseMidi(bytes, "bad.mid");
    ASSERT_FALSE(song) << "parsed without an error; expected: " << message;
    EXPECT_EQ(song.error().code, code);
    EXPECT_EQ(song.error().message, message);
}

MidiSong roundTrip(const MidiSong& song) {
    auto bytes = encodeMidi(song);
    EXPECT_TRUE(bytes) << bytes.error().message;
    if (!bytes) return {};
    return parseOrFail(*bytes);
}

MidiEvent channelEvent(std::int64_t tick, MidiEventKind kind, int channel, int number, int value) {
    return MidiEvent{tick, kind, channel, number, value, {}};
}

/// A format 1 song using every kind of event the model holds.
MidiSong everything() {
    MidiSong song;
    song.ticksPerQuarter = 96;
    EXPECT_TRUE(song.tempo.set(0, 500000));
    EXPECT_TRUE(song.tempo.set(384, 400000));
    EXPECT_TRUE(song.tempo.set(1000, 750123));
    EXPECT_TRUE(song.meter.set({0, 4, 4, 24, 8}));
    EXPECT_TRUE(song.meter.set({384, 6, 8, 36, 8}));
    song.keys = {{0, -3, KeyMode::minor}, {768, 2, KeyMode::major}};

    MidiTrack conductor;
    conductor.name = "Conductor";
    conductor.events.push_back({0, MidiEventKind::meta, 0, 0x01, 0, {'h', 'i'}});  // text
    conductor.events.push_back({500, MidiEventKind::meta, 0, 0x06, 0, {'B'}});     // marker
    conductor.endTick = 1200;

    MidiTrack bass;
    bass.name = "Bass";
    bass.events.push_back(channelEvent(0, MidiEventKind::programChange, 1, 33, 0));
    bass.events.push_back(channelEvent(0, MidiEventKind::controlChange, 1, 7, 100));
    bass.events.push_back(channelEvent(48, MidiEventKind::pitchBend, 1, 0, -8192));
    bass.events.push_back(channelEvent(50, MidiEventKind::pitchBend, 1, 0, 8191));
    bass.events.push_back(channelEvent(52, MidiEventKind::pitchBend, 1, 0, 0));
    bass.events.push_back(channelEvent(60, MidiEventKind::channelPressure, 1, 0, 77));
    bass.events.push_back(channelEvent(61, MidiEventKind::keyPressure, 1, 40, 12));
    bass.events.push_back({70, MidiEventKind::sysex, 0, 0xF0, 0, {0x7E, 0x7F, 0x09, 0x01, 0xF7}});
    bass.events.push_back({71, MidiEventKind::sysex, 0, 0xF7, 0, {0xF3, 0x01}});
    bass.notes = {
        {1, 40, 100, 0, 96, 64},
        {1, 40, 90, 96, 96, 0},   // same key right after: stays two notes; release 0 = note-on velocity 0
        {1, 43, 127, 96, 0, 64},  // zero length
        {1, 45, 1, 200, 10, 127},
        {1, 47, 64, 200, 20, 30},  // two notes starting together
    };
    bass.endTick = 1200;

    MidiTrack drums;
    drums.notes = {{9, 36, 110, 0, 10, 64}, {9, 42, 80, 0, 5, 64}, {9, 36, 110, 100000, 10, 64}};
    drums.endTick = 100010;
    song.tracks = {conductor, bass, drums};
    return song;
}

}  // namespace

TEST(MidiVlq, EncodesTheSpecExamples) {
    // SMF 1.0, "Variable-length quantities": the table of examples.
    const std::pair<std::uint32_t, Bytes> examples[] = {
        {0x00, {0x00}},
        {0x40, {0x40}},
        {0x7F, {0x7F}},
        {0x80, {0x81, 0x00}},
        {0x2000, {0xC0, 0x00}},
        {0x3FFF, {0xFF, 0x7F}},
        {0x4000, {0x81, 0x80, 0x00}},
        {0x100000, {0xC0, 0x80, 0x00}},
        {0x1FFFFF, {0xFF, 0xFF, 0x7F}},
        {0x200000, {0x81, 0x80, 0x80, 0x00}},
        {0x08000000, {0xC0, 0x80, 0x80, 0x00}},
        {0x0FFFFFFF, {0xFF, 0xFF, 0xFF, 0x7F}},
    };
    for (const auto& [value, bytes] : examples) {
        EXPECT_EQ(vlq(value), bytes) << value;
        auto decoded = decodeVlq(bytes);
        ASSERT_TRUE(decoded) << value;
        EXPECT_EQ(decoded->value, value);
        EXPECT_EQ(decoded->numBytes, bytes.size());
    }
}

TEST(MidiVlq, RejectsAFifthByteAndAnUnfinishedQuantity) {
    EXPECT_EQ(decodeVlq(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x7F}).error(), VlqProblem::tooLong);
    EXPECT_EQ(decodeVlq(Bytes{0x81, 0x80}).error(), VlqProblem::truncated);
    EXPECT_EQ(decodeVlq(Bytes{}).error(), VlqProblem::truncated);
}

TEST(MidiFile, Format1RoundTripIsExact) {
    const MidiSong song = everything();
    const MidiSong back = roundTrip(song);
    EXPECT_EQ(back.format, MidiFormat::multiTrack);
    EXPECT_EQ(back.ticksPerQuarter, 96);
    EXPECT_EQ(back.tempo, song.tempo);
    EXPECT_EQ(back.meter, song.meter);
    EXPECT_EQ(back.keys, song.keys);
    ASSERT_EQ(back.tracks.size(), 3u);
    for (std::size_t t = 0; t < 3; ++t) {
        EXPECT_EQ(back.tracks[t].name, song.tracks[t].name) << t;
        EXPECT_EQ(back.tracks[t].notes, song.tracks[t].notes) << t;
        EXPECT_EQ(back.tracks[t].events, song.tracks[t].events) << t;
        EXPECT_EQ(back.tracks[t].endTick, song.tracks[t].endTick) << t;
    }
    EXPECT_EQ(back, song);
    // And the bytes are stable: writing what was read gives the same file.
    EXPECT_EQ(encodeMidi(back).value(), encodeMidi(song).value());
}

TEST(MidiFile, Format0RoundTripIsExact) {
    MidiSong song = everything();
    MidiTrack merged = song.tracks[1];
    merged.events.insert(merged.events.begin(), song.tracks[0].events.begin(), song.tracks[0].events.end());
    std::stable_sort(merged.events.begin(), merged.events.end(), [](auto& a, auto& b) { return a.tick < b.tick; });
    song.format = MidiFormat::singleTrack;
    song.tracks = {merged};
    const MidiSong back = roundTrip(song);
    EXPECT_EQ(back.format, MidiFormat::singleTrack);
    EXPECT_EQ(back, song);
}

TEST(MidiFile, RoundTripThroughDiskLeavesNoTemporaryFile) {
    auto dir = test::scratchDir("midi-disk");
    const auto path = dir / "song.mid";
    const MidiSong song = everything();
    ASSERT_TRUE(writeMidiFile(path, song));
    auto back = readMidiFile(path);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, song);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 1);
}

TEST(MidiFile, WriterUsesRunningStatusAndReaderFollowsIt) {
    MidiSong song;
    MidiTrack t;
    t.notes = {{0, 60, 100, 0, 10, 0}, {0, 62, 100, 10, 10, 0}};
    t.endTick = 20;
    song.tracks = {t};
    auto bytes = encodeMidi(song).value();
    // Track: 00 90 3C 64 | 0A 3C 00 (off as velocity 0) | 00 3E 64 | 0A 3E 00 | 00 FF 2F 00.
    const Bytes expected = concat({header(1, 1, 480), track({0x00, 0x90, 0x3C, 0x64, 0x0A, 0x3C, 0x00, 0x00, 0x3E, 0x64,
                                                             0x0A, 0x3E, 0x00, 0x00, 0xFF, 0x2F, 0x00})});
    EXPECT_EQ(bytes, expected);
    EXPECT_EQ(parseOrFail(bytes), song);
}

TEST(MidiFile, NoteOnWithVelocityZeroEndsTheNote) {
    const Bytes file =
        concat({header(0, 1, 480), track({0x00, 0x91, 0x40, 0x50,  // on, channel 2
                                          0x81, 0x70, 0x40, 0x00,  // 240 ticks later: velocity 0, running status
                                          0x00, 0xFF, 0x2F, 0x00})});
    const MidiSong song = parseOrFail(file);
    ASSERT_EQ(song.tracks.size(), 1u);
    ASSERT_EQ(song.tracks[0].notes.size(), 1u);
    const MidiNote& note = song.tracks[0].notes[0];
    EXPECT_EQ(note.channel, 1);
    EXPECT_EQ(note.key, 0x40);
    EXPECT_EQ(note.velocity, 0x50);
    EXPECT_EQ(note.startTick, 0);
    EXPECT_EQ(note.lengthTicks, 240);
    EXPECT_EQ(note.releaseVelocity, 0);
}

TEST(MidiFile, OverlappingNotesOfOneKeyEndFirstOnFirstOff) {
    const Bytes file = concat({header(0, 1, 480), track({0x00, 0x90, 0x3C, 0x40, 0x0A, 0x90, 0x3C, 0x41,  // two ons
                                                         0x0A, 0x80, 0x3C, 0x00, 0x0A, 0x80, 0x3C, 0x00,  // two offs
                                                         0x00, 0xFF, 0x2F, 0x00})});
    const auto notes = parseOrFail(file).tracks[0].notes;
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[0].lengthTicks, 20);  // on at 0, first off at 20
    EXPECT_EQ(notes[1].lengthTicks, 20);  // on at 10, second off at 30
}

TEST(MidiFile, NoteStillHeldEndsAtTheEndOfItsTrack) {
    const Bytes file = concat({header(0, 1, 480), track({0x00, 0x90, 0x3C, 0x40, 0x83, 0x60, 0xFF, 0x2F, 0x00})});
    const MidiSong song = parseOrFail(file);
    EXPECT_EQ(song.tracks[0].endTick, 480);
    EXPECT_EQ(song.tracks[0].notes.at(0).lengthTicks, 480);
}

TEST(MidiFile, SysexIsKeptOrSkipped) {
    const Bytes file = concat({header(0, 1, 480), track({0x00, 0xF0, 0x03, 0x43, 0x12, 0xF7, 0x00, 0x90, 0x3C, 0x40,
                                                         0x10, 0x3C, 0x00, 0x00, 0xFF, 0x2F, 0x00})});
    const MidiSong kept = parseOrFail(file);
    ASSERT_EQ(kept.tracks[0].events.size(), 1u);
    EXPECT_EQ(kept.tracks[0].events[0].kind, MidiEventKind::sysex);
    EXPECT_EQ(kept.tracks[0].events[0].data, (Bytes{0x43, 0x12, 0xF7}));
    auto skipped = parseMidi(file, "x.mid", MidiReadOptions{SysexHandling::skip});
    ASSERT_TRUE(skipped);
    EXPECT_TRUE(skipped->tracks[0].events.empty());
    EXPECT_EQ(skipped->tracks[0].notes.size(), 1u);  // the sysex ended running status; the note is intact
}

TEST(MidiFile, AlienChunksAreSkippedAndALongerHeaderIsRead) {
    Bytes longHeader = header(0, 1, 240);
    longHeader[7] = 8;  // header length 8: two extra bytes the spec says to skip
    longHeader.insert(longHeader.end(), {0xAA, 0xBB});
    const Bytes file = concat({longHeader, Bytes{'X', 'Y', 'Z', 'W', 0, 0, 0, 2, 1, 2},
                               track({0x00, 0x90, 0x3C, 0x40, 0x10, 0x3C, 0x00, 0x00, 0xFF, 0x2F, 0x00})});
    const MidiSong song = parseOrFail(file);
    EXPECT_EQ(song.ticksPerQuarter, 240);
    ASSERT_EQ(song.tracks.size(), 1u);
    EXPECT_EQ(song.tracks[0].notes.size(), 1u);
}

TEST(MidiTempoMap, SecondsFollowTempoChangesExactly) {
    TempoMap map;  // empty: 120 bpm
    EXPECT_EQ(map.secondsAt(480, 480).value, 0.5);
    ASSERT_TRUE(map.setBpm(960, 60.0));    // after 2 quarter notes (1 s), a quarter lasts 1 s
    ASSERT_TRUE(map.setBpm(1920, 240.0));  // after 2 more (2 s), a quarter lasts 0.25 s
    EXPECT_EQ(map.secondsAt(0, 480).value, 0.0);
    EXPECT_EQ(map.secondsAt(960, 480).value, 1.0);
    EXPECT_EQ(map.secondsAt(1440, 480).value, 2.0);
    EXPECT_EQ(map.secondsAt(1920, 480).value, 3.0);
    EXPECT_EQ(map.secondsAt(2400, 480).value, 3.25);
    EXPECT_EQ(map.microsecondsPerQuarterAt(1919), 1000000);
    EXPECT_EQ(map.microsecondsPerQuarterAt(1920), 250000);
    for (std::int64_t tick : {0, 100, 960, 1000, 1920, 2400, 10000}) {
        const double back = map.tickAt(map.secondsAt(tick, 480), 480);
        EXPECT_NEAR(back, static_cast<double>(tick), 1e-9) << tick;
    }
    EXPECT_DOUBLE_EQ(map.tickAt(Seconds{2.5}, 480), 1680.0);
}

TEST(MidiTempoMap, SecondsAreTheNearestDoubleToTheTrueValue) {
    // Odd tempos whose per-tick durations are not representable: summed per tick in
    // floating point these drift; summed in µs·ticks they land exactly.
    TempoMap map;
    ASSERT_TRUE(map.set(0, 333333));
    ASSERT_TRUE(map.set(7, 700001));
    ASSERT_TRUE(map.set(1000003, 123457));
    const std::int64_t tick = 2000000;
    const std::int64_t microTicks = 7 * 333333LL + (1000003 - 7) * 700001LL + (tick - 1000003) * 123457LL;
    EXPECT_EQ(map.secondsAt(tick, 960).value, static_cast<double>(microTicks) / (960.0 * 1e6));
}

TEST(MidiTempoMap, RejectsValuesAFileCannotHold) {
    TempoMap map;
    EXPECT_FALSE(map.set(0, 0));
    EXPECT_FALSE(map.set(0, 0x1000000));
    EXPECT_FALSE(map.set(-1, 500000));
    EXPECT_TRUE(map.changes().empty());
}

TEST(MidiMeterMap, BarsCountThroughMeterChanges) {
    MeterMap map;
    ASSERT_TRUE(map.set({1920, 3, 4, 24, 8}));  // bars 1-2 in 4/4 (960 ticks at tpq 240), then 3/4
    ASSERT_TRUE(map.set({3360, 6, 8, 36, 8}));  // bar 5 on: 6/8 (720 ticks)
    EXPECT_EQ(map.barStartTick(1, 240), 0);
    EXPECT_EQ(map.barStartTick(3, 240), 1920);
    EXPECT_EQ(map.barStartTick(4, 240), 1920 + 720);
    EXPECT_EQ(map.barStartTick(5, 240), 3360);
    EXPECT_EQ(map.barStartTick(6, 240), 3360 + 720);
    const BarBeat at = map.positionAt(3360 + 720 + 240, 240);  // bar 6, third eighth
    EXPECT_EQ(at.bar, 6);
    EXPECT_DOUBLE_EQ(at.beat, 3.0);
    EXPECT_EQ(map.meterAt(0).numerator, 4);
    EXPECT_EQ(map.meterAt(2000).numerator, 3);
    EXPECT_FALSE(map.set({0, 4, 3, 24, 8}));  // not a power of two
}

TEST(MidiFile, TempoAndMeterMapsSurviveAFileFromAnyTrack) {
    // Format 1 with the tempo change in the second track (the spec asks for the first;
    // files in the wild do not always oblige): it still reaches the song's map.
    const Bytes file =
        concat({header(1, 2, 480), track({0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08, 0x00, 0xFF, 0x2F, 0x00}),
                track({0x83, 0x60, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x2F, 0x00})});
    const MidiSong song = parseOrFail(file);
    ASSERT_EQ(song.tempo.changes().size(), 1u);
    EXPECT_EQ(song.tempo.changes()[0], (TempoChange{480, 500000}));
    ASSERT_EQ(song.meter.changes().size(), 1u);
    EXPECT_EQ(song.meter.changes()[0], (MeterChange{0, 3, 4, 24, 8}));
    EXPECT_EQ(song.secondsAt(960).value, 1.0);
}

// --- corrupt files: each error names the file, the place and what was expected ---------

TEST(MidiFileErrors, BadHeaderChunkId) {
    expectError(
        concat({Bytes{'R', 'I', 'F', 'F'}, Bytes(10, 0)}),
        "bad.mid: byte 0: expected the header chunk \"MThd\", found \"RIFF\"; this is not a Standard MIDI File");
    expectError(Bytes{'M', 'T'},
                "bad.mid: byte 0: expected the header chunk \"MThd\", found \"MT\"; this is not a "
                "Standard MIDI File");
}

TEST(MidiFileErrors, TruncatedTrack) {
    // The chunk holds a delta time and a note-on missing its velocity.
    expectError(concat({header(0, 1, 480), track({0x00, 0x90, 0x3C})}),
                "bad.mid: track 1 at byte 23: the track ends inside a 0x90 message, which needs 2 data bytes");
    expectError(concat({header(0, 1, 480), track({0x00, 0x90, 0x3C, 0x40, 0x81})}),
                "bad.mid: track 1 at byte 26: the track ends inside a delta time");
    expectError(concat({header(0, 1, 480), track({0x00, 0xFF, 0x03, 0x05, 'B', 'a'})}),
                "bad.mid: track 1 at byte 23: the meta event 0x03 says 5 data bytes, but the track has 2 left");
}

TEST(MidiFileErrors, VariableLengthQuantityTooLong) {
    expectError(concat({header(0, 1, 480), track({0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x90, 0x3C, 0x40})}),
                "bad.mid: track 1 at byte 22: delta time is longer than 4 bytes (a variable-length quantity has at "
                "most 4)");
}

TEST(MidiFileErrors, DataByteWithoutRunningStatus) {
    expectError(concat({header(0, 1, 480), track({0x00, 0x3C, 0x40, 0x00, 0xFF, 0x2F, 0x00})}),
                "bad.mid: track 1 at byte 23: data byte 0x3C where a status byte is needed, and no running status is "
                "in effect");
    // A meta event cancels running status (SMF 1.0), so the data byte after it has none.
    expectError(concat({header(0, 1, 480), track({0x00, 0x90, 0x3C, 0x40, 0x00, 0xFF, 0x01, 0x00, 0x00, 0x3C, 0x00})}),
                "bad.mid: track 1 at byte 31: data byte 0x3C where a status byte is needed, and no running status is "
                "in effect");
}

TEST(MidiFileErrors, TrackLengthPastTheFileEnd) {
    expectError(concat({header(1, 2, 480), track({0x00, 0xFF, 0x2F, 0x00}), track({0x00, 0x90, 0x3C, 0x40}, 100)}),
                "bad.mid: byte 26: track 2's chunk of 100 bytes runs past the end of the file (4 bytes left); the file "
                "is truncated");
}

TEST(MidiFileErrors, MissingTracksStatusBytesInDataAndSystemMessages) {
    expectError(concat({header(1, 3, 480), track({0x00, 0xFF, 0x2F, 0x00})}),
                "bad.mid: byte 26: the file ends where track 2 of 3 should start (the header promises 3 tracks)");
    expectError(concat({header(0, 1, 480), track({0x00, 0x90, 0x3C, 0x90, 0x00})}),
                "bad.mid: track 1 at byte 25: status byte 0x90 where the 0x90 message at byte 23 needs a data byte "
                "(0x00 … 0x7F)");
    expectError(concat({header(0, 1, 480), track({0x00, 0xF8})}),
                "bad.mid: track 1 at byte 23: status 0xF8 is a system common or real-time message, which a MIDI file "
                "cannot hold");
    expectError(concat({header(0, 1, 480), track({0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1})}),
                "bad.mid: track 1 at byte 23: set tempo (FF 51) has 2 data bytes; the spec's has 3");
}

TEST(MidiFileErrors, UnsupportedTimingAndFormat) {
    expectError(concat({header(2, 1, 480), track({0x00, 0xFF, 0x2F, 0x00})}),
                "bad.mid: format 2 (independent sequences) is not supported; Reel reads formats 0 and 1",
                ErrorCode::formatUnsupported);
    Bytes smpte = header(1, 1, 0);
    smpte[12] = 0xE7;  // -25 frames per second
    smpte[13] = 40;    // 40 ticks per frame
    expectError(concat({smpte, track({0x00, 0xFF, 0x2F, 0x00})}),
                "bad.mid: SMPTE time division (frames per second) is not supported; Reel reads files timed in ticks "
                "per quarter note",
                ErrorCode::formatUnsupported);
    expectError(concat({header(0, 2, 480)}), "bad.mid: byte 10: format 0 holds exactly one track; the header says 2");
}

TEST(MidiFileErrors, MissingFileIsNamed) {
    auto song = readMidiFile("/nonexistent/part.mid");
    ASSERT_FALSE(song);
    EXPECT_EQ(song.error().code, ErrorCode::fileNotFound);
    EXPECT_EQ(song.error().message, "/nonexistent/part.mid: MIDI file not found");
}

TEST(MidiFileWriter, RefusesWhatAFileCannotHold) {
    MidiSong song = everything();
    song.format = MidiFormat::singleTrack;
    EXPECT_EQ(encodeMidi(song).error().message, "a format 0 MIDI file holds exactly one track; this song has 3");

    MidiSong zero;
    zero.tracks = {MidiTrack{"", {{0, 60, 0, 0, 10, 64}}, {}, 10}};
    EXPECT_EQ(encodeMidi(zero).error().message,
              "MIDI track 1: note velocity 0 at tick 0; velocities are 1 … 127 (0 is a note-off)");

    MidiSong rawTempo;
    rawTempo.tracks = {MidiTrack{"", {}, {{0, MidiEventKind::meta, 0, 0x51, 0, {0x07, 0xA1, 0x20}}}, 0}};
    EXPECT_EQ(encodeMidi(rawTempo).error().code, ErrorCode::invalidArgument);

    MidiSong badChannel;
    badChannel.tracks = {MidiTrack{"", {}, {channelEvent(0, MidiEventKind::controlChange, 16, 7, 100)}, 0}};
    EXPECT_EQ(encodeMidi(badChannel).error().message,
              "MIDI track 1: event at tick 0 on channel index 16; channels are 0 … 15");
}
