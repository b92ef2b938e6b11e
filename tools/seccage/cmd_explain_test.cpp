// `seccage explain` as a user runs it: a filter read back as a policy, which
// `seccage diff` (a separate run of the binary) then finds deciding the same
// as the filter; JSON for scripts; a live process's filters; and the errors.
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/bpf.hpp"
#include "seccage/load_policy.hpp"
#include "support/cli.hpp"
#include "support/filtered_child.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/profiles.hpp"
#include "support/temp_dir.hpp"

namespace seccage::cli {
namespace {

using test::run_seccage;

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string write_program(const test::TempDir& dir, const std::string& name, const bpf::Program& p) {
  const auto raw = bpf::to_raw(p);
  return write(dir, name, std::string(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

bpf::Program libseccomp_docker(std::vector<Arch> arches) {
  PolicyLoadOptions o;
  o.arches = std::move(arches);
  return test::libseccomp_compile(load_policy_file(test::profiles_dir() / "docker-default.json", o).policy).program;
}

TEST(ExplainCli, ATextPolicyThatDiffFindsDecidingTheSame) {
  test::TempDir dir;
  const std::string program = write_program(dir, "docker.bpf", libseccomp_docker({Arch::x86_64}));
  const auto r = run_seccage({"explain", program});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("default errno(EPERM)\narch x86_64\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("allow socket: arg0.u64 != 40\n"), std::string::npos) << r.out;
  const std::string policy = write(dir, "back.policy", r.out);
  const auto d = run_seccage({"diff", program, policy, "--arch", "x86_64"});
  EXPECT_EQ(d.status, 0) << d.out << d.err;

  EXPECT_NE(r.out.find("unknown-syscalls default\n"), std::string::npos) << r.out;  // libseccomp's way

  // OCI, for a runtime: the same calls, but OCI cannot say that numbers the
  // table lacks get the default (runtimes answer ENOSYS), and it warns so.
  const auto oci = run_seccage({"explain", program, "--format", "oci"});
  ASSERT_EQ(oci.status, 0) << oci.err;
  EXPECT_NE(oci.err.find("unknown-syscalls default"), std::string::npos) << oci.err;
  const std::string json = write(dir, "back.json", oci.out);
  const auto od = run_seccage({"diff", program, json, "--arch", "x86_64", "--json"});
  ASSERT_EQ(od.status, 1) << od.out << od.err;
  for (const auto& difference : nlohmann::json::parse(od.out)["differences"]) {
    EXPECT_EQ(difference["syscall"].get<std::string>()[0], '#') << difference;  // numbers outside the table only
    EXPECT_EQ(difference["second"], "ERRNO(38)") << difference;
  }
}

TEST(ExplainCli, JsonListsEachArchsPolicyAndRules) {
  test::TempDir dir;
  const std::string program = write_program(dir, "docker3.bpf", libseccomp_docker({Arch::x86_64, Arch::x32, Arch::i386}));
  const auto r = run_seccage({"explain", program, "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["arches"], nlohmann::json::parse(R"(["x86_64", "x32", "i386"])"));
  ASSERT_GE(doc["policies"].size(), 1u);
  bool saw_socket = false;
  for (const auto& p : doc["policies"]) {
    EXPECT_EQ(p["default"], "ERRNO(1)");
    for (const auto& rule : p["rules"]) saw_socket = saw_socket || rule["syscall"] == "socket";
  }
  EXPECT_TRUE(saw_socket);
  // Several policies cannot be one OCI profile: --arch chooses.
  if (doc["policies"].size() > 1) {
    const auto oci = run_seccage({"explain", program, "--format", "oci"});
    EXPECT_EQ(oci.status, 2);
    EXPECT_NE(oci.err.find("--arch"), std::string::npos) << oci.err;
  }
  EXPECT_EQ(run_seccage({"explain", program, "--format", "oci", "--arch", "i386"}).status, 0);
}

TEST(ExplainCli, AFilterOfALiveProcess) {
  if (::geteuid() != 0) GTEST_SKIP() << "reading a process's filters needs root";
  const bpf::Program older = libseccomp_docker({Arch::x86_64});
  using namespace bpf;
  const Program newer = {
      stmt(op::LD | op::W | op::ABS, kOffArch),
      jump(op::JMP | op::JEQ | op::K, 0xc000003e, 1, 0),
      stmt(op::RET | op::K, 0x00000000),
      stmt(op::LD | op::W | op::ABS, kOffNr),
      jump(op::JMP | op::JEQ | op::K, 59, 0, 1),  // execve
      stmt(op::RET | op::K, 0x00050001),
      stmt(op::RET | op::K, 0x7fff0000),
  };
  test::FilteredChild child({older, newer});
  ASSERT_TRUE(child.ready());
  // Together, as the kernel runs them: Docker's profile, but execve refused
  // by the newer filter (ERRNO beats the older one's ALLOW).
  const auto both = run_seccage({"explain", "--pid", child.pid()});
  ASSERT_EQ(both.status, 0) << both.err;
  EXPECT_NE(both.out.find("the 2 filters of pid " + child.pid() + " together"), std::string::npos) << both.out;
  EXPECT_NE(both.out.find("default errno(EPERM)\narch x86_64\n"), std::string::npos) << both.out;
  EXPECT_EQ(both.out.find(" execve,"), std::string::npos) << both.out;
  EXPECT_NE(both.out.find("allow socket: arg0.u64 != 40\n"), std::string::npos) << both.out;
  const auto first = run_seccage({"explain", "--pid", child.pid(), "--filter", "1"});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("default allow\narch x86_64\n"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("errno(EPERM) execve\n"), std::string::npos) << first.out;
  test::TempDir dir;
  const auto second = run_seccage({"explain", "--pid", child.pid(), "--filter", "2"});
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(run_seccage({"diff", write_program(dir, "older.bpf", older), write(dir, "older.policy", second.out),
                         "--arch", "x86_64"})
                .status,
            0);
  EXPECT_EQ(run_seccage({"explain", "--pid", child.pid(), "--filter", "3"}).status, 2);
}

TEST(ExplainCli, WhatAPolicyCannotSayIsAnErrorNamingTheInstruction) {
  test::TempDir dir;
  using namespace bpf;
  const Program shifted = {
      stmt(op::LD | op::W | op::ABS, kOffArch),
      jump(op::JMP | op::JEQ | op::K, 0xc000003e, 1, 0),
      stmt(op::RET | op::K, 0),
      stmt(op::LD | op::W | op::ABS, kOffArgs),
      stmt(op::ALU | op::RSH | op::K, 4),
      jump(op::JMP | op::JEQ | op::K, 1, 0, 1),
      stmt(op::RET | op::K, 0x7fff0000),
      stmt(op::RET | op::K, 0x00050001),
  };
  const std::string program = write_program(dir, "shift.bpf", shifted);
  const auto r = run_seccage({"explain", program});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("shift.bpf: instruction 4: arithmetic other than a mask"), std::string::npos) << r.err;
  EXPECT_EQ(run_seccage({"explain"}).status, 2);
  EXPECT_EQ(run_seccage({"explain", program, "--pid", "1"}).status, 2);
  EXPECT_EQ(run_seccage({"explain", program, "--format", "yaml"}).status, 2);
}

}  // namespace
}  // namespace seccage::cli
