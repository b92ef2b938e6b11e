// Runs the built `seccage syscalls` and checks what it prints and its exit status.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/arch.hpp"

#include "support/cli.hpp"

namespace seccage {
namespace {

using test::CliRun;
CliRun run_cli(const std::vector<std::string>& args) { return test::run_seccage(args); }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(SyscallsCli, NameToNumber) {
  const CliRun r = run_cli({"syscalls", "--arch", "aarch64", "openat"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "56\n");
  EXPECT_EQ(r.err, "");
}

TEST(SyscallsCli, NumberToName) {
  EXPECT_EQ(run_cli({"syscalls", "--arch", "x86_64", "59"}).out, "execve\n");
  EXPECT_EQ(run_cli({"syscalls", "--arch", "x86_64", "0x3b"}).out, "execve\n");
  EXPECT_EQ(run_cli({"syscalls", "--arch", "x32", "0x40000208"}).out, "execve\n");
  EXPECT_EQ(run_cli({"syscalls", "--arch", "mips64el", "5000"}).out, "read\n");
}

TEST(SyscallsCli, SeveralQueriesOneLineEach) {
  const CliRun r = run_cli({"syscalls", "--arch", "x86_64", "read", "59", "openat", "0x101"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "0\nexecve\n257\nopenat\n");
}

TEST(SyscallsCli, EveryArchSpellingGivesTheSameAnswer) {
  for (const ArchInfo& info : all_arches()) {
    const std::string want = std::to_string(*syscall_number(info.arch, "read")) + "\n";
    for (std::string_view spelling : {info.name, info.go_name, info.oci_name}) {
      if (spelling.empty()) continue;
      const CliRun r = run_cli({"syscalls", "--arch", std::string(spelling), "read"});
      EXPECT_EQ(r.status, 0) << spelling << ": " << r.err;
      EXPECT_EQ(r.out, want) << spelling;
    }
  }
  EXPECT_EQ(run_cli({"syscalls", "--arch", "arm64", "openat"}).out, "56\n");
  EXPECT_EQ(run_cli({"syscalls", "--arch", "x86", "socketcall"}).out, "102\n");
}

TEST(SyscallsCli, DefaultsToNativeArch) {
  const std::string native(arch_name(native_arch()));
  const CliRun with = run_cli({"syscalls", "--arch", native, "execve", "close"});
  const CliRun without = run_cli({"syscalls", "execve", "close"});
  EXPECT_EQ(without.status, 0) << without.err;
  EXPECT_EQ(without.out, with.out);
  EXPECT_FALSE(without.out.empty());
}

TEST(SyscallsCli, UnknownNameExitsTwoWithSuggestion) {
  const CliRun r = run_cli({"syscalls", "--arch", "x86_64", "opnat"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "seccage: unknown syscall 'opnat' on x86_64 (did you mean 'openat'?)\n");
}

TEST(SyscallsCli, NameOfAnotherArchSaysWhere) {
  const CliRun r = run_cli({"syscalls", "--arch", "aarch64", "open"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("syscall 'open' does not exist on aarch64 (it exists on x86_64"), std::string::npos) << r.err;
}

TEST(SyscallsCli, OneBadQueryPrintsNothingAndReportsEveryError) {
  const CliRun r = run_cli({"syscalls", "--arch", "x86_64", "read", "opnat", "clsoe"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines(r.err).size(), 2u) << r.err;
  EXPECT_NE(r.err.find("'opnat'"), std::string::npos);
  EXPECT_NE(r.err.find("did you mean 'close'"), std::string::npos);
}

TEST(SyscallsCli, UnassignedNumberAndBadArch) {
  CliRun r = run_cli({"syscalls", "--arch", "x32", "0"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "seccage: no syscall has number 0 on x32 (x32 numbers start at 0x40000000: 0x40000000 is read)\n");
  r = run_cli({"syscalls", "--arch", "x86_64", "99999"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "seccage: no syscall has number 99999 on x86_64\n");
  r = run_cli({"syscalls", "--arch", "x86_64", "0x100000000"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("does not fit in 32 bits"), std::string::npos) << r.err;
  r = run_cli({"syscalls", "--arch", "amd46", "read"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown architecture 'amd46' (did you mean 'amd64'?)"), std::string::npos) << r.err;
}

TEST(SyscallsCli, ListsTheTable) {
  const CliRun r = run_cli({"syscalls", "--arch", "riscv64"});
  EXPECT_EQ(r.status, 0) << r.err;
  const auto got = lines(r.out);
  const auto table = syscall_table(Arch::riscv64);
  ASSERT_EQ(got.size(), table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(got[i], std::to_string(table[i].nr) + " " + std::string(table[i].name));
  }
}

TEST(SyscallsCli, JsonForQueriesAndTables) {
  CliRun r = run_cli({"syscalls", "--json", "--arch", "x32", "execve", "0x40000000"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["arch"], "x32");
  EXPECT_EQ(j["audit_arch"], 0xc000003eu);
  ASSERT_EQ(j["syscalls"].size(), 2u);
  EXPECT_EQ(j["syscalls"][0]["name"], "execve");
  EXPECT_EQ(j["syscalls"][0]["nr"], 0x40000000u + 520u);
  EXPECT_EQ(j["syscalls"][1]["name"], "read");
  EXPECT_EQ(j["syscalls"][1]["nr"], 0x40000000u);

  r = run_cli({"syscalls", "--json", "--arch", "arm"});
  ASSERT_EQ(r.status, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["syscalls"].size(), syscall_table(Arch::arm).size());
  bool has_breakpoint = false;
  for (const auto& e : j["syscalls"]) has_breakpoint = has_breakpoint || (e["name"] == "breakpoint" && e["nr"] == 0xf0001);
  EXPECT_TRUE(has_breakpoint);
}

TEST(SyscallsCli, ListArches) {
  CliRun r = run_cli({"syscalls", "--list-arches"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto got = lines(r.out);
  ASSERT_EQ(got.size(), all_arches().size() + 1);  // a header line, then one per arch
  EXPECT_EQ(got[0].substr(0, 4), "ARCH");
  for (std::size_t i = 0; i < all_arches().size(); ++i) {
    const ArchInfo& a = all_arches()[i];
    std::istringstream fields(got[i + 1]);
    std::string name, audit, go, oci;
    fields >> name >> audit >> go >> oci;
    EXPECT_EQ(name, a.name);
    EXPECT_EQ(std::stoul(audit, nullptr, 16), a.audit_arch) << name;
    EXPECT_EQ(go, a.go_name.empty() ? "-" : std::string(a.go_name));
    EXPECT_EQ(oci, a.oci_name);
    EXPECT_NE(got[i + 1].find(" " + std::to_string(a.max_nr)), std::string::npos) << got[i + 1];
  }

  r = run_cli({"syscalls", "--list-arches", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), all_arches().size());
  EXPECT_EQ(j[0]["name"], "x86_64");
  EXPECT_EQ(j[0]["audit_arch"], 0xc000003eu);
  EXPECT_EQ(j[0]["go_name"], "amd64");
  EXPECT_EQ(j[1]["go_name"], nullptr);  // x32: Go has no GOARCH for it
  EXPECT_EQ(j[1]["nr_offset"], 0x40000000u);

  // --list-arches answers no queries: combining them is a usage error.
  r = run_cli({"syscalls", "--list-arches", "read"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace seccage
