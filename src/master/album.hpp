#pragma once
// `reel master --album a.wav b.wav … -o out/`: one coherent album.
//
// Every song is analyzed first (so a bad file or mismatched sample rates fail before anything
// is written), then:
//  - loudness: the album sits at the target; a song keeps part of its own character: one
//    whose loudness range (EBU Tech 3342) is wider than the album's median sits lower, by
//    a quarter of the difference, at most kMaxBelowLu (3 LU). AES TD1008 (2021) describes
//    albums whose quieter songs sit about 2 LU under the loudest, and album normalization
//    that keeps such differences; 3 LU bounds it;
//  - tone: each song's EQ is drawn halfway toward the album's average tonal balance
//    (planMastering's albumMid), on top of its own correction;
//  - each song then goes through the single-song loop (master_file.hpp), so each meets its
//    loudness and the ceiling, verified on the written file.
// The spread (max − min) of integrated loudness and the tonal spread (mean over bands of the
// standard deviation across songs, dB) are reported before and after.

#include <filesystem>
#include <vector>

#include "master/master_file.hpp"

namespace reel::master {

inline constexpr double kMaxBelowLu = 3.0;

struct AlbumJob {
    std::vector<std::filesystem::path> inputs;
    std::filesystem::path outputFolder;
    std::string extension = ".wav";
    OutputSpec out;
    MasterSettings settings;
    std::optional<MasteringPlan> profile;
};

struct AlbumResult {
    std::vector<MasterResult> songs;
    std::vector<double> songTargets;  // LUFS each song was mastered to
    double loudnessSpreadBefore = 0.0, loudnessSpreadAfter = 0.0;  // LU
    double tonalSpreadBefore = 0.0, tonalSpreadAfter = 0.0;        // dB
};

/// Masters every song; errors name the song. Songs written before a later failure stay
/// (each is complete; no file is ever half-written).
Result<AlbumResult> masterAlbum(const AlbumJob& job, const MasterProgress& progress = {});

/// The tonal spread of a set of spectra: mean over bands of the standard deviation of the
/// songs' relative mid levels, dB.
double tonalSpread(const std::vector<const BandSpectrum*>& spectra);

}  // namespace reel::master
