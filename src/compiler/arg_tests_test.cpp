// Unit tests of the argument checks (arg_tests.cpp): lowering one word test
// to one BPF comparison, and building a decision's IR with path knowledge.
// Expected IR is built by hand in the same Graph (hash-consing makes equal
// sub-programs equal ids); the reasoning is in the comments.
#include "compiler/arg_tests.hpp"

#include <gtest/gtest.h>

#include <random>

#include "compiler/codegen.hpp"
#include "support/ir_eval.hpp"

namespace seccage::compiler {
namespace {

namespace op = bpf::op;
using Args = std::array<std::uint64_t, 6>;

WordTest word(std::uint8_t arg, bool high, WordOp o, std::uint32_t value, bool expect = true,
              std::uint32_t mask = 0xffffffffu) {
  WordTest t;
  t.arg = arg;
  t.high = high;
  t.op = o;
  t.value = value;
  t.mask = mask;
  t.expect = expect;
  return t;
}

BpfTest bpf_test(std::uint32_t offset, std::uint16_t jmp, std::uint32_t k, bool expect, std::uint32_t mask = 0xffffffffu) {
  return BpfTest{Load{offset, mask}, jmp, k, expect};
}

// ---- lower -------------------------------------------------------------------

TEST(ArgTestsLower, WordsLieWhereTheirEndiannessPutsThem) {
  // args[2]: low word at 16 + 16 on little-endian, high word 4 later;
  // big-endian the other way round.
  EXPECT_EQ(lower(word(2, false, WordOp::EQ, 7), true).test, bpf_test(32, op::JEQ, 7, true));
  EXPECT_EQ(lower(word(2, true, WordOp::EQ, 7), true).test, bpf_test(36, op::JEQ, 7, true));
  EXPECT_EQ(lower(word(2, false, WordOp::EQ, 7), false).test, bpf_test(36, op::JEQ, 7, true));
  EXPECT_EQ(lower(word(2, true, WordOp::EQ, 7, false), false).test, bpf_test(32, op::JEQ, 7, false));
}

TEST(ArgTestsLower, OrderedComparisonsMapToJgtAndJge) {
  EXPECT_EQ(lower(word(0, false, WordOp::GT, 5), true).test, bpf_test(16, op::JGT, 5, true));
  EXPECT_EQ(lower(word(0, false, WordOp::GE, 5, false), true).test, bpf_test(16, op::JGE, 5, false));
}

TEST(ArgTestsLower, ComparisonsWithOneOutcomeBecomeConstants) {
  // word > 0xffffffff never holds; word >= 0 always does; `expect` flips it.
  Lowered l = lower(word(0, false, WordOp::GT, 0xffffffffu), true);
  EXPECT_FALSE(l.test.has_value());
  EXPECT_FALSE(l.constant);
  l = lower(word(0, false, WordOp::GT, 0xffffffffu, false), true);
  EXPECT_FALSE(l.test.has_value());
  EXPECT_TRUE(l.constant);
  l = lower(word(0, false, WordOp::GE, 0), true);
  EXPECT_FALSE(l.test.has_value());
  EXPECT_TRUE(l.constant);
  // A value with bits outside the mask can never match; an empty mask always does.
  l = lower(word(0, false, WordOp::MaskedEq, 0x01, true, 0xf0), true);
  EXPECT_FALSE(l.test.has_value());
  EXPECT_FALSE(l.constant);
  l = lower(word(0, false, WordOp::MaskedEq, 0, true, 0), true);
  EXPECT_FALSE(l.test.has_value());
  EXPECT_TRUE(l.constant);
}

TEST(ArgTestsLower, MaskedEqualityUsesJsetWhenItCan) {
  // (w & 0x4) == 0x4: the one bit set -> JSET 0x4.
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 0x4, true, 0x4), true).test, bpf_test(16, op::JSET, 0x4, true));
  // (w & 0xff) == 0: no masked bit set -> JSET 0xff must fail.
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 0, true, 0xff), true).test, bpf_test(16, op::JSET, 0xff, false));
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 0, false, 0xff), true).test, bpf_test(16, op::JSET, 0xff, true));
  // A full mask is plain equality.
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 9, true, 0xffffffffu), true).test, bpf_test(16, op::JEQ, 9, true));
  // Otherwise: load, AND, JEQ.
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 0x10, true, 0xf0), true).test,
            bpf_test(16, op::JEQ, 0x10, true, 0xf0));
  // Several bits all set is not one JSET (JSET holds when any is set).
  EXPECT_EQ(lower(word(0, false, WordOp::MaskedEq, 0x3, true, 0x3), true).test, bpf_test(16, op::JEQ, 0x3, true, 0x3));
}

// ---- build_decision ----------------------------------------------------------

const Action kErr1 = Action::errno_(1), kErr2 = Action::errno_(2);

TEST(ArgTestsBuild, NoCaseIsOneReturn) {
  Graph g;
  EXPECT_EQ(build_decision(g, Decision{{}, Action::allow()}, true), g.ret(Action::allow().to_ret()));
}

TEST(ArgTestsBuild, TrailingCasesWithTheFallbackActionAreDropped) {
  Graph g;
  const Decision d{{DecisionCase{{word(0, false, WordOp::EQ, 1)}, Action::allow(), 0}}, Action::allow()};
  EXPECT_EQ(build_decision(g, d, true), g.ret(Action::allow().to_ret()));
}

TEST(ArgTestsBuild, SettledHighWordIsTestedOnce) {
  // a0 == 1 -> ERRNO(1), a0 == 2 -> ERRNO(2), else ALLOW, as word tests:
  // [hi == 0, lo == 1], [hi == 0, lo == 2]. After hi == 0 passed, the second
  // case's hi test is known to pass; after it failed, to fail. So:
  //   hi == 0 ? (lo == 1 ? E1 : (lo == 2 ? E2 : ALLOW)) : ALLOW
  Graph g;
  const Decision d{{DecisionCase{{word(0, true, WordOp::EQ, 0), word(0, false, WordOp::EQ, 1)}, kErr1, 0},
                    DecisionCase{{word(0, true, WordOp::EQ, 0), word(0, false, WordOp::EQ, 2)}, kErr2, 1}},
                   Action::allow()};
  const NodeId built = build_decision(g, d, true);
  const NodeId allow = g.ret(Action::allow().to_ret());
  const NodeId lo2 = g.test(Load{16}, op::JEQ, 2, g.ret(kErr2.to_ret()), allow);
  const NodeId lo1 = g.test(Load{16}, op::JEQ, 1, g.ret(kErr1.to_ret()), lo2);
  EXPECT_EQ(built, g.test(Load{20}, op::JEQ, 0, lo1, allow));
}

TEST(ArgTestsBuild, IntervalKnowledgeSettlesOrderedTests) {
  // lo >= 5 -> E1, lo >= 10 -> E2: where lo >= 5 failed, lo <= 4, so
  // lo >= 10 fails too and the second case disappears.
  Graph g;
  const Decision d{{DecisionCase{{word(0, false, WordOp::GE, 5)}, kErr1, 0},
                    DecisionCase{{word(0, false, WordOp::GE, 10)}, kErr2, 1}},
                   Action::allow()};
  EXPECT_EQ(build_decision(g, d, true),
            g.test(Load{16}, op::JGE, 5, g.ret(kErr1.to_ret()), g.ret(Action::allow().to_ret())));
}

TEST(ArgTestsBuild, CaseAfterAnUnconditionalOneIsUnreachable) {
  // The first case's only test is always true (GE 0): nothing after it counts.
  Graph g;
  const Decision d{{DecisionCase{{word(0, false, WordOp::GE, 0)}, kErr1, 0},
                    DecisionCase{{word(1, false, WordOp::EQ, 3)}, kErr2, 1}},
                   Action::allow()};
  EXPECT_EQ(build_decision(g, d, true), g.ret(kErr1.to_ret()));
}

// Property: random decisions, built and laid out as BPF, return what the
// decision's first-match semantics say (Decision::evaluate), on both byte
// orders, for argument vectors near the decisions' operands.
TEST(ArgTestsBuild, ProgramDecidesAsTheDecision) {
  std::mt19937_64 rng(2);
  const std::vector<std::uint32_t> values{0, 1, 2, 3, 0x7fffffff, 0x80000000u, 0xfffffffe, 0xffffffffu};
  const std::vector<std::uint32_t> masks{0x1, 0x3, 0xff, 0xffffffffu, 0x80000000u, 0};
  const std::vector<WordOp> ops{WordOp::EQ, WordOp::GT, WordOp::GE, WordOp::MaskedEq};
  const std::vector<Action> actions{Action::allow(), kErr1, kErr2, Action::kill_process(), Action::log()};
  auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
  for (int round = 0; round < 400; ++round) {
    Decision d;
    d.otherwise = pick(actions);
    const int cases = 1 + static_cast<int>(rng() % (round < 380 ? 6 : 40));
    for (int c = 0; c < cases; ++c) {
      DecisionCase dc;
      dc.action = pick(actions);
      const int tests = 1 + static_cast<int>(rng() % 4);
      for (int t = 0; t < tests; ++t)
        dc.tests.push_back(word(static_cast<std::uint8_t>(rng() % 3), rng() % 2 == 0, pick(ops), pick(values),
                                rng() % 3 != 0, pick(masks)));
      for (WordTest& w : dc.tests) {
        if (w.op != WordOp::MaskedEq) w.mask = 0xffffffffu;
      }
      d.cases.push_back(dc);
    }
    const bool little_endian = round % 2 == 0;
    Graph g;
    const NodeId root = build_decision(g, d, little_endian);
    const bpf::Program p = generate(g, root);
    ASSERT_FALSE(bpf::verify(p).has_value()) << "round " << round;
    for (int probe = 0; probe < 60; ++probe) {
      Args a{};
      for (std::size_t i = 0; i < 3; ++i)
        a[i] = (std::uint64_t{pick(values)} << 32) | (pick(values) + static_cast<std::uint32_t>(rng() % 2));
      bpf::SeccompData data;
      data.args = a;
      ASSERT_EQ(Action::from_ret(bpf::emulate(p, data, little_endian).ret), d.evaluate(a)) << "round " << round;
      ASSERT_EQ(Action::from_ret(test::run_graph(g, root, data, little_endian)), d.evaluate(a)) << "round " << round;
    }
  }
}

}  // namespace
}  // namespace seccage::compiler
