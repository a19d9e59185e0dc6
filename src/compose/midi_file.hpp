#pragma once
// Reading and writing Standard MIDI Files, formats 0 and 1 (SMF 1.0, MMA 1996).
//
// Read: the header chunk, each MTrk chunk (other chunk types are skipped, as the spec
// asks of "alien" chunks), delta times, running status, note on/off (a note-on of
// velocity 0 is a note-off), control and program change, pitch bend, channel and key
// pressure, sysex (kept or skipped), and meta events (tempo, time and key signature, track
// name, end of track; the rest kept as they are). Notes are joined first-on first-off per
// channel and key; a note still held at its track's end ends there. Files are small, so
// they are read whole. Format 2 and SMPTE time division are refused (formatUnsupported).
//
// Errors say the file, the track, the byte offset and what was expected:
//   "bass.mid: track 2 at byte 118: data byte 0x40 where a status byte is needed, and no
//    running status is in effect".
// Corrupt content is corruptData; nothing is guessed.
//
// Write: running status for channel messages; at each tick, the track name, tempo, meter
// and key, then the other events, then note-offs, then note-ons (so a note ending where
// the next of its key starts stays two notes). Files are written to a temporary file and
// renamed into place.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "compose/midi_song.hpp"
#include "core/error.hpp"

namespace reel::compose {

enum class SysexHandling { keep, skip };

struct MidiReadOptions {
    SysexHandling sysex = SysexHandling::keep;
};

/// Reads a MIDI file. Errors: fileNotFound, fileUnreadable, formatUnsupported, corruptData.
Result<MidiSong> readMidiFile(const std::filesystem::path& path, const MidiReadOptions& options = {});

/// Parses the bytes of a MIDI file; messages start with `name` (the file as the user wrote it).
Result<MidiSong> parseMidi(std::span<const std::uint8_t> bytes, std::string_view name,
                           const MidiReadOptions& options = {});

/// Encodes a song as a MIDI file. Errors (invalidArgument) name the track and value that a
/// file cannot hold: a channel, key, velocity or controller out of range, a negative tick,
/// a format-0 song without exactly one track, a tempo/time/key signature written as a raw
/// meta event instead of in the song's maps.
Result<std::vector<std::uint8_t>> encodeMidi(const MidiSong& song);

/// Encodes and writes a song; the file appears only when complete. Errors: those of
/// encodeMidi(), ioError.
Result<void> writeMidiFile(const std::filesystem::path& path, const MidiSong& song);

}  // namespace reel::compose
