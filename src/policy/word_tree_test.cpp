// Unit tests of the libseccomp 2.5.4 rule-tree replay (word_tree.cpp), one
// libseccomp function at a time. Expected trees come from reading the
// algorithm (and, where stated, from docs/semantics.md's examples, which the
// differential test checks against libseccomp itself); the PFC snippets
// quoted are what seccomp_export_pfc prints for the same rules, the tree in
// libseccomp's own words.
#include "policy/word_tree.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <algorithm>
#include <random>

namespace seccage::detail {
namespace {

constexpr std::uint32_t kAllow = 0x7fff0000u;
constexpr std::uint32_t kKill = 0x80000000u;
constexpr std::uint32_t errno_ret(std::uint16_t e) { return 0x00050000u | e; }
constexpr std::int64_t kNr = 16;  // any number of the dense table
const Action kDefault = Action::kill_process();

using Args = std::array<std::uint64_t, 6>;

ArgCheck check(CmpOp op, std::uint64_t value, std::uint64_t mask = ~std::uint64_t{0}) {
  ArgCheck c;
  c.valid = true;
  c.op = op;
  c.value = value;
  c.mask = mask;
  return c;
}

WordRule rule(std::uint32_t ret, int index, std::initializer_list<std::pair<int, ArgCheck>> checks,
              std::int64_t nr = kNr) {
  WordRule r;
  r.nr = nr;
  r.ret = ret;
  r.rule = index;
  for (const auto& [arg, c] : checks) r.args[static_cast<std::size_t>(arg)] = c;
  return r;
}

WordTest word(std::uint8_t arg, bool high, WordOp op, std::uint32_t value, bool expect,
              std::uint32_t mask = 0xffffffffu) {
  WordTest t;
  t.arg = arg;
  t.high = high;
  t.op = op;
  t.value = value;
  t.mask = mask;
  t.expect = expect;
  return t;
}

WordTree wide() { return WordTree(false, 0, 400); }
WordTree narrow() { return WordTree(true, 0, 400); }

// ---- _db_rule_gen_64 / _db_rule_gen_32 (WordTree::generate) ---------------

TEST(WordTreeGenerate, EqualityIsHighWordThenLowWord_DbRuleGen64) {
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 0x100000002ull)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 1u);
  EXPECT_EQ(d.cases[0].tests,
            (std::vector<WordTest>{word(0, true, WordOp::EQ, 1, true), word(0, false, WordOp::EQ, 2, true)}));
  EXPECT_EQ(d.cases[0].action, Action::errno_(1));
  EXPECT_EQ(d.cases[0].rule, 0);
  EXPECT_EQ(d.otherwise, kDefault);
}

TEST(WordTreeGenerate, NotEqualTakesTheFalseBranchOfBothWords_DbRuleGen64) {
  // arg0 != 5: "hi == 0 and lo == 5" is the one way to fail it.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::NE, 5)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  EXPECT_EQ(d.cases[0].tests,
            (std::vector<WordTest>{word(0, true, WordOp::EQ, 0, true), word(0, false, WordOp::EQ, 5, false)}));
  EXPECT_EQ(d.cases[1].tests, (std::vector<WordTest>{word(0, true, WordOp::EQ, 0, false)}));
}

TEST(WordTreeGenerate, GreaterThanDecidesOnTheHighWordFirst_DbRuleGen64) {
  // arg1 > 0x100000005; libseccomp prints:
  //   if ($a1.hi32 > 1) action; else if ($a1.hi32 == 1) if ($a1.lo32 > 5) action;
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(5), 0, {{1, check(CmpOp::GT, 0x100000005ull)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  EXPECT_EQ(d.cases[0].tests, (std::vector<WordTest>{word(1, true, WordOp::GT, 1, true)}));
  EXPECT_EQ(d.cases[1].tests,
            (std::vector<WordTest>{word(1, true, WordOp::GT, 1, false), word(1, true, WordOp::EQ, 1, true),
                                   word(1, false, WordOp::GT, 5, true)}));
}

TEST(WordTreeGenerate, LessThanIsTheFalseSideOfGreaterOrEqual_DbRuleGen64) {
  // arg3 < 3; libseccomp prints:
  //   if ($a3.hi32 > 0) else if ($a3.hi32 == 0) { if ($a3.lo32 >= 3) else action } else action
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(kAllow, 0, {{3, check(CmpOp::LT, 3)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  EXPECT_EQ(d.cases[0].tests,
            (std::vector<WordTest>{word(3, true, WordOp::GT, 0, false), word(3, true, WordOp::EQ, 0, true),
                                   word(3, false, WordOp::GE, 3, false)}));
  EXPECT_EQ(d.cases[1].tests,
            (std::vector<WordTest>{word(3, true, WordOp::GT, 0, false), word(3, true, WordOp::EQ, 0, false)}));
  EXPECT_EQ(d.evaluate(Args{0, 0, 0, 2}), Action::allow());
  EXPECT_EQ(d.evaluate(Args{0, 0, 0, 3}), kDefault);
  EXPECT_EQ(d.evaluate(Args{0, 0, 0, 0x100000000ull}), kDefault);
}

TEST(WordTreeGenerate, NarrowArchesTestTheLowWordOnly_DbRuleGen32) {
  // arg0 != 5 on a 32-bit ABI: one node, its false branch.
  WordTree t = narrow();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::NE, 0x700000005ull)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 1u);
  EXPECT_EQ(d.cases[0].tests, (std::vector<WordTest>{word(0, false, WordOp::EQ, 5, false)}));
}

TEST(WordTreeGenerate, MaskedEqualityMasksTheOperandAndSkipsAnEmptyMask_DbRuleGen64) {
  WordTree t = wide();
  // (arg2 & 0xf0) == 0x1f: libseccomp stores the operand masked (0x10).
  ASSERT_EQ(t.add(rule(errno_ret(6), 0, {{2, check(CmpOp::MaskedEq, 0x1f, 0xf0)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 1u);
  EXPECT_EQ(d.cases[0].tests, (std::vector<WordTest>{word(2, true, WordOp::MaskedEq, 0, true, 0),
                                                     word(2, false, WordOp::MaskedEq, 0x10, true, 0xf0)}));
  // A mask without bits is always true: the rule has no test left and acts
  // as an unconditional one.
  WordTree u = wide();
  ASSERT_EQ(u.add(rule(errno_ret(7), 0, {{2, check(CmpOp::MaskedEq, 0, 0)}})), 0);
  const Decision du = u.decision(kNr, kDefault);
  EXPECT_TRUE(du.cases.empty());
  EXPECT_EQ(du.otherwise, Action::errno_(7));
}

// ---- db_rule_add: unconditional rules ----------------------------------------

TEST(WordTreeAdd, UnconditionalRuleOverridesConditionalOnesInEitherOrder_DbRuleAdd) {
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}})), 0);
  ASSERT_EQ(t.add(rule(kAllow, 1, {})), 0);
  Decision d = t.decision(kNr, kDefault);
  EXPECT_TRUE(d.cases.empty());
  EXPECT_EQ(d.otherwise, Action::allow());

  WordTree u = wide();
  u.add_unconditional(kNr, kAllow, 0);
  ASSERT_EQ(u.add(rule(errno_ret(1), 1, {{0, check(CmpOp::EQ, 1)}})), 0);
  d = u.decision(kNr, kDefault);
  EXPECT_TRUE(d.cases.empty());
  EXPECT_EQ(d.otherwise, Action::allow());
}

TEST(WordTreeAdd, FirstUnconditionalRuleStays_DbRuleAdd) {
  WordTree t = wide();
  t.add_unconditional(kNr, kAllow, 0);
  t.add_unconditional(kNr, errno_ret(2), 1);
  const Decision d = t.decision(kNr, kDefault);
  EXPECT_EQ(d.otherwise, Action::allow());
  EXPECT_TRUE(t.has(kNr));
  EXPECT_FALSE(t.has(kNr + 1));
}

TEST(WordTreeAdd, NumbersOutsideTheDenseTableWorkTheSame) {
  // Pseudo numbers and raw numbers past the table live in the sparse map.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(3), 0, {{0, check(CmpOp::EQ, 9)}}, -10101)), 0);
  t.add_unconditional(5000, kAllow, 1);
  EXPECT_TRUE(t.has(-10101));
  EXPECT_TRUE(t.has(5000));
  EXPECT_EQ(t.decision(-10101, kDefault).evaluate(Args{9}), Action::errno_(3));
  EXPECT_EQ(t.decision(5000, kDefault).otherwise, Action::allow());
  EXPECT_EQ(t.decision(5001, kDefault).otherwise, kDefault);
}

// ---- _db_chain_lt: the order of a level ---------------------------------------

TEST(WordTreeLevelOrder, LaterArgumentsComeFirstWhateverTheRuleOrder_DbChainLt) {
  // Two rules on different arguments share the top level, ordered by
  // argument, highest first: for (1, 2) the rule on arg1 wins although it
  // was added second (docs/semantics.md, "Precedence").
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}})), 0);
  ASSERT_EQ(t.add(rule(errno_ret(2), 1, {{1, check(CmpOp::EQ, 2)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  EXPECT_EQ(d.cases[0].rule, 1);
  EXPECT_EQ(d.cases[1].rule, 0);
  EXPECT_EQ(d.evaluate(Args{1, 2}), Action::errno_(2));
  EXPECT_EQ(d.evaluate(Args{1, 3}), Action::errno_(1));
}

TEST(WordTreeLevelOrder, LargerOperandFirstForEqualityOnOneWord_DbChainLt) {
  WordTree t = narrow();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 9)}})), 0);
  ASSERT_EQ(t.add(rule(errno_ret(2), 1, {{0, check(CmpOp::EQ, 4)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  // _db_tree_add inserts a node before the first one that is "less" than it
  // (_db_chain_lt: smaller operand); 9 is not less than 4, so 4 goes after.
  EXPECT_EQ(d.cases[0].tests, (std::vector<WordTest>{word(0, false, WordOp::EQ, 9, true)}));
  EXPECT_EQ(d.cases[1].tests, (std::vector<WordTest>{word(0, false, WordOp::EQ, 4, true)}));
}

// ---- _db_tree_add / _db_tree_prune: merging and refusing ----------------------

TEST(WordTreeMerge, SameComparisonsWithAnotherActionAreRefused_DbTreeAdd) {
  // docs/semantics.md, "Refused rules": identical conditions, two actions.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}})), 0);
  auto cp = t.checkpoint(kNr);
  EXPECT_EQ(t.add(rule(errno_ret(2), 1, {{0, check(CmpOp::EQ, 1)}})), -EEXIST);
  t.rollback(cp);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 1u);
  EXPECT_EQ(d.cases[0].action, Action::errno_(1));
}

TEST(WordTreeMerge, ShorterRuleWithAnotherActionOverALongerOneIsRefused_DbTreeAdd) {
  // docs/semantics.md's example: ERRNO(1) if a0 == 1 && a1 == 5, then
  // ERRNO(2) if a0 == 1: refused; (1, 5) gets ERRNO(1), (1, 6) the default.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}, {1, check(CmpOp::EQ, 5)}})), 0);
  auto cp = t.checkpoint(kNr);
  EXPECT_EQ(t.add(rule(errno_ret(2), 1, {{0, check(CmpOp::EQ, 1)}})), -EEXIST);
  t.rollback(cp);
  const Decision d = t.decision(kNr, kDefault);
  EXPECT_EQ(d.evaluate(Args{1, 5}), Action::errno_(1));
  EXPECT_EQ(d.evaluate(Args{1, 6}), kDefault);
}

TEST(WordTreeMerge, LongerRuleWithTheSameActionAddsNothing_DbTreeAdd) {
  // The tree already decides a0 == 1 with the same action: the longer
  // chain finds an action where it would go deeper and stops.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}})), 0);
  const Decision before = t.decision(kNr, kDefault);
  ASSERT_EQ(t.add(rule(errno_ret(1), 1, {{0, check(CmpOp::EQ, 1)}, {1, check(CmpOp::EQ, 5)}})), 0);
  EXPECT_EQ(t.decision(kNr, kDefault), before);
}

TEST(WordTreeMerge, ShorterRuleWithTheSameActionReplacesTheLongerPath_DbTreeAdd) {
  // The other order: the new chain is a prefix of the tree's path and leads
  // to the same action. _db_tree_prune removes nothing (the tree is not a
  // prefix of the chain), but _db_tree_add puts the action on a0.lo's true
  // branch and drops the deeper level, since every action there agrees.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}, {1, check(CmpOp::EQ, 5)}})), 0);
  ASSERT_EQ(t.add(rule(errno_ret(1), 1, {{0, check(CmpOp::EQ, 1)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 1u);
  EXPECT_EQ(d.cases[0].tests,
            (std::vector<WordTest>{word(0, true, WordOp::EQ, 0, true), word(0, false, WordOp::EQ, 1, true)}));
  EXPECT_EQ(d.cases[0].rule, 1);
}

TEST(WordTreeMerge, SharedPrefixIsStoredOnce_DbTreeAdd) {
  // a0 == 1 && a1 == 5 and a0 == 1 && a1 == 6: one a0 path, two a1 leaves.
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}, {1, check(CmpOp::EQ, 5)}})), 0);
  ASSERT_EQ(t.add(rule(errno_ret(2), 1, {{0, check(CmpOp::EQ, 1)}, {1, check(CmpOp::EQ, 6)}})), 0);
  const Decision d = t.decision(kNr, kDefault);
  ASSERT_EQ(d.cases.size(), 2u);
  for (const DecisionCase& c : d.cases) {
    ASSERT_EQ(c.tests.size(), 4u);
    EXPECT_EQ(c.tests[1], word(0, false, WordOp::EQ, 1, true));
  }
  EXPECT_EQ(d.evaluate(Args{1, 5}), Action::errno_(1));
  EXPECT_EQ(d.evaluate(Args{1, 6}), Action::errno_(2));
  EXPECT_EQ(d.evaluate(Args{2, 6}), kDefault);
}

// ---- db_col_transaction_start / _abort (checkpoint, rollback) -----------------

TEST(WordTreeTransaction, RollbackRestoresTheSyscallExactly_DbColTransactionAbort) {
  WordTree t = wide();
  ASSERT_EQ(t.add(rule(errno_ret(1), 0, {{0, check(CmpOp::EQ, 1)}, {2, check(CmpOp::GT, 7)}})), 0);
  const Decision before = t.decision(kNr, kDefault);
  auto cp = t.checkpoint(kNr);
  ASSERT_EQ(t.add(rule(errno_ret(2), 1, {{1, check(CmpOp::NE, 3)}})), 0);
  ASSERT_NE(t.decision(kNr, kDefault), before);
  t.rollback(cp);
  EXPECT_EQ(t.decision(kNr, kDefault), before);

  // A checkpoint of a number without an entry rolls back to no entry.
  auto empty = t.checkpoint(kNr + 1);
  ASSERT_EQ(t.add(rule(kAllow, 2, {{0, check(CmpOp::EQ, 1)}}, kNr + 1)), 0);
  ASSERT_TRUE(t.has(kNr + 1));
  t.rollback(empty);
  EXPECT_FALSE(t.has(kNr + 1));
}

// ---- properties ---------------------------------------------------------------

// Whatever rules arrive: a refused rule leaves the tree exactly as it was
// once rolled back (libseccomp's transaction abort), and every first-match
// case names a rule the tree accepted and carries that rule's action. (Not a
// property: that the named rule's conditions hold for the arguments the case
// decides. libseccomp's merging shares nodes between rules, so a rule's
// deeper level can end up below another rule's comparison; the model keeps
// that, as the differential test confirms against libseccomp.)
TEST(WordTreeProperty, RefusalsRollBackAndCasesCarryTheirRulesAction) {
  std::mt19937_64 rng(15);
  const std::vector<std::uint64_t> pool{0, 1, 2, 5, 0xffffffff, 0x100000000ull, 0x100000005ull, ~0ull};
  const std::vector<CmpOp> ops{CmpOp::EQ, CmpOp::NE, CmpOp::LT, CmpOp::LE, CmpOp::GT, CmpOp::GE, CmpOp::MaskedEq};
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  int refusals = 0;
  for (int round = 0; round < 300; ++round) {
    WordTree t = (round % 3 == 0) ? narrow() : wide();
    std::vector<WordRule> accepted;
    for (int r = 0; r < 6; ++r) {
      WordRule wr;
      wr.nr = kNr;
      wr.ret = errno_ret(static_cast<std::uint16_t>(1 + pick(3)));
      wr.rule = r;
      for (int c = 0; c < 2; ++c) {
        const auto arg = pick(3);
        wr.args[arg] = check(ops[pick(ops.size())], pool[pick(pool.size())], pool[pick(pool.size())]);
      }
      const Decision before = t.decision(kNr, kDefault);
      auto cp = t.checkpoint(kNr);
      if (t.add(wr) != 0) {
        ++refusals;
        t.rollback(cp);
        ASSERT_EQ(t.decision(kNr, kDefault), before) << "round " << round << " rule " << r;
      } else {
        accepted.push_back(wr);
      }
    }
    for (const DecisionCase& c : t.decision(kNr, kDefault).cases) {
      const auto it = std::find_if(accepted.begin(), accepted.end(), [&](const WordRule& w) { return w.rule == c.rule; });
      ASSERT_NE(it, accepted.end()) << "round " << round << ": a case names rule " << c.rule << ", not accepted";
      EXPECT_EQ(c.action, Action::from_ret(it->ret)) << "round " << round;
    }
  }
  // The operand pool makes overlapping rules common: some must be refused,
  // or the rollback half of the test tested nothing.
  EXPECT_GT(refusals, 0);
}

}  // namespace
}  // namespace seccage::detail
