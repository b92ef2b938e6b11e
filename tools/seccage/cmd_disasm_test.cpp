// `seccage disasm` as a user runs it: the built binary on files written here.
#include <fcntl.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "seccage/bpf.hpp"
#include "support/child.hpp"
#include "support/filtered_child.hpp"

namespace seccage::bpf {
namespace {

namespace fs = std::filesystem;
using namespace op;

class DisasmCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "seccage-disasm-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_bytes(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  fs::path write_program(const std::string& name, const Program& program) {
    const auto raw = to_raw(program);
    return write_bytes(name, std::string(reinterpret_cast<const char*>(raw.data()), raw.size()));
  }
  static test::CommandResult run(std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.begin(), SECCAGE_CLI_PATH);
    return test::run_command(args, input);
  }
  // A malformed input: exit 2, nothing on stdout, one line on stderr that
  // names the file and contains `needle`.
  void expect_one_line_error(const fs::path& file, const std::string& needle) {
    const auto r = run({"disasm", file.string()});
    EXPECT_EQ(r.exit_code(), 2) << r.status.describe() << "\n" << r.err;
    EXPECT_TRUE(r.status.output.empty()) << r.status.output;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("seccage: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(file.filename().string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }
  fs::path dir_;
};

const Program kHandWritten = {
    stmt(LD | W | ABS, kOffArch),
    jump(JMP | JEQ | K, 0xc000003e, 0, 3),
    stmt(LD | W | ABS, kOffNr),
    jump(JMP | JEQ | K, 59, 1, 0),
    stmt(RET | K, 0x7fff0000),
    stmt(RET | K, 0x00050001),
};

TEST_F(DisasmCli, HandWrittenFilter) {
  const auto r = run({"disasm", write_program("f.bpf", kHandWritten).string()});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  // The command prints exactly what the library's disassembler produces.
  EXPECT_EQ(r.status.output, disassemble(kHandWritten));
  EXPECT_NE(r.status.output.find("if (A != AUDIT_ARCH_X86_64) goto 0005"), std::string::npos) << r.status.output;
  EXPECT_NE(r.status.output.find("return ERRNO(1) EPERM"), std::string::npos);

  const auto plain = run({"disasm", (dir_ / "f.bpf").string(), "--no-raw", "--arch", "i386"});
  ASSERT_EQ(plain.exit_code(), 0) << plain.err;
  EXPECT_EQ(plain.status.output, disassemble(kHandWritten, {Arch::i386, false}));
}

TEST_F(DisasmCli, StandardInput) {
  const auto raw = to_raw(kHandWritten);
  const auto r = run({"disasm", "-"}, std::string(reinterpret_cast<const char*>(raw.data()), raw.size()));
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, disassemble(kHandWritten));
  const auto bad = run({"disasm", "-"}, "12345");
  EXPECT_EQ(bad.exit_code(), 2);
  EXPECT_EQ(bad.err, "seccage: stdin: 5 bytes is not a multiple of 8 (struct sock_filter)\n");
}

TEST_F(DisasmCli, LibseccompExportedFilter) {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  ASSERT_NE(ctx, nullptr);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
  ASSERT_EQ(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(13), SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, 3, 1)), 0);
  const fs::path p = dir_ / "libseccomp.bpf";
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(seccomp_export_bpf(ctx, fd), 0);
  ::close(fd);
  seccomp_release(ctx);

  const auto r = run({"disasm", p.string()});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  const std::string& out = r.status.output;
  EXPECT_EQ(out, disassemble(read_raw_file(p)));
  // libseccomp checks the arch first, so the listing names the native syscalls.
  const std::string native_audit = "AUDIT_ARCH_";
  EXPECT_NE(out.find("A = arch"), std::string::npos) << out;
  EXPECT_NE(out.find(native_audit), std::string::npos) << out;
  EXPECT_NE(out.find("/* read */"), std::string::npos) << out;
  EXPECT_NE(out.find("/* openat */"), std::string::npos) << out;
  EXPECT_NE(out.find("return ERRNO(13) EACCES"), std::string::npos) << out;
  EXPECT_NE(out.find("return KILL_PROCESS"), std::string::npos) << out;
}

TEST_F(DisasmCli, MalformedFilesGiveOneLineErrors) {
  expect_one_line_error(write_bytes("empty.bpf", ""), "empty program");
  expect_one_line_error(write_bytes("odd.bpf", std::string(13, '\0')), "13 bytes is not a multiple of 8");
  // A truncated file: a whole program with its last 3 bytes missing.
  const auto raw = to_raw(kHandWritten);
  expect_one_line_error(write_bytes("truncated.bpf", std::string(reinterpret_cast<const char*>(raw.data()), raw.size() - 3)),
                        "45 bytes is not a multiple of 8");
  expect_one_line_error(write_bytes("huge.bpf", std::string(4097 * 8, '\0')), "more than the kernel's limit of 4096");
  Program jump_out = kHandWritten;
  jump_out[3].jt = 250;
  expect_one_line_error(write_program("jump.bpf", jump_out),
                        "jump.bpf: instruction 3: true branch: jump target 254 is past the end (program has 6 instructions)");
  Program mod = kHandWritten;
  mod[2] = stmt(ALU | MOD | K, 3);
  expect_one_line_error(write_program("mod.bpf", mod), "instruction 2: opcode 0x94 (ALU MOD K) is not allowed");
  Program outside = kHandWritten;
  outside[2] = stmt(LD | W | ABS, 68);
  expect_one_line_error(write_program("outside.bpf", outside), "instruction 2: load from offset 68 is outside");
  expect_one_line_error(dir_ / "missing.bpf", "No such file or directory");
}

TEST_F(DisasmCli, ForceDisassemblesAnInvalidProgram) {
  Program mod = kHandWritten;
  mod[2] = stmt(ALU | MOD | K, 3);
  const auto r = run({"disasm", write_program("mod.bpf", mod).string(), "--force"});
  EXPECT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_EQ(r.status.output, disassemble(mod));
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  // Size errors cannot be forced: there is no program to show.
  const auto odd = run({"disasm", write_bytes("odd.bpf", "123").string(), "--force"});
  EXPECT_EQ(odd.exit_code(), 2);
}

TEST_F(DisasmCli, BadArchName) {
  const auto r = run({"disasm", write_program("f.bpf", kHandWritten).string(), "--arch", "vax"});
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_NE(r.err.find("vax"), std::string::npos) << r.err;
}

TEST_F(DisasmCli, ReadsTheFiltersOfALiveProcess) {
  if (::geteuid() != 0) GTEST_SKIP() << "reading a process's filters needs root";
  test::FilteredChild child({kHandWritten});
  ASSERT_TRUE(child.ready());
  const auto r = run({"disasm", "--pid", child.pid(), "--save", dir_.string()});
  ASSERT_EQ(r.exit_code(), 0) << r.err;
  EXPECT_NE(r.status.output.find("1 filter, newest first"), std::string::npos) << r.status.output;
  EXPECT_NE(r.status.output.find(disassemble(kHandWritten)), std::string::npos) << r.status.output;
  // What the kernel holds, byte for byte, saved for emu and diff.
  std::ifstream saved(dir_ / "filter-1.bpf", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
  const auto raw = to_raw(kHandWritten);
  EXPECT_EQ(bytes, std::string(reinterpret_cast<const char*>(raw.data()), raw.size()));

  test::FilteredChild plain({});
  ASSERT_TRUE(plain.ready());
  const auto none = run({"disasm", "--pid", plain.pid()});
  EXPECT_EQ(none.exit_code(), 0) << none.err;
  EXPECT_EQ(none.status.output, "# pid " + plain.pid() + ": no seccomp filter\n");
}

TEST_F(DisasmCli, PidAndFileAreOneOrTheOther) {
  EXPECT_EQ(run({"disasm", "--pid", "1", (dir_ / "f.bpf").string()}).exit_code(), 2);
  EXPECT_EQ(run({"disasm", "--save", dir_.string(), (dir_ / "f.bpf").string()}).exit_code(), 2);
  const auto neither = run({"disasm"});
  EXPECT_EQ(neither.exit_code(), 2);
  EXPECT_NE(neither.err.find("give FILE"), std::string::npos) << neither.err;
  const auto gone = run({"disasm", "--pid", "8388608"});
  EXPECT_EQ(gone.exit_code(), 3) << gone.err;
  EXPECT_NE(gone.err.find("no process 8388608"), std::string::npos) << gone.err;
}

}  // namespace
}  // namespace seccage::bpf
