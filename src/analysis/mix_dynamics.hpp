#pragma once
// The dynamics family of mix-report detectors: over-compression and a noisy floor. Both read
// the timelines the other families kept during the pass; nothing here streams.
//
// Over-compression. PLR = true peak − integrated loudness (LU), the "peak to loudness ratio"
// of AES TD1004 / TD1008, which use it to describe how much dynamics a programme keeps. The
// thresholds are ours, from common mastering practice rather than a standard: heavily limited
// masters measure about 6–8 LU, open and dynamic ones 12 LU and more, so a mix under 8 LU is a
// warning (mastering has no room left) and under 6 LU a problem. Where: 3 s windows whose PSR
// (the highest true peak in the window − its short-term loudness, the local form of PLR) is
// under 8 LU. A loudness range (EBU Tech 3342) under 2 LU with a healthy
// PLR is reported as information only: a steady texture may be intended.
//
// Noisy floor. Noise under the music cannot be heard apart from it, so the detector looks at
// the quiet passages: stretches of at least 1 s whose momentary loudness (400 ms) is
//  - at least 15 LU under the integrated loudness (a pause or a quiet passage, not music),
//  - above the -70 LUFS absolute gate of BS.1770 (not digital silence),
//  - steady (within 3 LU from end to end: hiss and hum do not move, decaying music does),
//  - and noise-like (spectral flatness over 1–12 kHz at least 0.25; white noise reads 0.56,
//    tonal music under 0.1).
// Severity from the distance to the integrated loudness: under 30 LU a problem, under 40 LU a
// warning, under 50 LU information. Hum (tonal) is not recognised as noise: not detected.

#include <vector>

#include "analysis/mix_issue.hpp"
#include "analysis/mix_level_scan.hpp"
#include "analysis/mix_spectrum.hpp"
#include "analysis/mix_stereo_scan.hpp"

namespace reel::analysis {

/// Over-compression and noisy floor from the finished scans.
std::vector<MixIssue> dynamicsIssues(const StereoScan& loudness, const LevelScan& levels, const MixSpectrum& spectrum,
                                     const MixProgram& program);

}  // namespace reel::analysis
