#pragma once
// Reads a session's MIDI clip into the part the engine plays: the clip's file, its track
// (`track:`, counted from 1 over the file's MTrk chunks) or all tracks, and its channel
// (`channel:`, 1 … 16) or all channels. Sysex and meta events are left out (instruments
// take channel messages); timing stays in ticks, which the engine converts with the
// session's tempo (engine/midi_clip_player.hpp).

#include "core/error.hpp"
#include "engine/instrument.hpp"
#include "engine/instrument_factory.hpp"
#include "session/session.hpp"

namespace reel::compose {

/// The clip's part. Errors name the clip's line: a missing file (fileNotFound), a corrupt
/// one (the reader's message: byte offset and track), a track the file lacks or a
/// selection that holds no notes (invalidSession, saying what the file has).
Result<engine::MidiPart> readMidiPart(const session::MidiClip& clip);

/// Makes `factory` read MIDI clips with readMidiPart().
void registerMidiPartReader(engine::InstrumentFactory& factory);

}  // namespace reel::compose
