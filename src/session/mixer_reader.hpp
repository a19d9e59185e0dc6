#pragma once
// Reading the mixer: tracks (clips, chain, sends, fader), buses and the master.
//
// Each map is checked on its own here; checks across them (unique names, sends to buses
// that exist) are in mixer_checks.hpp, once everything is read.

#include "core/error.hpp"
#include "session/clip_reader.hpp"
#include "session/session.hpp"
#include "session/yaml_field.hpp"

namespace reel::session {

/// A track map; `name` is required.
Result<Track> readTrack(const YamlField& field, const ClipContext& context);
/// A bus map; `name` is required.
Result<Bus> readBus(const YamlField& field, const ClipContext& context);
/// The master map (may be empty).
Result<Master> readMaster(const YamlField& field, const ClipContext& context);

}  // namespace reel::session
