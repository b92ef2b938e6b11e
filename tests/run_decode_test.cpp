// The report's structured arguments (docs/run.md, "arguments") against the
// real kernel: a program makes one denied call of each family the decoder
// reads from memory or names, and the report must carry each argument's
// name, raw value and decoded form.
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "programs/run_helpers.hpp"

namespace seccage::runtest {
namespace {

std::string decode_program(const TempDir& dir) {
  std::ifstream in(std::string(SECCAGE_SOURCE_DIR) + "/tests/programs/decode_calls.c");
  std::stringstream src;
  src << in.rdbuf();
  return compile_c(dir, "decode_calls", src.str());
}

// The violation of `syscall` (the first one, or the `nth`).
const nlohmann::json* find_violation(const nlohmann::json& report, const std::string& syscall, int nth = 0) {
  for (const auto& v : report["violations"])
    if (v["syscall"] == syscall && nth-- == 0) return &v;
  return nullptr;
}

// The argument called `name`: {name, raw, value}.
nlohmann::json argument(const nlohmann::json& violation, const std::string& name) {
  for (const auto& a : violation["arguments"])
    if (a["name"] == name) return a;
  ADD_FAILURE() << "no argument " << name << " in " << violation.dump(2);
  return nlohmann::json::object({{"name", name}, {"raw", ""}, {"value", ""}});
}

TEST(RunDecode, DeniedCallsCarryStructuredArguments) {
  TempDir dir;
  const std::string prog = decode_program(dir);
  const std::string report = dir / "r.json";
  const std::string path = dir / "decode.sock";
  auto r = seccage({"run", "--default", "allow", "--deny", "connect,readlink,readlinkat,ptrace,clone3",
                    // (libc reads its stack limit with prlimit64 at start-up: only setting one is denied)
                    "--deny", "prlimit64:arg2!=0",
                    "--deny", "ioctl:arg1==0x541b", "--report", report, "--", prog, "4242", path});
  EXPECT_EQ(r.status.output,
            "connect_inet EPERM\nconnect_unix EPERM\nprlimit64 EPERM\nreadlink EPERM\nptrace EPERM\nclone3 EPERM\n"
            "ioctl EPERM\n")
      << r.err;
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  const nlohmann::json j = read_report(report);
  ASSERT_EQ(j["violation_count"], 7) << j.dump(2);

  const nlohmann::json* inet = find_violation(j, "connect", 0);
  ASSERT_NE(inet, nullptr) << j.dump(2);
  EXPECT_EQ(argument(*inet, "addr")["value"], "{AF_INET, 127.0.0.1:4242}");
  EXPECT_EQ(argument(*inet, "addrlen")["value"], "16");
  EXPECT_EQ(argument(*inet, "addrlen")["raw"], "0x10");
  // raw is the register as a hex string, the same number as in `args`.
  EXPECT_EQ(argument(*inet, "addr")["raw"], fmt::format("{:#x}", (*inet)["args"][1].get<std::uint64_t>()));

  const nlohmann::json* unix_connect = find_violation(j, "connect", 1);
  ASSERT_NE(unix_connect, nullptr);
  EXPECT_EQ(argument(*unix_connect, "addr")["value"], "{AF_UNIX, \"" + path + "\"}");

  const nlohmann::json* prlimit = find_violation(j, "prlimit64");
  ASSERT_NE(prlimit, nullptr);
  EXPECT_EQ(argument(*prlimit, "resource")["value"], "RLIMIT_NOFILE");
  EXPECT_EQ(argument(*prlimit, "resource")["raw"], "0x7");
  EXPECT_EQ(argument(*prlimit, "new_limit")["value"], "{cur=64, max=128}");
  EXPECT_EQ(argument(*prlimit, "old_limit")["value"], "NULL");

  const nlohmann::json* link = find_violation(j, "readlink");
  if (!link) link = find_violation(j, "readlinkat");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(argument(*link, "pathname")["value"], "\"" + path + "\"");
  EXPECT_EQ(argument(*link, "bufsiz")["value"], "64");

  const nlohmann::json* ptrace = find_violation(j, "ptrace");
  ASSERT_NE(ptrace, nullptr);
  EXPECT_EQ(argument(*ptrace, "request")["value"], "PTRACE_ATTACH");
  EXPECT_EQ(argument(*ptrace, "request")["raw"], "0x10");
  EXPECT_EQ(argument(*ptrace, "pid")["value"], "1");

  const nlohmann::json* clone3 = find_violation(j, "clone3");
  ASSERT_NE(clone3, nullptr);
  EXPECT_EQ(argument(*clone3, "cl_args")["value"],
            "{flags=CLONE_NEWNS|CLONE_NEWUSER, exit_signal=SIGCHLD, stack=NULL, stack_size=0}");

  const nlohmann::json* ioctl = find_violation(j, "ioctl");
  ASSERT_NE(ioctl, nullptr);
  EXPECT_EQ(argument(*ioctl, "fd")["value"], "0");
  EXPECT_EQ(argument(*ioctl, "request")["value"], "FIONREAD");
  EXPECT_EQ(argument(*ioctl, "request")["raw"], "0x541b");
  const std::string where = argument(*ioctl, "arg")["value"];
  EXPECT_EQ(where, argument(*ioctl, "arg")["raw"]);  // an output pointer: shown as its address
  EXPECT_EQ((*ioctl)["outcome"], "errno EPERM");
  // The one-line form is still there, built from the same values.
  EXPECT_EQ((*ioctl)["decoded"], "ioctl(fd=0, request=FIONREAD, arg=" + where + ")");
}

}  // namespace
}  // namespace seccage::runtest
