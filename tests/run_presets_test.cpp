// Each preset against real programs it is meant for (issue 5, item 2).
#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

TEST(PresetList, PresetsCommandListsAll) {
  auto r = seccage({"presets", "--json"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  auto j = nlohmann::json::parse(r.status.output);
  std::set<std::string> names;
  for (const auto& p : j) names.insert(p["name"].get<std::string>());
  for (const char* n : {"default", "stdio", "no-network", "no-exec", "read-only"}) EXPECT_TRUE(names.count(n)) << n;
}

// The judge's preset: a dynamically linked C program that reads its input
// file and stdin and computes, with nothing denied.
TEST(PresetStdio, AJudgeSubmissionRunsClean) {
  TempDir dir;
  const std::string prog = compile_c(dir, "sum", R"(
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char** argv) {
  FILE* f = fopen(argv[1], "r");
  long a = 0, b = 0;
  if (!f || fscanf(f, "%ld", &a) != 1) return 2;
  if (scanf("%ld", &b) != 1) return 3;
  char* big = malloc(1 << 24);
  for (int i = 0; i < (1 << 24); i += 4096) big[i] = 1;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  printf("%ld\n", a + b + big[4096]);
  return 0;
})");
  std::ofstream(dir / "in.txt") << "40\n";
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--preset", "stdio", "--report", report, "--", prog, dir / "in.txt"}, "1\n");
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "42\n");
  auto j = read_report(report);
  EXPECT_EQ(j["verdict"], "ok");
  EXPECT_EQ(j["violation_count"], 0);
}

TEST(PresetStdio, ProcessCreationKills) {
  TempDir dir;
  const std::string prog = compile_c(dir, "forker", R"(
#include <unistd.h>
#include <stdio.h>
int main(void) { puts("before"); fflush(stdout); fork(); puts("after"); return 0; })");
  auto r = seccage({"run", "--preset", "stdio", "--", prog});
  EXPECT_EQ(r.status.output, "before\n");
  EXPECT_EQ(r.exit_code(), 159);
  EXPECT_NE(r.err.find("clone("), std::string::npos) << r.err;
}

TEST(PresetNoNetwork, InetSocketsFailUnixSocketsWork) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--preset", "no-network", "--report", report, "--", "/usr/bin/python3", "-c",
                    "import socket\n"
                    "try:\n socket.socket(socket.AF_INET, socket.SOCK_STREAM); print('inet ok')\n"
                    "except OSError as e: print('inet', e.errno)\n"
                    "a, b = socket.socketpair(socket.AF_UNIX); a.send(b'x'); print('unix', b.recv(1))\n"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, "inet 97\nunix b'x'\n");  // EAFNOSUPPORT
  auto j = read_report(report);
  ASSERT_EQ(j["violation_count"], 1) << j.dump(2);
  EXPECT_EQ(j["violations"][0]["syscall"], "socket");
  EXPECT_NE(j["violations"][0]["decoded"].get<std::string>().find("domain=AF_INET"), std::string::npos);
  EXPECT_EQ(j["violations"][0]["outcome"], "errno EAFNOSUPPORT");
}

TEST(PresetNoExec, TheLaunchWorksLaterExecsFail) {
  TempDir dir;
  const std::string report = dir / "r.json";
  auto r = seccage({"run", "--preset", "no-exec", "--report", report, "--", "/bin/sh", "-c",
                    "echo launched; /bin/true && echo ran-true; echo status $?"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find("launched\n"), std::string::npos);
  EXPECT_EQ(r.status.output.find("ran-true"), std::string::npos) << r.status.output;
  auto j = read_report(report);
  ASSERT_GE(j["violations"].size(), 1u);
  EXPECT_EQ(j["violations"][0]["syscall"], "execve");
  EXPECT_EQ(j["violations"][0]["outcome"], "errno EPERM");
}

TEST(PresetReadOnly, ReadingWorksWritingFailsWithErofs) {
  TempDir dir;
  std::filesystem::create_directories(dir / "tree/sub");
  std::ofstream(dir / "tree/sub/a.txt") << "hello\n";
  const std::string report = dir / "r.json";
  // tar reads the tree and writes the archive to its stdout (an open fd).
  auto tar = seccage({"run", "--preset", "read-only", "--report", report, "--", "/bin/tar", "-cf", "-", "-C",
                      dir / "tree", "."});
  EXPECT_EQ(tar.exit_code(), 0) << tar.err;
  EXPECT_GT(tar.status.output.size(), 1000u);
  EXPECT_EQ(read_report(report)["violation_count"], 0);

  auto r = seccage({"run", "--preset", "read-only", "--report", report, "--", "/bin/sh", "-c",
                    "cat " + dir / "tree/sub/a.txt" + "; echo x > " + dir / "tree/new.txt" + "; rm " +
                        dir / "tree/sub/a.txt" + "; mkdir " + dir / "tree/d" + "; true"});
  EXPECT_EQ(r.status.output, "hello\n");
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "tree/sub/a.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "tree/new.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "tree/d"));
  auto j = read_report(report);
  std::set<std::string> calls;
  for (const auto& v : j["violations"]) calls.insert(v["syscall"].get<std::string>());
  EXPECT_TRUE(calls.count("openat")) << j.dump(2);
  EXPECT_TRUE(calls.count("unlinkat")) << j.dump(2);
  EXPECT_TRUE(calls.count("mkdir") || calls.count("mkdirat")) << j.dump(2);
}

}  // namespace
}  // namespace seccage::runtest
