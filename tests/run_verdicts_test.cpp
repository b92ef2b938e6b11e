// Issue 11: every verdict as the kernel decided it, and a report a script
// can act on. Each test runs the installed seccage on a small C program
// (tests/programs/) against the real kernel.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

std::string program_source(const std::string& name) {
  std::ifstream in(std::string(SECCAGE_SOURCE_DIR) + "/tests/programs/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles tests/programs/NAME.c with extra compiler words (-static, -D...).
std::string build(const TempDir& dir, const std::string& name, std::vector<std::string> extra = {},
                  const std::string& out_name = "") {
  const std::string src = dir / (name + ".c");
  std::ofstream(src) << program_source(name + ".c");
  const std::string out = dir / (out_name.empty() ? name : out_name);
  std::vector<std::string> cmd{"/usr/bin/cc", "-O1", "-I", dir.path(), "-o", out, src};
  cmd.insert(cmd.end(), extra.begin(), extra.end());
  auto r = test::run_command(cmd);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  return out;
}

// The seed's header of syscall names, generated the way the seed does it.
void make_syscall_names(const TempDir& dir) {
  const std::string file = dir / "syscall-names.h";
  const std::string script =
      "file='" + file + "'\n"
      "echo 'static const char *syscall_names[] = {' > \"$file\"\n"
      "echo '#include <sys/syscall.h>' | cpp -dM | grep '^#define __NR_' | LC_ALL=C sed -r -n -e "
      "'s/^\\#define[ \\t]+__NR_([a-z0-9_]+)[ \\t]+([0-9]+)(.*)/ [\\2] = \"\\1\",/p' >> \"$file\"\n"
      "echo '};' >> \"$file\"\n";
  auto r = test::run_command({"/bin/sh", "-c", script});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// ---------------------------------------------------------------------------
// 2. TRAP exactly as the kernel does it.

// The seed's handler program prints what it prints under plain libseccomp:
// its handler sees si_code == SYS_SECCOMP and the call's number in the
// registers, under seccage's --trap as under its own filter.
TEST(RunVerdicts, SeedHandlerProgramSeesTheKernelsTrap) {
  TempDir dir;
  make_syscall_names(dir);
  const std::string own = build(dir, "seed_trap_handler", {"-DOWN_FILTER", "-lseccomp"}, "seed_own");
  const std::string bare = build(dir, "seed_trap_handler", {}, "seed_bare");
  const std::string expected = "something to stdout\nsystem call invalid: write(1)\n";

  // The reference: the seed's own libseccomp filter, no seccage.
  auto plain = test::run_command({own});
  ASSERT_EQ(plain.status.output, expected) << plain.err;
  ASSERT_EQ(plain.exit_code(), 1);

  const std::string report = dir / "trap.json";
  auto r = seccage({"run", "--default", "allow", "--trap", "write:arg0!=1", "--report", report, "--", bare});
  EXPECT_EQ(r.status.output, expected) << r.err;
  EXPECT_EQ(r.exit_code(), 1) << r.err;
  EXPECT_EQ(r.err.find("someting to stderr"), std::string::npos) << r.err;
  auto j = read_report(report);
  // The kernel carried the trap out and the handler took it: seccage does
  // not see a trap the program handles (docs/run.md, "Traps").
  EXPECT_EQ(j["verdict"], "runtime_error") << j.dump(2);
  EXPECT_TRUE(j["sigsys"].is_null()) << j.dump(2);
  EXPECT_EQ(j["policy"], "--default allow, --trap write:arg0!=1");

  // The seed's program as it is, with its own filter, under the default preset.
  const std::string report2 = dir / "own.json";
  auto s = seccage({"run", "--report", report2, "--", own});
  EXPECT_EQ(s.status.output, expected) << s.err;
  EXPECT_EQ(s.exit_code(), 1) << s.err;
  auto k = read_report(report2);
  EXPECT_EQ(k["policy"], "preset default");
  EXPECT_EQ(k["own_filters"], 1);
  ASSERT_EQ(k["own_filter_installs"].size(), 1u) << k.dump(2);
  EXPECT_TRUE(k["own_filter_installs"][0]["outranks_kills"].empty()) << k.dump(2);
  EXPECT_EQ(k["violation_count"], 0) << k.dump(2);
}

// A program that blocks, ignores or never handles SIGSYS dies of the trap,
// as under the kernel (which forces the signal through): one violation, the
// trap's rule named, nothing blamed on a foreign architecture. A handler
// sees the kernel's siginfo.
TEST(RunVerdicts, TrapKillsAProgramThatCannotTakeSigsysOnce) {
  TempDir dir;
  const std::string prog = build(dir, "sigsys_disposition");
  for (const char* how : {"default", "block", "ignore"}) {
    SCOPED_TRACE(how);
    const std::string report = dir / (std::string(how) + ".json");
    auto r = seccage({"run", "--default", "allow", "--trap", "write:arg0==2", "--report", report, "--", prog, how});
    EXPECT_EQ(r.exit_code(), 159) << r.err;
    EXPECT_EQ(r.status.output.find("survived"), std::string::npos) << r.status.output;
    EXPECT_EQ(r.err.find("foreign"), std::string::npos) << r.err;
    auto j = read_report(report);
    EXPECT_EQ(j["verdict"], "violation");
    EXPECT_EQ(j["violation_count"], 1) << j.dump(2);
    EXPECT_EQ(j["signal"], 31);
    EXPECT_EQ(j["sigsys"]["cause"], "policy_trap") << j.dump(2);
    ASSERT_EQ(j["violations"].size(), 1u);
    EXPECT_EQ(j["violations"][0]["rule"], "write: arg0 == 2");
    EXPECT_EQ(j["violations"][0]["action"].get<std::string>().rfind("TRAP", 0), 0u) << j["violations"][0]["action"];
  }
  // --permissive lets a trap through and reports it, like every denial.
  const std::string report = dir / "permissive.json";
  auto p = seccage({"run", "--permissive", "--default", "allow", "--trap", "write:arg0==2", "--report", report, "--",
                    prog, "default"});
  EXPECT_EQ(p.exit_code(), 0) << p.err;
  EXPECT_NE(p.status.output.find("survived: write returned 1"), std::string::npos) << p.status.output;
  auto pj = read_report(report);
  ASSERT_EQ(pj["violations"].size(), 1u) << pj.dump(2);
  EXPECT_EQ(pj["violations"][0]["outcome"], "allowed (permissive)");
  EXPECT_EQ(pj["violations"][0]["syscall"], "write");

  auto h = seccage({"run", "--default", "allow", "--trap", "write:arg0==2", "--", prog, "handle"});
  EXPECT_EQ(h.exit_code(), 0) << h.err;
  EXPECT_NE(h.status.output.find("handler: si_code=1 si_syscall=1\n"), std::string::npos) << h.status.output;
  EXPECT_NE(h.status.output.find("survived"), std::string::npos) << h.status.output;
}

// ---------------------------------------------------------------------------
// 1. Each SIGSYS for what it was.

TEST(RunVerdicts, KillSysFromAShellIsASignalNotAViolation) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--default", "allow", "--report", report, "--", "/bin/sh", "-c", "kill -SYS $$"});
  EXPECT_EQ(r.exit_code(), 159) << r.err;
  EXPECT_EQ(r.err.find("foreign"), std::string::npos) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "runtime_error") << j.dump(2);
  EXPECT_EQ(j["violation_count"], 0);
  EXPECT_EQ(j["sigsys"]["cause"], "signal") << j.dump(2);
  EXPECT_NE(j["sigsys"]["detail"].get<std::string>().find("kill("), std::string::npos) << j.dump(2);
}

// The seed's first program kills itself with its own libseccomp filter.
TEST(RunVerdicts, TheProgramsOwnKillIsItsOwn) {
  TempDir dir;
  const std::string src = dir / "seed_kill.c";
  std::ofstream(src) << R"(
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, STDOUT_FILENO));
  seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_NE, STDOUT_FILENO));
  seccomp_load(ctx);
  seccomp_release(ctx);
  fprintf(stdout, "something to stdout\n");
  fflush(stdout);
  fprintf(stderr, "someting to stderr\n");
  return 0;
})";
  const std::string prog = dir / "seed_kill";
  auto link = test::run_command({"/usr/bin/cc", "-O1", "-o", prog, src, "-lseccomp"});
  ASSERT_EQ(link.exit_code(), 0) << link.err;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--report", report, "--", prog});
  EXPECT_EQ(r.status.output, "something to stdout\n");
  EXPECT_EQ(r.exit_code(), 159) << r.err;
  EXPECT_EQ(r.err.find("foreign"), std::string::npos) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["sigsys"]["cause"], "own_filter") << j.dump(2);
  EXPECT_EQ(j["violation_count"], 0) << j.dump(2);
  EXPECT_EQ(j["verdict"], "runtime_error");
  EXPECT_EQ(j["own_filters"], 1);
}

// A call from an ABI the policy does not cover is named: its arch and
// number. The x32 ABI (x86_64's numbers with bit 30) from a 64-bit program:
// the filter sees it whether or not the kernel was built with x32.
TEST(RunVerdicts, ForeignArchitectureOnlyWhenItWas) {
  TempDir dir;
  const std::string prog = compile_c(dir, "x32call", R"(
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  long r = syscall(0x40000000L | SYS_getpid);
  printf("x32 getpid: %ld\n", r);
  return 0;
})");
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--default", "allow", "--arch", "x86_64", "--report", report, "--", prog});
  EXPECT_EQ(r.exit_code(), 159) << r.err;
  EXPECT_NE(r.err.find("foreign architecture"), std::string::npos) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "violation");
  ASSERT_EQ(j["violations"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["violations"][0]["nr"], 0x40000000 + 39);
  EXPECT_EQ(j["violations"][0]["rule"], "foreign architecture");
  EXPECT_EQ(j["sigsys"]["cause"], "policy_kill");

  // A program that stays on its arch never hears of one.
  auto fine = seccage({"run", "--default", "allow", "--arch", "x86_64", "--", "/bin/sh", "-c", "kill -SYS $$"});
  EXPECT_EQ(fine.exit_code(), 159);
  EXPECT_EQ(fine.err.find("foreign"), std::string::npos) << fine.err;
}

// ---------------------------------------------------------------------------
// 3. Stacked filters: a kill the program's own ERRNO outranks is not silent.

TEST(RunVerdicts, StackedErrnoFilterOutrankingAKillIsReported) {
  TempDir dir;
  const std::string prog = build(dir, "stacked_errno");
  const std::string report = dir / "r.json";
  const std::string target = dir / "made";
  auto r = seccage({"run", "--default", "allow", "--kill", "mkdir", "--report", report, "--", prog, target});
  // What the kernel did: the program's filter answered mkdir with EPERM.
  EXPECT_EQ(r.status.output, "mkdir returned -1 (Operation not permitted)\n") << r.err;
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_NE(r.err.find("stacked a seccomp filter of its own"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("installed a seccomp filter of its own"), std::string::npos) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "violation") << j.dump(2);
  EXPECT_EQ(j["violation_count"], 1);
  ASSERT_EQ(j["own_filter_installs"].size(), 1u);
  const auto& f = j["own_filter_installs"][0];
  EXPECT_EQ(f["call"], "seccomp");
  EXPECT_EQ(f["instructions"], 7);
  EXPECT_EQ(f["outranks_kills"], nlohmann::json::array({"mkdir"}));
  EXPECT_EQ(f["exact"], true);
  EXPECT_EQ(j["violations"][0]["syscall"], "seccomp");

  // A policy that kills nothing the filter answers: the install is noted,
  // and the run is ok.
  const std::string report2 = dir / "r2.json";
  auto ok = seccage({"run", "--default", "allow", "--kill", "rmdir", "--report", report2, "--", prog, target});
  EXPECT_EQ(ok.exit_code(), 0);
  auto k = read_report(report2);
  EXPECT_EQ(k["verdict"], "ok") << k.dump(2);
  EXPECT_EQ(k["own_filters"], 1);
  EXPECT_TRUE(k["own_filter_installs"][0]["outranks_kills"].empty());
}

// ---------------------------------------------------------------------------
// 4. A default policy.

TEST(RunVerdicts, NoPolicyOptionMeansTheDefaultPreset) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--report", report, "--", "/bin/true"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "ok");
  EXPECT_EQ(j["policy"], "preset default");
  // The default preset denies what it denies: a socket of a raw family.
  const std::string report2 = dir / "r2.json";
  auto k = seccage({"run", "--preset", "stdio", "--kill", "getppid", "--report", report2, "--", "/bin/true"});
  EXPECT_EQ(read_report(report2)["policy"], "preset stdio, --kill getppid");
}

// seccage's own filter refuses mounts whatever the policy says (the
// sandbox's /proc must stay). Where the policy denies them too (the default
// preset), the denial is reported, not swallowed by that filter's ERRNO,
// which the kernel ranks above the supervisor's notification. In permissive
// mode the mounts are still refused: there the policy's denials are let
// through, and only seccage's own filter stands between the program and
// the host's /proc.
TEST(RunVerdicts, MountsDeniedByThePolicyAreReportedAndAlwaysRefused) {
  TempDir dir;
  const std::string prog = build(dir, "mount_attempt");
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--preset", "default", "--report", report, "--", prog});
  EXPECT_NE(r.status.output.find("mount: Operation not permitted"), std::string::npos) << r.status.output << r.err;
  EXPECT_NE(r.status.output.find("umount2: Operation not permitted"), std::string::npos) << r.status.output << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "violation") << r.err;
  std::set<std::string> reported;
  for (const auto& v : j["violations"]) reported.insert(v["syscall"].get<std::string>());
  EXPECT_TRUE(reported.count("mount")) << j.dump();
  EXPECT_TRUE(reported.count("umount2")) << j.dump();

  auto p = seccage({"run", "--preset", "default", "--permissive", "--", prog});
  EXPECT_NE(p.status.output.find("mount: Operation not permitted"), std::string::npos) << p.status.output << p.err;
  EXPECT_NE(p.status.output.find("umount2: Operation not permitted"), std::string::npos) << p.status.output << p.err;
}

// seccage's guard on TIOCSTI (src/sandbox/guards.hpp) and a policy's own
// word on it. Where the policy lets the call through, seccage refuses it and
// the report says the refusal was seccage's, with the request's upper bits
// ignored as the kernel ignores them. Where the policy kills it, even only
// for that request, the program is killed and the policy's rule is named:
// before, the guard's kernel ERRNO outranked the supervisor's notification
// and the kill became an unreported EPERM. In permissive mode the guard
// still refuses; without a supervisor a kernel filter does.
TEST(RunVerdicts, GuardedIoctlsAreRefusedOrKilledAndAlwaysReported) {
  TempDir dir;
  const std::string prog = build(dir, "guarded_ioctl");
  auto origins_of = [](const nlohmann::json& j) {
    std::multiset<std::string> out;
    for (const auto& v : j["violations"]) out.insert(v["syscall"].get<std::string>() + " " + v["origin"].get<std::string>());
    return out;
  };

  const std::string allowed = dir / "allowed.json";
  auto a = seccage({"run", "--default", "allow", "--report", allowed, "--", prog});
  EXPECT_EQ(a.status.output, "tiocsti: Operation not permitted\ntiocsti-high: Operation not permitted\ntcgets: Bad file descriptor\n")
      << a.err;
  auto ja = read_report(allowed);
  EXPECT_EQ(ja["verdict"], "violation") << ja.dump();
  EXPECT_EQ(origins_of(ja), (std::multiset<std::string>{"ioctl seccage", "ioctl seccage"})) << ja.dump();

  const std::string killed = dir / "killed.json";
  auto k = seccage({"run", "--default", "allow", "--kill", "ioctl: arg1 == 0x5412", "--report", killed, "--", prog});
  EXPECT_EQ(k.status.output, "") << k.err;
  auto jk = read_report(killed);
  ASSERT_EQ(jk["violations"].size(), 1u) << jk.dump();
  EXPECT_EQ(jk["violations"][0]["syscall"], "ioctl");
  EXPECT_EQ(jk["violations"][0]["origin"], "--kill ioctl: arg1 == 0x5412") << jk.dump();
  EXPECT_NE(jk["violations"][0]["outcome"].get<std::string>().find("killed"), std::string::npos) << jk.dump();

  // The policy's own errno on the call wins over the guard's, as the
  // kernel would rank two filters' errnos (the newer, the policy's).
  auto e = seccage({"run", "--default", "allow", "--errno", "ioctl:ENOTTY", "--", prog});
  EXPECT_EQ(e.status.output,
            "tiocsti: Inappropriate ioctl for device\ntiocsti-high: Inappropriate ioctl for device\n"
            "tcgets: Inappropriate ioctl for device\n")
      << e.err;

  const std::string permissive = dir / "permissive.json";
  auto p = seccage({"run", "--default", "allow", "--kill", "ioctl", "--permissive", "--report", permissive, "--", prog});
  EXPECT_EQ(p.status.output, "tiocsti: Operation not permitted\ntiocsti-high: Operation not permitted\ntcgets: Bad file descriptor\n")
      << p.err;
  EXPECT_EQ(origins_of(read_report(permissive)),
            (std::multiset<std::string>{"ioctl seccage", "ioctl seccage", "ioctl --kill ioctl"}))
      << read_report(permissive).dump();
  // The summary says which calls went ahead: the policy's, not the guard's.
  EXPECT_NE(p.err.find("would deny"), std::string::npos) << p.err;
  const std::size_t guard_at = p.err.find("seccage: denied pid");
  ASSERT_NE(guard_at, std::string::npos) << p.err;
  const std::string guard_line = p.err.substr(guard_at, p.err.find('\n', guard_at) - guard_at);
  EXPECT_NE(guard_line.find("[seccage]"), std::string::npos) << guard_line;
  EXPECT_EQ(guard_line.find("permissive"), std::string::npos) << guard_line;

  auto n = seccage({"run", "--default", "allow", "--no-notify", "--", prog});
  EXPECT_EQ(n.status.output, "tiocsti: Operation not permitted\ntiocsti-high: Operation not permitted\ntcgets: Bad file descriptor\n")
      << n.err;
}

// The virtual console's KD* and VT_* families: refused and reported as
// seccage's under a policy that allows them, whatever the request's number
// in the family; TCGETS beside them untouched.
TEST(RunVerdicts, VirtualConsoleIoctlsAreRefusedAndReported) {
  TempDir dir;
  const std::string prog = build(dir, "guarded_ioctl");
  const std::string report = dir / "console.json";
  auto r = seccage({"run", "--default", "allow", "--report", report, "--", prog, "console"});
  EXPECT_EQ(r.status.output,
            "kdskbmode: Operation not permitted\nkdgkbmode: Operation not permitted\n"
            "vt_activate: Operation not permitted\ntcgets: Bad file descriptor\n")
      << r.err;
  const auto j = read_report(report);
  ASSERT_EQ(j["violations"].size(), 3u) << j.dump();
  for (const auto& v : j["violations"]) {
    EXPECT_EQ(v["origin"], "seccage") << v.dump();
    EXPECT_NE(v["rule"].dump().find("virtual console"), std::string::npos) << v.dump();
  }
  // Without the supervisor, the kernel filter refuses them too.
  auto n = seccage({"run", "--default", "allow", "--no-notify", "--", prog, "console"});
  EXPECT_EQ(n.status.output.substr(0, n.status.output.find("tcgets")),
            "kdskbmode: Operation not permitted\nkdgkbmode: Operation not permitted\nvt_activate: Operation not permitted\n")
      << n.err;
}

// ---------------------------------------------------------------------------
// 5b. A program repeating one denied call: one summary entry, one line on
// stderr, a bounded list, and seccage keeps up.

struct Measured {
  int status = -1;
  std::string out, err;
  double seconds = 0;
  long max_rss_kb = 0;  // the largest of seccage and the processes it waited for
};

Measured run_measured(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), kCli);
  Measured m;
  const std::string out = dir / "m.out", err = dir / "m.err";
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage ru{};
  ::wait4(pid, &status, 0, &ru);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.max_rss_kb = ru.ru_maxrss;
  std::ifstream o(out), e(err);
  std::stringstream so, se;
  so << o.rdbuf();
  se << e.rdbuf();
  m.out = so.str();
  m.err = se.str();
  return m;
}

TEST(RunVerdicts, ARepeatedDeniedCallIsSummarisedInBoundedMemory) {
  TempDir dir;
  const std::string prog = build(dir, "repeat_denied");
  const std::string small_report = dir / "small.json", report = dir / "r.json";
  const Measured small = run_measured(dir, {"run", "--default", "allow", "--deny", "getppid:EPERM", "--report",
                                            small_report, "--", prog, "1000"});
  ASSERT_EQ(small.status, 0) << small.err;
  const Measured big = run_measured(dir, {"run", "--default", "allow", "--deny", "getppid:EPERM", "--report", report,
                                          "--", prog, "100000"});
  ASSERT_EQ(big.status, 0) << big.err;
  EXPECT_EQ(big.out, "100000 of 100000 failed\n");
  std::printf("100000 denied getppid: %.2f s, peak RSS %ld kB (1000 calls: %.2f s, %ld kB)\n", big.seconds,
              big.max_rss_kb, small.seconds, small.max_rss_kb);
  // Keeps up: tens of microseconds per call at most, on a loaded machine.
  EXPECT_LT(big.seconds, 30.0);
  // Bounded: 100 times the calls cost no more than a few MB more.
  EXPECT_LT(big.max_rss_kb, small.max_rss_kb + 4096);

  auto j = read_report(report);
  EXPECT_EQ(j["violation_count"], 100000);
  EXPECT_EQ(j["violations"].size(), 100u);
  EXPECT_EQ(j["violations_omitted"], 99900);
  ASSERT_EQ(j["summary"].size(), 1u) << j["summary"].dump(2);
  const auto& s = j["summary"][0];
  EXPECT_EQ(s["syscall"], "getppid");
  EXPECT_EQ(s["count"], 100000);
  EXPECT_LE(s["first_ms"].get<long>(), s["last_ms"].get<long>());
  EXPECT_EQ(s["example"]["decoded"], "getppid()");
  EXPECT_EQ(s["example"]["outcome"], "errno EPERM");
  // One line per distinct call on stderr, with the count.
  EXPECT_EQ(count_of(big.err, "getppid()"), 1u) << big.err;
  EXPECT_NE(big.err.find("(100000 times)"), std::string::npos) << big.err;

  // The cap is an option.
  const std::string capped = dir / "capped.json";
  auto c = seccage({"run", "--default", "allow", "--deny", "getppid:EPERM", "--max-violations", "3", "--report",
                    capped, "--", prog, "10"});
  auto k = read_report(capped);
  EXPECT_EQ(k["violations"].size(), 3u);
  EXPECT_EQ(k["violations_omitted"], 7);
}

// ---------------------------------------------------------------------------
// 5c. --report - : seccage's stdout is the report's alone.

TEST(RunVerdicts, ReportOnStdoutNeverMixesWithTheProgramsOutput) {
  auto r = seccage({"run", "--default", "allow", "--report", "-", "--", "/bin/sh", "-c",
                    "echo '{ \"verdict\": \"forged\" }'; echo hello"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(r.status.output)) << r.status.output;
  EXPECT_EQ(j["verdict"], "ok");
  EXPECT_NE(r.err.find("hello\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("forged"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// 6. --permissive --no-notify is refused; --nofile works down to 0.

TEST(RunVerdicts, PermissiveWithoutNotificationIsRefused) {
  auto r = seccage({"run", "--permissive", "--no-notify", "--default", "allow", "--kill", "getppid", "--", "/bin/true"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("--permissive needs user notification"), std::string::npos) << r.err;
}

TEST(RunVerdicts, NofileWorksDownToZero) {
  TempDir dir;
  const std::string prog = compile_c(dir, "nofile", R"(
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
int main(void) {
  struct rlimit r;
  getrlimit(RLIMIT_NOFILE, &r);
  char line[64];
  int n = snprintf(line, sizeof line, "nofile=%llu\n", (unsigned long long)r.rlim_cur);
  return write(1, line, (size_t)n) == n ? 0 : 1;
})");
  // Static: a dynamic program's loader needs a descriptor for libc.
  auto link = test::run_command({"/usr/bin/cc", "-O1", "-static", "-o", prog, dir / "nofile.c"});
  ASSERT_EQ(link.exit_code(), 0) << link.err;
  for (const char* n : {"0", "1", "2", "3"}) {
    for (const char* notify : {"", "--no-notify"}) {
      SCOPED_TRACE(std::string(n) + " " + notify);
      std::vector<std::string> args{"run", "--preset", "default", "--nofile", n};
      if (*notify) args.push_back(notify);
      args.insert(args.end(), {"--", prog});
      auto r = seccage(args);
      EXPECT_EQ(r.exit_code(), 0) << r.err;
      EXPECT_EQ(r.status.output, std::string("nofile=") + n + "\n") << r.err;
    }
  }
}

}  // namespace
}  // namespace seccage::runtest
