#include "master/delivery_target.hpp"

#include <fmt/format.h>

#include <array>

namespace reel::master {
namespace {

// Sources (see docs/mastering.md for the reasoning behind each number):
const std::array<DeliveryTarget, 8> kTargets{{
    {"streaming", Decibels{-14.0}, Decibels{-1.0},
     "Spotify for Artists, \"Loudness normalization\" (-14 LUFS integrated, below -1 dBTP); "
     "AES TD1008 (2021) true-peak advice of -1 dBTP for lossy encoding"},
    {"apple", Decibels{-16.0}, Decibels{-1.0},
     "Apple Music Sound Check plays near -16 LUFS; AES TD1008 (2021) distribution loudness for "
     "track-normalized music -16 LUFS and maximum peak -1 dBTP (room for AAC encoding)"},
    {"youtube", Decibels{-14.0}, Decibels{-1.0},
     "YouTube's measured normalization reference of -14 LUFS (YouTube publishes no number); "
     "AES TD1008 (2021) -1 dBTP"},
    {"cd", Decibels{-10.0}, Decibels{-0.3},
     "no normalization on CD: a loud but not crushed level (-10 LUFS), -0.3 dBTP to leave "
     "room for CD players' reconstruction filters"},
    {"club", Decibels{-8.0}, Decibels{-0.5},
     "club/DJ use: masters compete with other loud dance records (-8 LUFS), -0.5 dBTP"},
    {"ebu-r128", Decibels{-23.0}, Decibels{-1.0},
     "EBU R 128 (2020): programme loudness -23.0 LUFS, maximum true peak -1 dBTP"},
    {"atsc-a85", Decibels{-24.0}, Decibels{-2.0},
     "ATSC A/85:2013: -24 LKFS target loudness, true peak at most -2 dBTP"},
    {"podcast", Decibels{-16.0}, Decibels{-1.0},
     "Apple Podcasts audio requirements (-16 LKFS +/-1 dB, true peak at most -1 dBFS); "
     "AES TD1008 (2021) maximum peak -1 dBTP"},
}};

}  // namespace

std::span<const DeliveryTarget> deliveryTargets() { return kTargets; }

Result<DeliveryTarget> findDeliveryTarget(std::string_view name) {
    std::string names;
    for (const auto& target : kTargets) {
        if (target.name == name) return target;
        names += (names.empty() ? "" : ", ") + target.name;
    }
    return fail(ErrorCode::invalidArgument, fmt::format("unknown target \"{}\"; expected one of {}", name, names));
}

Result<void> checkDeliveryTarget(const DeliveryTarget& target) {
    if (!(target.integratedLufs.value >= -40.0 && target.integratedLufs.value <= 0.0))
        return fail(ErrorCode::invalidArgument,
                    fmt::format("target loudness {:.1f} LUFS is out of range; give -40 to 0 LUFS", target.integratedLufs.value));
    if (!(target.ceilingDbtp.value >= -12.0 && target.ceilingDbtp.value <= 0.0))
        return fail(ErrorCode::invalidArgument,
                    fmt::format("true-peak ceiling {:.1f} dBTP is out of range; give -12 to 0 dBTP", target.ceilingDbtp.value));
    return {};
}

}  // namespace reel::master
