#pragma once
// Delivery targets: the integrated loudness and true-peak ceiling a master is made for.
//
// Each preset carries the document it comes from; docs/mastering.md explains the choices.
// Loudness in LUFS (ITU-R BS.1770-4, gated), ceiling in dBTP (BS.1770-4 Annex 2, 4×).

#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/units.hpp"

namespace reel::master {

struct DeliveryTarget {
    std::string name;             // "streaming", or "custom" for --lufs/--ceiling
    Decibels integratedLufs{-14.0};
    Decibels ceilingDbtp{-1.0};
    std::string source;           // where the numbers come from
};

/// The presets, in the order `reel master --help` lists them.
std::span<const DeliveryTarget> deliveryTargets();

/// The preset called `name`; invalidArgument naming the presets otherwise.
Result<DeliveryTarget> findDeliveryTarget(std::string_view name);

/// Checks a target is one a master can be made for: loudness -40 … 0 LUFS, ceiling
/// -12 … 0 dBTP (above 0 dBTP a fixed-point file cannot hold the peak).
Result<void> checkDeliveryTarget(const DeliveryTarget& target);

}  // namespace reel::master
