#include "cli/cli.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "cli/arrange_command.hpp"
#include "cli/chart_command.hpp"
#include "cli/command.hpp"
#include "cli/demo_command.hpp"
#include "cli/master_command.hpp"
#include "core/json_writer.hpp"

namespace reel::cli {

std::vector<OptionSpec> commonOptions() {
    return {{"help", 'h', false}, {"json", 0, false}, {"quiet", 'q', false}};
}

void printLine(const std::string& text) {
    std::fputs(text.c_str(), stdout);
    std::fputc('\n', stdout);
}

ExitStatus report(const std::string& command, const Error& error, const OutputMode& mode, ExitStatus status) {
    std::fputs(fmt::format("reel {}: {}\n", command, error.message).c_str(), stderr);
    if (status == ExitStatus::usage) std::fputs(fmt::format("Try 'reel {} --help'.\n", command).c_str(), stderr);
    if (mode.json) {
        JsonWriter json;
        json.beginObject().key("error").beginObject();
        json.key("message").value(error.message);
        json.key("exit_status").value(static_cast<int>(status));
        json.endObject().endObject();
        printLine(json.str());
    }
    return status;
}

namespace {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {chartCommand(), arrangeCommand(), renderCommand(), analyzeCommand(),
                                               masterCommand(), infoCommand(), demoCommand()};
    return all;
}

std::string mainHelp() {
    std::string text =
        "reel — a music production studio that runs from text\n\n"
        "Usage: reel COMMAND [ARGS] [--json] [--quiet] [--help]\n\n"
        "Commands:\n";
    for (const auto& c : commands()) text += fmt::format("  {:<9} {}\n", c.name, c.summary);
    text +=
        "\nEvery command answers --help with examples, --json for scripts, --quiet for no progress.\n"
        "Exit status: 0 success, 1 the job failed, 2 bad usage.\n\n"
        "Examples:\n"
        "  reel demo my-song                      # every stage, chart to master, on the demo song\n"
        "  reel chart song.cho --key G\n"
        "  reel arrange song.cho --style rock -o song/\n"
        "  reel render song/session.yaml -o mix.wav\n"
        "  reel analyze mix.wav --issues\n"
        "  reel master mix.wav -o master.wav --target streaming --report master.html\n"
        "  reel info song/session.yaml\n";
    return text;
}

}  // namespace

int run(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fputs(mainHelp().c_str(), stderr);
        return static_cast<int>(ExitStatus::usage);
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(mainHelp().c_str(), stdout);
        return 0;
    }
    if (args[0] == "--version") {
        printLine("reel 0.1.0");
        return 0;
    }
    for (const auto& command : commands()) {
        if (command.name != args[0]) continue;
        auto options = commonOptions();
        options.insert(options.end(), command.options.begin(), command.options.end());
        auto parsed = Arguments::parse({args.begin() + 1, args.end()}, options);
        OutputMode mode;
        for (const auto& a : args) mode.json = mode.json || a == "--json";
        if (!parsed) return static_cast<int>(report(command.name, parsed.error(), mode, ExitStatus::usage));
        if (parsed->has("help")) {
            std::fputs(command.help.c_str(), stdout);
            return 0;
        }
        mode.quiet = parsed->has("quiet");
        return static_cast<int>(command.run(*parsed, mode));
    }
    std::fputs(fmt::format("reel: unknown command \"{}\"\n\n{}", args[0], mainHelp()).c_str(), stderr);
    return static_cast<int>(ExitStatus::usage);
}

}  // namespace reel::cli
