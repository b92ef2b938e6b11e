// Every path of a seccomp filter for one call: the arch and syscall number
// fixed, the argument words unknown. Each test of a word splits the path and
// adds to what the path knows about the word; a path ends at its return.
// What lift_filter reads a filter back from (src/analysis/lift.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage::lift_detail {

inline constexpr std::uint32_t kFull = 0xffffffffu;
// The 32-bit words of seccomp_data after nr and arch, by (offset - 8) / 4:
// the instruction pointer's two, then the arguments' twelve.
inline constexpr std::size_t kWords = 14;
inline std::size_t word_of(std::uint32_t offset) { return (offset - bpf::kOffIp) / 4; }

// What one path has learnt about a word: an interval, values it is not, and
// masked equalities and inequalities ((word & mask) ==/!= value).
struct WordFacts {
  std::uint32_t min = 0, max = kFull;
  std::vector<std::uint32_t> not_equal;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> masked_eq, masked_ne;

  bool known() const { return min != 0 || max != kFull || !not_equal.empty() || !masked_eq.empty() || !masked_ne.empty(); }
  bool allows(std::uint32_t v) const {
    if (v < min || v > max) return false;
    for (std::uint32_t n : not_equal)
      if (v == n) return false;
    for (auto [m, k] : masked_eq)
      if ((v & m) != k) return false;
    for (auto [m, k] : masked_ne)
      if ((v & m) == k) return false;
    return true;
  }
  // Whether some value could still take this path. Exact for the common
  // cases (a point, contradicting masks); a dead path that slips through
  // becomes a rule nothing matches, which changes no decision.
  bool feasible() const {
    if (min > max) return false;
    if (min == max) return allows(min);
    for (std::size_t i = 0; i < masked_eq.size(); ++i) {
      for (std::size_t j = i + 1; j < masked_eq.size(); ++j) {
        const auto [m1, k1] = masked_eq[i];
        const auto [m2, k2] = masked_eq[j];
        if (((k1 ^ k2) & m1 & m2) != 0) return false;
      }
      for (auto ne : masked_ne)
        if (ne == masked_eq[i]) return false;
    }
    return true;
  }
};

struct Facts {
  std::array<WordFacts, kWords> words;
};

struct Case {
  Facts facts;
  Action action;
};

// The paths of a stack of filters (newest first, one or more) for a call
// numbered `nr` of `arch` (nullptr: an arch the filters do not know,
// AUDIT_ARCH value 0). A path runs each filter in turn, as the kernel does,
// and ends with the most severe action they return (on a tie, the newer
// filter's). Throws InputError, naming the instruction, for what a policy
// cannot say: arithmetic other than a mask on an argument, a comparison of
// two words, a test of the instruction pointer, an order comparison of a
// masked argument, or more than 4096 paths.
std::vector<Case> program_paths(std::span<const bpf::Program> stack, const ArchInfo* arch, std::uint32_t nr);

}  // namespace seccage::lift_detail
