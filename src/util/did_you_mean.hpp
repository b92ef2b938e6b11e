// "Did you mean ...?" suggestions for misspelt names: syscalls, arches,
// actions, operators. Shared so every error message suggests the same way.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace seccage {

// Optimal-string-alignment distance (Levenshtein plus transposition of two
// adjacent characters, the commonest typo), compared ASCII-case-insensitively.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or nullopt when none is close enough to be
// a plausible typo: the distance may be at most a third of the word's length
// (at least 1), so short words are not "corrected" into unrelated ones.
// Ties go to the candidate whose length is closest to the word's, then to the
// alphabetically first, so the answer never depends on the candidates' order.
std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates);

}  // namespace seccage
