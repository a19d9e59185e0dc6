#include "support/test_signals.hpp"

#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace reel::test {

AudioBuffer sine(double frequencyHz, double amplitude, double sampleRate, std::int64_t numFrames, int channels) {
    AudioBuffer out(channels, numFrames);
    for (std::int64_t i = 0; i < numFrames; ++i) {
        double v = amplitude * std::sin(2.0 * M_PI * frequencyHz * static_cast<double>(i) / sampleRate);
        for (int c = 0; c < channels; ++c) out.channel(c)[i] = static_cast<float>(v);
    }
    return out;
}

AudioBuffer staircase(std::int64_t numFrames, int channels, float step, float channelOffset) {
    AudioBuffer out(channels, numFrames);
    for (int c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < numFrames; ++i)
            out.channel(c)[i] = static_cast<float>(i) * step + channelOffset * static_cast<float>(c);
    return out;
}

AudioBuffer noise(std::int64_t numFrames, int channels, double amplitude, unsigned seed) {
    AudioBuffer out(channels, numFrames);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> dist(-amplitude, amplitude);
    for (int c = 0; c < channels; ++c)
        for (std::int64_t i = 0; i < numFrames; ++i) out.channel(c)[i] = static_cast<float>(dist(rng));
    return out;
}

std::filesystem::path scratchDir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("reel-test-" + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

void writeFile(const std::filesystem::path& path, const AudioBuffer& audio, int sampleRate, int sndfileFormat) {
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = audio.numChannels();
    info.format = sndfileFormat;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) throw std::runtime_error("cannot write " + path.string() + ": " + sf_strerror(nullptr));
    std::vector<float> interleaved(static_cast<std::size_t>(audio.numFrames() * audio.numChannels()));
    for (std::int64_t i = 0; i < audio.numFrames(); ++i)
        for (int c = 0; c < audio.numChannels(); ++c)
            interleaved[static_cast<std::size_t>(i * audio.numChannels() + c)] = audio.channel(c)[i];
    sf_writef_float(f, interleaved.data(), audio.numFrames());
    sf_close(f);
}

AudioBuffer readFile(const std::filesystem::path& path, int* sampleRate) {
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) throw std::runtime_error("cannot read " + path.string());
    std::vector<float> interleaved(static_cast<std::size_t>(info.frames * info.channels));
    sf_count_t got = sf_readf_float(f, interleaved.data(), info.frames);
    sf_close(f);
    AudioBuffer out(info.channels, got);
    for (sf_count_t i = 0; i < got; ++i)
        for (int c = 0; c < info.channels; ++c)
            out.channel(c)[i] = interleaved[static_cast<std::size_t>(i * info.channels + c)];
    if (sampleRate) *sampleRate = info.samplerate;
    return out;
}

void writeText(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

namespace {
std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char ch : s) q += (ch == '\'') ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
}
std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

CommandResult runReel(const std::vector<std::string>& args) {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path() / ("reel-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto outPath = dir / ("cmd-" + std::to_string(counter) + ".out");
    auto errPath = dir / ("cmd-" + std::to_string(counter++) + ".err");
    std::string cmd = shellQuote(REEL_BINARY);
    for (const auto& a : args) cmd += " " + shellQuote(a);
    cmd += " </dev/null >" + shellQuote(outPath.string()) + " 2>" + shellQuote(errPath.string());
    int status = std::system(cmd.c_str());
    CommandResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(outPath);
    r.err = slurp(errPath);
    return r;
}

}  // namespace reel::test
