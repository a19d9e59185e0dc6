#pragma once
// Reads a processor's parameters from the session, with typed values and errors that name
// the line: "song.yaml:12:30: compressor: unknown parameter \"treshold\"; did you mean
// \"threshold\"?".
//
// Each getter marks its parameter as known; finish() then rejects any parameter nobody
// asked for, so a typo never passes silently.

#include <set>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/units.hpp"
#include "session/session.hpp"

namespace reel::engine {

class ParamReader {
public:
    explicit ParamReader(const session::ProcessorConfig& config) : config_(config) {}

    Result<Decibels> decibels(std::string_view name, Decibels fallback, Decibels min, Decibels max);
    Result<Seconds> seconds(std::string_view name, Seconds fallback, Seconds min, Seconds max);
    Result<Hertz> hertz(std::string_view name, Hertz fallback, Hertz min, Hertz max);
    Result<double> number(std::string_view name, double fallback, double min, double max);
    Result<bool> flag(std::string_view name, bool fallback);
    /// One of a fixed set of words ("peak", "rms").
    Result<std::string> choice(std::string_view name, std::string_view fallback, std::initializer_list<std::string_view> allowed);

    /// Fails on the first parameter no getter asked for, suggesting the closest known name.
    Result<void> finish() const;

private:
    const session::ParamValue* find(std::string_view name);
    Error errorAt(const session::ParamValue& value, const std::string& what) const;
    template <class T>
    Result<T> checkRange(const session::ParamValue& value, std::string_view name, T parsed, T min, T max, const char* unit);

    const session::ProcessorConfig& config_;
    std::set<std::string, std::less<>> known_;
};

}  // namespace reel::engine
