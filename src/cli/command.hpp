#pragma once
// What every `reel` sub-command shares: its name, help, options and how it reports.

#include <functional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "core/error.hpp"

namespace reel::cli {

/// Exit statuses of the reel command: 0 success, 1 a job failed, 2 bad usage.
enum class ExitStatus { ok = 0, failed = 1, usage = 2 };

/// How a command was asked to talk: --json for scripts, --quiet for no progress/chatter.
struct OutputMode {
    bool json = false;
    bool quiet = false;
};

struct Command {
    std::string name;
    std::string summary;  // one line for `reel --help`
    std::string help;     // the full `reel NAME --help` text, with examples
    std::vector<OptionSpec> options;
    std::function<ExitStatus(const Arguments&, const OutputMode&)> run;
};

/// The options every command takes.
std::vector<OptionSpec> commonOptions();

/// Reports a failed job or a usage error on stderr ("reel render: ..."), and as
/// {"error": {...}} on stdout in --json mode. Returns the status to exit with.
ExitStatus report(const std::string& command, const Error& error, const OutputMode& mode, ExitStatus status);

/// Writes a line to stdout.
void printLine(const std::string& text);

Command renderCommand();
Command analyzeCommand();
Command infoCommand();

}  // namespace reel::cli
