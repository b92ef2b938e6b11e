// `seccage diff` as a user runs it: policies and raw programs, text and JSON,
// and the exit status that says same (0), different (1) or bad input (2).
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "support/cli.hpp"
#include "support/filtered_child.hpp"
#include "support/profiles.hpp"
#include "support/temp_dir.hpp"

namespace seccage::cli {
namespace {

using test::run_seccage;

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(DiffCli, AProfileAndItsCompiledProgramDecideTheSame) {
  test::TempDir dir;
  const std::string profile = (test::profiles_dir() / "docker-default.json").string();
  const std::string program = (dir.path / "docker.bpf").string();
  ASSERT_EQ(run_seccage({"compile", profile, "--arch", "x86_64", "--arch", "i386", "-o", program}).status, 0);
  const auto r = run_seccage({"diff", program, profile, "--arch", "x86_64", "--arch", "i386"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("same decisions\ncompared 2 arches, ", 0), 0u) << r.out;
}

TEST(DiffCli, NamesEachCallDecidedDifferentlyWithArgumentsThatShowIt) {
  test::TempDir dir;
  const std::string a = write(dir, "a.policy", "default errno(EPERM)\nallow read, write, exit_group\n");
  const std::string b = write(dir, "b.policy", "default errno(EPERM)\nallow read, exit_group\nallow write: arg0 == 1\n");
  const auto r = run_seccage({"diff", a, b, "--arch", "x86_64"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("1 call decided differently"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("x86_64 write (1): ALLOW / ERRNO(1) EPERM, e.g. args 0x0"), std::string::npos) << r.out;

  const auto j = run_seccage({"diff", a, b, "--arch", "x86_64", "--json"});
  EXPECT_EQ(j.status, 1);
  const auto doc = nlohmann::json::parse(j.out);
  EXPECT_FALSE(doc["same"].get<bool>());
  ASSERT_EQ(doc["differences"].size(), 1u);
  EXPECT_EQ(doc["differences"][0]["syscall"], "write");
  EXPECT_NE(doc["differences"][0]["args"][0], 1);  // the argument that shows it
  EXPECT_EQ(doc["differences"][0]["second"], "ERRNO(1)");
}

// A running process's filters (here: a profile compiled by seccage and a
// newer filter refusing execve) against the profile: the one call the newer
// filter changed.
TEST(DiffCli, AProcesssFiltersAgainstAPolicy) {
  if (::geteuid() != 0) GTEST_SKIP() << "reading a process's filters needs root";
  test::TempDir dir;
  // seccomp and pause: what the child does after the first install.
  const std::string policy =
      write(dir, "p.policy", "default errno(EPERM)\nallow read, write, execve, exit_group, seccomp, pause\n");
  PolicyLoadOptions o;
  o.arches = {Arch::x86_64};
  const bpf::Program older = compile(load_policy_file(policy, o).policy);
  const bpf::Program newer = compile(load_policy_text("default allow\nerrno(EACCES) execve\n", "n.policy", o).policy);
  test::FilteredChild child({older, newer});
  ASSERT_TRUE(child.ready());
  const auto r = run_seccage({"diff", "--pid", child.pid(), policy, "--arch", "x86_64", "--json"});
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["differences"].size(), 1u) << r.out;
  EXPECT_EQ(doc["differences"][0]["syscall"], "execve");
  EXPECT_EQ(doc["differences"][0]["first"], "ERRNO(13)");
  EXPECT_EQ(doc["differences"][0]["second"], "ALLOW");
  test::FilteredChild same({older});
  ASSERT_TRUE(same.ready());
  EXPECT_EQ(run_seccage({"diff", "--pid", same.pid(), policy, "--arch", "x86_64"}).status, 0);
  EXPECT_EQ(run_seccage({"diff", "--pid", same.pid(), policy, policy}).status, 2);
}

TEST(DiffCli, BadInputIsAnErrorNotADifference) {
  test::TempDir dir;
  const std::string a = write(dir, "a.policy", "default allow\n");
  const std::string bad = write(dir, "bad.policy", "default allow\nallow nosuchcall\n");
  EXPECT_EQ(run_seccage({"diff", a, (dir.path / "missing").string()}).status, 2);
  const auto r = run_seccage({"diff", a, bad, "--arch", "x86_64"});
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.err.find("bad.policy:2"), std::string::npos) << r.err;
  EXPECT_EQ(run_seccage({"diff", a, a, "--max-probes", "0"}).status, 2);
}

}  // namespace
}  // namespace seccage::cli
