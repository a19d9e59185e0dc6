#include "compose/midi_vlq.hpp"

#include <cassert>

namespace reel::compose {

void appendVlq(std::vector<std::uint8_t>& out, std::uint32_t value) {
    assert(value <= kMaxVlq);
    std::uint8_t groups[4];
    int n = 0;
    do {
        groups[n++] = static_cast<std::uint8_t>(value & 0x7F);
        value >>= 7;
    } while (value != 0 && n < 4);
    while (n > 1) out.push_back(static_cast<std::uint8_t>(groups[--n] | 0x80));
    out.push_back(groups[0]);
}

std::expected<VlqValue, VlqProblem> decodeVlq(std::span<const std::uint8_t> bytes) noexcept {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        if (i >= bytes.size()) return std::unexpected(VlqProblem::truncated);
        value = (value << 7) | (bytes[i] & 0x7Fu);
        if ((bytes[i] & 0x80) == 0) return VlqValue{value, i + 1};
    }
    return std::unexpected(VlqProblem::tooLong);
}

}  // namespace reel::compose
