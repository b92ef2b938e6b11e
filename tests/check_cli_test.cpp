// `seccage check` as a user runs it: exit statuses, the text report, --json.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace seccage {
namespace {

namespace fs = std::filesystem;

const fs::path kProfiles = fs::path(SECCAGE_TEST_DATA_DIR) / "profiles";

const auto seccage = [](const std::vector<std::string>& args) { return test::run_seccage_command(args); };

struct TempFile : test::TempFile {
  explicit TempFile(const std::string& content) : test::TempFile(content, "profile", "seccage-check") {}
};

TEST(CheckCli, DockerDefaultIsCleanAndSaysWhatMatters) {
  // Resolved for an x86_64 host: x86_64, x32 and i386 (Docker's archMap).
  const auto r = seccage({"check", (kProfiles / "docker-default.json").string(), "--kernel", "6.1"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  const std::string& out = r.status.output;
  EXPECT_NE(out.find("ptrace is allowed"), std::string::npos) << out;
  EXPECT_NE(out.find("[multiplexer-bypass]"), std::string::npos) << out;
  EXPECT_NE(out.find("CAP_SYS_ADMIN"), std::string::npos) << out;
  EXPECT_NE(out.find("0 errors"), std::string::npos) << out;
  // The per-name arch notes are summed up, not listed.
  EXPECT_LT(std::count(out.begin(), out.end(), '\n'), 30) << out;
}

TEST(CheckCli, ErrorsExitOne) {
  TempFile f(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["read", "wirte"], "action": "SCMP_ACT_ALLOW"}]})");
  const auto r = seccage({"check", f.path.string()});
  EXPECT_EQ(r.exit_code(), 1) << r.status.output << r.err;
  EXPECT_NE(r.status.output.find(":3:"), std::string::npos) << r.status.output;
  EXPECT_NE(r.status.output.find(" (/syscalls/0/names/1): error: unknown syscall 'wirte' (did you mean 'write'?)"),
            std::string::npos)
      << r.status.output;
}

// Rules libseccomp refuses are without effect in seccage's program too;
// `compile` says so on stderr and still writes the program.
TEST(CompileCli, RefusedRulesAreReported) {
  TempFile f(R"({"defaultAction": "SCMP_ACT_ERRNO",
                 "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [
                   {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                   {"names": ["write"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]})");
  const auto r = seccage({"compile", f.path.string(), "--format", "disasm"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.err.find("has no effect"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/syscalls/2"), std::string::npos) << r.err;
  EXPECT_NE(r.status.output.find("ret"), std::string::npos);
  // The first two rules are not mentioned.
  EXPECT_EQ(r.err.find("/syscalls/1"), std::string::npos) << r.err;
}

// --input-format asks the content detector (docs/formats.md), for every
// format: the right word compiles, another is refused naming what it read.
TEST(CompileCli, InputFormatIsCheckedAgainstTheDetectedFormat) {
  const std::map<std::string, std::string> files{
      {"text", "default kill\nallow read\n"},
      {"json", R"({"defaultAction": "SCMP_ACT_KILL", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]})"},
      {"minijail", "read: 1\n"},
      {"lxc", "2\nallowlist\nread\n"},
  };
  for (const auto& [format, content] : files) {
    TempFile f(content);
    const auto ok = seccage({"compile", f.path.string(), "--input-format", format, "--format", "disasm"});
    EXPECT_EQ(ok.exit_code(), 0) << format << ": " << ok.err;
    const std::string other = format == "text" ? "json" : "text";
    const auto bad = seccage({"compile", f.path.string(), "--input-format", other, "--format", "disasm"});
    EXPECT_EQ(bad.exit_code(), 2) << format;
    EXPECT_NE(bad.err.find("--input-format " + other), std::string::npos) << bad.err;
  }
}

TEST(CheckCli, UnreadableInputExitsTwo) {
  auto r = seccage({"check", "/nonexistent/profile.json"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("cannot read profile"), std::string::npos) << r.err;
  TempFile bad(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": 3}]})");
  r = seccage({"check", bad.path.string()});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("/syscalls/0/action"), std::string::npos) << r.err;
  TempFile text("default errno(ENOSYS)\nalow read\n");
  r = seccage({"check", text.path.string()});
  EXPECT_EQ(r.exit_code(), 2) << r.status.output;
}

// Issue 12: check reports every error of a text policy, not only the first:
// syntax errors (the parser goes on after the bad statement) and errors
// found compiling (unknown names, bad deny), each on its own line.
TEST(CheckCli, EveryErrorOfATextPolicy) {
  TempFile text("default errno(EPERM)\nalow read\nallow opnat\nallow write: arg9 == 1\nallow close\n"
                "allow fstatt\n");
  auto r = seccage({"check", text.path.string()});
  EXPECT_EQ(r.exit_code(), 2) << r.status.output;
  for (const char* where : {":2:1: expected a statement", ":3:7: unknown syscall 'opnat'", ":4:14: argument index 9",
                            ":6:7: unknown syscall 'fstatt'"})
    EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
  std::size_t lines = 0;
  for (char c : r.err) lines += c == '\n';
  EXPECT_EQ(lines, 4u) << r.err;
  // compile still stops at the first.
  auto c = seccage({"compile", text.path.string(), "--format", "disasm"});
  EXPECT_EQ(c.exit_code(), 2);
  EXPECT_EQ(c.err.find("fstatt"), std::string::npos) << c.err;
}

TEST(CheckCli, JsonForMachines) {
  TempFile bad("{");
  const auto r = seccage({"check", "--json", (kProfiles / "docker-default.json").string(), bad.path.string()});
  EXPECT_EQ(r.exit_code(), 2) << "one unreadable profile";
  const nlohmann::json j = nlohmann::json::parse(r.status.output);
  ASSERT_EQ(j["profiles"].size(), 2u);
  const auto& docker = j["profiles"][0];
  EXPECT_EQ(docker["errors"], 0);
  ASSERT_FALSE(docker["findings"].empty());
  for (const auto& f : docker["findings"]) {
    EXPECT_TRUE(f.contains("severity") && f.contains("code") && f.contains("message") && f.contains("file"));
  }
  const auto ptrace = std::find_if(docker["findings"].begin(), docker["findings"].end(),
                                   [](const auto& f) { return f.value("syscall", "") == "ptrace"; });
  ASSERT_NE(ptrace, docker["findings"].end());
  EXPECT_EQ((*ptrace)["pointer"].get<std::string>().rfind("/syscalls/", 0), 0u);
  EXPECT_GT((*ptrace)["line"].get<int>(), 1);
  EXPECT_TRUE(j["profiles"][1].contains("unreadable"));
  EXPECT_EQ(j["exit"], 2);
}

TEST(CheckCli, TextPoliciesGetLineAndColumn) {
  TempFile text("default errno(ENOSYS)\narch x86_64\nallow read, write\nallow ptrace\n");
  const auto r = seccage({"check", text.path.string()});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find(":4:7: warning: ptrace is allowed"), std::string::npos) << r.status.output;
}

TEST(CheckCli, CapsChangeWhatIsAllowed) {
  const auto r = seccage({"check", (kProfiles / "docker-default.json").string(), "--arch", "x86_64", "--caps",
                          "docker-default,sys_admin", "--kernel", "6.1"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find("mount is allowed"), std::string::npos) << r.status.output;
}

// issue 12: the web-worker example promised "sockets limited to
// inet/inet6/unix" while `allow @system-service` already allowed socket
// outright. Its old form must be reported, and no shipped example may have a
// rule that changes nothing.
TEST(CheckCli, NoEffectRulesAreFoundAndTheExamplesHaveNone) {
  const fs::path examples = fs::path(SECCAGE_SOURCE_DIR) / "examples";
  TempFile old("default errno(EPERM)\narch x86_64\nallow @system-service\n"
               "allow socket: arg0 == AF_INET || arg0 == AF_INET6 || arg0 == AF_UNIX\n"
               "allow mmap, mprotect: arg2 & PROT_EXEC == 0\n");
  auto r = seccage({"check", old.path.string()});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  const std::string& out = r.status.output;
  EXPECT_NE(out.find(":4:7: warning: socket ALLOW if"), std::string::npos) << out;
  std::size_t no_effect = 0;
  for (std::size_t at = out.find("[no-effect]"); at != std::string::npos; at = out.find("[no-effect]", at + 1)) ++no_effect;
  EXPECT_EQ(no_effect, 3u) << out;  // socket, mmap, mprotect

  for (const auto& entry : fs::directory_iterator(examples)) {
    if (entry.path().extension() != ".policy" || entry.path().filename() == "common-deny.policy") continue;
    r = seccage({"check", entry.path().string()});
    EXPECT_EQ(r.status.output.find("[no-effect]"), std::string::npos) << r.status.output;
    EXPECT_NE(r.status.output.find(" 0 errors"), std::string::npos) << r.status.output << r.err;
  }
}

}  // namespace
}  // namespace seccage
