#pragma once
// Variable-length quantities, the number format of Standard MIDI Files (SMF 1.0,
// "Conventions"): 7 bits per byte, most significant group first, bit 7 set on every byte
// but the last. The spec limits them to 4 bytes, so the largest value is 0x0FFFFFFF.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <vector>

namespace reel::compose {

/// The largest value a 4-byte variable-length quantity holds.
inline constexpr std::uint32_t kMaxVlq = 0x0FFFFFFF;

/// Appends `value` (≤ kMaxVlq) as a variable-length quantity of 1 to 4 bytes.
void appendVlq(std::vector<std::uint8_t>& out, std::uint32_t value);

/// Why a quantity could not be decoded.
enum class VlqProblem {
    truncated,  // the bytes ended while bit 7 still asked for another
    tooLong,    // a fourth byte still had bit 7 set
};

struct VlqValue {
    std::uint32_t value = 0;
    std::size_t numBytes = 0;  // 1 … 4
};

/// Decodes the quantity at the start of `bytes`.
std::expected<VlqValue, VlqProblem> decodeVlq(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace reel::compose
