#include "util/did_you_mean.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace seccage {
namespace {

using namespace std::string_view_literals;

TEST(DidYouMean, EditDistanceBasics) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("opnat", "openat"), 1u);   // deletion
  EXPECT_EQ(edit_distance("openatt", "openat"), 1u); // insertion
  EXPECT_EQ(edit_distance("opemat", "openat"), 1u);  // substitution
  EXPECT_EQ(edit_distance("oepnat", "openat"), 1u);  // adjacent transposition counts once
  EXPECT_EQ(edit_distance("OpenAt", "openat"), 0u);  // case-insensitive
}

TEST(DidYouMean, DistanceIsSymmetric) {
  const std::array words{"read"sv, "readv"sv, "pread64"sv, "rename"sv, "renameat2"sv, ""sv, "x"sv};
  for (auto a : words)
    for (auto b : words) EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " / " << b;
}

// Plain Levenshtein by full matrix, as an independent reference for inputs
// without adjacent transpositions (where both distances coincide).
std::size_t reference_levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
  return d[a.size()][b.size()];
}

TEST(DidYouMean, MatchesLevenshteinWhenNoTranspositionHelps) {
  // Over an alphabet of distinct letters in increasing order no adjacent
  // swap can help, so the two distances must agree.
  const std::array words{"abc"sv, "abd"sv, "acd"sv, "bcd"sv, "abcd"sv, "ab"sv, "a"sv, ""sv, "abcde"sv, "bde"sv};
  for (auto a : words)
    for (auto b : words) EXPECT_EQ(edit_distance(a, b), reference_levenshtein(a, b)) << a << " / " << b;
}

TEST(DidYouMean, SuggestsClosest) {
  const std::array cands{"open"sv, "openat"sv, "openat2"sv, "close"sv};
  EXPECT_EQ(did_you_mean("opnat", cands), "openat");
  EXPECT_EQ(did_you_mean("openta", cands), "openat");
  EXPECT_EQ(did_you_mean("clsoe", cands), "close");
}

TEST(DidYouMean, RefusesFarWords) {
  const std::array cands{"open"sv, "openat"sv, "close"sv};
  EXPECT_EQ(did_you_mean("xyzzy", cands), std::nullopt);
  EXPECT_EQ(did_you_mean("", cands), std::nullopt);
  EXPECT_EQ(did_you_mean("opnat", std::span<const std::string_view>{}), std::nullopt);
  // A 2-letter word may be off by one at most: "ab" -> "open" is far.
  EXPECT_EQ(did_you_mean("ab", cands), std::nullopt);
}

TEST(DidYouMean, ThresholdGrowsWithLength) {
  const std::array cands{"rt_sigaction"sv};
  // 12 letters: up to 4 edits accepted, 5 refused.
  EXPECT_EQ(did_you_mean("rt_sigxxxion", cands), "rt_sigaction");  // 3 substitutions
  EXPECT_EQ(did_you_mean("rt_xxxxction", cands), "rt_sigaction");  // 4 substitutions
  EXPECT_EQ(did_you_mean("rt_sxxxxxion", cands), std::nullopt);    // 5 substitutions
}

TEST(DidYouMean, TieBreakIsIndependentOfOrder) {
  // "sat" is one edit from "set" and from "sit"; equal length: alphabetical wins.
  std::vector<std::string_view> cands{"sit"sv, "set"sv, "seat"sv};
  const auto first = did_you_mean("sat", cands);
  EXPECT_EQ(first, "set");
  std::reverse(cands.begin(), cands.end());
  EXPECT_EQ(did_you_mean("sat", cands), first);
  std::rotate(cands.begin(), cands.begin() + 1, cands.end());
  EXPECT_EQ(did_you_mean("sat", cands), first);
}

TEST(DidYouMean, TiePrefersCloserLength) {
  // "reed" is one edit from "reid" (same length) and from "reeds"; the
  // same-length candidate wins although it sorts later.
  const std::array cands{"reeds"sv, "reid"sv};
  EXPECT_EQ(did_you_mean("reed", cands), "reid");
}

}  // namespace
}  // namespace seccage
