#include "util/did_you_mean.hpp"

#include <algorithm>
#include <tuple>
#include <vector>

namespace seccage {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t length_gap(std::string_view a, std::string_view b) {
  return a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows (i-2, i-1, i) are enough for the transposition case.
  const std::size_t m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::optional<std::string_view> best;
  std::tuple<std::size_t, std::size_t, std::string_view> best_key{};
  for (std::string_view cand : candidates) {
    // Cheap lower bound: the distance is at least the length difference.
    if (length_gap(word, cand) > limit) continue;
    const std::size_t d = edit_distance(word, cand);
    if (d > limit) continue;
    const auto key = std::make_tuple(d, length_gap(word, cand), cand);
    if (!best || key < best_key) {
      best = cand;
      best_key = key;
    }
  }
  if (!best) return std::nullopt;
  return std::string(*best);
}

}  // namespace seccage
