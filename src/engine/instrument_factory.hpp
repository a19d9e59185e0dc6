#pragma once
// Turns a track's `instrument:` into an Instrument, and a MIDI clip into its part.
//
// The engine knows no instrument and reads no MIDI file: compose/ (above the engine)
// registers both here (compose::registerSoundFontInstrument, compose::registerMidiPartReader)
// and the CLI hands the filled factory to the renderer, as it does the ProcessorFactory.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "engine/instrument.hpp"
#include "session/session.hpp"

namespace reel::engine {

/// What an instrument creator is given: the track's `instrument:` and the session (for
/// its folder, where relative paths start).
struct InstrumentContext {
    const session::InstrumentConfig& config;
    const session::Session& session;
};

class InstrumentFactory {
public:
    using Creator = std::function<Result<std::unique_ptr<Instrument>>(const InstrumentContext&)>;
    /// Reads a MIDI clip's part (its file, track and channel) in ticks; errors name the clip's line.
    using PartReader = std::function<Result<MidiPart>(const session::MidiClip&, const session::Session&)>;

    /// Adds or replaces an instrument type ("soundfont").
    void add(const std::string& type, Creator creator);
    /// Sets how MIDI clips are read.
    void setPartReader(PartReader reader);

    /// Creates (unprepared) the instrument a track names; an unknown type gets the closest name.
    Result<std::unique_ptr<Instrument>> create(const session::InstrumentConfig& config,
                                               const session::Session& session) const;
    /// Reads a clip's part; an error if no part reader is registered.
    Result<MidiPart> readPart(const session::MidiClip& clip, const session::Session& session) const;

    std::vector<std::string> types() const;

private:
    std::map<std::string, Creator> creators_;
    PartReader partReader_;
};

}  // namespace reel::engine
