// The verifier against hand-made malformed programs, and against the real
// kernel: every program here is also offered to seccomp(2) in a forked child,
// and the two must agree.
#include <cerrno>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "seccage/error.hpp"
#include "support/child.hpp"

namespace seccage::bpf {
namespace {

using namespace op;
constexpr std::uint32_t kAllow = 0x7fff0000u;
constexpr std::uint32_t kKill = 0x80000000u;

// A valid program every rejection below is a small edit of.
Program control() {
  return {
      stmt(LD | W | ABS, kOffArch),                   // 0
      jump(JMP | JEQ | K, 0xc000003e, 0, 5),          // 1
      stmt(LD | W | ABS, kOffNr),                     // 2
      stmt(ST, 2),                                    // 3
      stmt(LD | MEM, 2),                              // 4
      jump(JMP | JGE | K, 1000, 1, 0),                // 5
      stmt(RET | K, kAllow),                          // 6
      stmt(RET | K, kKill),                           // 7
  };
}

// The verifier rejects at `index` with a rule containing `needle`, and the
// kernel refuses the program with EINVAL.
void expect_rejected(const Program& p, std::size_t index, const std::string& needle) {
  auto err = verify(p);
  ASSERT_TRUE(err.has_value()) << "verifier accepted a program with: " << needle;
  EXPECT_EQ(err->index, index) << err->to_string();
  EXPECT_NE(err->rule.find(needle), std::string::npos) << err->to_string();
  EXPECT_THROW(verify_or_throw(p), InputError);
  EXPECT_EQ(test::kernel_load_errno(p), EINVAL) << "kernel disagrees about: " << err->to_string();
}

TEST(Verifier, ControlProgramIsAcceptedByVerifierAndKernel) {
  EXPECT_FALSE(verify(control()).has_value());
  EXPECT_NO_THROW(verify_or_throw(control()));
  EXPECT_EQ(test::kernel_load_errno(control()), 0);
}

TEST(Verifier, Empty) {
  auto err = verify({});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->to_string(), "program is empty (a filter needs 1 to 4096 instructions)");
  EXPECT_EQ(test::kernel_load_errno({}), EINVAL);
}

TEST(Verifier, MoreThan4096Instructions) {
  Program ok(4096, stmt(RET | K, kAllow));
  EXPECT_FALSE(verify(ok));
  EXPECT_EQ(test::kernel_load_errno(ok), 0);
  Program big(4097, stmt(RET | K, kAllow));
  auto err = verify(big);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->index, 4097u);
  EXPECT_EQ(err->to_string(), "program has 4097 instructions, more than the kernel's limit of 4096 (BPF_MAXINSNS)");
  EXPECT_EQ(test::kernel_load_errno(big), EINVAL);
}

TEST(Verifier, ConditionalJumpOutOfRange) {
  Program p = control();
  p[5].jt = 2;  // 5 + 1 + 2 == 8 == size: one past the last instruction
  expect_rejected(p, 5, "true branch: jump target 8 is past the end (program has 8 instructions)");
  p = control();
  p[1].jf = 200;
  expect_rejected(p, 1, "false branch: jump target 202 is past the end");
}

TEST(Verifier, UnconditionalJumpOutOfRange) {
  Program p = control();
  p[6] = stmt(JMP | JA, 1);  // lands on 8
  expect_rejected(p, 6, "jump target 8 is past the end (program has 8 instructions)");
  p[6] = stmt(JMP | JA, 0xffffffffu);  // would wrap around in 32 bits
  expect_rejected(p, 6, "jump target 4294967302 is past the end");
}

TEST(Verifier, ForbiddenOpcodes) {
  Program p = control();
  p[4] = stmt(ALU | MOD | K, 3);
  expect_rejected(p, 4, "opcode 0x94 (ALU MOD K) is not allowed in seccomp filters: seccomp has no modulo");
  p[4] = stmt(LD | B | ABS, 0);
  expect_rejected(p, 4, "(LD B ABS) is not allowed in seccomp filters: only 32-bit loads");
  p[4] = stmt(LD | H | ABS, 0);
  expect_rejected(p, 4, "(LD H ABS) is not allowed");
  p[4] = stmt(LD | W | IND, 0);
  expect_rejected(p, 4, "(LD W IND) is not allowed in seccomp filters: indirect loads");
  p[4] = stmt(LDX | B | MSH, 0);
  expect_rejected(p, 4, "(LDX B MSH) is not allowed");
  p[4] = stmt(0x50 | JMP, 0);  // eBPF's JNE has no classic meaning
  expect_rejected(p, 4, "opcode 0x55 is not a classic BPF instruction");
  p[4] = stmt(0x100 | RET, 0);  // high bits set on an otherwise valid RET K
  expect_rejected(p, 4, "opcode 0x106 is not a classic BPF instruction");
}

TEST(Verifier, LoadOutsideSeccompData) {
  Program p = control();
  p[2] = stmt(LD | W | ABS, 64);
  expect_rejected(p, 2, "load from offset 64 is outside struct seccomp_data (64 bytes)");
  p[2] = stmt(LD | W | ABS, 0xfffff000u);  // SKF_AD_OFF: a socket-filter extension
  expect_rejected(p, 2, "outside struct seccomp_data");
  p[2] = stmt(LD | W | ABS, 60);  // the last word, args[5]'s second half
  EXPECT_FALSE(verify(p));
  EXPECT_EQ(test::kernel_load_errno(p), 0);
}

TEST(Verifier, MisalignedLoad) {
  Program p = control();
  p[2] = stmt(LD | W | ABS, 18);
  expect_rejected(p, 2, "load from offset 18 is not 4-byte aligned");
}

TEST(Verifier, BadScratchSlot) {
  Program p = control();
  p[3] = stmt(ST, 16);
  expect_rejected(p, 3, "scratch slot M[16] does not exist");
  p = control();
  p[4] = stmt(LDX | MEM, 99);
  expect_rejected(p, 4, "scratch slot M[99] does not exist");
}

TEST(Verifier, ScratchReadBeforeWrite) {
  Program p = control();
  p[3] = stmt(ST, 1);  // stores M[1], then reads M[2]
  expect_rejected(p, 4, "reads scratch slot M[2] before a store to it");
  // Stored on one path only: 1 -> 3 skips the store.
  Program q = {
      stmt(LD | W | ABS, kOffNr),      // 0
      jump(JMP | JEQ | K, 0, 1, 0),    // 1: nr == 0 skips the store
      stmt(ST, 0),                     // 2
      stmt(LDX | MEM, 0),              // 3
      stmt(RET | A, 0),                // 4
  };
  expect_rejected(q, 3, "M[0]");
  q[1].jt = 0;  // both edges now pass through the store
  EXPECT_FALSE(verify(q));
  EXPECT_EQ(test::kernel_load_errno(q), 0);
}

TEST(Verifier, ScratchAfterReturnFollowsTheKernelsFallThrough) {
  // The kernel's check_load_and_stores does not reset its state after a RET,
  // so a store before a RET "covers" a load in unreachable code after it.
  // Odd, but it is what the kernel accepts, and we must agree.
  Program p = {stmt(ST, 0), stmt(RET | K, kAllow), stmt(LD | MEM, 0), stmt(RET | A, 0)};
  EXPECT_FALSE(verify(p));
  EXPECT_EQ(test::kernel_load_errno(p), 0);
  // After a jump, by contrast, only the jumps into an instruction count.
  Program q = {stmt(ST, 0), stmt(JMP | JA, 1), stmt(LD | MEM, 1), stmt(RET | A, 0)};
  EXPECT_FALSE(verify(q));  // instruction 2 is unreachable: no jump constrains it
  EXPECT_EQ(test::kernel_load_errno(q), 0);
}

TEST(Verifier, LastInstructionNotRet) {
  Program p = control();
  p.push_back(stmt(LD | W | ABS, kOffNr));
  expect_rejected(p, 8, "the last instruction must be a RET (it is LD W ABS)");
}

TEST(Verifier, DivisionByConstantZero) {
  Program p = control();
  p[4] = stmt(ALU | DIV | K, 0);
  expect_rejected(p, 4, "division by constant zero");
  p[4] = stmt(ALU | DIV | X, 0);  // by X is fine: checked at run time
  EXPECT_FALSE(verify(p));
  EXPECT_EQ(test::kernel_load_errno(p), 0);
}

TEST(Verifier, ConstantShiftOf32OrMore) {
  Program p = control();
  p[4] = stmt(ALU | LSH | K, 32);
  expect_rejected(p, 4, "constant shift by 32");
  p[4] = stmt(ALU | RSH | K, 31);
  EXPECT_FALSE(verify(p));
  EXPECT_EQ(test::kernel_load_errno(p), 0);
}

TEST(Verifier, LengthLoadsAreAccepted) {
  // seccomp rewrites both LEN loads into "load 64"; LDX W LEN is easy to
  // forget because only LD W LEN appears in most documentation.
  Program p = {stmt(LD | W | LEN, 0), stmt(LDX | W | LEN, 0), stmt(RET | A, 0)};
  EXPECT_FALSE(verify(p));
  EXPECT_EQ(test::kernel_load_errno(p), 0);
}

// Every 8-bit opcode, with a few operands: the verifier's opcode list and
// operand rules must match the kernel's exactly.
TEST(VerifierKernel, AgreesOnEveryOpcode) {
  for (std::uint32_t k : {0u, 1u, 4u}) {
    for (std::uint32_t code = 0; code <= 0xff; ++code) {
      // Slots 0, 1 and 4 are written first so MEM loads are legal.
      Program p = {stmt(ST, 0), stmt(ST, 1), stmt(ST, 4), stmt(static_cast<std::uint16_t>(code), k),
                   stmt(RET | K, kAllow)};
      const bool ours = !verify(p).has_value();
      const int kernel = test::kernel_load_errno(p);
      ASSERT_TRUE(kernel == 0 || kernel == EINVAL) << kernel;
      EXPECT_EQ(ours, kernel == 0) << "opcode 0x" << std::hex << code << " k=" << std::dec << k << ": verifier "
                                   << (ours ? "accepts" : verify(p)->to_string());
    }
  }
}

// Random small programs mixing valid and invalid pieces: jump offsets, slots,
// offsets and the scratch-memory rule interact here in ways the hand-written
// cases above do not reach.
TEST(VerifierKernel, AgreesOnRandomPrograms) {
  std::mt19937 rng(20240611);
  const std::uint16_t codes[] = {LD | W | ABS, LD | MEM, LDX | MEM, ST, STX, JMP | JA, JMP | JEQ | K, JMP | JGT | X,
                                 JMP | JSET | K, ALU | ADD | K, ALU | DIV | K, ALU | LSH | K, RET | K, RET | A,
                                 MISC | TAX, LD | W | LEN};
  int accepted = 0;
  for (int round = 0; round < 400; ++round) {
    const std::size_t n = 2 + rng() % 10;
    Program p;
    for (std::size_t i = 0; i < n; ++i) {
      Insn in{codes[rng() % std::size(codes)], static_cast<std::uint8_t>(rng() % 4), static_cast<std::uint8_t>(rng() % 4),
              static_cast<std::uint32_t>(rng() % 6)};
      if (in.code == (LD | W | ABS)) in.k *= 4;
      p.push_back(in);
    }
    if (rng() % 4 != 0) p.back() = stmt(RET | K, kAllow);
    const bool ours = !verify(p).has_value();
    const int kernel = test::kernel_load_errno(p);
    accepted += kernel == 0;
    ASSERT_EQ(ours, kernel == 0) << "round " << round << ": " << disassemble(p)
                                 << (ours ? "verifier accepts" : verify(p)->to_string());
  }
  // Make sure the mix exercised both outcomes.
  EXPECT_GT(accepted, 20);
  EXPECT_LT(accepted, 380);
}

}  // namespace
}  // namespace seccage::bpf
