#pragma once
// Session creators for the dynamics family: compressor, gate, expander, de_esser, limiter.
//
//   - compressor: {threshold: -18dB, ratio: 3, knee: 6dB, attack: 10ms, release: 120ms,
//                  makeup: auto | 3dB, detection: peak | rms, link: 100% | 0.5,
//                  lookahead: 5ms, sidechain: Kick, sidechain_highpass: 100Hz | off}
//   - gate:       {threshold: -50dB, range: -80dB, attack: 1ms, hold: 20ms, release: 100ms, ...}
//   - expander:   {threshold: -40dB, ratio: 2, ...}          (gate and expander take the same names)
//   - de_esser:   {frequency: 6kHz, threshold: -30dB, ratio: 10, reduction: -8dB,
//                  attack: 1ms, release: 60ms, listen: false}
//   - limiter:    {ceiling: -1dB, release: 50ms, lookahead: 2ms}
// Ranges and defaults come from the processors' parameterInfo() (one source of truth):
//
//   compressor  threshold dB −80..0 (−18) · ratio 1..100 (4) · knee dB 0..24 (6) ·
//               attack s 0..0.5 (10 ms) · release s 0.001..5 (150 ms) ·
//               makeup dB −24..48 (0) or `auto` · link 0..100 % (100 %) ·
//               sidechain_highpass Hz 0..2000 (0 = off; `off` also accepted) ·
//               detection peak|rms (peak) · lookahead s 0..0.02 (0) · sidechain <track>
//   gate        threshold dB −100..0 (−50) · ratio 1..100 (100) · range dB −120..0 (−80) ·
//               knee dB 0..24 (0) · attack (1 ms) · hold s 0..2 (10 ms) · release (100 ms) ·
//               link, sidechain_highpass, detection, lookahead, sidechain as the compressor
//   expander    as gate, defaults threshold −40 dB, ratio 2, attack 5 ms, hold 0, release 100 ms
//   de_esser    frequency Hz 1000..16000 (6708: the 5–9 kHz band) · threshold dB −60..0 (−30) ·
//               ratio 1..100 (10) · reduction dB −40..0 (−8) · attack s 0..0.1 (1 ms) ·
//               release s 0.001..1 (60 ms) · listen true|false (false)
//   limiter     ceiling dB −24..0 (−1) · release s 0.001..5 (50 ms) · lookahead s 0..0.02 (2 ms)
//
// Every numeric setting except lookahead is automatable under the same name (link in %).
// `sidechain` names a track; the engine resolves it and hands the key to the processor
// before each block.

#include <optional>
#include <string>

#include "engine/processor_factory.hpp"
#include "session/session.hpp"

namespace reel::engine {

/// Adds compressor, gate, expander, de_esser and limiter to `factory`.
void registerDynamicsProcessors(ProcessorFactory& factory);

}  // namespace reel::engine
