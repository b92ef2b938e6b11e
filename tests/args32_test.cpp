// Conditions on 32-bit syscall arguments (docs/semantics.md, "32-bit
// arguments"): the kernel reads `int fd` as the low word, so seccage's own
// policy forms decide on it, while OCI profiles keep libseccomp's 64-bit
// meaning. Emulator, evaluator, libseccomp and the real kernel.
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <random>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/lint.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/profile.hpp"
#include "seccage/sandbox.hpp"
#include "seccage/writers.hpp"
#include "support/child.hpp"
#include "syntax/rule_options.hpp"
#include "support/libseccomp_ref.hpp"

namespace seccage {
namespace {

constexpr std::uint16_t kErr = 42;  // ENOMSG: nothing else returns it here

Policy text(std::string_view src) { return read_text_policy_text(src, "t.policy").policy; }

// A policy for x86_64 alone, so the tests read the same on any host.
Policy x86(Policy p) {
  p.arches = {Arch::x86_64};
  return p;
}

std::string oci_write_eq2() {
  return R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
                           "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]})";
}

Action run(const bpf::Program& prog, Arch arch, const char* name, std::array<std::uint64_t, 6> args) {
  bpf::SeccompData d;
  d.arch = arch_info(arch).audit_arch;
  d.nr = static_cast<std::int32_t>(*syscall_number(arch, name));
  d.args = args;
  return bpf::emulate(prog, d, arch_info(arch).little_endian).action;
}

// The policy's rule on `name` (the io_uring guard adds rules of its own).
const Rule& rule_on(const Policy& p, const std::string& name) {
  static const Rule none;
  for (const Rule& r : p.rules)
    if (r.syscall == SyscallRef{name}) return r;
  ADD_FAILURE() << "no rule on " << name;
  return none;
}

TEST(Args32, TextPolicyDecidesOnTheLowWord) {
  const Policy p = x86(text("default allow\nerrno(42) write: arg0 == 2\n"));
  // The write rule, then the io_uring guard's three (IORING_OP_WRITE would do a denied write).
  ASSERT_EQ(p.rules.size(), 4u);
  const Rule& w = rule_on(p, "write");
  ASSERT_EQ(w.conditions.size(), 1u);
  EXPECT_EQ(w.conditions[0].width, ArgWidth::U32);
  const bpf::Program prog = compile(p);
  const Evaluator eval(p);
  for (std::uint64_t fd : {2ull, 0x100000002ull, 0xffffffff00000002ull, 0x8000000000000002ull}) {
    EXPECT_EQ(run(prog, Arch::x86_64, "write", {fd}), Action::errno_(kErr)) << std::hex << fd;
    EXPECT_EQ(eval.evaluate(arch_info(Arch::x86_64).audit_arch, 1, {fd}), Action::errno_(kErr)) << std::hex << fd;
  }
  for (std::uint64_t fd : {1ull, 3ull, 0x100000003ull, 0x200000000ull})
    EXPECT_EQ(run(prog, Arch::x86_64, "write", {fd}), Action::allow()) << std::hex << fd;
  // The program compares the low word only: no load of arg0's high word.
  for (const bpf::Insn& i : prog)
    EXPECT_FALSE(i.code == (bpf::op::LD | bpf::op::W | bpf::op::ABS) && i.k == bpf::kOffArgs + 4) << bpf::disassemble(prog);
}

TEST(Args32, OciProfileKeepsLibseccompsMeaning) {
  const Policy p = read_oci_profile_text(oci_write_eq2(), "p.json").policy;
  EXPECT_EQ(p.rules[0].conditions[0].width, ArgWidth::U64);
  const bpf::Program ours = compile(p);
  const bpf::Program theirs = test::libseccomp_compile(p).program;
  for (std::uint64_t fd : {2ull, 0x100000002ull, 3ull, 0xffffffff00000002ull}) {
    const Action a = run(ours, Arch::x86_64, "write", {fd});
    EXPECT_EQ(a, run(theirs, Arch::x86_64, "write", {fd})) << std::hex << fd;
    EXPECT_EQ(a, fd == 2 ? Action::errno_(kErr) : Action::allow()) << std::hex << fd;
  }
}

TEST(Args32, RuleOptionsDecideOnTheLowWord) {
  Policy p;
  p.arches = {Arch::x86_64};
  p.default_action = Action::allow();
  p.rules = cli::parse_deny_option("--deny", "write:arg0==2:42", std::vector<Arch>{Arch::x86_64});
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_EQ(p.rules[0].conditions[0].width, ArgWidth::U32);
  EXPECT_EQ(run(compile(p), Arch::x86_64, "write", {0x100000002}), Action::errno_(kErr));
}

TEST(Args32, FilterAddUsesTheKernelsWidths) {
  Filter f(Action::allow());
  f.arch(Arch::x86_64);
  f.add(Action::kill_process(), "write", {arg(0) != 1});
  EXPECT_EQ(f.policy().rules[0].conditions[0].width, ArgWidth::U32);
  const bpf::Program prog = compile(f.policy());
  EXPECT_EQ(run(prog, Arch::x86_64, "write", {0x100000001}), Action::allow());
  EXPECT_EQ(run(prog, Arch::x86_64, "write", {2}), Action::kill_process());
}

TEST(Args32, SignExtensionAndConstants) {
  // AT_FDCWD (-100) as an int: written as a 64-bit -100, it is the low word
  // 0xffffff9c whatever the high word holds.
  const Policy p = x86(text("default allow\nerrno(42) openat: arg0 == -100\n"
                            "errno(43) kill: arg1 > 0x7fffffff\n"  // a negative signal number
                            "errno(44) socket: arg0 == 0x100000002\n"));  // no int is that: never
  const bpf::Program prog = compile(p);
  EXPECT_EQ(run(prog, Arch::x86_64, "openat", {0xffffff9c}), Action::errno_(42));
  EXPECT_EQ(run(prog, Arch::x86_64, "openat", {0xffffffffffffff9c}), Action::errno_(42));
  EXPECT_EQ(run(prog, Arch::x86_64, "openat", {0xffffff9b}), Action::allow());
  EXPECT_EQ(run(prog, Arch::x86_64, "kill", {1, 0x80000000}), Action::errno_(43));
  EXPECT_EQ(run(prog, Arch::x86_64, "kill", {1, 0x100000000}), Action::allow());
  EXPECT_EQ(run(prog, Arch::x86_64, "socket", {2}), Action::allow());
  EXPECT_EQ(run(prog, Arch::x86_64, "socket", {0x100000002}), Action::allow());
  // An allow that always holds on an unsigned int becomes unconditional, so
  // the kernel's cache still covers it.
  const Policy q = x86(text("default kill\nallow personality: arg0 <= 0xffffffff\nallow exit_group\n"));
  ASSERT_EQ(q.rules.size(), 2u);
  bpf::SeccompData d;
  d.arch = arch_info(Arch::x86_64).audit_arch;
  d.nr = static_cast<std::int32_t>(*syscall_number(Arch::x86_64, "personality"));
  d.args = {0x1234567800000008};
  const bpf::EmuResult r = bpf::emulate(compile(q), d);
  EXPECT_EQ(r.action, Action::allow());
  EXPECT_TRUE(r.cacheable);
}

// Random policies with 32-bit conditions: the compiled program must match the
// evaluator, and a one-rule policy's evaluator must match the definition
// (Condition::matches on the extended low word) on every arch.
TEST(Args32, RandomPoliciesCompilerEvaluatorAndDefinitionAgree) {
  std::mt19937_64 rng(32);
  const std::uint64_t values[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000002,
                                  0xffffffff80000000, 0xffffffff7fffffff, 0xfffffffffffffffe, 0xffffffffffffffff};
  auto pick = [&] { return rng() % 4 == 0 ? rng() : values[rng() % std::size(values)]; };
  for (int round = 0; round < 300; ++round) {
    Policy p;
    p.arches = {round % 3 == 0 ? Arch::i386 : Arch::x86_64};
    p.default_action = Action::allow();
    const int rules = 1 + (round % 2 == 0 ? 0 : static_cast<int>(rng() % 4));
    for (int r = 0; r < rules; ++r) {
      Rule rule{std::string("getpriority"), Action::errno_(static_cast<std::uint16_t>(1 + rng() % 50)), {}, {}};
      for (std::uint8_t a = 0; a < 2; ++a) {
        if (rng() % 3 == 0 && a == 1) continue;
        Condition c{a, static_cast<CmpOp>(rng() % 7), pick(), pick(), rng() % 2 ? ArgWidth::S32 : ArgWidth::U32};
        if (c.op == CmpOp::MaskedEq) c.value &= c.mask;
        rule.conditions.push_back(c);
      }
      p.rules.push_back(rule);
    }
    const Arch arch = p.arches[0];
    const bpf::Program prog = compile(p);
    const Evaluator eval(p);
    for (int k = 0; k < 64; ++k) {
      std::array<std::uint64_t, 6> args{pick(), pick()};
      if (arch == Arch::i386) args = {args[0] & 0xffffffff, args[1] & 0xffffffff};
      const Action want = eval.evaluate(arch_info(arch).audit_arch, *syscall_number(arch, "getpriority"), args);
      ASSERT_EQ(run(prog, arch, "getpriority", args), want) << "round " << round;
      if (p.rules.size() == 1) {
        const Rule& only = p.rules[0];
        const bool hit = std::all_of(only.conditions.begin(), only.conditions.end(),
                                     [&](const Condition& c) { return c.matches(args[c.arg]); });
        ASSERT_EQ(want, hit ? only.action : p.default_action)
            << "round " << round << " " << only.conditions[0].to_string() << fmt::format(" {:#x} {:#x}", args[0], args[1]);
      }
    }
  }
}

TEST(Args32, TextWidthsRoundTripThroughTheWriter) {
  // An OCI rule on an fd is 64-bit: its text form says so, and reads back the same.
  Policy oci = read_oci_profile_text(oci_write_eq2(), "p.json").policy;
  const std::string t = write_text_policy(oci);
  EXPECT_NE(t.find("arg0.u64 == 2"), std::string::npos) << t;
  const Policy back = read_text_policy_text(t, "back.policy").policy;
  // Read as text, the policy gets the io_uring guard's rules after its own.
  ASSERT_EQ(back.rules.size(), 4u);
  const Rule& w = rule_on(back, "write");
  ASSERT_EQ(w.conditions.size(), 1u);
  EXPECT_EQ(w.conditions[0].width, ArgWidth::U64);
  // A text rule on an fd has the kernel's width and writes as plain argN.
  const Policy own = text("default allow\nerrno(42) write: arg0 == 2\n");
  EXPECT_NE(write_text_policy(own).find("write: arg0 == 2"), std::string::npos);
  // Mixing widths for one argument of one syscall is refused.
  EXPECT_THROW(text("default allow\nerrno(42) write: arg0 == 2\nerrno(43) write: arg0.u64 == 3\n"), InputError);
  EXPECT_THROW(text("default allow\nerrno(42) write: arg0.u16 == 2\n"), InputError);
}

TEST(Args32, OciWriterIsExactOrRefuses) {
  const Policy eq = text("default allow\nerrno(42) write: arg0 == 2\n");
  const std::string json = write_oci_json(eq);
  EXPECT_NE(json.find("SCMP_CMP_MASKED_EQ"), std::string::npos) << json;
  // Read back as OCI (64-bit), it decides as the text policy did.
  const Policy back = x86(read_oci_profile_text(json, "w.json").policy);
  EXPECT_EQ(run(compile(back), Arch::x86_64, "write", {0x100000002}), Action::errno_(kErr));
  EXPECT_EQ(run(compile(back), Arch::x86_64, "write", {3}), Action::allow());
  // != on the low word: 32 disjoint masked tests, exact.
  const Policy ne = x86(read_oci_profile_text(write_oci_json(text("default allow\nkill write: arg0 != 1\n")), "ne.json").policy);
  for (std::uint64_t fd : {1ull, 0x100000001ull, 0xffffffff00000001ull})
    EXPECT_EQ(run(compile(ne), Arch::x86_64, "write", {fd}), Action::allow()) << std::hex << fd;
  for (std::uint64_t fd : {0ull, 2ull, 0x80000001ull, 0x100000000ull})
    EXPECT_EQ(run(compile(ne), Arch::x86_64, "write", {fd}), Action::kill_process()) << std::hex << fd;
  // Too many combinations: refused with a way out, never widened.
  try {
    (void)write_oci_json(text("default allow\nkill dup2: arg0 != 1 && arg1 != 2\n"));
    ADD_FAILURE() << "expected a refusal";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("argN.u64"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW((void)write_oci_json(text("default allow\nkill write: arg0.u64 != 1\n")));
}

// Every operator and boundary operand, both widths: the OCI JSON written
// for a 32-bit condition, read back with libseccomp's 64-bit meaning, decides
// as the policy on every probe (high-word garbage included).
TEST(Args32, OciWriterIsExactForEveryOperator) {
  const std::uint64_t operands[] = {0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
                                    0x100000000, 0xffffffff7fffffff, 0xffffffff80000000, 0xfffffffffffffffe,
                                    0xffffffffffffffff};
  std::vector<std::uint64_t> probes;
  for (std::uint64_t lo : {0ull, 1ull, 2ull, 3ull, 0x7ffffffeull, 0x7fffffffull, 0x80000000ull, 0x80000001ull,
                           0xfffffffeull, 0xffffffffull, 0x12345ull})
    for (std::uint64_t hi : {0ull, 1ull, 0x80000000ull, 0xffffffffull}) probes.push_back(hi << 32 | lo);
  for (ArgWidth w : {ArgWidth::S32, ArgWidth::U32}) {
    for (int op = 0; op <= static_cast<int>(CmpOp::GE); ++op) {
      for (std::uint64_t d : operands) {
        Policy p;
        p.arches = {Arch::x86_64};
        p.default_action = Action::allow();
        p.rules = {Rule{std::string("getpriority"), Action::errno_(kErr),
                        {Condition{0, static_cast<CmpOp>(op), d, 0, w}}, {}}};
        const Policy back = x86(read_oci_profile_text(write_oci_json(p), "w.json").policy);
        const bpf::Program want = compile(p), got = compile(back);
        for (std::uint64_t a : probes)
          ASSERT_EQ(run(got, Arch::x86_64, "getpriority", {a}), run(want, Arch::x86_64, "getpriority", {a}))
              << p.rules[0].conditions[0].to_string() << " width " << static_cast<int>(w) << fmt::format(" on {:#x}", a);
      }
    }
  }
}

// Several rules on one syscall, with different actions and overlapping
// conditions: libseccomp's precedence between them must survive the split
// into masked tests, or the writer must refuse (it did not before: a 64-bit
// `<=` and a 32-bit `==` on one fd decided differently once written).
TEST(Args32, OciWriterIsExactForOverlappingRules) {
  std::mt19937_64 rng(64);
  const std::uint64_t values[] = {0, 1, 2, 3, 5, 0x7fffffff, 0x80000000, 0xffffffff, 0xffffffff80000000};
  auto pick = [&] { return values[rng() % std::size(values)]; };
  int refused = 0;
  for (int round = 0; round < 400; ++round) {
    Policy p;
    p.arches = {Arch::x86_64};
    p.default_action = Action::allow();
    const int rules = 2 + static_cast<int>(rng() % 2);
    for (int r = 0; r < rules; ++r) {
      Rule rule{std::string("getpriority"), Action::errno_(static_cast<std::uint16_t>(1 + rng() % 3)), {}, {}};
      for (std::uint8_t a = 0; a < 2; ++a) {
        if (rng() % 2 == 0) continue;
        const auto op = static_cast<CmpOp>(rng() % 6);  // the masked ones are covered above
        rule.conditions.push_back(Condition{a, op, pick(), 0, rng() % 2 ? ArgWidth::S32 : ArgWidth::U64});
      }
      if (rule.conditions.empty()) rule.conditions.push_back(Condition{0, CmpOp::EQ, pick(), 0, ArgWidth::S32});
      p.rules.push_back(rule);
    }
    std::string json;
    try {
      json = write_oci_json(p);
    } catch (const InputError&) {
      ++refused;
      continue;
    }
    const Policy back = x86(read_oci_profile_text(json, "w.json").policy);
    const bpf::Program want = compile(p), got = compile(back);
    for (int k = 0; k < 64; ++k) {
      const std::array<std::uint64_t, 6> args{pick() ^ (rng() % 2 ? 0x100000000ull : 0), pick()};
      ASSERT_EQ(run(got, Arch::x86_64, "getpriority", args), run(want, Arch::x86_64, "getpriority", args))
          << "round " << round << fmt::format(" args {:#x} {:#x}\n", args[0], args[1]) << write_text_policy(p) << json;
    }
  }
  EXPECT_GT(400 - refused, 100);  // written, disjoint or of one action, and checked
}

TEST(Args32, CheckWarnsOnSidesteppableComparisons) {
  const LintReport r = lint_oci_profile(oci_write_eq2(), "p.json");
  const auto it = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.code == "wide-compare"; });
  ASSERT_NE(it, r.findings.end());
  EXPECT_NE(it->message.find("0x100000002"), std::string::npos) << it->message;
  EXPECT_NE(it->message.find("write arg0"), std::string::npos) << it->message;
  // A masked test within the low word cannot be sidestepped: no warning.
  const std::string masked = R"({"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
      "syscalls": [{"names": ["openat"], "action": "SCMP_ACT_ERRNO",
                    "args": [{"index": 2, "value": 3, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]}]})";
  const LintReport m = lint_oci_profile(masked, "m.json");
  EXPECT_TRUE(std::none_of(m.findings.begin(), m.findings.end(), [](const Finding& f) { return f.code == "wide-compare"; }));
}

// Docker's default profile: the only sidesteppable comparison is socket's
// `arg0 != AF_VSOCK` allow (socket(0x100000028) makes an AF_VSOCK socket);
// personality's values and clone's mask within the low word stay quiet.
TEST(Args32, DockerDefaultGetsOnlyTheSocketWarning) {
  std::ifstream in(std::filesystem::path(SECCAGE_TEST_DATA_DIR) / "profiles" / "docker-default.json");
  std::stringstream s;
  s << in.rdbuf();
  OciResolveOptions ro;
  const LintReport r = lint_oci_profile(s.str(), "docker-default.json", ro);
  std::vector<const Finding*> wide;
  for (const Finding& f : r.findings)
    if (f.code == "wide-compare") wide.push_back(&f);
  ASSERT_FALSE(wide.empty());
  EXPECT_LE(wide.size(), 2u);
  for (const Finding* f : wide) EXPECT_NE(f->message.find("socket arg0"), std::string::npos) << f->message;
  EXPECT_NE(wide[0]->message.find("0x100000028"), std::string::npos) << wide[0]->message;
}

#if defined(__x86_64__)
// The real kernel: write(0x100000002, ...) writes to fd 2. The filter from a
// text policy denies it; libseccomp's filter from the same rule as OCI JSON
// does not, and seccage's filter from that JSON decides as libseccomp's.
long raw_write_in_child(const bpf::Program& prog, std::uint64_t fd) {
  const test::ChildResult r = test::run_in_child([&](int report) {
    if (test::install_filter(prog) != 0) return 3;
    const long rc = syscall(SYS_write, fd, "", 0);
    const long out = rc < 0 ? -errno : rc;
    return test::write_value(report, out) ? 0 : 4;
  });
  EXPECT_TRUE(r.ok()) << r.describe();
  const auto v = test::read_values<long>(r.output);
  return v.empty() ? -9999 : v[0];
}

TEST(Args32Kernel, TextPolicyDeniesTheHighWordTrick) {
  const Policy p = x86(text("default allow\nerrno(42) write: arg0 == 2\n"));
  EXPECT_EQ(raw_write_in_child(compile(p), 0x100000002), -kErr);
  EXPECT_EQ(raw_write_in_child(compile(p), 2), -kErr);
  Policy opt;
  opt.arches = {Arch::x86_64};
  opt.default_action = Action::allow();
  opt.rules = cli::parse_deny_option("--deny", "write:arg0==2:42", std::vector<Arch>{Arch::x86_64});
  EXPECT_EQ(raw_write_in_child(compile(opt), 0x100000002), -kErr);
}

TEST(Args32Kernel, OciProfileKeepsLibseccompsDecision) {
  const Policy p = read_oci_profile_text(oci_write_eq2(), "p.json").policy;
  const long ours = raw_write_in_child(compile(p), 0x100000002);
  const long theirs = raw_write_in_child(test::libseccomp_compile(p).program, 0x100000002);
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(ours, 0);  // not denied: the 64-bit comparison misses it, and fd 2 takes the empty write
}
#endif

}  // namespace
}  // namespace seccage
