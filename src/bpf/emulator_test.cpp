// Unit tests of the emulator's bookkeeping (path, fields read, the cache
// rule). Its arithmetic is checked against the real kernel in
// tests/kernel_emulator_test.cpp.
#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "seccage/error.hpp"

namespace seccage::bpf {
namespace {

using namespace op;
constexpr std::uint32_t kAllow = 0x7fff0000u;
constexpr std::uint32_t kX86 = 0xc000003e;

SeccompData call(std::int32_t nr, std::array<std::uint64_t, 6> args = {}) {
  SeccompData d;
  d.nr = nr;
  d.arch = kX86;
  d.args = args;
  return d;
}

// An allow-list of the shape compilers emit: arch, nr, one argument test.
Program allow_list() {
  return {
      stmt(LD | W | ABS, kOffArch),          // 0
      jump(JMP | JEQ | K, kX86, 0, 7),       // 1
      stmt(LD | W | ABS, kOffNr),            // 2
      jump(JMP | JEQ | K, 0, 4, 0),          // 3: read -> ALLOW
      jump(JMP | JEQ | K, 1, 0, 4),          // 4: write -> arg check
      stmt(LD | W | ABS, 16),                // 5
      jump(JMP | JEQ | K, 2, 1, 0),          // 6: fd 2 allowed
      stmt(RET | K, 0x00050001),             // 7
      stmt(RET | K, kAllow),                 // 8
      stmt(RET | K, 0x80000000),             // 9
  };
}

TEST(Emulator, PathCountAndFieldsRead) {
  const EmuResult r = emulate(allow_list(), call(0));
  EXPECT_EQ(r.ret, kAllow);
  EXPECT_EQ(r.action, Action::allow());
  EXPECT_EQ(r.path, (std::vector<std::uint16_t>{0, 1, 2, 3, 8}));
  EXPECT_EQ(r.executed, 5u);
  EXPECT_TRUE(r.read_arch);
  EXPECT_TRUE(r.read_nr);
  EXPECT_FALSE(r.read_args);
  EXPECT_FALSE(r.read_ip);
  EXPECT_TRUE(r.cacheable);

  const EmuResult w = emulate(allow_list(), call(1, {2}));
  EXPECT_EQ(w.action, Action::allow());
  EXPECT_TRUE(w.read_args);
  EXPECT_FALSE(w.cacheable) << "an argument was loaded: the kernel cannot cache it";

  const EmuResult denied = emulate(allow_list(), call(1, {3}));
  EXPECT_EQ(denied.action, Action::errno_(1));
  EXPECT_FALSE(denied.cacheable);

  SeccompData other = call(0);
  other.arch = 0x40000003;  // i386
  const EmuResult k = emulate(allow_list(), other);
  EXPECT_EQ(k.action, Action::kill_process());
  EXPECT_EQ(k.path, (std::vector<std::uint16_t>{0, 1, 9}));
}

TEST(Emulator, CacheRuleFollowsSeccompIsConstAllow) {
  auto cacheable = [](Program p) { return emulate(p, call(5)).cacheable; };
  // Allowed: loads of nr/arch, JEQ/JGE/JGT/JSET with K, JA, AND K, RET K ALLOW.
  EXPECT_TRUE(cacheable({stmt(LD | W | ABS, kOffNr), stmt(ALU | AND | K, 0xff), jump(JMP | JSET | K, 4, 0, 0),
                         jump(JMP | JGT | K, 100, 0, 0), jump(JMP | JGE | K, 100, 0, 0), stmt(JMP | JA, 0),
                         stmt(RET | K, kAllow)}));
  // ALLOW with data set still allows, but the kernel compares the whole value.
  EXPECT_EQ(emulate({stmt(RET | K, kAllow | 1)}, call(5)).action, Action::allow());
  EXPECT_FALSE(cacheable({stmt(RET | K, kAllow | 1)}));
  // RET A, other ALU ops, X operands, scratch memory, LEN loads: not emulated.
  EXPECT_FALSE(cacheable({stmt(LD | IMM, kAllow), stmt(RET | A, 0)}));
  EXPECT_FALSE(cacheable({stmt(LD | W | ABS, kOffNr), stmt(ALU | OR | K, 1), stmt(RET | K, kAllow)}));
  EXPECT_FALSE(cacheable({stmt(LD | W | ABS, kOffNr), jump(JMP | JEQ | X, 0, 0, 0), stmt(RET | K, kAllow)}));
  EXPECT_FALSE(cacheable({stmt(ST, 0), stmt(RET | K, kAllow)}));
  EXPECT_FALSE(cacheable({stmt(LD | W | LEN, 0), stmt(RET | K, kAllow)}));
  EXPECT_FALSE(cacheable({stmt(LD | W | ABS, kOffIp), stmt(RET | K, kAllow)}));
  // Only the path taken matters: an argument load on another branch is fine.
  EXPECT_TRUE(emulate(allow_list(), call(0)).cacheable);
  // And the result must be ALLOW.
  EXPECT_FALSE(cacheable({stmt(RET | K, 0x7ffc0000)}));
}

TEST(Emulator, ByteOrderDecidesWhereArgumentHalvesLie) {
  const Program low = {stmt(LD | W | ABS, 16), stmt(RET | A, 0)};
  const SeccompData d = call(0, {0x1111111122222222ull});
  EXPECT_EQ(emulate(low, d, true).ret, 0x22222222u);
  EXPECT_EQ(emulate(low, d, false).ret, 0x11111111u);
  SeccompData ip = call(0);
  ip.instruction_pointer = 0xaaaaaaaabbbbbbbbull;
  const EmuResult r = emulate({stmt(LD | W | ABS, kOffIp), stmt(RET | A, 0)}, ip);
  EXPECT_EQ(r.ret, 0xbbbbbbbbu);
  EXPECT_TRUE(r.read_ip);
  EXPECT_FALSE(r.read_args);
}

TEST(Emulator, NegativeNrIsItsTwosComplementWord) {
  const EmuResult r = emulate({stmt(LD | W | ABS, kOffNr), stmt(RET | A, 0)}, call(-1));
  EXPECT_EQ(r.ret, 0xffffffffu);
  EXPECT_EQ(r.action, Action::kill_process());  // unknown action
}

TEST(Emulator, DivisionByZeroXReturnsZero) {
  const EmuResult r = emulate({stmt(LDX | IMM, 0), stmt(LD | IMM, 10), stmt(ALU | DIV | X, 0), stmt(RET | K, kAllow)},
                              call(0));
  EXPECT_EQ(r.ret, 0u);
  EXPECT_EQ(r.action, Action::kill_thread());
  EXPECT_EQ(r.path, (std::vector<std::uint16_t>{0, 1, 2}));
}

TEST(Emulator, RefusesWhatTheKernelRefuses) {
  EXPECT_THROW(emulate({}, call(0)), InputError);
  EXPECT_THROW(emulate({stmt(LD | W | ABS, 64), stmt(RET | A, 0)}, call(0)), InputError);
  EXPECT_THROW(emulate({stmt(LD | MEM, 0), stmt(RET | A, 0)}, call(0)), InputError);
  EXPECT_THROW(emulate({stmt(ALU | MOD | K, 3), stmt(RET | A, 0)}, call(0)), InputError);
}

}  // namespace
}  // namespace seccage::bpf
