// Lowering a 32-bit-width condition (ArgWidth::S32 or U32) to a test on the
// argument's low word alone, which is what BPF can compare in one step.
//
// Why it always works: x = sext32(lo) or zext32(lo) is monotone in lo (as
// unsigned 64-bit values: 0..0x7fffffff map to themselves, 0x80000000..
// 0xffffffff to 0xffffffff80000000..0xffffffffffffffff for sext). So
// `x > d` holds exactly for lo above some threshold, `x <= d` below it, and
// `x == d` for at most one lo: every comparison is a low-word comparison or a
// constant. A masked test sees x's high word as 0 or as a copy of bit 31, so
// it becomes a low-word masked test that may also pin bit 31.
#pragma once

#include <cstdint>

#include "seccage/policy.hpp"

namespace seccage::detail {

struct LowWord {
  enum class Kind : std::uint8_t { Always, Never, Test };
  Kind kind = Kind::Test;
  // Kind::Test: a condition of width U32 whose value and mask fit in 32 bits,
  // so it compares the low word and nothing else.
  Condition test;
};

// `c.width` must be S32 or U32. A masked test compares (x & mask) with
// (value & mask), as libseccomp and the word tree do.
LowWord lower_to_low_word(const Condition& c);

}  // namespace seccage::detail
