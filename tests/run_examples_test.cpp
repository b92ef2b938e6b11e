// The shipped examples do what their comments say, under `seccage run` in the
// real kernel: examples/judge.policy runs a dynamically linked C and C++
// program with no violation and kills each thing its comment forbids;
// examples/dev-shell.policy fails mounts with EPERM and traps kexec_load.
// (examples/web-worker.policy: tests/example_web_worker_test.cpp.)
#include <signal.h>

#include <string>

#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

const std::string kExamples = std::string(SECCAGE_SOURCE_DIR) + "/examples/";

// One program that tries one thing, chosen by argv[1], after printing "start"
// (so a kill is known to come from the attempt, not from start-up).
constexpr const char* kTryer = R"(
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>
int main(int argc, char** argv) {
  printf("start\n");
  fflush(stdout);
  const char* what = argc > 1 ? argv[1] : "";
  if (!strcmp(what, "write-file")) return open("/tmp/seccage-judge-out", O_WRONLY | O_CREAT, 0600) < 0 ? 3 : 0;
  if (!strcmp(what, "fork")) return fork() < 0 ? 3 : 0;
  if (!strcmp(what, "socket")) return socket(AF_INET, SOCK_STREAM, 0) < 0 ? 3 : 0;
  if (!strcmp(what, "wx")) return mmap(0, 4096, PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? 3 : 0;
  if (!strcmp(what, "read-file")) { int fd = open("/etc/hostname", O_RDONLY); return fd < 0 ? 3 : 0; }
  if (!strcmp(what, "mount")) { int rc = mount("none", "/mnt", "tmpfs", 0, 0); printf("%s\n", rc < 0 && errno == EPERM ? "EPERM" : "other"); return 0; }
  if (!strcmp(what, "kexec")) { syscall(SYS_kexec_load, 0, 0, 0, 0); return 0; }
  return 0;
}
)";

TEST(RunExamples, JudgeRunsCAndCppProgramsAndKillsWhatItForbids) {
  TempDir dir;
  const std::string tryer = compile_c(dir, "tryer", kTryer);
  const std::string cpp_src = dir / "hello.cpp";
  std::ofstream(cpp_src) << "#include <iostream>\n#include <vector>\nint main(){std::vector<int> v(100000, 1);"
                            " long s = 0; for (int x : v) s += x; std::cout << s << std::endl;}\n";
  const std::string cpp = dir / "hello_cpp";
  ASSERT_EQ(test::run_command({"/usr/bin/c++", "-O1", "-o", cpp, cpp_src}).exit_code(), 0);
  const std::string judge = kExamples + "judge.policy";

  for (const auto& [prog, arg, out] : {std::tuple{tryer, std::string("read-file"), std::string("start\n")},
                                       std::tuple{cpp, std::string(), std::string("100000\n")}}) {
    const std::string report = dir / "ok.json";
    std::vector<std::string> args{"run", "--profile", judge, "--report", report, "--", prog};
    if (!arg.empty()) args.push_back(arg);
    auto r = seccage(args);
    EXPECT_EQ(r.exit_code(), 0) << prog << " " << r.err;
    EXPECT_EQ(r.status.output, out) << r.err;
    EXPECT_EQ(read_report(report)["violations"].size(), 0u) << r.err;
  }
  // Each forbidden thing is killed at its call.
  for (const auto& [what, syscall] : {std::pair{"write-file", "openat"}, std::pair{"fork", "clone"},
                                      std::pair{"socket", "socket"}, std::pair{"wx", "mmap"}}) {
    const std::string report = dir / (std::string(what) + ".json");
    auto r = seccage({"run", "--profile", judge, "--report", report, "--", tryer, what});
    EXPECT_EQ(r.exit_code(), 128 + SIGSYS) << what << " " << r.err;
    EXPECT_EQ(r.status.output, "start\n") << what;
    const auto violations = read_report(report)["violations"];
    ASSERT_EQ(violations.size(), 1u) << what << " " << r.err;
    EXPECT_EQ(violations[0]["syscall"], syscall) << what;
  }
}

TEST(RunExamples, DevShellFailsMountsAndTrapsKexec) {
  TempDir dir;
  const std::string tryer = compile_c(dir, "tryer", kTryer);
  const std::string shell = kExamples + "dev-shell.policy";
  auto mount = seccage({"run", "--profile", shell, "--", tryer, "mount"});
  EXPECT_EQ(mount.exit_code(), 0) << mount.err;
  EXPECT_EQ(mount.status.output, "start\nEPERM\n") << mount.err;
  auto kexec = seccage({"run", "--profile", shell, "--", tryer, "kexec"});
  EXPECT_EQ(kexec.exit_code(), 128 + SIGSYS) << kexec.err;
  EXPECT_NE(kexec.err.find("kexec_load"), std::string::npos) << kexec.err;
}

}  // namespace
}  // namespace seccage::runtest
