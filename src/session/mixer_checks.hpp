#pragma once
// Checks across the mixer once every track and bus is read: names are unique (sends name
// their bus, so two buses or a track and a bus with one name would be ambiguous) and every
// send goes to a bus that exists, and not back to itself. Loops through several buses are
// found by the engine's routing, which orders the buses anyway.

#include "core/error.hpp"
#include "session/session.hpp"

namespace reel::session {

/// No two tracks or buses share a name. Error at the second one, naming the line of the first.
Result<void> checkUniqueNames(const Session& session);
/// Every send's `to` is a bus; a bus does not send to itself.
Result<void> checkSendTargets(const Session& session);

}  // namespace reel::session
