// The drop-in's own API, called in-process (exports only: nothing here loads
// a filter into the test process; loads happen in forked children): 2.6's
// additions, libseccomp's 2.6.1/2.6.2 security fixes as regression cases, the
// multiplexer modes, and the program against seccage's reference semantics.
#include <seccomp.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "model_check.hpp"
#include "seccage/bpf.hpp"
#include "seccage/policy.hpp"

namespace seccage::compat_test {
namespace {

bpf::Program exported(scmp_filter_ctx ctx) {
  size_t len = 0;
  EXPECT_EQ(seccomp_export_bpf_mem(ctx, nullptr, &len), 0);
  bpf::Program program(len / sizeof(bpf::Insn));
  EXPECT_EQ(seccomp_export_bpf_mem(ctx, program.data(), &len), 0);
  return program;
}

struct Ctx {
  scmp_filter_ctx ctx;
  explicit Ctx(uint32_t def) : ctx(seccomp_init(def)) {}
  ~Ctx() { seccomp_release(ctx); }
  operator scmp_filter_ctx() const { return ctx; }
};

Rule rule(const char* name, Action action, std::vector<Condition> conds = {}) {
  Rule r;
  r.syscall = std::string(name);
  r.action = action;
  r.conditions = std::move(conds);
  return r;
}

Policy libseccomp_policy(Action def, std::vector<Rule> rules) {
  Policy p;
  p.default_action = def;
  p.arches = {native_arch()};
  p.rules = std::move(rules);
  p.enosys_for_unknown = false;
  p.bad_arch_action = Action::kill_thread();  // libseccomp's default, SCMP_ACT_KILL
  return p;
}

// Runs `body` in a forked child and returns its exit status (as waitpid).
template <typename Body>
int in_child(Body&& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(CompatApi, ExportBpfMemSizesAndRefusesShortBuffers) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 3)), 0);
  size_t len = 0;
  ASSERT_EQ(seccomp_export_bpf_mem(ctx, nullptr, &len), 0);
  ASSERT_GT(len, 0u);
  ASSERT_EQ(len % 8, 0u);
  std::vector<char> small(len - 8);
  size_t small_len = small.size();
  EXPECT_EQ(seccomp_export_bpf_mem(ctx, small.data(), &small_len), -ERANGE);
  EXPECT_EQ(small_len, len);
  EXPECT_EQ(seccomp_export_bpf_mem(ctx, nullptr, nullptr), -EINVAL);
  EXPECT_EQ(seccomp_export_bpf_mem(nullptr, nullptr, &len), -EINVAL);
  const bpf::Program program = exported(ctx);
  EXPECT_FALSE(bpf::verify(program).has_value());
  EXPECT_TRUE(mismatches_with_model(program, libseccomp_policy(Action::allow(),
                                                               {rule("dup", Action::errno_(1), {arg(0) == 3})}))
                  .empty());
}

TEST(CompatApi, TransactionRejectRestoresAndCommitKeeps) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 0), 0);
  const bpf::Program before = exported(ctx);
  ASSERT_EQ(seccomp_transaction_start(ctx), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(dup2), 0), 0);
  ASSERT_EQ(seccomp_arch_add(ctx, SCMP_ARCH_X86), 0);
  EXPECT_NE(exported(ctx), before);
  seccomp_transaction_reject(ctx);
  EXPECT_EQ(exported(ctx), before);
  EXPECT_EQ(seccomp_arch_exist(ctx, SCMP_ARCH_X86), -EEXIST);

  ASSERT_EQ(seccomp_transaction_start(ctx), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(dup2), 0), 0);
  ASSERT_EQ(seccomp_transaction_commit(ctx), 0);
  EXPECT_TRUE(mismatches_with_model(exported(ctx), libseccomp_policy(Action::allow(),
                                                                     {rule("dup", Action::errno_(1)),
                                                                      rule("dup2", Action::errno_(2))}))
                  .empty());
}

// libseccomp 2.6.2: seccomp_transaction_reject without a start crashed.
TEST(CompatApi, TransactionRejectWithoutStartIsHarmless) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 0), 0);
  const bpf::Program before = exported(ctx);
  seccomp_transaction_reject(ctx);
  seccomp_transaction_reject(ctx);
  seccomp_transaction_reject(nullptr);
  EXPECT_EQ(exported(ctx), before);
  EXPECT_EQ(seccomp_transaction_commit(ctx), -EINVAL);  // nothing to commit
  EXPECT_EQ(seccomp_transaction_start(nullptr), -EINVAL);
}

TEST(CompatApi, NestedTransactions) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_transaction_start(ctx), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 0), 0);
  const bpf::Program outer = exported(ctx);
  ASSERT_EQ(seccomp_transaction_start(ctx), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(dup2), 0), 0);
  seccomp_transaction_reject(ctx);
  EXPECT_EQ(exported(ctx), outer);
  ASSERT_EQ(seccomp_transaction_commit(ctx), 0);
  EXPECT_EQ(exported(ctx), outer);
}

// libseccomp 2.5.4 never finishes building this filter (its tree links into a
// loop; the infinite loop 2.6.1 fixed). The drop-in refuses the rule that
// closes the loop, at once, and the rest decides as the model says.
TEST(CompatApi, LoopingRulesAreRefusedNotSpun) {
  Ctx ctx(SCMP_ACT_ALLOW);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_KILL_THREAD, SCMP_SYS(read), 2, SCMP_A3(SCMP_CMP_LT, 0x7fffffffffffffffULL),
                             SCMP_A2(SCMP_CMP_NE, 5)),
            0);
  EXPECT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 2, SCMP_A3(SCMP_CMP_NE, 5), SCMP_A2(SCMP_CMP_NE, 5)),
            -EEXIST);
  const bpf::Program program = exported(ctx);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(mismatches_with_model(
                  program, libseccomp_policy(Action::allow(), {rule("read", Action::kill_thread(),
                                                                    {arg(3) < 0x7fffffffffffffffULL, arg(2) != 5})}))
                  .empty());
}

// 2.6.1: 64-bit comparisons on one argument merged wrongly, and the
// accumulator was not reloaded after a deeper level: rules mixing high and
// low words on two arguments, checked against the reference semantics.
TEST(CompatApi, SixtyFourBitComparisonsAndReloadsDecideExactly) {
  Ctx ctx(SCMP_ACT_ALLOW);
  std::vector<Rule> rules;
  auto add = [&](uint32_t act, Action action, std::vector<scmp_arg_cmp> c, std::vector<Condition> model) {
    int rc = seccomp_rule_add_array(ctx, act, SCMP_SYS(lseek), static_cast<unsigned>(c.size()), c.data());
    if (rc == 0) rules.push_back(rule("lseek", action, std::move(model)));
    return rc;
  };
  EXPECT_EQ(add(SCMP_ACT_ERRNO(1), Action::errno_(1), {SCMP_A0(SCMP_CMP_GT, 0x100000000ULL)}, {arg(0) > 0x100000000ULL}), 0);
  EXPECT_EQ(add(SCMP_ACT_ERRNO(2), Action::errno_(2), {SCMP_A0(SCMP_CMP_EQ, 0x100000005ULL), SCMP_A1(SCMP_CMP_EQ, 5)},
                {arg(0) == 0x100000005ULL, arg(1) == 5}),
            0);
  EXPECT_EQ(add(SCMP_ACT_ERRNO(3), Action::errno_(3), {SCMP_A1(SCMP_CMP_GE, 0x1ffffffffULL), SCMP_A2(SCMP_CMP_LT, 2)},
                {arg(1) >= 0x1ffffffffULL, arg(2) < 2}),
            0);
  EXPECT_EQ(add(SCMP_ACT_KILL_PROCESS, Action::kill_process(), {SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffff00000000ULL, 0x100000000ULL)},
                {(arg(2) & 0xffffffff00000000ULL) == 0x100000000ULL}),
            0);
  const auto bad = mismatches_with_model(exported(ctx), libseccomp_policy(Action::allow(), rules));
  EXPECT_TRUE(bad.empty()) << bad.front();
}

// 2.6.1: in a filter for several arches whose first entry for an arch was a
// pseudo syscall, the syscall number was compared without being loaded, so
// every rule of that arch was dead.
TEST(CompatApi, PseudoSyscallFirstStillLoadsTheNumber) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_arch_add(ctx, SCMP_ARCH_X32), 0);
  // The priority libseccomp's bug needed; seccage's layout ignores it.
  (void)seccomp_syscall_priority(ctx, seccomp_syscall_resolve_name("ipc"), 255);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), seccomp_syscall_resolve_name("ipc"), 0), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(read), 0), 0);
  Policy p = libseccomp_policy(Action::allow(), {rule("read", Action::errno_(2))});
  p.arches = {Arch::x86_64, Arch::x32};
  const bpf::Program program = exported(ctx);
  EXPECT_TRUE(mismatches_with_model(program, p).empty());
  bpf::SeccompData read_call;
  read_call.arch = 0xc000003e;
  read_call.nr = 0;
  EXPECT_EQ(bpf::emulate(program, read_call).action, Action::errno_(2));
  read_call.nr = 0x40000000;  // x32 read
  EXPECT_EQ(bpf::emulate(program, read_call).action, Action::errno_(2));
}

// 2.6.1: oversized filters (a double free in libseccomp). Many rules: either
// a verified program or a clean error, never a crash.
TEST(CompatApi, OversizedFiltersFailCleanly) {
  Ctx ctx(SCMP_ACT_ALLOW);
  for (uint64_t v = 0; v < 3000; ++v) {
    ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, v * 0x10001ULL)), 0);
    if (v % 300 == SCMP_SYS(ioctl)) continue;
    ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), static_cast<int>(v % 300), 1, SCMP_A0(SCMP_CMP_EQ, v)), 0);
  }
  size_t len = 0;
  const int rc = seccomp_export_bpf_mem(ctx, nullptr, &len);
  if (rc == 0) {
    EXPECT_LE(len / 8, bpf::kMaxInsns);
    EXPECT_FALSE(bpf::verify(exported(ctx)).has_value());
  } else {
    EXPECT_EQ(rc, -EINVAL);
  }
}

// socketcall/ipc on i386: by default (Safe) a conditional allow of socket is
// not carried to socketcall, whose pointer hides the arguments; with
// SECCAGE_COMPAT_MULTIPLEX=compatible it is, as libseccomp does.
TEST(CompatApi, MultiplexerModes) {
  for (bool compatible : {false, true}) {
    if (compatible) {
      setenv("SECCAGE_COMPAT_MULTIPLEX", "compatible", 1);
    } else {
      unsetenv("SECCAGE_COMPAT_MULTIPLEX");
    }
    Ctx ctx(SCMP_ACT_ERRNO(1));
    ASSERT_EQ(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
    ASSERT_EQ(seccomp_arch_add(ctx, SCMP_ARCH_X86), 0);
    ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
    bpf::SeccompData via_socketcall;
    via_socketcall.arch = 0x40000003;  // AUDIT_ARCH_I386
    via_socketcall.nr = 102;           // socketcall
    via_socketcall.args[0] = 1;        // SYS_SOCKET, domain behind the pointer
    const Action got = bpf::emulate(exported(ctx), via_socketcall).action;
    EXPECT_EQ(got, compatible ? Action::allow() : Action::errno_(1)) << (compatible ? "compatible" : "safe");
    bpf::SeccompData direct = via_socketcall;
    direct.nr = 359;  // i386 socket
    direct.args[0] = 1;
    EXPECT_EQ(bpf::emulate(exported(ctx), direct).action, Action::allow());
    direct.args[0] = 2;
    EXPECT_EQ(bpf::emulate(exported(ctx), direct).action, Action::errno_(1));
  }
  unsetenv("SECCAGE_COMPAT_MULTIPLEX");
}

TEST(CompatApi, PfcShowsTheCompiledProgram) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 3)), 0);
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(seccomp_export_pfc(ctx, fileno(f)), 0);
  rewind(f);
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  fclose(f);
  EXPECT_NE(text.find("ERRNO(1) dup if arg0 == 3"), std::string::npos) << text;
  EXPECT_NE(text.find("# program: " + std::to_string(exported(ctx).size()) + " instructions"), std::string::npos) << text;
}

TEST(CompatApi, SysRawRcShowsTheKernelsError) {
  Ctx ctx(SCMP_ACT_ALLOW);
  EXPECT_EQ(seccomp_export_bpf(ctx, -1), -ECANCELED);
  ASSERT_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
  EXPECT_EQ(seccomp_export_bpf(ctx, -1), -EBADF);
}

// A precomputed filter loads in a forked child (where only async-signal-safe
// calls are allowed) and then decides: dup(3) fails with EPERM.
TEST(CompatApi, PrecomputedFilterLoadsInAChild) {
  Ctx ctx(SCMP_ACT_ALLOW);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_EQ, 0)), 0);
  ASSERT_EQ(seccomp_precompute(ctx), 0);
  const int status = in_child([&] {
    if (seccomp_load(ctx) != 0) return 10;
    errno = 0;
    if (dup(0) != -1 || errno != EPERM) return 11;
    int fd = dup(1);  // other arguments still allowed
    if (fd < 0) return 12;
    return 0;
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// User notification through the listener the load returns.
TEST(CompatApi, NotifyRoundTrip) {
  const int status = in_child([] {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(getppid), 0) != 0) return 20;
    pid_t target = fork();
    if (target == 0) {
      if (seccomp_load(ctx) != 0) _exit(21);
      int fd = seccomp_notify_fd(ctx);
      if (fd < 0) _exit(22);
      // Hand the listener to a supervising child of our own, then call.
      pid_t supervisor = fork();
      if (supervisor == 0) {
        struct seccomp_notif* req = nullptr;
        struct seccomp_notif_resp* resp = nullptr;
        if (seccomp_notify_alloc(&req, &resp) != 0) _exit(23);
        if (seccomp_notify_receive(fd, req) != 0) _exit(24);
        if (seccomp_notify_id_valid(fd, req->id) != 0) _exit(25);
        resp->id = req->id;
        resp->val = 4242;
        resp->error = 0;
        resp->flags = 0;
        if (seccomp_notify_respond(fd, resp) != 0) _exit(26);
        seccomp_notify_free(req, resp);
        _exit(0);
      }
      close(fd);
      long got = getppid();
      int st = 0;
      waitpid(supervisor, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 27);
      _exit(got == 4242 ? 0 : 28);
    }
    int st = 0;
    waitpid(target, &st, 0);
    seccomp_release(ctx);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 29;
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// libseccomp 2.5.4 dereferences a NULL value pointer (a crash); the drop-in
// says -EINVAL.
TEST(CompatApi, AttrGetWithoutValuePointerIsAnError) {
  Ctx ctx(SCMP_ACT_ALLOW);
  EXPECT_EQ(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, nullptr), -EINVAL);
}

TEST(CompatApi, VersionAndApiLevel) {
  const scmp_version* v = seccomp_version();
  EXPECT_EQ(v->major, 2u);
  EXPECT_EQ(v->minor, 6u);
  const unsigned level = seccomp_api_get();
  EXPECT_GE(level, 1u);
  EXPECT_LE(level, 7u);
  EXPECT_EQ(seccomp_api_set(0), -EINVAL);
  EXPECT_EQ(seccomp_api_set(8), -EINVAL);
  ASSERT_EQ(seccomp_api_set(2), 0);
  Ctx ctx(SCMP_ACT_ALLOW);
  EXPECT_EQ(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1), -EOPNOTSUPP);  // level 3
  EXPECT_EQ(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(dup), 0), -EINVAL);
  EXPECT_EQ(seccomp_reset(nullptr, 0), 0);  // probes the kernel again
  EXPECT_EQ(seccomp_api_get(), level);
}

// A deny on a sub-call that i386 has no direct syscall for (semop) in a
// filter of x86 alone, added directly or after a rule (x86 then a group of
// its own): the deny reaches ipc(SEMOP, ...) in both modes. The drop-in
// used to drop such a rule as "no arch has semop", letting ipc(SEMOP)
// through under an allowing default (found by the randomized API test).
TEST(CompatApi, SubCallDenyReachesTheMultiplexerOnItsOwn) {
  for (bool compatible : {false, true}) {
    if (compatible) {
      setenv("SECCAGE_COMPAT_MULTIPLEX", "compatible", 1);
    } else {
      unsetenv("SECCAGE_COMPAT_MULTIPLEX");
    }
    bpf::SeccompData semop;
    semop.arch = 0x40000003;  // AUDIT_ARCH_I386
    semop.nr = 117;           // ipc
    semop.args[0] = 1;        // SEMOP
    Ctx alone(SCMP_ACT_ALLOW);
    ASSERT_EQ(seccomp_arch_remove(alone, SCMP_ARCH_NATIVE), 0);
    ASSERT_EQ(seccomp_arch_add(alone, SCMP_ARCH_X86), 0);
    ASSERT_EQ(seccomp_rule_add(alone, SCMP_ACT_KILL, SCMP_SYS(semop), 0), 0);
    EXPECT_EQ(bpf::emulate(exported(alone), semop).action, Action::kill_thread()) << compatible;
    Ctx later(SCMP_ACT_ALLOW);
    ASSERT_EQ(seccomp_rule_add(later, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 0), 0);
    ASSERT_EQ(seccomp_arch_add(later, SCMP_ARCH_X86), 0);
    ASSERT_EQ(seccomp_rule_add(later, SCMP_ACT_KILL, SCMP_SYS(semop), 0), 0);
    EXPECT_EQ(bpf::emulate(exported(later), semop).action, Action::kill_thread()) << compatible;
  }
  unsetenv("SECCAGE_COMPAT_MULTIPLEX");
}

// seccomp_merge: each arch keeps its own rules, x86_64 and x32 included
// (one AUDIT_ARCH value, told apart by the x32 bit of the number), rules
// added afterwards reach every arch, and a rule refused on one arch is added
// to none (libseccomp 2.5.4 instead rolls the whole filter back to dst as it
// was before the merge: docs/compat.md).
Action action_at(const bpf::Program& program, Arch arch, std::uint32_t nr, std::uint64_t a0 = 0) {
  bpf::SeccompData data;
  data.arch = arch_info(arch).audit_arch;
  data.nr = static_cast<std::int32_t>(nr);
  data.args[0] = a0;
  return bpf::emulate(program, data).action;
}

TEST(CompatApi, MergedFiltersKeepEachArchsRules) {
  Ctx dst(SCMP_ACT_ERRNO(1));
  scmp_filter_ctx x32 = seccomp_init(SCMP_ACT_ERRNO(1));
  scmp_filter_ctx x86 = seccomp_init(SCMP_ACT_ERRNO(1));
  ASSERT_EQ(seccomp_arch_remove(x32, SCMP_ARCH_NATIVE), 0);
  ASSERT_EQ(seccomp_arch_add(x32, SCMP_ARCH_X32), 0);
  ASSERT_EQ(seccomp_arch_remove(x86, SCMP_ARCH_NATIVE), 0);
  ASSERT_EQ(seccomp_arch_add(x86, SCMP_ARCH_X86), 0);
  ASSERT_EQ(seccomp_rule_add(dst, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
  ASSERT_EQ(seccomp_rule_add(x32, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
  ASSERT_EQ(seccomp_rule_add(x86, SCMP_ACT_TRAP, SCMP_SYS(read), 0), 0);
  ASSERT_EQ(seccomp_merge(dst, x32), 0);
  ASSERT_EQ(seccomp_merge(dst, x86), 0);
  ASSERT_EQ(seccomp_arch_exist(dst, SCMP_ARCH_X32), 0);
  ASSERT_EQ(seccomp_arch_add(dst, SCMP_ARCH_X86), -EEXIST);

  bpf::Program p = exported(dst);
  const std::uint32_t x32_write = *syscall_number(Arch::x32, "write");
  EXPECT_EQ(action_at(p, Arch::x86_64, 0), Action::allow());
  EXPECT_EQ(action_at(p, Arch::x86_64, 1, 1), Action::errno_(1));
  EXPECT_EQ(action_at(p, Arch::x32, *syscall_number(Arch::x32, "read")), Action::errno_(1));
  EXPECT_EQ(action_at(p, Arch::x32, x32_write, 1), Action::allow());
  EXPECT_EQ(action_at(p, Arch::x32, x32_write, 2), Action::errno_(1));
  EXPECT_EQ(action_at(p, Arch::i386, 3), Action::trap());
  EXPECT_EQ(action_at(p, Arch::aarch64, 63), Action::kill_thread());  // bad arch

  // A rule added now goes to every arch.
  ASSERT_EQ(seccomp_rule_add(dst, SCMP_ACT_LOG, SCMP_SYS(getpid), 0), 0);
  p = exported(dst);
  EXPECT_EQ(action_at(p, Arch::x86_64, 39), Action::log());
  EXPECT_EQ(action_at(p, Arch::x32, *syscall_number(Arch::x32, "getpid")), Action::log());
  EXPECT_EQ(action_at(p, Arch::i386, 20), Action::log());

  // Refused on x32 only (the same comparison already allows write there):
  // added nowhere.
  EXPECT_EQ(seccomp_rule_add(dst, SCMP_ACT_ERRNO(5), SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)), -EEXIST);
  EXPECT_EQ(exported(dst), p);
  EXPECT_EQ(action_at(p, Arch::x86_64, 1, 1), Action::errno_(1));
  EXPECT_EQ(action_at(p, Arch::i386, 4, 1), Action::errno_(1));

  // Removing a merged group's only arch removes the group.
  ASSERT_EQ(seccomp_arch_remove(dst, SCMP_ARCH_X86), 0);
  p = exported(dst);
  EXPECT_EQ(action_at(p, Arch::i386, 3), Action::kill_thread());
  EXPECT_EQ(action_at(p, Arch::x86_64, 0), Action::allow());

  // A transaction saves the merged groups with the rest.
  ASSERT_EQ(seccomp_transaction_start(dst), 0);
  ASSERT_EQ(seccomp_arch_remove(dst, SCMP_ARCH_X32), 0);
  EXPECT_EQ(seccomp_arch_exist(dst, SCMP_ARCH_X32), -EEXIST);
  seccomp_transaction_reject(dst);
  EXPECT_EQ(seccomp_arch_exist(dst, SCMP_ARCH_X32), 0);
  EXPECT_EQ(exported(dst), p);

  // With the filter's own arch removed, the merged one still decides.
  ASSERT_EQ(seccomp_arch_remove(dst, SCMP_ARCH_X86_64), 0);
  p = exported(dst);
  EXPECT_EQ(action_at(p, Arch::x86_64, 0), Action::kill_thread());
  EXPECT_EQ(action_at(p, Arch::x32, x32_write, 1), Action::allow());
  ASSERT_EQ(seccomp_arch_remove(dst, SCMP_ARCH_X32), 0);
  size_t len = 0;
  EXPECT_EQ(seccomp_export_bpf_mem(dst, nullptr, &len), -EINVAL);  // no arch left
}

}  // namespace
}  // namespace seccage::compat_test
