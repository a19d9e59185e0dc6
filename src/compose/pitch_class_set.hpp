#pragma once
// A set of pitch classes (0 = C … 11 = B) as 12 bits: what a scale or a chord sounds like,
// whatever its spelling. Cheap to copy and compare; transposition is a rotation.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "compose/note.hpp"

namespace reel::compose {

class PitchClassSet {
public:
    constexpr PitchClassSet() = default;
    constexpr PitchClassSet(std::initializer_list<int> pitchClasses) {
        for (int pc : pitchClasses) insert(pc);
    }

    constexpr void insert(int pitchClass) noexcept {
        bits_ |= static_cast<std::uint16_t>(1u << wrapPitchClass(pitchClass));
    }
    constexpr bool contains(int pitchClass) const noexcept { return (bits_ >> wrapPitchClass(pitchClass)) & 1u; }
    constexpr bool isSubsetOf(PitchClassSet other) const noexcept { return (bits_ & ~other.bits_) == 0; }
    constexpr int size() const noexcept {
        int n = 0;
        for (int pc = 0; pc < 12; ++pc) n += contains(pc) ? 1 : 0;
        return n;
    }
    /// Every pitch class moved up by `semitones` (negative moves down).
    constexpr PitchClassSet transposed(int semitones) const noexcept {
        PitchClassSet moved;
        for (int pc = 0; pc < 12; ++pc)
            if (contains(pc)) moved.insert(pc + semitones);
        return moved;
    }
    /// The members in ascending order from 0.
    std::vector<int> members() const {
        std::vector<int> out;
        for (int pc = 0; pc < 12; ++pc)
            if (contains(pc)) out.push_back(pc);
        return out;
    }
    /// "{0,4,7}".
    std::string toString() const {
        std::string text = "{";
        for (int pc : members()) text += (text.size() > 1 ? "," : "") + std::to_string(pc);
        return text + "}";
    }
    constexpr std::uint16_t bits() const noexcept { return bits_; }

    friend constexpr bool operator==(PitchClassSet, PitchClassSet) = default;

private:
    std::uint16_t bits_ = 0;
};

}  // namespace reel::compose
