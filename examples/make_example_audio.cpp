// Synthesizes the stems of the example song "First Light" so the project ships no audio:
// 8 bars in A minor at 100 bpm (Am F C G), as a drum kit, a bass, a chord pad and a lead.
//
// The stems are deliberately of mixed kinds — 44.1 and 48 kHz, mono and stereo, 16/24-bit
// WAV, float WAV and FLAC — so the example exercises format reading and rate conversion.
// Usage: make-example-audio OUTPUT_FOLDER

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <numbers>
#include <random>
#include <string>

#include "io/audio_file_writer.hpp"

using namespace reel;

namespace {

constexpr double kTempo = 100.0;
constexpr double kBeat = 60.0 / kTempo;
constexpr int kBars = 8;
constexpr double kLength = kBars * 4 * kBeat + 1.0;  // one second of release after the last bar
constexpr double kTwoPi = 2.0 * std::numbers::pi;

double midiToHz(double note) { return 440.0 * std::pow(2.0, (note - 69.0) / 12.0); }

// Chord roots and triads for Am F C G, one chord per bar, repeated.
const int kRoots[4] = {45, 41, 48, 43};             // A2 F2 C3 G2
const int kTriads[4][3] = {{57, 60, 64}, {53, 57, 60}, {55, 60, 64}, {55, 59, 62}};

/// Renders `synth(t, channel)` for every frame and writes the file.
bool writeStem(const std::filesystem::path& path, double rate, int channels, io::SampleFormat format,
               const std::function<double(double, int)>& synth) {
    auto type = io::fileTypeFromPath(path);
    if (!type) return false;
    auto writer = io::AudioFileWriter::create(path, {*type, format, SampleRate{rate}, channels});
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().message.c_str());
        return false;
    }
    const auto frames = static_cast<std::int64_t>(kLength * rate);
    AudioBuffer block(channels, 4096);
    for (std::int64_t at = 0; at < frames; at += 4096) {
        const std::int64_t n = std::min<std::int64_t>(4096, frames - at);
        for (int c = 0; c < channels; ++c)
            for (std::int64_t i = 0; i < n; ++i)
                block.channel(c)[i] = static_cast<float>(synth(static_cast<double>(at + i) / rate, c));
        if (auto ok = writer->write(block.view(n)); !ok) {
            std::fprintf(stderr, "%s\n", ok.error().message.c_str());
            return false;
        }
    }
    if (auto ok = writer->commit(); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().message.c_str());
        return false;
    }
    return true;
}

/// White noise from a hash of the time, so every frame's value is reproducible on its own.
double noiseAt(double t, int salt) {
    std::uint64_t x = static_cast<std::uint64_t>(t * 96000.0) * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(salt) * 0xBF58476D1CE4E5B9ull;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 29;
    return static_cast<double>(x >> 11) / static_cast<double>(1ull << 53) * 2.0 - 1.0;
}

double drums(double t, int channel) {
    const double songEnd = kBars * 4 * kBeat;
    if (t >= songEnd + 0.5) return 0.0;
    const double beatPos = std::fmod(t, kBeat);
    const int beat = static_cast<int>(t / kBeat) % 4;
    double out = 0.0;
    if (beat == 0 || beat == 2) {  // kick: a falling sine with a fast decay
        const double phase = kTwoPi * (45.0 * beatPos + 80.0 * (1.0 - std::exp(-beatPos * 30.0)) / 30.0);
        out += 0.9 * std::sin(phase) * std::exp(-beatPos * 6.0);  // phase = ∫ f(t) dt, f = 45 + 80·e^(-30t) Hz
    } else {  // snare: noise plus a 185 Hz body
        out += (0.35 * noiseAt(t, 1) + 0.3 * std::sin(kTwoPi * 185.0 * beatPos)) * std::exp(-beatPos * 18.0);
    }
    const double eighth = std::fmod(t, kBeat / 2.0);  // hi-hat on every eighth, a little to the right
    const double hat = 0.12 * noiseAt(t, 2) * std::exp(-eighth * 60.0);
    out += channel == 1 ? hat : 0.6 * hat;
    return out * 0.7;
}

double bass(double t, int) {
    const int bar = static_cast<int>(t / (4 * kBeat));
    if (bar >= kBars) return 0.0;
    const double notePos = std::fmod(t, kBeat);
    const double f = midiToHz(kRoots[bar % 4]);
    // A few decaying harmonics of a saw, plucked on every beat.
    double out = 0.0;
    for (int h = 1; h <= 6; ++h) out += std::sin(kTwoPi * f * h * t) / h * std::exp(-notePos * (1.5 + h));
    return 0.35 * out;
}

double pad(double t, int channel) {
    const int bar = static_cast<int>(t / (4 * kBeat));
    const double barPos = std::fmod(t, 4 * kBeat);
    const double attack = std::min(1.0, barPos / 0.4);
    const double release = bar >= kBars ? std::exp(-(t - kBars * 4 * kBeat) * 4.0) : 1.0;
    const auto& triad = kTriads[std::min(bar, kBars - 1) % 4];
    const double detune = channel == 0 ? 0.998 : 1.002;  // a slow stereo beating
    double out = 0.0;
    for (int note : triad) out += std::sin(kTwoPi * midiToHz(note) * detune * t) + 0.3 * std::sin(kTwoPi * 2 * midiToHz(note) * t);
    return 0.12 * out * attack * release;
}

double lead(double t, int) {
    // A two-bar phrase (MIDI notes, one per beat), played in bars 5-8.
    const int phrase[8] = {76, 74, 72, 74, 76, 76, 76, 0};
    const double start = 4 * 4 * kBeat;
    if (t < start || t >= kBars * 4 * kBeat) return 0.0;
    const int step = static_cast<int>((t - start) / kBeat) % 8;
    if (phrase[step] == 0) return 0.0;
    const double notePos = std::fmod(t - start, kBeat);
    const double vibrato = 1.0 + 0.004 * std::sin(kTwoPi * 5.5 * t);
    const double f = midiToHz(phrase[step]) * vibrato;
    const double env = std::min(1.0, notePos / 0.02) * std::exp(-notePos * 1.2) * std::min(1.0, (kBeat - notePos) / 0.02);
    return 0.3 * env * (std::sin(kTwoPi * f * t) + 0.25 * std::sin(kTwoPi * 3 * f * t));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make-example-audio OUTPUT_FOLDER\n");
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    bool ok = writeStem(out / "drums.wav", 44100.0, 2, io::SampleFormat::pcm24, drums) &&
              writeStem(out / "bass.flac", 48000.0, 1, io::SampleFormat::pcm16, bass) &&
              writeStem(out / "keys.wav", 48000.0, 2, io::SampleFormat::float32, pad) &&
              writeStem(out / "lead.wav", 44100.0, 1, io::SampleFormat::pcm16, lead);
    return ok ? 0 : 1;
}
