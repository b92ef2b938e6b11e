// Decisions: what a policy means for one syscall number on one arch, in the
// form BPF can test. The semantic layer (src/policy/semantics.cpp) turns a
// Policy into decisions; the compiler turns decisions into code; the
// evaluator, `explain` and the differential tests read them. Keeping this one
// representation between the two is what lets the compiler be tested against
// the semantics and the semantics against libseccomp independently.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"
#include "seccage/policy.hpp"

namespace seccage {

// One comparison on a 32-bit half of a syscall argument: the unit BPF tests.
enum class WordOp : std::uint8_t {
  EQ,        // word == value
  GT,        // word > value
  GE,        // word >= value
  MaskedEq,  // (word & mask) == value
};

struct WordTest {
  std::uint8_t arg = 0;   // 0..5
  bool high = false;      // the upper 32 bits of args[arg]
  WordOp op = WordOp::EQ;
  std::uint32_t value = 0;
  std::uint32_t mask = 0xffffffffu;  // MaskedEq only
  bool expect = true;     // the case needs the comparison to come out this way

  // The comparison itself, before `expect` is applied.
  bool compare(std::uint32_t word) const;
  // Whether a syscall with these arguments passes this test.
  bool passes(const std::array<std::uint64_t, 6>& args) const;
  std::string to_string() const;  // "a0.hi == 0", "!(a2.lo & 0x4 == 0x4)"
  friend bool operator==(const WordTest&, const WordTest&) = default;
};

// A conjunction of tests leading to an action.
struct DecisionCase {
  std::vector<WordTest> tests;  // all must pass
  Action action;
  int rule = -1;                // index into Policy::rules it came from, -1 if none
  friend bool operator==(const DecisionCase&, const DecisionCase&) = default;
};

// First matching case wins; `otherwise` when none matches.
struct Decision {
  std::vector<DecisionCase> cases;
  Action otherwise;

  bool depends_on_args() const { return !cases.empty(); }
  // The first case whose tests all pass, or nullptr (then `otherwise`).
  const DecisionCase* matching_case(const std::array<std::uint64_t, 6>& args) const;
  Action evaluate(const std::array<std::uint64_t, 6>& args) const;
  friend bool operator==(const Decision&, const Decision&) = default;
};

// Everything a policy decides on one arch.
struct ArchDecisions {
  Arch arch;
  // Every number of the arch's table, and every number a rule names
  // directly, sorted by number (a flat list: compiling walks it in order).
  std::vector<std::pair<std::uint32_t, Decision>> by_number;
  // Every other number: ENOSYS when the default denies and
  // Policy::enosys_for_unknown is set, else the default action.
  Decision unknown;
  // The listed decision for `nr`, or nullptr when it is not listed.
  const Decision* find(std::uint32_t nr) const;
  const Decision& at(std::uint32_t nr) const;
};

// The semantic layer (docs/semantics.md). Throws InputError for an invalid
// policy (see validate()).
ArchDecisions decide(const Policy& policy, Arch arch);

}  // namespace seccage
