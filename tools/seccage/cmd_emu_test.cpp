// `seccage emu` as a user runs it: the built binary on files written here.
#include <fcntl.h>
#include <seccomp.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"
#include "support/child.hpp"
#include "support/filtered_child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::bpf {
namespace {

namespace fs = std::filesystem;
using namespace op;

constexpr std::uint32_t kX86 = 0xc000003e;

class EmulatorCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "seccage-emu-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write_program(const std::string& name, const Program& program) {
    const fs::path p = dir_ / name;
    write_raw_file(program, p);
    return p;
  }
  static test::CommandResult run(std::vector<std::string> args) {
    args.insert(args.begin(), SECCAGE_CLI_PATH);
    return test::run_command(args);
  }
  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  fs::path dir_;
};

// x86_64 only: execve denied, write(fd) allowed for fd 1 and 2, args[1] == -1
// (as 64 bits) gives ERRNO(2), everything else ALLOW; other arches killed.
Program hand_written() {
  return {
      stmt(LD | W | ABS, kOffArch),          // 0
      jump(JMP | JEQ | K, kX86, 0, 11),      // 1 -> 13
      stmt(LD | W | ABS, kOffNr),            // 2
      jump(JMP | JEQ | K, 59, 8, 0),         // 3 -> 12
      jump(JMP | JEQ | K, 1, 0, 6),          // 4 -> 11
      stmt(LD | W | ABS, 28),                // 5: args[1] high
      jump(JMP | JEQ | K, 0xffffffff, 0, 2), // 6
      stmt(LD | W | ABS, 24),                // 7: args[1] low
      jump(JMP | JEQ | K, 0xffffffff, 3, 0), // 8 -> 12 (ERRNO(2))
      stmt(LD | W | ABS, 16),                // 9: args[0] low
      jump(JGE | JMP | K, 3, 1, 0),          // 10 -> 12
      stmt(RET | K, 0x7fff0000),             // 11
      stmt(RET | K, 0x00050002),             // 12
      stmt(RET | K, 0x80000000),             // 13
  };
}

TEST_F(EmulatorCli, ActionThenInstructionCount) {
  const std::string f = write_program("f.bpf", hand_written()).string();
  SeccompData d;
  d.arch = kX86;
  d.nr = 59;
  const EmuResult expected = emulate(hand_written(), d);
  for (const char* syscall : {"execve", "59", "0x3b"}) {
    const auto r = run({"emu", f, "--arch", "x86_64", "--syscall", syscall});
    ASSERT_EQ(r.exit_code(), 0) << r.err;
    EXPECT_EQ(r.status.output, "ERRNO(2) ENOENT\ninstructions: " + std::to_string(expected.executed) + "\n");
  }
}

TEST_F(EmulatorCli, ArgumentsInDecimalHexAndNegative) {
  const std::string f = write_program("f.bpf", hand_written()).string();
  auto action = [&](const std::string& args) {
    const auto r = run({"emu", f, "--arch", "x86_64", "--syscall", "write", "--args=" + args});
    EXPECT_EQ(r.exit_code(), 0) << r.err;
    return lines(r.status.output).at(0);
  };
  EXPECT_EQ(action("1"), "ALLOW");
  EXPECT_EQ(action("0x2"), "ALLOW");
  EXPECT_EQ(action("3"), "ERRNO(2) ENOENT");
  EXPECT_EQ(action("1,-1"), "ERRNO(2) ENOENT");                   // -1 as 64-bit two's complement
  EXPECT_EQ(action("1,0xffffffffffffffff"), "ERRNO(2) ENOENT");
  EXPECT_EQ(action("1,0xffffffff"), "ALLOW");                     // high word 0: not -1
  EXPECT_EQ(action("1,-4294967297"), "ALLOW");                    // 0xfffffffeffffffff
  // The shared integer lexer (issue 15): binary and octal as in the text
  // language and the rule options; 010 is 8, not 10.
  EXPECT_EQ(action("0b1"), "ALLOW");
  EXPECT_EQ(action("0b11"), "ERRNO(2) ENOENT");
  EXPECT_EQ(action("02"), "ALLOW");
  EXPECT_EQ(action("0o3"), "ERRNO(2) ENOENT");
  const auto bad = run({"emu", f, "--syscall", "write", "--args", "1,zz"});
  EXPECT_EQ(bad.exit_code(), 2);
  EXPECT_NE(bad.err.find("'zz' is not a 64-bit number"), std::string::npos) << bad.err;
  const auto seven = run({"emu", f, "--syscall", "write", "--args", "1,2,3,4,5,6,7"});
  EXPECT_EQ(seven.exit_code(), 2);
}

TEST_F(EmulatorCli, VerboseShowsThePathAndTheCacheRule) {
  const std::string f = write_program("f.bpf", hand_written()).string();
  const auto r = run({"emu", f, "--arch", "x86_64", "--syscall", "read", "--verbose"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  const auto got = lines(r.status.output);
  SeccompData d;
  d.arch = kX86;
  d.nr = 0;
  const EmuResult e = emulate(hand_written(), d);
  ASSERT_EQ(got.size(), 2 + e.path.size() + 1);
  EXPECT_EQ(got[0], "ALLOW");
  for (std::size_t i = 0; i < e.path.size(); ++i) {
    EXPECT_EQ(got[2 + i], describe_insn(hand_written(), e.path[i], {Arch::x86_64, true}));
  }
  EXPECT_EQ(got.back(), "cacheable: yes");
  const auto w = run({"emu", f, "--arch", "x86_64", "--syscall", "write", "--args", "1", "-v"});
  EXPECT_EQ(lines(w.status.output).back(), "cacheable: no");  // it loaded an argument
}

TEST_F(EmulatorCli, Json) {
  const std::string f = write_program("f.bpf", hand_written()).string();
  const auto r = run({"emu", f, "--arch", "x86_64", "--syscall", "write", "--args", "7", "--json"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  const auto j = nlohmann::json::parse(r.status.output);
  EXPECT_EQ(j["action"], "ERRNO(2)");
  EXPECT_EQ(j["description"], "ERRNO(2) ENOENT");
  EXPECT_EQ(j["ret"], 0x00050002);
  EXPECT_EQ(j["syscall"], "write");
  EXPECT_EQ(j["nr"], 1);
  EXPECT_EQ(j["cacheable"], false);
  EXPECT_EQ(j["read"]["args"], true);
  EXPECT_EQ(j["instructions"], j["path"].size());
  EXPECT_EQ(j["path"].back(), 12);
}

TEST_F(EmulatorCli, OtherArchIsKilled) {
  const std::string f = write_program("f.bpf", hand_written()).string();
  const auto r = run({"emu", f, "--arch", "aarch64", "--syscall", "read"});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(lines(r.status.output).at(0), "KILL_PROCESS");
}

TEST_F(EmulatorCli, LibseccompExportedFilter) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
  ASSERT_NE(ctx, nullptr);
  // The test queries x86_64 numbers whatever the host is.
  const int added = seccomp_arch_add(ctx, SCMP_ARCH_X86_64);
  ASSERT_TRUE(added == 0 || added == -EEXIST) << added;
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1)), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0), 0);
  const fs::path p = dir_ / "libseccomp.bpf";
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(seccomp_export_bpf(ctx, fd), 0);
  ::close(fd);
  seccomp_release(ctx);

  auto action = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"emu", p.string(), "--arch", "x86_64"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.exit_code(), 0) << r.err;
    return lines(r.status.output).at(0);
  };
  // What the rules above say, as libseccomp compiled them.
  EXPECT_EQ(action({"--syscall", "read"}), "ALLOW");
  EXPECT_EQ(action({"--syscall", "openat", "--args", "0,0,1"}), "ERRNO(13) EACCES");
  EXPECT_EQ(action({"--syscall", "openat", "--args", "0,0,0x41"}), "ERRNO(13) EACCES");
  EXPECT_EQ(action({"--syscall", "openat", "--args", "0,0,2"}), "ERRNO(38) ENOSYS");
  EXPECT_EQ(action({"--syscall", "ptrace"}), "KILL_PROCESS");
  EXPECT_EQ(action({"--syscall", "getpid"}), "ERRNO(38) ENOSYS");
  // x32 numbers are not x86_64 ones: libseccomp sends them to the default
  // action or kills them depending on the filter's x32 handling; either way,
  // never ALLOW for an x32 "read".
  EXPECT_NE(action({"--syscall", std::to_string(0x40000000)}), "ALLOW");
}

TEST_F(EmulatorCli, MalformedFilesAndBadNames) {
  Program bad = hand_written();
  bad[5] = stmt(LD | B | ABS, 16);
  const auto r = run({"emu", write_program("b.bpf", bad).string(), "--syscall", "read"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.err, "seccage: " + (dir_ / "b.bpf").string() +
                       ": instruction 5: opcode 0x30 (LD B ABS) is not allowed in seccomp filters: only 32-bit loads "
                       "(LD W ABS) read seccomp_data\n");
  EXPECT_TRUE(r.status.output.empty());
  const std::string f = write_program("f.bpf", hand_written()).string();
  const auto unknown = run({"emu", f, "--arch", "x86_64", "--syscall", "opnat"});
  EXPECT_EQ(unknown.exit_code(), 2);
  EXPECT_NE(unknown.err.find("did you mean 'openat'"), std::string::npos) << unknown.err;
  const auto arch = run({"emu", f, "--arch", "pdp11", "--syscall", "read"});
  EXPECT_EQ(arch.exit_code(), 2);
  const auto empty = run({"emu", (dir_ / "none.bpf").string(), "--syscall", "read"});
  EXPECT_EQ(empty.exit_code(), 2);
  EXPECT_NE(empty.err.find("No such file or directory"), std::string::npos) << empty.err;
}

// A live process's three filters, run as the kernel runs them: the most
// severe action wins wherever it comes from, and on a tie the newest filter's.
TEST_F(EmulatorCli, RunsEveryFilterOfALiveProcessAsTheKernelDoes) {
  if (::geteuid() != 0) GTEST_SKIP() << "reading a process's filters needs root";
  test::FilteredChild child({test::ret_for_syscall(39 /* getpid */, 0x80000000u /* KILL_PROCESS */),
                             test::ret_for_syscall(110 /* getppid */, 0x00050000u | 18),
                             test::ret_for_syscall(110 /* getppid */, 0x00050000u | 1)});
  ASSERT_TRUE(child.ready());
  const auto kill = run({"emu", "--pid", child.pid(), "--syscall", "getpid"});
  ASSERT_EQ(kill.exit_code(), 0) << kill.err;
  EXPECT_EQ(kill.status.output.rfind("KILL_PROCESS\n", 0), 0u) << kill.status.output;
  EXPECT_NE(kill.status.output.find("filter 3: KILL_PROCESS, 3 instructions  <- decides"), std::string::npos)
      << kill.status.output;
  const auto tie = run({"emu", "--pid", child.pid(), "--syscall", "getppid", "--json"});
  ASSERT_EQ(tie.exit_code(), 0) << tie.err;
  const auto j = nlohmann::json::parse(tie.status.output);
  EXPECT_EQ(j["action"], "ERRNO(1)");
  EXPECT_EQ(j["deciding_filter"], 1);
  EXPECT_EQ(j["filters"].size(), 3u);
  EXPECT_EQ(j["filters"][1]["action"], "ERRNO(18)");
  const auto allowed = run({"emu", "--pid", child.pid(), "--syscall", "read"});
  EXPECT_EQ(allowed.status.output.rfind("ALLOW\n", 0), 0u) << allowed.status.output;
}

}  // namespace
}  // namespace seccage::bpf
