// Argument checks: turns one syscall's Decision (a first-match list of 32-bit
// word tests) into IR.
#pragma once

#include <optional>
#include <vector>

#include "compiler/ir.hpp"
#include "seccage/bpf.hpp"
#include "seccage/decision.hpp"

namespace seccage::compiler {

// A word test as one BPF comparison: A holds `load`, then `jmp` with `k`.
struct BpfTest {
  Load load;
  std::uint16_t jmp = 0;  // bpf::op::JEQ, JGT, JGE or JSET
  std::uint32_t k = 0;
  bool expect = true;     // the case needs the jump's condition to be this
  friend bool operator==(const BpfTest&, const BpfTest&) = default;
};

// Lowers a word test to a BPF comparison, using JSET where a mask has one bit
// or the value is 0. Returns true/false (as `constant`) instead when the test
// has the same outcome for every word, such as `word > 0xffffffff`.
struct Lowered {
  std::optional<BpfTest> test;
  bool constant = false;  // meaningful when !test: whether the test always passes
};
Lowered lower(const WordTest& test, bool little_endian);

// Builds the IR for a decision. Along each path it remembers which
// comparisons already came out which way, and skips tests whose outcome that
// settles (so a high word that must be 0 is checked once for a group of
// values). When a decision is too tangled for that to stay small, it falls
// back to testing each case in turn, which is always linear in size.
NodeId build_decision(Graph& graph, const Decision& decision, bool little_endian);

}  // namespace seccage::compiler
