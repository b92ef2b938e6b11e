// Unit tests of the syscall-number dispatch (dispatch.cpp): range merging,
// folding lone numbers into equality tests, and the weighted search tree.
// Expected graphs are built by hand in the same Graph: nodes are hash-consed,
// so "the same node id" means "exactly this sub-program".
#include "compiler/dispatch.hpp"

#include <gtest/gtest.h>

#include <random>

#include "seccage/bpf.hpp"
#include "support/ir_eval.hpp"

namespace seccage::compiler {
namespace {

namespace op = bpf::op;
const Load kNr{bpf::kOffNr};

std::uint32_t run_nr(const Graph& g, NodeId root, std::uint32_t nr) {
  bpf::SeccompData d;
  d.nr = static_cast<std::int32_t>(nr);
  return test::run_graph(g, root, d);
}

TEST(DispatchAppendRange, MergesTouchingRangesWithTheSameCode) {
  Graph g;
  const NodeId a = g.ret(1), b = g.ret(2);
  std::vector<Range> r;
  append_range(r, {0, 4, a, 1.0});
  append_range(r, {5, 9, a, 2.0});  // touches, same code: merged, weights add
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, 0u);
  EXPECT_EQ(r[0].last, 9u);
  EXPECT_DOUBLE_EQ(r[0].weight, 3.0);
  append_range(r, {10, 12, b, 1.0});  // another code
  append_range(r, {14, 20, b, 1.0});  // a gap at 13
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].first, 10u);
  EXPECT_EQ(r[2].first, 14u);
}

TEST(DispatchFoldExceptions, LoneNumberBetweenTwoRunsOfOneCodeBecomesAnEqualityTest) {
  Graph g;
  const NodeId allow = g.ret(0x7fff0000u), deny = g.ret(0x00050001u);
  const std::vector<Range> in{{0, 9, allow, 10}, {10, 10, deny, 1}, {11, 20, allow, 10}};
  const std::vector<Range> out = fold_exceptions(g, in, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 0u);
  EXPECT_EQ(out[0].last, 20u);
  EXPECT_DOUBLE_EQ(out[0].weight, 21.0);
  EXPECT_EQ(out[0].code, g.test(kNr, op::JEQ, 10, deny, allow));
  // With no exception allowed, nothing changes.
  const std::vector<Range> same = fold_exceptions(g, in, 0);
  ASSERT_EQ(same.size(), 3u);
  EXPECT_EQ(same[1].code, deny);
}

TEST(DispatchFoldExceptions, OnlyLoneNumbersFoldAndTheHeaviestIsTestedFirst) {
  Graph g;
  const NodeId a = g.ret(1), b = g.ret(2), c = g.ret(3);
  // Two lone exceptions, C heavier than B: C's test comes first.
  const std::vector<Range> two{{0, 9, a, 1}, {10, 10, b, 1}, {11, 19, a, 1}, {20, 20, c, 5}, {21, 30, a, 1}};
  const std::vector<Range> out = fold_exceptions(g, two, 2);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].code, g.test(kNr, op::JEQ, 20, c, g.test(kNr, op::JEQ, 10, b, a)));
  // A run of two numbers is not an exception.
  const std::vector<Range> wide{{0, 9, a, 1}, {10, 11, b, 1}, {12, 19, a, 1}};
  EXPECT_EQ(fold_exceptions(g, wide, 2).size(), 3u);
}

TEST(DispatchSearchTree, TwoRangesAreOneJge) {
  Graph g;
  const NodeId a = g.ret(1), b = g.ret(2);
  EXPECT_EQ(search_tree(g, {{0, 9, a, 1}, {10, 19, b, 1}}), g.test(kNr, op::JGE, 10, b, a));
  EXPECT_EQ(search_tree(g, {{0, 9, a, 1}}), a);
}

TEST(DispatchSearchTree, HeavyRangeSitsNearerTheRoot) {
  // A weighs 100, B and C 1. Splitting at 10 costs 102 + 2 (B and C test
  // again), at 20 costs 102 + 101: the root splits A off.
  Graph g;
  const NodeId a = g.ret(1), b = g.ret(2), c = g.ret(3);
  const NodeId root = search_tree(g, {{0, 9, a, 100}, {10, 19, b, 1}, {20, 29, c, 1}});
  EXPECT_EQ(root, g.test(kNr, op::JGE, 10, g.test(kNr, op::JGE, 20, c, b), a));
}

TEST(DispatchSearchTree, AlternatingSpanBecomesAnEqualityLeafWhenCheaper) {
  // A(10) B(0.1) A(10): as a leaf "nr == 10 ? B : A" every number pays one
  // test (24.1 with the instruction cost); two JGE splits cost 38.2.
  Graph g;
  const NodeId a = g.ret(1), b = g.ret(2);
  const std::vector<Range> r{{0, 9, a, 10}, {10, 10, b, 0.1}, {11, 20, a, 10}};
  EXPECT_EQ(search_tree(g, r, 1), g.test(kNr, op::JEQ, 10, b, a));
  // Without equality leaves: two boundaries.
  const NodeId split = search_tree(g, r, 0);
  EXPECT_NE(split, g.test(kNr, op::JEQ, 10, b, a));
  EXPECT_EQ(g[split].jmp, op::JGE);
}

// Property: for random range lists, every number of the span reaches the
// code of its range, with and without equality leaves, and past the
// optimal-tree limit (the halving fallback).
TEST(DispatchSearchTree, EveryNumberReachesItsRangesCode) {
  std::mt19937_64 rng(6);
  for (int round = 0; round < 60; ++round) {
    Graph g;
    std::vector<NodeId> codes;
    for (std::uint32_t v = 0; v < 4; ++v) codes.push_back(g.ret(v));
    const int count = round < 55 ? 1 + static_cast<int>(rng() % 40) : 1600;
    std::vector<Range> ranges;
    std::uint32_t next = static_cast<std::uint32_t>(rng() % 5);
    for (int i = 0; i < count; ++i) {
      const std::uint32_t len = (rng() % 3 == 0) ? 1 : 1 + static_cast<std::uint32_t>(rng() % 6);
      NodeId code = codes[rng() % codes.size()];
      if (!ranges.empty() && ranges.back().code == code) code = codes[(code + 1) % codes.size()];
      ranges.push_back({next, next + len - 1, code, 0.1 + static_cast<double>(rng() % 50)});
      next += len;
    }
    const std::size_t max_exceptions = static_cast<std::size_t>(round % 3);
    const NodeId root = search_tree(g, ranges, max_exceptions);
    for (const Range& r : ranges) {
      for (std::uint32_t nr = r.first; nr <= r.last; ++nr)
        ASSERT_EQ(run_nr(g, root, nr), g[r.code].ret) << "round " << round << " nr " << nr;
    }
  }
}

}  // namespace
}  // namespace seccage::compiler
