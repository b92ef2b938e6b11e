// seccage run as a user meets it: bad input, exit statuses, signals passed
// on, complain mode, threads, and the plain-filter fallback.
#include <elf.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <cstring>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

TEST(RunCli, BadInputIsAClearErrorWithStatus2) {
  struct Bad {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {{"run", "--preset", "stdoi", "--", "/bin/true"}, "did you mean 'stdio'"},
      {{"run", "--default", "allow", "--kill", "write:arg9!=1", "--", "/bin/true"}, "arg0 to arg5"},
      {{"run", "--default", "allow", "--deny", "execve:EWHAT", "--", "/bin/true"}, "not an errno"},
      {{"run", "--default", "sometimes", "--", "/bin/true"}, "unknown action"},
      {{"run", "--permissive", "--no-notify", "--", "/bin/true"}, "drop --no-notify"},
      {{"run", "--preset", "default"}, "no program"},
      {{"run", "--preset", "default", "--time", "3 fortnights", "--", "/bin/true"}, "invalid duration"},
      {{"run", "--preset", "default", "--memory", "lots", "--", "/bin/true"}, "invalid size"},
      {{"run", "--default", "allow", "--kill", "wrte", "--", "/bin/true"}, "did you mean 'write'"},
  };
  for (const auto& b : bad) {
    auto r = seccage(b.args);
    EXPECT_EQ(r.exit_code(), 2) << b.args[1] << " " << r.err;
    EXPECT_NE(r.err.find(b.says), std::string::npos) << r.err;
  }
}

TEST(RunCli, NotFoundAndNotExecutable) {
  TempDir dir;
  auto missing = seccage({"run", "--preset", "default", "--", "no-such-program-seccage"});
  EXPECT_EQ(missing.exit_code(), 127);
  EXPECT_NE(missing.err.find("not found"), std::string::npos) << missing.err;
  std::ofstream(dir / "plain.txt") << "not a program\n";
  auto noexec = seccage({"run", "--preset", "default", "--", dir / "plain.txt"});
  EXPECT_EQ(noexec.exit_code(), 126);
  EXPECT_NE(noexec.err.find("not an executable"), std::string::npos) << noexec.err;
  auto nocwd = seccage({"run", "--preset", "default", "--cwd", dir / "nowhere", "--", "/bin/true"});
  EXPECT_EQ(nocwd.exit_code(), 125);
  EXPECT_NE(nocwd.err.find("--cwd"), std::string::npos) << nocwd.err;
}

TEST(RunCli, ExitStatusAndSignalsOfTheProgram) {
  EXPECT_EQ(seccage({"run", "--preset", "default", "--", "/bin/sh", "-c", "exit 7"}).exit_code(), 7);
  EXPECT_EQ(seccage({"run", "--preset", "default", "--", "/bin/sh", "-c", "kill -SEGV $$"}).exit_code(), 128 + SIGSEGV);
}

TEST(RunCli, EnvCwdAndRedirections) {
  TempDir dir;
  std::ofstream(dir / "in.txt") << "from a file\n";
  auto r = seccage({"run", "--preset", "default", "--env-clear", "--env", "GREETING=hi", "--cwd", dir.path(), "--stdin",
                    dir / "in.txt", "--stdout", dir / "out.txt", "--", "/bin/sh", "-c", "echo $GREETING $(pwd) ${HOME:-nohome}; cat"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  std::ifstream in(dir / "out.txt");
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(out, "hi " + std::filesystem::canonical(dir.path()).string() + " nohome\nfrom a file\n");
}

TEST(RunCli, SigtermIsPassedOnToTheProgram) {
  TempDir dir;
  const std::string marker = unique_marker();
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], 1);
    execl(kCli.c_str(), kCli.c_str(), "run", "-q", "--preset", "default", "--", "/bin/sh", "-c",
          "trap 'echo got-term; exit 9' TERM; echo ready; while :; do sleep 0.05; done", marker.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  char buf[64] = {};
  ASSERT_GT(read(out[0], buf, sizeof buf - 1), 0);  // "ready"
  kill(pid, SIGTERM);
  std::string rest;
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) rest.append(buf, static_cast<std::size_t>(n));
  int status = 0;
  waitpid(pid, &status, 0);
  close(out[0]);
  EXPECT_NE(rest.find("got-term"), std::string::npos) << rest;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 9);
  expect_nothing_left(marker);
}

#if defined(__x86_64__)
// The motivating attack: the kernel reads write's `unsigned int fd` as the
// low word, so write(0x100000002, ...) writes to fd 2. A rule option decides
// on what the kernel uses, so --deny write:arg0==2 denies it too.
TEST(RunCli, RuleOptionsCatchTheHighWordTrick) {
  TempDir dir;
  const std::string prog = compile_c(dir, "highfd", R"(
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void) {
  long rc = syscall(SYS_write, 0x100000002L, "x", 1);
  printf("%s\n", rc < 0 && errno == ENOMSG ? "denied" : "written");
  return 0;
}
)");
  auto r = seccage({"run", "--default", "allow", "--deny", "write:arg0==2:ENOMSG", "--", prog});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "denied\n") << r.err;
  // Without the rule the kernel takes it as fd 2.
  auto plain = seccage({"run", "--default", "allow", "--", prog});
  EXPECT_EQ(plain.status.output, "written\n") << plain.err;
}
#endif

// Issue 15: a rule option goes over the profile as a later statement. The
// profile allows write outright and again for fd 1; killing writes to fd 2
// leaves echo's write to fd 1 allowed (the old overlay deleted both write
// rules, and echo died with EPERM).
TEST(RunCli, RuleOptionsGoOverTheProfileAsLaterStatements) {
  TempDir dir;
  const std::string profile = dir / "p.policy";
  std::ofstream(profile) << "default errno(EPERM)\nallow @system-service\nallow write: arg0 == 1\n";
  auto r = seccage({"run", "--profile", profile, "--kill", "write:arg0==2", "--", "/bin/echo", "hi"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "hi\n") << r.err;
  // Two conditions on one argument (refused before): fd 1 to 5 are killed.
  auto range = seccage({"run", "--default", "allow", "--kill", "write:arg0>=1,arg0<=5", "--", "/bin/echo", "hi"});
  EXPECT_EQ(range.exit_code(), 128 + SIGSYS) << range.err;
  // The command-line order decides where options overlap: the later wins.
  auto later_allow = seccage({"run", "--default", "allow", "--kill", "write:arg0>=1", "--allow", "write:arg0==1",
                              "--", "/bin/echo", "hi"});
  EXPECT_EQ(later_allow.exit_code(), 0) << later_allow.err;
  EXPECT_EQ(later_allow.status.output, "hi\n") << later_allow.err;
  auto later_kill = seccage({"run", "--default", "allow", "--allow", "write:arg0==1", "--kill", "write:arg0>=1",
                             "--", "/bin/echo", "hi"});
  EXPECT_EQ(later_kill.exit_code(), 128 + SIGSYS) << later_kill.err;
}

TEST(RunCli, PermissiveReportsButAllows) {
  TempDir dir;
  const std::string report = dir / "r.json";
  // (sh's `echo err >&2` would move fd 2 onto fd 1 first: python writes to fd 2 itself.)
  auto r = seccage({"run", "--permissive", "--default", "allow", "--kill", "write:arg0!=1", "--report", report, "--",
                    "/usr/bin/python3", "-c", "import os; os.write(1, b'out\\n'); os.write(2, b'err\\n')"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "out\n");
  EXPECT_NE(r.err.find("err\n"), std::string::npos);
  EXPECT_NE(r.err.find("would deny"), std::string::npos) << r.err;
  auto j = read_report(report);
  EXPECT_EQ(j["mode"], "permissive");
  ASSERT_EQ(j["violation_count"], 1) << j.dump(2);
  EXPECT_EQ(j["violations"][0]["outcome"], "allowed (permissive)");
}

TEST(RunCli, ThreadViolationsCarryTheirOwnTid) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--preset", "default", "--deny", "write:arg0==2:EBADF", "--report", report, "--",
                    "/usr/bin/python3", "-c",
                    "import os, threading\n"
                    "def w():\n  try: os.write(2, b'x')\n  except OSError as e: print('thread', e.errno)\n"
                    "t = threading.Thread(target=w); t.start(); t.join(); print('main ok')\n"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "thread 9\nmain ok\n");
  auto j = read_report(report);
  ASSERT_EQ(j["violation_count"], 1) << j.dump(2);
  const auto& v = j["violations"][0];
  EXPECT_EQ(v["syscall"], "write");
  EXPECT_NE(v["pid"], v["tid"]);
  EXPECT_NE(r.err.find("(thread "), std::string::npos) << r.err;
}

TEST(RunCli, PlainFilterFallbackStillKills) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--no-notify", "--default", "allow", "--kill", "write:arg0!=1", "--report", report, "--",
                    "/usr/bin/python3", "-c", "import os; os.write(1, b'out\\n'); os.write(2, b'err\\n')"});
  EXPECT_EQ(r.status.output, "out\n");
  EXPECT_EQ(r.exit_code(), 159);
  auto j = read_report(report);
  EXPECT_EQ(j["supervised"], false);
  EXPECT_EQ(j["verdict"], "violation");
}

TEST(RunCli, AuditLogAndDefaultOverride) {
  // --default on a preset replaces its default action (the stdio preset's
  // kill becomes EPERM, so fork fails instead); --audit-log only adds
  // SECCOMP_FILTER_FLAG_LOG.
  TempDir dir;
  const std::string prog = compile_c(dir, "forker", R"(
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
int main(void) { pid_t p = fork(); printf("%d %d\n", (int)p, errno); return 0; })");
  auto r = seccage({"run", "--audit-log", "--preset", "stdio", "--default", "EPERM", "--", prog});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "-1 1\n");
}

// The run tests run the installed binary (tests/CMakeLists.txt: CTest installs
// the project into <build>/test-install first). These check that it is that
// copy, that it is the current build, and that it stands alone: no run path
// into the build tree, nothing read from the build or source tree.
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(RunInstalled, TestsRunTheInstalledCopyOfThisBuild) {
  namespace fs = std::filesystem;
  const std::string built = SECCAGE_BUILD_CLI_PATH;
  ASSERT_NE(fs::weakly_canonical(kCli), fs::weakly_canonical(built)) << "the run tests must not use the build tree's binary";
  EXPECT_NE(kCli.find("/test-install/"), std::string::npos) << kCli;
  struct stat st {};
  ASSERT_EQ(::stat(kCli.c_str(), &st), 0) << kCli << " is missing: run the tests through ctest, which installs first";
  EXPECT_TRUE(S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR)) << kCli;
  // cmake --install copies the file as it is (no run path to rewrite): an
  // installed copy that differs is an older build.
  EXPECT_TRUE(file_bytes(kCli) == file_bytes(built))
      << kCli << " is not the current build of " << built << ": run the tests through ctest, which installs first";
}

TEST(RunInstalled, NoRunPathIntoTheBuildTree) {
  const std::string elf = file_bytes(kCli);
  ASSERT_GE(elf.size(), sizeof(Elf64_Ehdr));
  ASSERT_EQ(elf.compare(0, SELFMAG, ELFMAG), 0);
  if (elf[EI_CLASS] != ELFCLASS64) GTEST_SKIP() << "32-bit ELF: not checked";
  Elf64_Ehdr eh;
  std::memcpy(&eh, elf.data(), sizeof eh);
  bool dynamic = false;
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    ASSERT_LE(eh.e_shoff + (i + 1) * sizeof sh, elf.size());
    std::memcpy(&sh, elf.data() + eh.e_shoff + i * sizeof sh, sizeof sh);
    if (sh.sh_type != SHT_DYNAMIC) continue;
    dynamic = true;
    for (std::uint64_t off = 0; off + sizeof(Elf64_Dyn) <= sh.sh_size; off += sizeof(Elf64_Dyn)) {
      Elf64_Dyn d;
      std::memcpy(&d, elf.data() + sh.sh_offset + off, sizeof d);
      if (d.d_tag == DT_NULL) break;
      EXPECT_NE(d.d_tag, DT_RPATH) << "the installed binary carries an RPATH";
      EXPECT_NE(d.d_tag, DT_RUNPATH) << "the installed binary carries a RUNPATH";
    }
  }
  EXPECT_TRUE(dynamic) << "no dynamic section (a static build needs no check, but this one is expected dynamic)";
}

TEST(RunInstalled, RunsFromElsewhereWithAnEmptyEnvironment) {
  // From /, without the caller's environment (no LD_LIBRARY_PATH, no PATH
  // into the build tree): a preset, a profile from the shared inputs and the
  // report work as in the tree.
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = test::run_command({"/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "/bin/sh", "-c",
                              "cd / && exec \"$0\" \"$@\"", kCli, "run", "--preset", "default", "--report", report,
                              "--", "/bin/sh", "-c", "ls / | wc -l"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_FALSE(r.status.output.empty());
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "ok");
  EXPECT_EQ(j["violation_count"], 0);

  auto p = test::run_command({"/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"",
                              kCli, "run", "-q", "--profile", kShared + "/profiles/docker-default.json", "--", "/bin/true"});
  EXPECT_EQ(p.exit_code(), 0) << p.err;
}

}  // namespace
}  // namespace seccage::runtest
