#include "compose/drumkit_note_map.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

namespace reel::compose {
namespace {

enum class Family {
    kick, snare, snareRim, snareRoll, sideStick, clap,
    hatClosed, hatPedal, hatOpen, hatSemiOpen, hatOther,
    crash, crashRide, splash, china, cymbal, ride, rideBell,
    tom, cowbell, tambourine, shaker, clave, woodblock, bongo, conga, none
};

/// The words of a name, lower case, with the spellings of the same drum made one word.
std::vector<std::string> wordsOf(std::string_view name) {
    std::vector<std::string> words;
    std::string word;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    std::vector<std::string> joined;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        const std::string next = i + 1 < words.size() ? words[i + 1] : "";
        if ((w == "hi" && next == "hat") || (w == "bass" && next == "drum") || (w == "semi" && next == "open") ||
            (w == "side" && next == "stick") || (w == "rim" && (next == "click" || next == "shot"))) {
            joined.push_back(w + next);
            ++i;
        } else {
            joined.push_back(w);
        }
    }
    for (auto& w : joined) {
        if (w == "hihat" || w == "hh" || w == "hats") w = "hat";
        else if (w == "bassdrum" || w == "bd" || w == "kik") w = "kick";
        else if (w == "sidestick" || w == "rimclick" || w == "sticks") w = "stick";
        else if (w == "semiopen" || w == "half") w = "semi";
        else if (w == "opened" || w == "op") w = "open";
        else if (w == "close" || w == "cl" || w == "tight") w = "closed";
        else if (w == "toms") w = "tom";
        else if (w == "maraca" || w == "maracas" || w == "cabasa") w = "shaker";
        else if (w == "tamb" || w == "tambourin") w = "tambourine";
        else if (w == "claves") w = "clave";
        else if (w == "chinese") w = "china";
    }
    return joined;
}

bool has(const std::vector<std::string>& words, std::initializer_list<std::string_view> any) {
    return std::any_of(words.begin(), words.end(),
                       [&](const std::string& w) { return std::find(any.begin(), any.end(), w) != any.end(); });
}

Family familyOf(std::string_view name) {
    const auto w = wordsOf(name);
    if (has(w, {"rimshot"}) || (has(w, {"snare"}) && has(w, {"rim"}))) return Family::snareRim;
    if (has(w, {"snare"})) return has(w, {"roll"}) ? Family::snareRoll : Family::snare;
    if (has(w, {"stick"}) || has(w, {"rim"})) return Family::sideStick;
    if (has(w, {"clap", "claps"})) return Family::clap;
    if (has(w, {"kick"})) return Family::kick;
    if (has(w, {"hat"})) {
        if (has(w, {"pedal", "foot"})) return Family::hatPedal;
        if (has(w, {"semi"})) return Family::hatSemiOpen;
        if (has(w, {"open"})) return Family::hatOpen;
        if (has(w, {"closed"}) || w.size() == 1) return Family::hatClosed;
        return Family::hatOther;
    }
    if (has(w, {"crash"})) return has(w, {"ride"}) ? Family::crashRide : Family::crash;
    if (has(w, {"ride"})) return has(w, {"bell"}) ? Family::rideBell : Family::ride;
    if (has(w, {"splash"})) return Family::splash;
    if (has(w, {"china"})) return Family::china;
    if (has(w, {"cymbal"})) return Family::cymbal;
    if (has(w, {"tom", "floortom"})) return Family::tom;
    if (has(w, {"cowbell"})) return Family::cowbell;
    if (has(w, {"tambourine"})) return Family::tambourine;
    if (has(w, {"shaker"})) return Family::shaker;
    if (has(w, {"clave"})) return Family::clave;
    if (has(w, {"woodblock", "block"})) return Family::woodblock;
    if (has(w, {"bongo", "bongos"})) return Family::bongo;
    if (has(w, {"conga", "congas"})) return Family::conga;
    return Family::none;
}

/// Where a tom sits from low to high, by its name (see the header).
double tomRank(std::string_view name) {
    const auto w = wordsOf(name);
    double rank = 2.0;  // a lone "Tom" is a rack tom
    if (has(w, {"floor", "floortom"})) rank = 0.0;
    else if (has(w, {"low", "lo"})) rank = 1.0;
    else if (has(w, {"mid", "middle"})) rank = 2.0;
    else if (has(w, {"high", "hi"})) rank = 3.0;
    for (const auto& word : w)
        if (word.size() == 1 && std::isdigit(static_cast<unsigned char>(word[0]))) rank -= 0.01 * (word[0] - '0');
    return rank;
}

/// The families a GM note tries, in order, and which sound of the family it takes (0 = the
/// first the kit lists, 1 = the second if there is one).
struct NoteRule {
    int note;
    int nth;
    std::initializer_list<Family> families;
};

using F = Family;
const NoteRule kRules[] = {
    {35, 0, {F::kick}},
    {36, 0, {F::kick}},
    {37, 0, {F::sideStick, F::snareRim, F::snare}},
    {38, 0, {F::snare, F::snareRim}},
    {39, 0, {F::clap, F::snare}},
    {40, 1, {F::snare, F::snareRim}},
    {42, 0, {F::hatClosed, F::hatOther, F::hatPedal, F::hatSemiOpen}},
    {44, 0, {F::hatPedal, F::hatClosed, F::hatOther}},
    {46, 0, {F::hatOpen, F::hatSemiOpen, F::hatOther, F::hatClosed}},
    {49, 0, {F::crash, F::crashRide, F::cymbal, F::splash, F::china, F::ride}},
    {51, 0, {F::ride, F::crashRide, F::rideBell, F::cymbal, F::crash}},
    {52, 0, {F::china, F::crash, F::crashRide, F::cymbal}},
    {53, 0, {F::rideBell, F::ride, F::crashRide, F::cowbell}},
    {54, 0, {F::tambourine, F::shaker, F::hatClosed, F::hatOther}},
    {55, 0, {F::splash, F::crash, F::crashRide, F::cymbal}},
    {56, 0, {F::cowbell, F::rideBell}},
    {57, 1, {F::crash, F::crashRide, F::cymbal, F::splash, F::china, F::ride}},
    {59, 1, {F::ride, F::crashRide, F::rideBell, F::cymbal, F::crash}},
    {60, 0, {F::bongo}},
    {61, 1, {F::bongo}},
    {62, 0, {F::conga}},
    {63, 0, {F::conga}},
    {64, 1, {F::conga}},
    {69, 0, {F::shaker, F::tambourine, F::hatClosed, F::hatOther}},
    {70, 0, {F::shaker, F::tambourine, F::hatClosed, F::hatOther}},
    {75, 0, {F::clave, F::woodblock, F::sideStick}},
    {76, 0, {F::woodblock, F::clave}},
    {77, 1, {F::woodblock, F::clave}},
};
constexpr std::array<int, 6> kTomNotes{41, 43, 45, 47, 48, 50};  // low floor … high tom

}  // namespace

DrumkitNoteMap generalMidiDrumMap(const DrumkitFile& kit) {
    DrumkitNoteMap map;
    map.fill(-1);
    std::vector<Family> families;
    for (const auto& sound : kit.sounds) families.push_back(sound.layers.empty() ? Family::none : familyOf(sound.name));
    auto members = [&](Family family) {
        std::vector<int> found;
        for (std::size_t i = 0; i < families.size(); ++i)
            if (families[i] == family) found.push_back(static_cast<int>(i));
        return found;
    };
    for (const NoteRule& rule : kRules) {
        for (Family family : rule.families) {
            const auto found = members(family);
            if (found.empty()) continue;
            map[static_cast<std::size_t>(rule.note)] = found[std::min<std::size_t>(static_cast<std::size_t>(rule.nth), found.size() - 1)];
            break;
        }
    }
    auto toms = members(Family::tom);
    std::stable_sort(toms.begin(), toms.end(), [&](int a, int b) {
        return tomRank(kit.sounds[static_cast<std::size_t>(a)].name) < tomRank(kit.sounds[static_cast<std::size_t>(b)].name);
    });
    if (!toms.empty())
        for (std::size_t i = 0; i < kTomNotes.size(); ++i)
            map[static_cast<std::size_t>(kTomNotes[i])] = toms[i * toms.size() / kTomNotes.size()];
    return map;
}

std::string_view generalMidiDrumName(int note) noexcept {
    static constexpr std::array<std::string_view, 47> kNames{
        "acoustic bass drum", "bass drum", "side stick", "acoustic snare", "hand clap", "electric snare",
        "low floor tom", "closed hi-hat", "high floor tom", "pedal hi-hat", "low tom", "open hi-hat",
        "low-mid tom", "high-mid tom", "crash cymbal 1", "high tom", "ride cymbal 1", "chinese cymbal",
        "ride bell", "tambourine", "splash cymbal", "cowbell", "crash cymbal 2", "vibraslap",
        "ride cymbal 2", "high bongo", "low bongo", "mute high conga", "open high conga", "low conga",
        "high timbale", "low timbale", "high agogo", "low agogo", "cabasa", "maracas",
        "short whistle", "long whistle", "short guiro", "long guiro", "claves", "high wood block",
        "low wood block", "mute cuica", "open cuica", "mute triangle", "open triangle"};
    if (note < 35 || note > 81) return "";
    return kNames[static_cast<std::size_t>(note - 35)];
}

}  // namespace reel::compose
