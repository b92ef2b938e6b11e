// The emulator against the kernel: hand-built programs (and one exported by
// libseccomp) are installed in a forked child, which makes real, harmless
// syscalls; what the kernel did must be what emulate() predicts for the same
// seccomp_data. Distinct paths return distinct errnos, so a wrong path shows.
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <random>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "support/child.hpp"

namespace seccage::bpf {
namespace {

using namespace op;

constexpr std::uint32_t kAllow = 0x7fff0000u;
constexpr std::uint32_t kErrno = 0x00050000u;
constexpr std::uint32_t kKillProcess = 0x80000000u;
// A number no arch uses: unfiltered, it fails with ENOSYS.
constexpr long kNoSuchSyscall = 1000;

std::uint32_t native_audit() { return arch_info(native_arch()).audit_arch; }
std::uint32_t lo(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

struct Call {
  long nr;
  std::array<std::uint64_t, 6> args{};
};
struct Observed {
  long ret;
  int err;
};

// The harness's own syscalls (reporting, exiting) must get through whatever
// the program under test does: a prefix allows them and falls into the body.
// (The syscalls under test are never these.)
Program with_harness(const Program& body) {
  Program p = {
      stmt(LD | W | ABS, kOffNr),
      jump(JMP | JEQ | K, SYS_write, 4, 0),
      jump(JMP | JEQ | K, SYS_close, 3, 0),  // run_in_child closes the pipe
      jump(JMP | JEQ | K, SYS_exit_group, 2, 0),
      jump(JMP | JEQ | K, SYS_exit, 1, 0),
      stmt(JMP | JA, 1),
      stmt(RET | K, kAllow),
  };
  p.insert(p.end(), body.begin(), body.end());
  return p;
}

Observed make_call(const Call& c) {
  errno = 0;
  const long r = ::syscall(c.nr, c.args[0], c.args[1], c.args[2], c.args[3], c.args[4], c.args[5]);
  return {r, errno};
}

// Runs every call unfiltered (the baseline an ALLOW must reproduce), installs
// `program`, runs them again. Both lists come back through the pipe.
struct Outcome {
  test::ChildResult child;
  std::vector<Observed> baseline, filtered;
};
Outcome run_calls(const Program& program, const std::vector<Call>& calls) {
  Outcome out;
  out.child = test::run_in_child([&](int fd) {
    for (const Call& c : calls) test::write_value(fd, make_call(c));
    if (int err = test::install_filter(program); err != 0) return 100 + err;
    // Each result is written at once, so a call that kills the child still
    // leaves the earlier ones.
    for (const Call& c : calls) test::write_value(fd, make_call(c));
    return 0;
  });
  auto all = test::read_values<Observed>(out.child.output);
  const std::size_t n = std::min(all.size(), calls.size());
  out.baseline.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  out.filtered.assign(all.begin() + static_cast<std::ptrdiff_t>(n), all.end());
  return out;
}

SeccompData data_for(const Call& c) {
  SeccompData d;
  d.nr = static_cast<std::int32_t>(c.nr);
  d.arch = native_audit();
  d.args = c.args;
  return d;
}

std::string show(const Call& c) {
  return fmt::format("nr {} args {:#x},{:#x},{:#x}", c.nr, c.args[0], c.args[1], c.args[2]);
}

// The core check: for each call, what the kernel did is what the emulator's
// action means. Returns how many calls got each kind of answer.
void expect_kernel_agrees(const Program& program, const std::vector<Call>& calls) {
  ASSERT_FALSE(verify(program)) << verify(program)->to_string();
  const Outcome o = run_calls(program, calls);
  ASSERT_TRUE(o.child.ok()) << o.child.describe();
  ASSERT_EQ(o.baseline.size(), calls.size());
  ASSERT_EQ(o.filtered.size(), calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const EmuResult e = emulate(program, data_for(calls[i]), std::endian::native == std::endian::little);
    ASSERT_FALSE(e.read_ip) << "the test cannot know the instruction pointer";
    const Observed& got = o.filtered[i];
    switch (e.action.kind) {
      case ActionKind::Errno:
        // ERRNO(0) makes the syscall return 0 without running it.
        EXPECT_EQ(got.ret, e.action.data == 0 ? 0 : -1) << show(calls[i]);
        EXPECT_EQ(got.err, e.action.data) << show(calls[i]) << " emulator: " << e.action.describe();
        break;
      case ActionKind::Allow:
      case ActionKind::Log:
        EXPECT_EQ(got.ret, o.baseline[i].ret) << show(calls[i]) << " emulator: " << e.action.describe();
        EXPECT_EQ(got.err, o.baseline[i].err) << show(calls[i]) << " emulator: " << e.action.describe();
        break;
      case ActionKind::Trace:
      case ActionKind::UserNotif:
        // With no tracer or listener attached, the kernel fails the call.
        EXPECT_EQ(got.ret, -1) << show(calls[i]);
        EXPECT_EQ(got.err, ENOSYS) << show(calls[i]) << " emulator: " << e.action.describe();
        break;
      default:
        ADD_FAILURE() << show(calls[i]) << ": fatal action " << e.action.describe() << " in a non-fatal test";
    }
  }
}

std::vector<Call> random_calls(long nr, std::size_t count, std::uint32_t seed) {
  // Edge values first, then random ones with all bits in play.
  const std::uint64_t edges[] = {0, 1, 2, 31, 32, 33, 63, 64, 0x7fffffff, 0x80000000, 0xffffffff,
                                 0x100000000ull, 0xffffffff00000000ull, ~0ull};
  std::vector<Call> calls;
  for (std::uint64_t a : edges) {
    for (std::uint64_t b : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{33}, a}) calls.push_back({nr, {a, b, a ^ b}});
  }
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < count; ++i) {
    std::uint64_t a = rng(), b = rng();
    if (i % 3 == 0) b &= 0x3f;  // shift-sized
    if (i % 5 == 0) a &= 0xfff;
    calls.push_back({nr, {a, b, rng()}});
  }
  return calls;
}

TEST(KernelEmulator, ArchAndNumberComparisons) {
  const Program body = {
      stmt(LD | W | ABS, kOffArch),                       // 0
      jump(JMP | JEQ | K, native_audit(), 1, 0),          // 1
      stmt(RET | K, kKillProcess),                        // 2
      stmt(LD | W | ABS, kOffNr),                         // 3
      jump(JMP | JEQ | K, SYS_getppid, 0, 1),             // 4
      stmt(RET | K, kErrno | 201),                        // 5
      jump(JMP | JGT | K, 999, 0, 4),                     // 6
      jump(JMP | JGE | K, 1001, 0, 1),                    // 7
      stmt(RET | K, kErrno | 202),                        // 8: exactly 1000
      jump(JMP | JSET | K, 1, 0, 1),                      // 9: above 1000: odd?
      stmt(RET | K, kErrno | 203),                        // 10
      jump(JMP | JSET | K, 1, 0, 1),                      // 11: below 1000: odd?
      stmt(RET | K, kErrno | 204),                        // 12
      stmt(RET | K, kAllow),                              // 13
  };
  std::vector<Call> calls;
  for (long nr : {long{SYS_getppid}, long{SYS_getuid}, long{SYS_getpid}, long{SYS_getgid}, kNoSuchSyscall,
                  kNoSuchSyscall + 1, kNoSuchSyscall + 2, kNoSuchSyscall + 3}) {
    calls.push_back({nr, {}});
  }
  calls.push_back({SYS_dup, {0x7ffffff0}});  // a bad fd: EBADF when allowed
  expect_kernel_agrees(with_harness(body), calls);
}

TEST(KernelEmulator, ConditionalJumpsWithX) {
  const Program body = {
      stmt(LD | W | ABS, arg_low_offset(1, true)),  // 0 (args must be in the low words: LE only below)
      stmt(MISC | TAX, 0),                          // 1: X = args[1]
      stmt(LD | W | ABS, arg_low_offset(0, true)),  // 2: A = args[0]
      jump(JMP | JEQ | X, 0, 0, 1),                 // 3
      stmt(RET | K, kErrno | 211),                  // 4
      jump(JMP | JGT | X, 0, 0, 1),                 // 5
      stmt(RET | K, kErrno | 212),                  // 6
      jump(JMP | JSET | X, 0, 0, 1),                // 7
      stmt(RET | K, kErrno | 213),                  // 8
      jump(JMP | JGE | X, 0, 1, 0),                 // 9 (never true here: A < X)
      stmt(RET | K, kErrno | 214),                  // 10
      stmt(RET | K, kErrno | 215),                  // 11
  };
  if (std::endian::native != std::endian::little) GTEST_SKIP() << "offsets assume little-endian";
  expect_kernel_agrees(with_harness(body), random_calls(kNoSuchSyscall, 60, 1));
}

// One program per ALU operation with X: A = args[0] op args[1], returned as
// the errno (A & 0xfff). Shifts by 32 or more and wraparound show here.
TEST(KernelEmulator, AluWithX) {
  if (std::endian::native != std::endian::little) GTEST_SKIP() << "offsets assume little-endian";
  for (std::uint16_t alu : {ADD, SUB, MUL, DIV, AND, OR, XOR, LSH, RSH}) {
    SCOPED_TRACE(fmt::format("ALU op {:#x}", alu));
    const Program body = {
        stmt(LD | W | ABS, 24),               // args[1] low
        stmt(MISC | TAX, 0),
        stmt(LD | W | ABS, 16),               // args[0] low
        stmt(static_cast<std::uint16_t>(ALU | alu | X), 0),
        // Fold the high bits in too, so a wrong high word changes the errno.
        stmt(ST, 0),
        stmt(ALU | RSH | K, 12),
        stmt(MISC | TAX, 0),
        stmt(LD | MEM, 0),
        stmt(ALU | XOR | X, 0),
        stmt(ALU | AND | K, 0xfff),
        stmt(ALU | OR | K, kErrno),
        stmt(RET | A, 0),
    };
    auto calls = random_calls(SYS_getppid, 80, alu);
    if (alu == DIV) std::erase_if(calls, [](const Call& c) { return lo(c.args[1]) == 0; });  // fatal: own test
    expect_kernel_agrees(with_harness(body), calls);
  }
}

TEST(KernelEmulator, AluWithConstantsNegAndLength) {
  if (std::endian::native != std::endian::little) GTEST_SKIP() << "offsets assume little-endian";
  const Program body = {
      stmt(LD | W | ABS, 20),          // args[0] high
      stmt(ALU | ADD | K, 0xfffffff9), // wraps
      stmt(ALU | MUL | K, 2654435761u),
      stmt(ALU | SUB | K, 77),
      stmt(ALU | DIV | K, 3),
      stmt(ALU | LSH | K, 3),
      stmt(ALU | RSH | K, 2),
      stmt(ALU | XOR | K, 0x5a5a5a5a),
      stmt(ALU | OR | K, 0x10),
      stmt(ALU | NEG, 0),
      stmt(LDX | W | LEN, 0),          // X = 64
      stmt(ALU | ADD | X, 0),
      stmt(ST, 7),
      stmt(LD | W | LEN, 0),           // A = 64
      stmt(LDX | MEM, 7),
      stmt(ALU | XOR | X, 0),
      stmt(ALU | AND | K, 0xfff),
      stmt(ALU | OR | K, kErrno),
      stmt(RET | A, 0),
  };
  expect_kernel_agrees(with_harness(body), random_calls(SYS_getppid, 100, 7));
}

TEST(KernelEmulator, ScratchMemoryAndArgumentHalves) {
  const bool le = std::endian::native == std::endian::little;
  const Program body = {
      stmt(LD | W | ABS, arg_high_offset(2, le)),  // 0
      stmt(ST, 15),                                 // 1
      stmt(LD | W | ABS, arg_low_offset(2, le)),   // 2
      stmt(ST, 0),                                  // 3
      stmt(LDX | MEM, 15),                          // 4: X = high
      stmt(STX, 8),                                 // 5
      jump(JMP | JEQ | K, 0, 0, 2),                 // 6: low == 0?
      stmt(MISC | TXA, 0),                          // 7: A = high
      jump(JMP | JEQ | K, 0, 5, 0),                 // 8: both zero -> 14
      stmt(LD | MEM, 8),                            // 9: high
      jump(JMP | JGE | K, 0x80000000, 0, 2),        // 10: "negative"
      stmt(LD | MEM, 0),                            // 11
      jump(JMP | JSET | K, 0x1, 2, 3),              // 12: -> 15 / 16
      stmt(JMP | JA, 3),                            // 13: -> 17
      stmt(RET | K, kErrno | 220),                  // 14
      stmt(RET | K, kErrno | 221),                  // 15
      stmt(RET | K, kErrno | 222),                  // 16
      stmt(LD | MEM, 0),                            // 17: low & 0xfff as errno
      stmt(ALU | AND | K, 0xfff),                   // 18
      stmt(ALU | OR | K, kErrno),                   // 19
      stmt(RET | A, 0),                             // 20
  };
  expect_kernel_agrees(with_harness(body), random_calls(SYS_getuid, 100, 3));
}

// RET A with the raw value taken from args[0]: how the kernel reads return
// values (ERRNO capped at 4095, ALLOW/LOG with data, TRACE and USER_NOTIF
// without anyone listening) must be how Action::from_ret reads them.
TEST(KernelEmulator, NonFatalReturnValues) {
  if (std::endian::native != std::endian::little) GTEST_SKIP() << "offsets assume little-endian";
  const Program body = {stmt(LD | W | ABS, 16), stmt(RET | A, 0)};
  std::vector<Call> calls;
  for (std::uint32_t ret : {kErrno | 1, kErrno | 0, kErrno | 4095, kErrno | 4096, kErrno | 5000, kErrno | 0xffff,
                            kAllow, kAllow | 1, kAllow | 0xffff, 0x7ffc0000u, 0x7ffc0042u, 0x7ff00000u, 0x7ff00009u,
                            0x7fc00000u}) {
    calls.push_back({SYS_getppid, {ret}});
    calls.push_back({kNoSuchSyscall, {ret}});
  }
  expect_kernel_agrees(with_harness(body), calls);
}

// Fatal results, one child each: the child must die of SIGSYS exactly when
// the emulator says the action kills.
TEST(KernelEmulator, FatalReturnValuesAndDivisionByZero) {
  if (std::endian::native != std::endian::little) GTEST_SKIP() << "offsets assume little-endian";
  const Program ret_arg = with_harness({stmt(LD | W | ABS, 16), stmt(RET | A, 0)});
  const Program div_x = with_harness({stmt(LDX | IMM, 0), stmt(LD | W | ABS, 16), stmt(ALU | DIV | X, 0),
                                      stmt(ALU | AND | K, 0xfff), stmt(ALU | OR | K, kErrno), stmt(RET | A, 0)});
  struct Case {
    const Program& program;
    std::uint64_t arg;
  };
  const Case cases[] = {{ret_arg, kKillProcess}, {ret_arg, 0},          {ret_arg, 0x00030005},
                        {ret_arg, 0x00120000},   {ret_arg, 0xffffffff}, {ret_arg, 0x80000001},
                        {div_x, 12345},          {ret_arg, kErrno | 9}};
  for (const Case& c : cases) {
    const Call call{kNoSuchSyscall, {c.arg}};
    const EmuResult e = emulate(c.program, data_for(call));
    const bool fatal = e.action.kind == ActionKind::KillProcess || e.action.kind == ActionKind::KillThread ||
                       e.action.kind == ActionKind::Trap;
    const Outcome o = run_calls(c.program, {call});
    if (fatal) {
      EXPECT_TRUE(o.child.signaled && o.child.signal == SIGSYS)
          << fmt::format("arg {:#x}: emulator says {}, child {}", c.arg, e.action.describe(), o.child.describe());
    } else {
      EXPECT_TRUE(o.child.ok()) << o.child.describe();
      ASSERT_EQ(o.filtered.size(), 1u);
      EXPECT_EQ(o.filtered[0].err, e.action.data);
    }
  }
  // The division case really is "return 0" (KILL_THREAD), not an error.
  EXPECT_EQ(emulate(div_x, data_for({kNoSuchSyscall, {5}})).ret, 0u);
}

// A filter libseccomp wrote (its own layout and jump style), read back through
// read_raw as the CLI reads files.
TEST(KernelEmulator, LibseccompExportedFilter) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(230));
  ASSERT_NE(ctx, nullptr);
  // The harness's own calls.
  for (int nr : {SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(exit_group), SCMP_SYS(exit)}) {
    ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0), 0);
  }
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getppid), 0), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(231), SCMP_SYS(getuid), 0), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(232), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 0x7ffffff0)), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(233), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_GT, 0x1ffffffffull)), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getpid), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00, 0x1200)),
            0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(234), SCMP_SYS(getgid), 1, SCMP_A2(SCMP_CMP_LT, 100)), 0);
  const int fd = ::memfd_create("seccage-export", MFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(seccomp_export_bpf(ctx, fd), 0);
  seccomp_release(ctx);
  const off_t size = ::lseek(fd, 0, SEEK_END);
  ASSERT_GT(size, 0);
  std::vector<std::byte> bytes(static_cast<std::size_t>(size));
  ASSERT_EQ(::pread(fd, bytes.data(), bytes.size(), 0), size);
  ::close(fd);
  const Program program = read_raw(bytes);

  std::vector<Call> calls = {
      {SYS_getppid, {}},
      {SYS_getuid, {}},
      {SYS_getgid, {5}},
      {SYS_getgid, {0, 0, 99}},
      {SYS_getgid, {0, 0, 100}},
      {SYS_getgid, {0, 0, 0xffffffff00000001ull}},  // 64-bit comparison: not below 100
      {SYS_dup, {0x7ffffff0}},
      {SYS_dup, {0x17ffffff0ull}},                    // same low word, different high word
      {SYS_dup, {0x200000000ull}},
      {SYS_dup, {0x7ffffff1}},
      {SYS_getpid, {0, 0x1234}},
      {SYS_getpid, {0, 0x1334}},
      {SYS_getpid, {0, 0xffffffff00001200ull}},
      {kNoSuchSyscall, {}},
      {SYS_getegid, {}},
  };
  expect_kernel_agrees(program, calls);
  // And the emulator saw the libseccomp program take different paths.
  EXPECT_NE(emulate(program, data_for(calls[0])).path, emulate(program, data_for(calls[1])).path);
}

// The child helper itself: statuses, signals, output, timeouts.
TEST(KernelChildHelper, CollectsOutputStatusAndSignals) {
  auto r = test::run_in_child([](int fd) {
    test::write_value(fd, 42);
    return 7;
  });
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(test::read_values<int>(r.output), std::vector<int>{42});
  EXPECT_EQ(r.describe(), "exited with status 7");

  r = test::run_in_child([](int) {
    ::raise(SIGSEGV);
    return 0;
  });
  EXPECT_TRUE(r.signaled);
  EXPECT_EQ(r.signal, SIGSEGV);

  r = test::run_in_child([](int) -> int { throw std::runtime_error("boom"); });
  EXPECT_EQ(r.exit_code, 125);

  r = test::run_in_child(
      [](int) {
        ::pause();
        return 0;
      },
      std::chrono::milliseconds(200));
  EXPECT_TRUE(r.timed_out);
  EXPECT_TRUE(r.signaled);
}

TEST(KernelChildHelper, FiltersStayInTheChild) {
  const Program deny_getppid = with_harness({stmt(LD | W | ABS, kOffNr), jump(JMP | JEQ | K, SYS_getppid, 0, 1),
                                             stmt(RET | K, kErrno | 240), stmt(RET | K, kAllow)});
  auto r = test::run_in_child([&](int fd) {
    if (test::install_filter(deny_getppid) != 0) return 1;
    test::write_value(fd, make_call({SYS_getppid, {}}));
    return 0;
  });
  ASSERT_TRUE(r.ok()) << r.describe();
  const auto got = test::read_values<Observed>(r.output);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].err, 240);
  // The test process itself is unfiltered.
  EXPECT_GE(::syscall(SYS_getppid), 0);
}

}  // namespace
}  // namespace seccage::bpf
