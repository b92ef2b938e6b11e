#include "policy/low_word.hpp"

#include <stdexcept>

namespace seccage::detail {
namespace {

constexpr std::uint64_t kWord = 0xffffffffu;

LowWord always() { return {LowWord::Kind::Always, {}}; }
LowWord never() { return {LowWord::Kind::Never, {}}; }
LowWord test(const Condition& c, CmpOp op, std::uint64_t value, std::uint64_t mask = 0) {
  return {LowWord::Kind::Test, Condition{c.arg, op, value, mask, ArgWidth::U32}};
}

// The largest low word whose extension is <= d. One always exists: lo = 0
// extends to 0.
std::uint64_t largest_at_most(ArgWidth w, std::uint64_t d) {
  if (w == ArgWidth::U32) return d >= kWord ? kWord : d;
  if (d <= 0x7fffffffu) return d;                  // non-negative ints map to themselves
  if (d < 0xffffffff80000000u) return 0x7fffffffu;  // between INT_MAX and (u64)INT_MIN
  return d & kWord;                                 // negative ints: their low word
}

std::uint64_t extend(ArgWidth w, std::uint64_t lo) {
  if (w == ArgWidth::U32 || lo < 0x80000000u) return lo;
  return lo | 0xffffffff00000000u;
}

// x <= d and x > d as low-word tests (or constants).
LowWord at_most(const Condition& c, std::uint64_t d) {
  const std::uint64_t t = largest_at_most(c.width, d);
  return t == kWord ? always() : test(c, CmpOp::LE, t);
}
LowWord above(const Condition& c, std::uint64_t d) {
  const std::uint64_t t = largest_at_most(c.width, d);
  return t == kWord ? never() : test(c, CmpOp::GT, t);
}

LowWord masked(const Condition& c) {
  std::uint64_t mask = c.mask;
  std::uint64_t value = c.value & mask;
  auto mh = static_cast<std::uint32_t>(mask >> 32), vh = static_cast<std::uint32_t>(value >> 32);
  auto ml = static_cast<std::uint32_t>(mask), vl = static_cast<std::uint32_t>(value);
  // x's high word is 0, or (S32) all ones when bit 31 is set.
  if (mh != 0 && c.width == ArgWidth::S32) {
    std::uint32_t bit31;
    if (vh == 0)
      bit31 = 0;
    else if (vh == mh)
      bit31 = 1;
    else
      return never();
    if ((ml & 0x80000000u) && (vl >> 31) != bit31) return never();
    ml |= 0x80000000u;
    vl = (vl & 0x7fffffffu) | (bit31 << 31);
  } else if (vh != 0) {
    return never();
  }
  if (ml == 0) return always();
  return test(c, CmpOp::MaskedEq, vl, ml);
}

}  // namespace

LowWord lower_to_low_word(const Condition& c) {
  if (c.width == ArgWidth::U64) throw std::logic_error("lower_to_low_word: a 64-bit condition");
  const std::uint64_t d = c.value;
  switch (c.op) {
    case CmpOp::EQ:
    case CmpOp::NE: {
      // Representable: some low word extends to d. Otherwise == never holds.
      const bool hit = extend(c.width, d & kWord) == d;
      if (c.op == CmpOp::EQ) return hit ? test(c, CmpOp::EQ, d & kWord) : never();
      return hit ? test(c, CmpOp::NE, d & kWord) : always();
    }
    case CmpOp::LE: return at_most(c, d);
    case CmpOp::GT: return above(c, d);
    case CmpOp::LT: return d == 0 ? never() : at_most(c, d - 1);
    case CmpOp::GE: return d == 0 ? always() : above(c, d - 1);
    case CmpOp::MaskedEq: return masked(c);
  }
  return always();
}

}  // namespace seccage::detail
