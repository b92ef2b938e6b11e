// `seccage learn` (issue 14): a profile learned from a run lets the same
// command run again under `seccage run --profile` with zero violations, and
// is tight: the same program doing one thing more is reported. Bad input
// fails with a clear error and leaves no file behind.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

bool exists(const std::string& path) { return std::filesystem::exists(path); }

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Forks three children that exec /bin/true, opens an AF_UNIX socket, and
// with the argument "v6" an AF_INET6 socket too.
const char* kForkExec = R"(
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char** argv) {
  for (int i = 0; i < 3; ++i) {
    pid_t pid = fork();
    if (pid == 0) { execl("/bin/true", "true", (char*)0); _exit(127); }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 2;
  }
  int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (u < 0) { perror("socket AF_UNIX"); return 3; }
  close(u);
  if (argc > 1 && strcmp(argv[1], "v6") == 0) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    if (s < 0) return 4;  /* no perror: its dup(2) would be one more call */
    close(s);
  }
  puts("done");
  return 0;
}
)";

// Learns `command` into DIR/p.json, then runs it under that profile: zero
// violations, the program's own output and status unchanged.
void learn_then_run(const TempDir& dir, const std::vector<std::string>& command, const std::string& expected_output) {
  const std::string profile = dir / "p.json", counts = dir / "counts.json", report = dir / "r.json";
  std::vector<std::string> learn{"learn", "-o", profile, "--counts", counts, "--"};
  learn.insert(learn.end(), command.begin(), command.end());
  auto l = seccage(learn);
  ASSERT_EQ(l.exit_code(), 0) << l.err;
  if (!expected_output.empty()) {
    EXPECT_EQ(l.status.output, expected_output) << l.err;
  }
  const auto p = read_report(profile);
  EXPECT_EQ(p["defaultAction"], "SCMP_ACT_ERRNO") << p.dump(2);
  const auto c = read_report(counts);
  EXPECT_GT(c["total"].get<std::uint64_t>(), 10u) << c.dump(2);

  std::vector<std::string> run{"run", "--profile", profile, "--report", report, "--"};
  run.insert(run.end(), command.begin(), command.end());
  auto r = seccage(run);
  EXPECT_EQ(r.exit_code(), 0) << r.err << "\nprofile:\n" << p.dump(2);
  if (!expected_output.empty()) {
    EXPECT_EQ(r.status.output, expected_output) << r.err;
  }
  const auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "ok") << j.dump(2);
  EXPECT_EQ(j["violation_count"], 0) << j.dump(2);
}

TEST(RunLearn, ShellPipeline) {
  TempDir dir;
  learn_then_run(dir, {"/bin/sh", "-c", "ls / | wc -l > /dev/null && echo ok"}, "ok\n");
}

TEST(RunLearn, PythonWithThreads) {
  if (!exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  TempDir dir;
  learn_then_run(dir,
                 {"/usr/bin/python3", "-c",
                  "import threading\nout=[]\nts=[threading.Thread(target=lambda i=i: out.append(i*i)) for i in range(8)]\n"
                  "[t.start() for t in ts]; [t.join() for t in ts]; print(sum(out))"},
                 "140\n");
}

TEST(RunLearn, GccCompilingAFile) {
  if (!exists("/usr/bin/gcc")) GTEST_SKIP() << "no /usr/bin/gcc";
  TempDir dir;
  std::ofstream(dir / "h.c") << "#include <stdio.h>\nint main(void){puts(\"hi\");return 0;}\n";
  learn_then_run(dir, {"/bin/sh", "-c", "cd " + dir.path() + " && gcc -o h h.c && ./h"}, "hi\n");
}

TEST(RunLearn, Tar) {
  TempDir dir;
  const std::string d = dir.path();
  learn_then_run(dir,
                 {"/bin/sh", "-c",
                  "mkdir -p " + d + "/t/a && echo data > " + d + "/t/a/f && tar -cf " + d + "/t.tar -C " + d +
                      " t && tar -tf " + d + "/t.tar | wc -l"},
                 "3\n");
}

TEST(RunLearn, ForkAndExecChildren) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forkexec", kForkExec);
  learn_then_run(dir, {prog}, "done\n");
}

TEST(RunLearn, OneThingMoreIsReported) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forkexec", kForkExec);
  const std::string profile = dir / "p.json", report = dir / "r.json";
  auto l = seccage({"learn", "-q", "-o", profile, "--", prog});
  ASSERT_EQ(l.exit_code(), 0) << l.err;
  auto r = seccage({"run", "--profile", profile, "--report", report, "--", prog, "v6"});
  EXPECT_EQ(r.exit_code(), 4) << r.err;  // socket(AF_INET6) failed with EPERM
  const auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "violation") << j.dump(2);
  ASSERT_EQ(j["violation_count"], 1) << j.dump(2);
  EXPECT_EQ(j["violations"][0]["syscall"], "socket");
  EXPECT_EQ(j["violations"][0]["args"][0], 10);  // AF_INET6
}

TEST(RunLearn, TheSameRunGivesTheSameFile) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forkexec", kForkExec);
  ASSERT_EQ(seccage({"learn", "-q", "-o", dir / "a.json", "--", prog}).exit_code(), 0);
  ASSERT_EQ(seccage({"learn", "-q", "-o", dir / "b.json", "--", prog}).exit_code(), 0);
  EXPECT_EQ(slurp(dir / "a.json"), slurp(dir / "b.json"));
  ASSERT_EQ(seccage({"learn", "-q", "--format", "text", "-o", dir / "a.txt", "--", prog}).exit_code(), 0);
  EXPECT_NE(slurp(dir / "a.txt").find("default errno"), std::string::npos) << slurp(dir / "a.txt");
}

TEST(RunLearn, AppendAndMergeCoverEveryRun) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forkexec", kForkExec);
  const std::string profile = dir / "p.json";
  ASSERT_EQ(seccage({"learn", "-q", "-o", profile, "--", prog}).exit_code(), 0);
  ASSERT_EQ(seccage({"learn", "-q", "-o", dir / "v6.json", "--", prog, "v6"}).exit_code(), 0);
  auto a = seccage({"learn", "-q", "--append", "-o", profile, "--", prog, "v6"});
  ASSERT_EQ(a.exit_code(), 0) << a.err;
  auto m = seccage({"learn", "--merge", dir / "v6.json", profile, "-o", dir / "m.json"});
  ASSERT_EQ(m.exit_code(), 0) << m.err;
  for (const std::string& p : {profile, dir / "m.json"}) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{prog}, std::vector<std::string>{prog, "v6"}}) {
      std::vector<std::string> run{"run", "--profile", p, "--report", dir / "r.json", "--"};
      run.insert(run.end(), args.begin(), args.end());
      auto r = seccage(run);
      EXPECT_EQ(r.exit_code(), 0) << p << ": " << r.err;
      EXPECT_EQ(read_report(dir / "r.json")["violation_count"], 0);
    }
  }
}

TEST(RunLearn, FromAPermissiveReport) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forkexec", kForkExec);
  const std::string profile = dir / "p.json", report = dir / "r.json", grown = dir / "p2.json";
  ASSERT_EQ(seccage({"learn", "-q", "-o", profile, "--", prog}).exit_code(), 0);
  auto r = seccage({"run", "--permissive", "--profile", profile, "--report", report, "--", prog, "v6"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  auto f = seccage({"learn", "--from-report", report, "--profile", profile, "-o", grown});
  ASSERT_EQ(f.exit_code(), 0) << f.err;
  EXPECT_NE(f.err.find("socket"), std::string::npos) << f.err;
  auto again = seccage({"run", "--profile", grown, "--report", report, "--", prog, "v6"});
  EXPECT_EQ(again.exit_code(), 0) << again.err;
  EXPECT_EQ(read_report(report)["violation_count"], 0);
  // Still tight: only the AF_INET6 datagram socket was added.
  std::size_t socket_rules = 0;
  const auto grown_profile = read_report(grown);
  for (const auto& e : grown_profile["syscalls"]) {
    for (const auto& name : e["names"]) {
      if (name != "socket") continue;
      ++socket_rules;
      EXPECT_EQ(e["args"].size(), 2u) << e.dump();  // domain and type, each checked
    }
  }
  EXPECT_EQ(socket_rules, 2u);  // AF_UNIX stream (learned) and AF_INET6 datagram (from the report)
}

// learn takes run's program options (one registration, tools/seccage/
// program_options): the program learns and runs as nobody, with the
// environment and directory given, and the profile covers that run.
TEST(RunLearn, AsAnotherUserWithRunsProgramOptions) {
  if (::geteuid() != 0) GTEST_SKIP() << "--user needs root";
  TempDir dir;
  const std::string profile = dir / "p.json", report = dir / "r.json";
  const std::vector<std::string> program{"--user", "nobody", "--env", "GREETING=hi", "--cwd", "/tmp", "--",
                                         "/bin/sh", "-c", "id -u; echo $GREETING; pwd"};
  std::vector<std::string> learn{"learn", "-o", profile};
  learn.insert(learn.end(), program.begin(), program.end());
  auto l = seccage(learn);
  ASSERT_EQ(l.exit_code(), 0) << l.err;
  EXPECT_EQ(l.status.output, "65534\nhi\n/tmp\n") << l.err;
  std::vector<std::string> run{"run", "--profile", profile, "--report", report};
  run.insert(run.end(), program.begin(), program.end());
  auto r = seccage(run);
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "65534\nhi\n/tmp\n") << r.err;
  EXPECT_EQ(read_report(report)["violation_count"], 0);
}

TEST(RunLearn, ProgramsThatCannotRunLeaveNoFile) {
  TempDir dir;
  auto missing = seccage({"learn", "-o", dir / "p.json", "--", dir / "no-such-program"});
  EXPECT_EQ(missing.exit_code(), 127) << missing.err;
  EXPECT_NE(missing.err.find("nothing written"), std::string::npos) << missing.err;
  std::ofstream(dir / "script") << "#!/bin/sh\ntrue\n";
  ::chmod((dir / "script").c_str(), 0644);
  auto not_exec = seccage({"learn", "-o", dir / "p.json", "--", dir / "script"});
  EXPECT_EQ(not_exec.exit_code(), 126) << not_exec.err;
  EXPECT_FALSE(exists(dir / "p.json"));
}

TEST(RunLearn, UnwritableOutputFailsBeforeTheProgramRuns) {
  TempDir dir;
  const std::string marker = dir / "ran";
  auto r = seccage({"learn", "-o", dir / "no-such-dir/p.json", "--", "/bin/sh", "-c", "touch " + marker});
  EXPECT_EQ(r.exit_code(), 2) << r.err;
  EXPECT_NE(r.err.find("-o"), std::string::npos) << r.err;
  EXPECT_FALSE(exists(marker));
  auto c = seccage({"learn", "-o", dir / "p.json", "--counts", dir / "nope/c.json", "--", "/bin/true"});
  EXPECT_EQ(c.exit_code(), 2) << c.err;
  EXPECT_FALSE(exists(dir / "p.json"));
}

TEST(RunLearn, MergeRefusesDifferentArchesAndDefaults) {
  TempDir dir;
  std::ofstream(dir / "a.json") << R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
    "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})";
  std::ofstream(dir / "b.json") << R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
    "syscalls": [{"names": ["write"], "action": "SCMP_ACT_ALLOW"}]})";
  std::ofstream(dir / "c.json") << R"({"defaultAction": "SCMP_ACT_KILL_PROCESS", "architectures": ["SCMP_ARCH_X86_64"],
    "syscalls": [{"names": ["write"], "action": "SCMP_ACT_ALLOW"}]})";
  for (const char* other : {"b.json", "c.json"}) {
    auto r = seccage({"learn", "--merge", dir / "a.json", dir / other, "-o", dir / "m.json"});
    EXPECT_EQ(r.exit_code(), 2) << r.err;
    EXPECT_NE(r.err.find("cannot merge"), std::string::npos) << r.err;
    EXPECT_FALSE(exists(dir / "m.json"));
  }
  auto ok = seccage({"learn", "--merge", dir / "a.json", dir / "a.json", "-o", dir / "m.json"});
  EXPECT_EQ(ok.exit_code(), 0) << ok.err;
}

}  // namespace
}  // namespace seccage::runtest
