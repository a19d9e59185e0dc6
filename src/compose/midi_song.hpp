#pragma once
// A Standard MIDI File as plain data: notes (on/off pairs joined), the other events as
// written, and the song-wide tempo, meter and key maps.
//
// Terms follow the Standard MIDI File 1.0 spec (MMA, 1996): a file has a header and
// tracks; a tick is the header's division, 1/ticksPerQuarter of a quarter note. Channels
// are counted from 0 here (the wire value); people count them from 1.
//
// Reading gathers set-tempo, time-signature and key-signature events from every track
// into the song's maps; writing puts them in the first track, where the spec asks format 1
// files to keep them. So write -> read gives back the same MidiSong (==) when notes are in
// start order and events in tick order, which is how read() returns them.

#include <cstdint>
#include <string>
#include <vector>

#include "compose/midi_meter_map.hpp"
#include "compose/midi_tempo_map.hpp"
#include "core/units.hpp"

namespace reel::compose {

/// One note: a note-on and its note-off joined.
struct MidiNote {
    int channel = 0;     // 0 … 15
    int key = 60;        // 0 … 127, 60 = middle C
    int velocity = 100;  // 1 … 127 (a note-on of velocity 0 is a note-off)
    std::int64_t startTick = 0;
    std::int64_t lengthTicks = 0;
    int releaseVelocity = 64;  // the note-off's velocity, 0 … 127 (64 when a device has none)
    friend bool operator==(const MidiNote&, const MidiNote&) = default;
};

enum class MidiEventKind {
    controlChange,    // Bn cc vv: number = controller, value = its value
    programChange,    // Cn pp: number = program
    pitchBend,        // En ll mm: value = bend, -8192 … 8191 (0 = centre)
    channelPressure,  // Dn vv: value = pressure
    keyPressure,      // An kk vv: number = key, value = pressure
    sysex,            // F0 <len> <data> (number 0xF0) or F7 <len> <data> (number 0xF7): data as stored
    meta,             // FF <type> <len> <data>: number = type, data as stored
};

/// An event other than a note, tempo, time signature, key signature, track name or end of
/// track (those live in MidiNote, the song's maps, MidiTrack::name and MidiTrack::endTick).
struct MidiEvent {
    std::int64_t tick = 0;
    MidiEventKind kind = MidiEventKind::controlChange;
    int channel = 0;                 // channel events: 0 … 15
    int number = 0;                  // see MidiEventKind
    int value = 0;                   // see MidiEventKind
    std::vector<std::uint8_t> data;  // sysex and meta payloads
    friend bool operator==(const MidiEvent&, const MidiEvent&) = default;
};

struct MidiTrack {
    std::string name;               // the first track-name meta event (FF 03), bytes as written
    std::vector<MidiNote> notes;    // by start tick (ties in note-on order)
    std::vector<MidiEvent> events;  // by tick (ties in file order)
    std::int64_t endTick = 0;       // the end-of-track event (FF 2F); written at least at the last event
    friend bool operator==(const MidiTrack&, const MidiTrack&) = default;
};

enum class KeyMode { major, minor };

/// A key signature (FF 59 02 sf mi): sharps > 0, flats < 0.
struct KeySignature {
    std::int64_t tick = 0;
    int sharps = 0;  // -7 … 7
    KeyMode mode = KeyMode::major;
    friend bool operator==(const KeySignature&, const KeySignature&) = default;
};

/// The header's format: 0 = one track holding everything; 1 = simultaneous tracks.
enum class MidiFormat { singleTrack = 0, multiTrack = 1 };

struct MidiSong {
    MidiFormat format = MidiFormat::multiTrack;
    int ticksPerQuarter = 480;  // the header's division, 1 … 32767
    std::vector<MidiTrack> tracks;
    TempoMap tempo;
    MeterMap meter;
    std::vector<KeySignature> keys;  // by tick
    friend bool operator==(const MidiSong&, const MidiSong&) = default;

    /// Seconds from the start to `tick` through the tempo map.
    Seconds secondsAt(std::int64_t tick) const noexcept { return tempo.secondsAt(tick, ticksPerQuarter); }
    /// The (fractional) tick at `seconds`.
    double tickAt(Seconds seconds) const noexcept { return tempo.tickAt(seconds, ticksPerQuarter); }
};

}  // namespace reel::compose
