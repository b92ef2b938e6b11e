// The lowering of 32-bit conditions to low-word tests, checked against the
// definition (Condition::matches on the extended low word) over the values
// where it could go wrong: word boundaries, the sign bit, the operand and its
// neighbours, each with a garbage upper half.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "policy/low_word.hpp"

namespace seccage {
namespace {

using detail::LowWord;
using detail::lower_to_low_word;

bool lowered_matches(const LowWord& l, std::uint64_t argument) {
  switch (l.kind) {
    case LowWord::Kind::Always: return true;
    case LowWord::Kind::Never: return false;
    case LowWord::Kind::Test: break;
  }
  // A Test only looks at the low word: check that it compares it alone.
  EXPECT_EQ(l.test.width, ArgWidth::U32);
  EXPECT_LE(l.test.value, 0xffffffffu);
  EXPECT_LE(l.test.mask, 0xffffffffu);
  const auto lo = static_cast<std::uint32_t>(argument);
  const Condition& t = l.test;
  switch (t.op) {
    case CmpOp::EQ: return lo == t.value;
    case CmpOp::NE: return lo != t.value;
    case CmpOp::LT: return lo < t.value;
    case CmpOp::LE: return lo <= t.value;
    case CmpOp::GT: return lo > t.value;
    case CmpOp::GE: return lo >= t.value;
    case CmpOp::MaskedEq: return (lo & t.mask) == (t.value & t.mask);
  }
  return false;
}

std::vector<std::uint64_t> probes(std::uint64_t operand) {
  std::vector<std::uint64_t> lows = {0, 1, 2, 3, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
                                     static_cast<std::uint32_t>(operand), static_cast<std::uint32_t>(operand - 1),
                                     static_cast<std::uint32_t>(operand + 1)};
  std::vector<std::uint64_t> out;
  for (std::uint64_t lo : lows)
    for (std::uint64_t hi : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xffffffff}, std::uint64_t{0x12345678}})
      out.push_back(hi << 32 | lo);
  return out;
}

const std::uint64_t kOperands[] = {0, 1, 2, 5, 0x7ffffffe, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
                                   0x100000000, 0x100000002, 0x7fffffffffffffff, 0xffffffff7fffffff,
                                   0xffffffff80000000, 0xffffffff80000001, 0xfffffffffffffffe, 0xffffffffffffffff,
                                   0xffffff9c /* (u32)AT_FDCWD */, 0xffffffffffffff9c /* AT_FDCWD as int */};

TEST(LowWord, EveryComparisonAgreesWithTheDefinition) {
  for (ArgWidth w : {ArgWidth::S32, ArgWidth::U32}) {
    for (CmpOp op : {CmpOp::EQ, CmpOp::NE, CmpOp::LT, CmpOp::LE, CmpOp::GT, CmpOp::GE}) {
      for (std::uint64_t d : kOperands) {
        const Condition c{0, op, d, 0, w};
        const LowWord l = lower_to_low_word(c);
        for (std::uint64_t a : probes(d))
          ASSERT_EQ(lowered_matches(l, a), c.matches(a))
              << fmt::format("{} {} width {} on {:#x}", c.to_string(), d, static_cast<int>(w), a);
      }
    }
  }
}

TEST(LowWord, MaskedTestsAgreeWithTheDefinition) {
  const std::uint64_t masks[] = {0, 1, 0x80000000, 0xffffffff, 0x100000000, 0xffffffff00000000, 0x180000000,
                                 0xffffffffffffffff, 0x8000000000000000, 0x7e020000};
  for (ArgWidth w : {ArgWidth::S32, ArgWidth::U32}) {
    for (std::uint64_t m : masks) {
      for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x80000000}, m, m & 0xffffffff,
                              m & 0xffffffff00000000, m & 0x80000001}) {
        // Operands within the mask: outside it, matches() and the filter
        // differ by libseccomp's masking of the operand, not by width.
        const Condition c{0, CmpOp::MaskedEq, v & m, m, w};
        const LowWord l = lower_to_low_word(c);
        for (std::uint64_t a : probes(v))
          ASSERT_EQ(lowered_matches(l, a), c.matches(a))
              << fmt::format("& {:#x} == {:#x} width {} on {:#x}", m, v & m, static_cast<int>(w), a);
      }
    }
  }
}

TEST(LowWord, Examples) {
  // write(0x100000002): the fd is 2 either way.
  LowWord eq = lower_to_low_word(Condition{0, CmpOp::EQ, 2, 0, ArgWidth::U32});
  ASSERT_EQ(eq.kind, LowWord::Kind::Test);
  EXPECT_EQ(eq.test, (Condition{0, CmpOp::EQ, 2, 0, ArgWidth::U32}));
  // No int is 0x100000002: == never holds, != always.
  EXPECT_EQ(lower_to_low_word(Condition{0, CmpOp::EQ, 0x100000002, 0, ArgWidth::S32}).kind, LowWord::Kind::Never);
  EXPECT_EQ(lower_to_low_word(Condition{0, CmpOp::NE, 0x100000002, 0, ArgWidth::S32}).kind, LowWord::Kind::Always);
  // AT_FDCWD written as a 64-bit -100 is the int -100: low word 0xffffff9c.
  LowWord cwd = lower_to_low_word(Condition{0, CmpOp::EQ, 0xffffffffffffff9c, 0, ArgWidth::S32});
  ASSERT_EQ(cwd.kind, LowWord::Kind::Test);
  EXPECT_EQ(cwd.test.value, 0xffffff9cu);
  // ...but as an unsigned int it cannot be: never.
  EXPECT_EQ(lower_to_low_word(Condition{0, CmpOp::EQ, 0xffffffffffffff9c, 0, ArgWidth::U32}).kind, LowWord::Kind::Never);
  // Negative ints are above every non-negative one as unsigned 64-bit values:
  // `x > 0x7fffffff` is "bit 31 set".
  LowWord neg = lower_to_low_word(Condition{0, CmpOp::GT, 0x7fffffff, 0, ArgWidth::S32});
  ASSERT_EQ(neg.kind, LowWord::Kind::Test);
  EXPECT_EQ(neg.test.op, CmpOp::GT);
  EXPECT_EQ(neg.test.value, 0x7fffffffu);
  // Any unsigned int is <= 0xffffffff.
  EXPECT_EQ(lower_to_low_word(Condition{0, CmpOp::LE, 0xffffffff, 0, ArgWidth::U32}).kind, LowWord::Kind::Always);
  EXPECT_EQ(lower_to_low_word(Condition{0, CmpOp::LT, 0, 0, ArgWidth::S32}).kind, LowWord::Kind::Never);
  // A mask on the high word of an int tests its sign bit.
  LowWord sign = lower_to_low_word(Condition{0, CmpOp::MaskedEq, 0x100000000, 0x100000000, ArgWidth::S32});
  ASSERT_EQ(sign.kind, LowWord::Kind::Test);
  EXPECT_EQ(sign.test.mask, 0x80000000u);
  EXPECT_EQ(sign.test.value, 0x80000000u);
}

std::string describe(const LowWord& l) {
  switch (l.kind) {
    case LowWord::Kind::Always: return "always";
    case LowWord::Kind::Never: return "never";
    case LowWord::Kind::Test: break;
  }
  const Condition& t = l.test;
  if (t.op == CmpOp::MaskedEq) return fmt::format("lo & {:#x} == {:#x}", t.mask, t.value);
  const char* sym = t.op == CmpOp::EQ ? "==" : t.op == CmpOp::NE ? "!=" : t.op == CmpOp::LE ? "<=" : t.op == CmpOp::GT ? ">" : "?";
  return fmt::format("lo {} {:#x}", sym, t.value);
}

// The boundary operands, each lowered by hand (an int sign-extends, so the
// ints are 0..0x7fffffff and 0xffffffff80000000..~0; an unsigned int is
// 0..0xffffffff). Columns: == != < <= > >=.
TEST(LowWord, BoundaryOperandsByHand) {
  struct Row {
    ArgWidth w;
    std::uint64_t d;
    const char* want[6];
  };
  const Row rows[] = {
      {ArgWidth::S32, 0, {"lo == 0x0", "lo != 0x0", "never", "lo <= 0x0", "lo > 0x0", "always"}},
      {ArgWidth::S32, 0x7fffffff,
       {"lo == 0x7fffffff", "lo != 0x7fffffff", "lo <= 0x7ffffffe", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7ffffffe"}},
      // No int is 0x80000000..0xffffffff80000000 - 1: every one is below or above.
      {ArgWidth::S32, 0x80000000, {"never", "always", "lo <= 0x7fffffff", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7fffffff"}},
      {ArgWidth::S32, 0xffffffff, {"never", "always", "lo <= 0x7fffffff", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7fffffff"}},
      {ArgWidth::S32, 0x100000000, {"never", "always", "lo <= 0x7fffffff", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7fffffff"}},
      {ArgWidth::S32, 0xffffffff7fffffff, {"never", "always", "lo <= 0x7fffffff", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7fffffff"}},
      // INT_MIN.
      {ArgWidth::S32, 0xffffffff80000000,
       {"lo == 0x80000000", "lo != 0x80000000", "lo <= 0x7fffffff", "lo <= 0x80000000", "lo > 0x80000000", "lo > 0x7fffffff"}},
      // -1.
      {ArgWidth::S32, ~std::uint64_t{0}, {"lo == 0xffffffff", "lo != 0xffffffff", "lo <= 0xfffffffe", "always", "never", "lo > 0xfffffffe"}},
      {ArgWidth::U32, 0, {"lo == 0x0", "lo != 0x0", "never", "lo <= 0x0", "lo > 0x0", "always"}},
      {ArgWidth::U32, 0x7fffffff,
       {"lo == 0x7fffffff", "lo != 0x7fffffff", "lo <= 0x7ffffffe", "lo <= 0x7fffffff", "lo > 0x7fffffff", "lo > 0x7ffffffe"}},
      {ArgWidth::U32, 0x80000000,
       {"lo == 0x80000000", "lo != 0x80000000", "lo <= 0x7fffffff", "lo <= 0x80000000", "lo > 0x80000000", "lo > 0x7fffffff"}},
      {ArgWidth::U32, 0xffffffff, {"lo == 0xffffffff", "lo != 0xffffffff", "lo <= 0xfffffffe", "always", "never", "lo > 0xfffffffe"}},
      // Above every unsigned int.
      {ArgWidth::U32, 0x100000000, {"never", "always", "always", "always", "never", "never"}},
      {ArgWidth::U32, 0xffffffff80000000, {"never", "always", "always", "always", "never", "never"}},
      {ArgWidth::U32, ~std::uint64_t{0}, {"never", "always", "always", "always", "never", "never"}},
  };
  const CmpOp ops[] = {CmpOp::EQ, CmpOp::NE, CmpOp::LT, CmpOp::LE, CmpOp::GT, CmpOp::GE};
  for (const Row& r : rows) {
    for (int i = 0; i < 6; ++i) {
      const Condition c{0, ops[i], r.d, 0, r.w};
      EXPECT_EQ(describe(lower_to_low_word(c)), r.want[i])
          << fmt::format("{} as {}", c.to_string(), r.w == ArgWidth::S32 ? "s32" : "u32");
    }
  }
}

TEST(LowWord, MaskedByHand) {
  struct Row {
    ArgWidth w;
    std::uint64_t mask, value;
    const char* want;
  };
  const Row rows[] = {
      // The high word of an int is a copy of its sign bit.
      {ArgWidth::S32, 0xffffffff00000000, 0xffffffff00000000, "lo & 0x80000000 == 0x80000000"},
      {ArgWidth::S32, 0xffffffff00000000, 0, "lo & 0x80000000 == 0x0"},
      {ArgWidth::S32, 0x8000000000000000, 0x8000000000000000, "lo & 0x80000000 == 0x80000000"},
      {ArgWidth::S32, 0xffffffff00000000, 0x100000000, "never"},  // half the copies set
      {ArgWidth::S32, ~std::uint64_t{0}, 0xffffffff80000000, "lo & 0xffffffff == 0x80000000"},
      {ArgWidth::S32, ~std::uint64_t{0}, 0x80000000, "never"},    // bit 31 set, high word clear
      {ArgWidth::S32, ~std::uint64_t{0}, 0x7fffffff, "lo & 0xffffffff == 0x7fffffff"},
      {ArgWidth::S32, 0x180000000, 0x100000000, "never"},         // sign 1 above, 0 below
      {ArgWidth::S32, 0x100000004, 0x100000004, "lo & 0x80000004 == 0x80000004"},
      {ArgWidth::S32, 0x4, 0x4, "lo & 0x4 == 0x4"},
      // An unsigned int's high word is 0.
      {ArgWidth::U32, 0xffffffff00000000, 0, "always"},
      {ArgWidth::U32, 0xffffffff00000000, 0xffffffff00000000, "never"},
      {ArgWidth::U32, ~std::uint64_t{0}, 0xffffffff80000000, "never"},
      {ArgWidth::U32, ~std::uint64_t{0}, 0x80000000, "lo & 0xffffffff == 0x80000000"},
      {ArgWidth::U32, 0x100000001, 1, "lo & 0x1 == 0x1"},
      {ArgWidth::U32, 0, 0, "always"},
  };
  for (const Row& r : rows) {
    const Condition c{0, CmpOp::MaskedEq, r.value, r.mask, r.w};
    EXPECT_EQ(describe(lower_to_low_word(c)), r.want) << fmt::format("& {:#x} == {:#x}", r.mask, r.value);
  }
}

// Random operands, probed where a lowering could be off by one: at the
// lowered test's own boundary as well as at the operand's.
TEST(LowWord, RandomOperandsAgreeAtTheLoweredBoundary) {
  std::mt19937_64 rng(7);
  const std::uint64_t highs[] = {0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};
  for (int round = 0; round < 20000; ++round) {
    const std::uint64_t hi = rng() % 2 ? highs[rng() % std::size(highs)] : rng() >> 32;
    const std::uint64_t d = hi << 32 | (rng() % 4 == 0 ? 0x80000000 ^ (rng() % 3) : rng() & 0xffffffff);
    const std::uint64_t m = rng() % 3 == 0 ? ~std::uint64_t{0} : rng();
    const auto op = static_cast<CmpOp>(rng() % 7);
    const Condition c{0, op, op == CmpOp::MaskedEq ? d & m : d, op == CmpOp::MaskedEq ? m : 0,
                      rng() % 2 ? ArgWidth::S32 : ArgWidth::U32};
    const LowWord l = lower_to_low_word(c);
    std::vector<std::uint64_t> at = probes(d);
    if (l.kind == LowWord::Kind::Test)
      for (std::uint64_t b : probes(l.test.value)) at.push_back(b);
    at.push_back(rng());
    for (std::uint64_t a : at)
      ASSERT_EQ(lowered_matches(l, a), c.matches(a))
          << fmt::format("{} width {} on {:#x} lowered to {}", c.to_string(), static_cast<int>(c.width), a, describe(l));
  }
}

}  // namespace
}  // namespace seccage
