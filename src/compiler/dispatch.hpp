// Syscall-number dispatch: ranges of numbers with the same code, and the
// search tree of JGE tests over them.
#pragma once

#include <vector>

#include "compiler/ir.hpp"

namespace seccage::compiler {

struct Range {
  std::uint32_t first = 0;
  std::uint32_t last = 0;  // inclusive
  NodeId code = 0;
  double weight = 0;       // how often numbers in the range are expected
};

// Appends [first, last] -> code, merging with the previous range when both
// run the same code and touch.
void append_range(std::vector<Range>& ranges, Range r);

// Folds a lone number whose neighbours on both sides run the same code into
// one range with that code and an equality test for the number ("if nr == X
// goto ..."): one instruction instead of the two range boundaries it would
// otherwise add. At most `max_exceptions` numbers are folded into one range,
// since each adds a test to every other number of the range.
std::vector<Range> fold_exceptions(Graph& graph, const std::vector<Range>& ranges, std::size_t max_exceptions);

// A search tree over ranges that cover a contiguous span of numbers, with A
// holding nr. Minimises the weighted mean number of tests (an optimal
// alphabetic tree, Knuth's O(n^2) method), where a span that alternates one
// code with at most `max_exceptions` lone numbers may also be handled by
// equality tests; equal weights give a balanced tree.
NodeId search_tree(Graph& graph, const std::vector<Range>& ranges, std::size_t max_exceptions = 0);

}  // namespace seccage::compiler
