// `seccage run`'s isolation (docs/SECURITY.md): the namespaces a program runs
// in, what it sees from there, the fallback when the kernel refuses them,
// outputs checked before the program starts, and a program on a terminal.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

std::vector<std::string> names(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& n : list) out.push_back(n.get<std::string>());
  return out;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// What the program sees: its parent is the sandbox's init (PID 1), and /proc
// lists only the sandbox's processes (the init, sh, a subshell, ls and grep).
constexpr const char* kLookAround = "echo ppid=$PPID; echo procs=$(ls /proc | grep -c '^[0-9]')";

TEST(RunIsolation, TheProgramRunsInItsOwnUserPidAndMountNamespaces) {
  TempDir dir;
  auto r = seccage({"run", "--default", "allow", "--report", dir / "r.json", "--", "sh", "-c", kLookAround});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find("ppid=1\n"), std::string::npos) << r.status.output;
  const auto at = r.status.output.find("procs=");
  ASSERT_NE(at, std::string::npos) << r.status.output;
  EXPECT_LE(std::stoi(r.status.output.substr(at + 6)), 8) << r.status.output;
  auto j = read_report(dir / "r.json");
  EXPECT_EQ(names(j["isolation"]["namespaces"]), (std::vector<std::string>{"user", "pid", "mount", "ipc"})) << j.dump(2);
  EXPECT_TRUE(j["isolation"]["notes"].empty()) << j.dump(2);
}

// Unmounting or moving the sandbox's /proc would show the host's again
// (and a root program could open host processes' memory through it): the
// mount calls are refused whatever the policy says.
TEST(RunIsolation, TheSandboxsProcCannotBeUnmountedOrMoved) {
  auto r = seccage({"run", "--default", "allow", "--", "sh", "-c",
                    "umount /proc; umount -l /proc; mkdir -p /tmp/seccage-mv-$$; mount --move /proc /tmp/seccage-mv-$$; "
                    "rmdir /tmp/seccage-mv-$$; echo procs=$(ls /proc | grep -c '^[0-9]')"});
  const auto at = r.status.output.find("procs=");
  ASSERT_NE(at, std::string::npos) << r.status.output << r.err;
  EXPECT_LE(std::stoi(r.status.output.substr(at + 6)), 8) << "the host's /proc showed: " << r.status.output;
}

// Root without --user keeps uid 0 of the host, which file permissions alone
// let write sysfs, cgroupfs and /proc/sys: those are read-only in its
// sandbox, so it can neither leave its cgroup (and its limits) nor change
// kernel settings. (Each write puts back the value already there, and
// sysrq-trigger is only opened, so that a regression changes nothing on the
// machine.)
TEST(RunIsolation, RootCannotWriteSysfsCgroupfsOrProcSys) {
  if (!is_root()) GTEST_SKIP() << "about a root program";
  auto r = seccage({"run", "--default", "allow", "--memory", "256M", "--", "sh", "-c",
                    "d=$(cat /proc/sys/kernel/domainname); echo \"$d\" > /proc/sys/kernel/domainname && echo WROTE-SYSCTL; "
                    "for f in /sys/fs/cgroup/memory/cgroup.procs /sys/fs/cgroup/unified/cgroup.procs "
                    "/sys/fs/cgroup/cgroup.procs; do [ -e $f ] && echo $$ > $f && echo WROTE-CGROUP $f; done; "
                    "(exec 3>/proc/sysrq-trigger) && echo WROTE-SYSRQ-OPENED; true"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output.find("WROTE"), std::string::npos) << r.status.output;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
}

TEST(RunIsolation, NoNamespacesIsAnOptOutTheReportStates) {
  TempDir dir;
  auto r = seccage({"run", "--no-namespaces", "--default", "allow", "--report", dir / "r.json", "--", "sh", "-c",
                    kLookAround});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output.find("ppid=1\n"), std::string::npos) << r.status.output;
  auto j = read_report(dir / "r.json");
  EXPECT_TRUE(j["isolation"]["namespaces"].empty()) << j.dump(2);
  ASSERT_EQ(j["isolation"]["notes"].size(), 1u) << j.dump(2);
  EXPECT_EQ(count(r.err, "--no-namespaces"), 1) << r.err;
}

// A kernel that refuses user namespaces (here: a user namespace whose limit
// for nested ones is 0): as root the run goes on in PID and mount
// namespaces, says so once on stderr, and records why in the report.
TEST(RunIsolation, RefusedUserNamespacesFallBackAndSaySoOnce) {
  if (!is_root()) GTEST_SKIP() << "needs root to make the refusing namespace";
  TempDir dir;
  const std::string script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" run --default allow --report "
                             "\"$1\" -- sh -c \"$2\"";
  auto r = test::run_command({"/usr/bin/unshare", "--user", "--map-root-user", "sh", "-c", script, kCli, dir / "r.json",
                              kLookAround});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find("ppid=1\n"), std::string::npos) << r.status.output;
  auto j = read_report(dir / "r.json");
  EXPECT_EQ(names(j["isolation"]["namespaces"]), (std::vector<std::string>{"pid", "mount", "ipc"})) << j.dump(2);
  ASSERT_EQ(j["isolation"]["notes"].size(), 1u) << j.dump(2);
  EXPECT_EQ(count(r.err, "refused user namespaces"), 1) << r.err;
}

// The same refusal under --require-namespaces: no weaker run, exit 125 and
// the reason; the program never starts. (A program of the same user can use
// up the user-namespace count to push a concurrent run into the fallback.)
TEST(RunIsolation, RequireNamespacesRefusesTheFallback) {
  if (!is_root()) GTEST_SKIP() << "needs root to make the refusing namespace";
  TempDir dir;
  const std::string script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" run --require-namespaces "
                             "--default allow -- sh -c 'echo started'";
  auto r = test::run_command({"/usr/bin/unshare", "--user", "--map-root-user", "sh", "-c", script, kCli});
  EXPECT_EQ(r.exit_code(), 125) << r.err;
  EXPECT_EQ(r.status.output.find("started"), std::string::npos) << r.status.output;
  EXPECT_NE(r.err.find("--require-namespaces refuses weaker isolation"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused user namespaces"), std::string::npos) << r.err;
  // Where the kernel grants them, it runs as usual.
  auto ok = test::run_command({kCli, "run", "--require-namespaces", "--default", "allow", "--", "sh", "-c", "echo started"});
  EXPECT_EQ(ok.exit_code(), 0) << ok.err;
  EXPECT_NE(ok.status.output.find("started\n"), std::string::npos) << ok.status.output;
  EXPECT_EQ(test::run_command({kCli, "run", "--require-namespaces", "--no-namespaces", "--", "true"}).exit_code(), 2);
}

// The user's user-namespace count used up (here: a limit of 1, held by
// another process of the user, as a program of a concurrent run could): the
// run refuses to start instead of falling back (exit 125).
TEST(RunIsolation, UsedUpUserNamespacesAreNoReasonToFallBack) {
  if (!is_root()) GTEST_SKIP() << "needs root to make the limiting namespace";
  auto r = test::run_command({"/usr/bin/unshare", "--user", "--map-root-user", "--fork", "sh", "-c",
                              "echo 1 > /proc/sys/user/max_user_namespaces && "
                              "(unshare --user sleep 5 </dev/null >/dev/null 2>&1 &) && sleep 0.5 && "
                              "exec \"$0\" run --default allow -- sh -c 'echo started'",
                              kCli});
  EXPECT_EQ(r.exit_code(), 125) << r.status.output << r.err;
  EXPECT_EQ(r.status.output.find("started"), std::string::npos) << r.status.output;
  EXPECT_NE(r.err.find("is in use, which a program of the same user can do"), std::string::npos) << r.err;
}

// A user's seccage: the same namespaces (its uid mapped to itself), and the
// supervisor still reads and answers the program's calls.
TEST(RunIsolation, AnUnprivilegedSeccageGetsTheSameNamespacesAndSupervises) {
  if (!is_root()) GTEST_SKIP() << "needs root to become nobody";
  auto r = test::run_command({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kCli, "run", "--default",
                              "allow", "--deny", "mkdir", "--report", "/dev/stdout", "--", "sh", "-c",
                              "id -u; mkdir /tmp/seccage-never-made-$$ || echo refused"});
  EXPECT_NE(r.status.output.find("65534\n"), std::string::npos) << r.status.output << r.err;
  EXPECT_NE(r.status.output.find("refused\n"), std::string::npos) << r.status.output << r.err;
  const auto json = r.status.output.substr(r.status.output.find('{'));
  auto j = nlohmann::json::parse(json);
  EXPECT_EQ(names(j["isolation"]["namespaces"]), (std::vector<std::string>{"user", "pid", "mount", "ipc"})) << json;
  EXPECT_EQ(j["violation_count"], 1) << json;
  EXPECT_EQ(j["violations"][0]["syscall"], "mkdir") << json;
}

// An output that cannot be written fails before the program runs (125),
// never after it.
TEST(RunIsolation, AnUnwritableOutputFailsBeforeTheProgramRuns) {
  TempDir dir;
  const std::string marker = dir / "ran";
  for (const char* option : {"--report", "--stdout", "--stderr"}) {
    auto r = seccage({"run", "--default", "allow", option, dir / "no-such-dir/out", "--", "touch", marker});
    EXPECT_EQ(r.exit_code(), 125) << option << ": " << r.err;
    EXPECT_NE(r.err.find("no-such-dir"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(marker)) << option << ": the program ran";
  }
}

// A user swapping a file and a symlink to a root-owned file under the name
// seccage opens, as fast as it can (renameat2 RENAME_EXCHANGE), must never
// get the root file written (--stdout) or read (--stdin): each step of the
// path is opened through a descriptor, never by name twice.
TEST(RunIsolation, OutputPathsResistASymlinkSwapRace) {
  if (!is_root()) GTEST_SKIP() << "needs root to own the victim and become nobody";
  TempDir dir;
  ::chmod(dir.path().c_str(), 0755);
  const std::string swapper = compile_c(dir, "swap", R"(
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
int main(int argc, char** argv) {
  if (chdir(argv[1]) != 0) return 1;
  close(open("out", O_CREAT | O_WRONLY, 0644));
  if (symlink(argv[2], "lnk") != 0) return 1;
  time_t end = time(0) + atoi(argv[3]);
  while (time(0) < end) syscall(SYS_renameat2, AT_FDCWD, "out", AT_FDCWD, "lnk", RENAME_EXCHANGE);
  return 0;
})");
  const std::string race = dir / "race";
  std::filesystem::create_directory(race);
  ASSERT_EQ(::chown(race.c_str(), 65534, 65534), 0);
  const std::string victim = dir / "victim";
  std::ofstream(victim) << "ROOT-ONLY\n";
  ::chmod(victim.c_str(), 0600);
  std::thread attacker([&] {
    test::run_command({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", swapper, race, victim, "4"},
                      {}, std::chrono::seconds(10));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int leaked = 0;
  for (int i = 0; i < 40; ++i) {
    seccage({"run", "-q", "--user", "nobody", "--default", "allow", "--stdout", race + "/out", "--", "/bin/echo", "PWNED"});
    auto r = seccage({"run", "-q", "--user", "nobody", "--default", "allow", "--stdin", race + "/out", "--", "/bin/cat"});
    leaked += r.status.output.find("ROOT-ONLY") != std::string::npos;
  }
  attacker.join();
  std::ifstream in(victim);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "ROOT-ONLY\n") << "the root-owned file was written through the swapped name";
  EXPECT_EQ(leaked, 0) << "the root-only file was read through the swapped name";
}

// A program run from a terminal gets the terminal's foreground: it reads
// what is typed, and Ctrl-C reaches it; seccage ends with it.
class Terminal {
 public:
  explicit Terminal(std::vector<std::string> argv) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  void type(const std::string& text) { ASSERT_EQ(::write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size())); }
  // Reads until `want` shows up or the time is out; returns all that was read.
  std::string read_until(const std::string& want, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (screen_.find(want) == std::string::npos && std::chrono::steady_clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char buf[512];
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) break;
        screen_.append(buf, static_cast<std::size_t>(n));
      }
    }
    return screen_;
  }
  // The exit status, waiting up to `limit`; nullopt if it did not end.
  std::optional<int> wait(std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) return status_ = st;
      read_until("\x01never", std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string screen_;
};

TEST(RunIsolation, AProgramOnATerminalReadsItAndCtrlCReachesIt) {
  Terminal t({kCli, "run", "-q", "--default", "allow", "--", "sh", "-c", "read x; echo got:$x; exec cat"});
  t.read_until("#never", std::chrono::milliseconds(300));  // let it start
  t.type("hello\n");
  const std::string screen = t.read_until("got:hello", std::chrono::seconds(5));
  EXPECT_NE(screen.find("got:hello"), std::string::npos) << "the read stopped (SIGTTIN?): " << screen;
  t.type("\x03");  // Ctrl-C: SIGINT to the terminal's foreground group, the program's
  auto st = t.wait(std::chrono::seconds(5));
  ASSERT_TRUE(st.has_value()) << "seccage did not end after Ctrl-C";
  EXPECT_TRUE(WIFEXITED(*st));
  EXPECT_EQ(WEXITSTATUS(*st), 128 + SIGINT);
}

// Ctrl-Z stops the program, and seccage with it, so the shell sees the job
// stopped; `fg` gives the program the terminal again.
TEST(RunIsolation, CtrlZStopsTheJobAndFgResumesIt) {
  Terminal t({"/bin/bash", "--norc", "--noprofile", "-i"});
  t.type("PS1='$ '\n");
  t.read_until("#never", std::chrono::milliseconds(300));
  t.type(kCli + " run -q --default allow -- cat 2>/dev/null\n");
  t.read_until("#never", std::chrono::milliseconds(500));
  t.type("one\n");
  t.read_until("one\r\none", std::chrono::seconds(5));
  t.type("\x1a");  // Ctrl-Z
  std::string screen = t.read_until("Stopped", std::chrono::seconds(5));
  EXPECT_NE(screen.find("Stopped"), std::string::npos) << "the shell did not see the job stop: " << screen;
  t.type("fg\n");
  t.read_until("#never", std::chrono::milliseconds(500));
  t.type("two\n");
  screen = t.read_until("two\r\ntwo", std::chrono::seconds(5));
  EXPECT_NE(screen.find("two\r\ntwo"), std::string::npos) << "the program did not get the terminal back: " << screen;
  t.type("\x04");  // Ctrl-D: cat ends, so does seccage
  t.type("echo rc=$?\n");
  screen = t.read_until("rc=0", std::chrono::seconds(5));
  EXPECT_NE(screen.find("rc=0"), std::string::npos) << screen;
  t.type("exit\n");
  EXPECT_TRUE(t.wait(std::chrono::seconds(5)).has_value());
}

}  // namespace
}  // namespace seccage::runtest
