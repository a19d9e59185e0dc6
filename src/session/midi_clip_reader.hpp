#pragma once
// Reading a MIDI clip: `{midi: parts/bass.mid, at: "1:1", track: 2, channel: 1,
// from: 2bars, length: 8bars, gain: -3dB}`.
//
// `from` and `length` are durations on the session's timeline: seconds ("12s", "250ms") or
// bars and beats of the session's meter and tempo ("2bars", "1 bar", "6beats"). Whether
// the file exists and holds the track is checked when the part is read (compose/), since
// MIDI files are read above this layer.

#include "core/error.hpp"
#include "session/clip_reader.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// True if a `clips:` entry is a MIDI clip (a map with a `midi:` key).
bool isMidiClip(const YamlField& entry);

/// Reads a MIDI clip map; `midi` and `at` are required.
Result<MidiClip> readMidiClip(const YamlField& field, const ClipContext& context);

/// A duration written in seconds or in bars/beats of the session's meter at its tempo:
/// "12s", "250ms", "2bars", "1 bar", "6beats", "1.5 beats".
Result<Seconds> readMusicalDuration(const YamlField& field, double tempo, const Meter& meter);

}  // namespace reel::session
