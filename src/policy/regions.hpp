// Sets of argument values, for the text language's "later statements win"
// rule. A conditional statement on a syscall that already has an action only
// takes over where its condition holds; everywhere else the earlier action
// stays. libseccomp (and so the Policy model) has no such ordering: when rules
// on one syscall overlap, its tree decides. So the text compiler turns each
// statement's share into rules that never overlap: statement k keeps
// cond_k AND NOT (cond_k+1 OR ... OR cond_n). This file is the boolean algebra
// that needs: regions are unions of conjunctions, each argument constrained by
// one term that a single seccomp comparison can test.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

#include "seccage/policy.hpp"

namespace seccage::regions {

// A set of 64-bit values one comparison can test.
struct Term {
  enum class Kind : std::uint8_t { Range, NotEq, Cube };
  Kind kind = Kind::Range;
  std::uint64_t a = 0;  // Range: low bound; NotEq: the value; Cube: the mask
  std::uint64_t b = 0;  // Range: high bound (inclusive); Cube: value (within mask)
  // For a Range open at one end, whether it was written with < or > (true) or
  // <= or >= (false), so rules read back as they were written.
  bool strict = false;

  bool contains(std::uint64_t v) const;
  friend bool operator==(const Term&, const Term&) = default;
};

// One term per argument; nullopt = any value.
using Conj = std::array<std::optional<Term>, 6>;
// A union of conjunctions; empty = nothing.
using Region = std::vector<Conj>;

// Thrown when a region would need more rules than is reasonable to emit.
struct RegionTooComplex : std::runtime_error {
  using std::runtime_error::runtime_error;
};
inline constexpr std::size_t kMaxRegionSize = 4096;

Region any_region();
// The values a condition accepts (one conjunction, or nothing when it can
// never hold, like `arg0 < 0`).
Region region_of(const Condition& c);
Region intersect(const Region& x, const Region& y);
Region complement(const Region& r);
Region unite(Region x, const Region& y);
bool contains(const Region& r, const std::array<std::uint64_t, 6>& args);
// Drops conjunctions that another one already covers (the same set, fewer
// rules). Conservative: only clear-cut inclusions are detected.
Region simplify(const Region& r);

// Rules' condition lists covering the region exactly: one list per
// alternative, each with at most one condition per argument (the model's
// limit); a range bounded on both sides becomes aligned masked tests.
std::vector<std::vector<Condition>> to_conditions(const Region& r);

}  // namespace seccage::regions
