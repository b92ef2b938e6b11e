#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage::bpf {
namespace {

using namespace op;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string nr_comment(Arch arch, std::uint32_t nr) {
  auto name = syscall_name(arch, nr);
  return name ? fmt::format(" /* {} */", *name) : "";
}

const std::uint32_t kX86 = 0xc000003e;  // AUDIT_ARCH_X86_64 (linux/audit.h)

Program typical() {
  return {
      stmt(LD | W | ABS, kOffArch),            // 0
      jump(JMP | JEQ | K, kX86, 0, 8),         // 1
      stmt(LD | W | ABS, kOffNr),              // 2
      jump(JMP | JGE | K, 0x40000000, 6, 0),   // 3
      jump(JMP | JEQ | K, 59, 4, 0),           // 4
      jump(JMP | JEQ | K, 1, 0, 3),            // 5
      stmt(LD | W | ABS, 16),                  // 6
      jump(JMP | JGT | K, 2, 1, 2),            // 7
      stmt(RET | K, 0x7fff0000),               // 8
      stmt(RET | K, 0x00050001),               // 9
      stmt(RET | K, 0x80000000),               // 10
  };
}

TEST(Disasm, TypicalFilterReadsLikeSeccompTools) {
  const auto lines = lines_of(disassemble(typical()));
  ASSERT_EQ(lines.size(), 13u);
  EXPECT_EQ(lines[0], " line  CODE  JT   JF      K");
  EXPECT_EQ(lines[2], " 0000: 0x20 0x00 0x00 0x00000004  A = arch");
  EXPECT_EQ(lines[3], " 0001: 0x15 0x00 0x08 0xc000003e  if (A != AUDIT_ARCH_X86_64) goto 0010");
  EXPECT_EQ(lines[4], " 0002: 0x20 0x00 0x00 0x00000000  A = nr");
  EXPECT_EQ(lines[5], " 0003: 0x35 0x06 0x00 0x40000000  if (A >= 0x40000000) goto 0010");
  EXPECT_EQ(lines[6], " 0004: 0x15 0x04 0x00 0x0000003b  if (A == 59" + nr_comment(Arch::x86_64, 59) + ") goto 0009");
  EXPECT_EQ(lines[7], " 0005: 0x15 0x00 0x03 0x00000001  if (A != 1" + nr_comment(Arch::x86_64, 1) + ") goto 0009");
  EXPECT_EQ(lines[8], " 0006: 0x20 0x00 0x00 0x00000010  A = args[0] (low 32 bits)");
  EXPECT_EQ(lines[9], " 0007: 0x25 0x01 0x02 0x00000002  if (A > 2) goto 0009 else goto 0010");
  EXPECT_EQ(lines[10], " 0008: 0x06 0x00 0x00 0x7fff0000  return ALLOW");
  EXPECT_EQ(lines[11], " 0009: 0x06 0x00 0x00 0x00050001  return ERRNO(1) EPERM");
  EXPECT_EQ(lines[12], " 0010: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS");
  // The names come from the arch tables: x86_64's 59 is execve.
  EXPECT_EQ(nr_comment(Arch::x86_64, 59), " /* execve */");
}

TEST(Disasm, NoRawFieldsAndDescribeInsn) {
  DisasmOptions o;
  o.raw_fields = false;
  const auto lines = lines_of(disassemble(typical(), o));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[0], " 0000: A = arch");
  EXPECT_EQ(describe_insn(typical(), 6, o), " 0006: A = args[0] (low 32 bits)");
  // describe_insn sees the same inferred arch as the whole listing.
  EXPECT_EQ(describe_insn(typical(), 4, o), " 0004: if (A == 59 /* execve */) goto 0009");
}

TEST(Disasm, ArchOptionOverridesInference) {
  DisasmOptions o;
  o.raw_fields = false;
  o.arch = Arch::i386;
  EXPECT_EQ(describe_insn(typical(), 4, o), " 0004: if (A == 59" + nr_comment(Arch::i386, 59) + ") goto 0009");
  EXPECT_NE(nr_comment(Arch::i386, 59), nr_comment(Arch::x86_64, 59));
}

TEST(Disasm, ArchIsKnownOnlyWhereEveryPathChecked) {
  const std::uint32_t i386 = arch_info(Arch::i386).audit_arch;
  const Program p = {
      stmt(LD | W | ABS, kOffArch),          // 0
      jump(JMP | JEQ | K, kX86, 2, 0),       // 1: x86_64 -> 4
      jump(JMP | JEQ | K, i386, 3, 0),       // 2: i386 -> 6
      stmt(RET | K, 0),                      // 3: (arch unknown here)
      stmt(LD | W | ABS, kOffNr),            // 4: x86_64
      jump(JMP | JEQ | K, 59, 2, 1),         // 5: x86_64 -> 8 / 7
      stmt(LD | W | ABS, kOffNr),            // 6: i386 (and 5's false edge lands on 7)
      jump(JMP | JEQ | K, 59, 0, 0),         // 7: reached from x86_64 (5) and i386 (6): unknown
      stmt(RET | K, 0x7fff0000),             // 8
  };
  DisasmOptions o;
  o.raw_fields = false;
  EXPECT_EQ(describe_insn(p, 1, o), " 0001: if (A == AUDIT_ARCH_X86_64) goto 0004");
  EXPECT_EQ(describe_insn(p, 2, o), " 0002: if (A == AUDIT_ARCH_I386) goto 0006");
  EXPECT_EQ(describe_insn(p, 5, o), " 0005: if (A == 59" + nr_comment(Arch::x86_64, 59) + ") goto 0008 else goto 0007");
  EXPECT_EQ(describe_insn(p, 7, o), " 0007: if (A == 59) goto 0008");
}

TEST(Disasm, EveryKnownAuditArchIsNamed) {
  for (const ArchInfo& info : all_arches()) {
    const Program p = {stmt(LD | W | ABS, kOffArch), jump(JMP | JEQ | K, info.audit_arch, 0, 0), stmt(RET | K, 0)};
    const std::string line = describe_insn(p, 1, {std::nullopt, false});
    EXPECT_NE(line.find("A == AUDIT_ARCH_"), std::string::npos) << info.name << ": " << line;
  }
  // Spellings that differ from the arch names.
  const Program p = {stmt(LD | W | ABS, kOffArch), jump(JMP | JEQ | K, arch_info(Arch::mips64el).audit_arch, 0, 0),
                     stmt(RET | K, 0)};
  EXPECT_EQ(describe_insn(p, 1, {std::nullopt, false}), " 0001: if (A == AUDIT_ARCH_MIPSEL64) goto 0002");
}

TEST(Disasm, X32NumbersUnderTheSharedArchCheck) {
  const std::uint32_t x32_write = *syscall_number(Arch::x32, "write");
  const Program p = {stmt(LD | W | ABS, kOffArch), jump(JMP | JEQ | K, kX86, 0, 2), stmt(LD | W | ABS, kOffNr),
                     jump(JMP | JEQ | K, x32_write, 0, 0), stmt(RET | K, 0)};
  EXPECT_NE(describe_insn(p, 3, {std::nullopt, false}).find("/* write */"), std::string::npos)
      << describe_insn(p, 3, {std::nullopt, false});
}

TEST(Disasm, ArgumentHalvesFollowTheArchsByteOrder) {
  const Program p = {stmt(LD | W | ABS, 16), stmt(LD | W | ABS, 20), stmt(LD | W | ABS, 8), stmt(LD | W | ABS, 60),
                     stmt(RET | A, 0)};
  DisasmOptions o{std::nullopt, false};
  EXPECT_EQ(describe_insn(p, 0, o), " 0000: A = args[0] (low 32 bits)");
  EXPECT_EQ(describe_insn(p, 1, o), " 0001: A = args[0] (high 32 bits)");
  EXPECT_EQ(describe_insn(p, 2, o), " 0002: A = instruction_pointer (low 32 bits)");
  EXPECT_EQ(describe_insn(p, 3, o), " 0003: A = args[5] (high 32 bits)");
  o.arch = Arch::s390x;  // big-endian
  ASSERT_FALSE(arch_info(Arch::s390x).little_endian);
  EXPECT_EQ(describe_insn(p, 0, o), " 0000: A = args[0] (high 32 bits)");
  EXPECT_EQ(describe_insn(p, 1, o), " 0001: A = args[0] (low 32 bits)");
  EXPECT_EQ(describe_insn(p, 2, o), " 0002: A = instruction_pointer (high 32 bits)");
  // Inferred from the program's own arch check, too.
  const Program q = {stmt(LD | W | ABS, kOffArch), jump(JMP | JEQ | K, arch_info(Arch::s390x).audit_arch, 0, 1),
                     stmt(LD | W | ABS, 16), stmt(RET | A, 0)};
  EXPECT_EQ(describe_insn(q, 2, {std::nullopt, false}), " 0002: A = args[0] (high 32 bits)");
}

TEST(Disasm, EveryInstructionKind) {
  const Program p = {
      stmt(LD | IMM, 7), stmt(LDX | IMM, 0x12345), stmt(LD | W | LEN, 0), stmt(LDX | W | LEN, 0), stmt(ST, 3),
      stmt(STX, 15), stmt(LD | MEM, 3), stmt(LDX | MEM, 15), stmt(ALU | ADD | K, 5), stmt(ALU | SUB | X, 0),
      stmt(ALU | AND | K, 0xff), stmt(ALU | LSH | K, 4), stmt(ALU | NEG, 0), stmt(MISC | TAX, 0), stmt(MISC | TXA, 0),
      jump(JMP | JSET | K, 1, 0, 1), jump(JMP | JEQ | X, 0, 1, 0), stmt(JMP | JA, 0), stmt(RET | A, 0),
  };
  const std::vector<std::string> expected = {
      "A = 7", "X = 0x12345", "A = 64 /* sizeof(seccomp_data) */", "X = 64 /* sizeof(seccomp_data) */", "mem[3] = A",
      "mem[15] = X", "A = mem[3]", "X = mem[15]", "A += 5", "A -= X", "A &= 0xff", "A <<= 4", "A = -A", "X = A",
      "A = X", "if (!(A & 0x1)) goto 0017", "if (A == X) goto 0018", "goto 0018", "return A",
  };
  ASSERT_FALSE(verify(p)) << verify(p)->to_string();
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(describe_insn(p, i, {std::nullopt, false}), fmt::format(" {:04}: {}", i, expected[i]));
  }
}

TEST(Disasm, ReturnValuesAsTheKernelReadsThem) {
  auto ret = [](std::uint32_t k) {
    const Program p = {stmt(RET | K, k)};
    return describe_insn(p, 0, {std::nullopt, false}).substr(7);
  };
  EXPECT_EQ(ret(0x80000000), "return KILL_PROCESS");
  EXPECT_EQ(ret(0x00000000), "return KILL_THREAD");
  EXPECT_EQ(ret(0x00030005), "return TRAP(5)");
  EXPECT_EQ(ret(0x7fc00000), "return USER_NOTIF");
  EXPECT_EQ(ret(0x7ffc0000), "return LOG");
  EXPECT_EQ(ret(0x00120000), "return 0x00120000 (unknown action: the kernel kills the process)");
  EXPECT_EQ(ret(0x00051388), "return 0x00051388 (the kernel reads ERRNO(4095))");
  EXPECT_EQ(ret(0x7fff0001), "return 0x7fff0001 (the kernel reads ALLOW)");
}

TEST(Disasm, InvalidProgramsNeverCrash) {
  // --force disassembles anything: every 16-bit opcode, wild jumps.
  Program p;
  for (std::uint32_t c = 0; c <= 0xffff; ++c) p.push_back({static_cast<std::uint16_t>(c), 0xff, 0xfe, 0xfffffff0u});
  const std::string text = disassemble(p);
  EXPECT_EQ(lines_of(text).size(), p.size() + 2);
  EXPECT_NE(text.find("A %= 0xfffffff0"), std::string::npos);
  EXPECT_NE(text.find("unknown opcode 0xffff"), std::string::npos);
  EXPECT_EQ(describe_insn(p, p.size()), " 65536: (past the end)");
}

}  // namespace
}  // namespace seccage::bpf
