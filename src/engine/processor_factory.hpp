#pragma once
// Turns a chain entry of the session (`- utility: {gain: -3dB}`) into a prepared-to-be
// Processor. The built-in rack registers itself here; tests and plugin hosting add more.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "dsp/processor.hpp"
#include "session/session.hpp"

namespace reel::engine {

/// What a creator is given: the chain entry and the session, for tempo-synced values.
struct ProcessorContext {
    const session::ProcessorConfig& config;
    const session::Session& session;
};

class ProcessorFactory {
public:
    using Creator = std::function<Result<std::unique_ptr<dsp::Processor>>(const ProcessorContext&)>;

    /// The processors Reel ships with.
    static ProcessorFactory builtIn();

    /// Adds or replaces a processor type.
    void add(const std::string& type, Creator creator);
    /// Creates the processor a chain entry names; an unknown type gets the closest name.
    Result<std::unique_ptr<dsp::Processor>> create(const session::ProcessorConfig& config,
                                                   const session::Session& session) const;
    std::vector<std::string> types() const;

private:
    std::map<std::string, Creator> creators_;
};

}  // namespace reel::engine
