// The seed "seccomp 101", both ways in: its programs built against
// seccage-compat's header, and built against Debian's libseccomp and run on
// the drop-in libseccomp.so.2 through LD_LIBRARY_PATH. Each runs in a child
// process on a terminal, as the seed ran them.
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <sstream>
#include <string>

#include "run_program.hpp"

namespace seccage::compat_test {
namespace {

const std::string kPrograms = COMPAT_PROGRAM_DIR;
const std::string kDropIn = COMPAT_DROPIN_DIR;

ProgramResult run_seed(const std::string& program, bool drop_in) {
  RunOptions options;
  options.terminal = true;
  if (drop_in) options.env["LD_LIBRARY_PATH"] = kDropIn;
  return run_program({kPrograms + "/" + program}, options);
}

TEST(CompatSeed, DropInIsTheLibraryTheSystemBuildLoads) {
  // ldd under the same environment names the drop-in's directory: the
  // system build really runs on seccage there, and on libseccomp without it.
  RunOptions with;
  with.env["LD_LIBRARY_PATH"] = kDropIn;
  ProgramResult dropped = run_program({"/usr/bin/ldd", kPrograms + "/seed_main_system"}, with);
  EXPECT_NE(dropped.out.find(kDropIn + "/libseccomp.so.2"), std::string::npos) << dropped.out;
  ProgramResult plain = run_program({"/usr/bin/ldd", kPrograms + "/seed_main_system"});
  EXPECT_EQ(plain.out.find(kDropIn), std::string::npos) << plain.out;
}

// The drop-in exports what Debian's libseccomp.so.2 exports (no symbol
// versions), plus 2.6's five functions, and nothing else.
TEST(CompatSeed, DropInExportsLibseccompsSymbols) {
  auto defined = [](const std::string& lib) {
    ProgramResult r = run_program({"/usr/bin/nm", "-D", "--defined-only", lib});
    std::set<std::string> names;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) names.insert(line.substr(line.rfind(' ') + 1));
    return names;
  };
  std::set<std::string> want = defined("/lib/x86_64-linux-gnu/libseccomp.so.2");
  ASSERT_FALSE(want.empty());
  for (const char* added : {"seccomp_export_bpf_mem", "seccomp_precompute", "seccomp_transaction_start",
                            "seccomp_transaction_commit", "seccomp_transaction_reject"}) {
    want.insert(added);
  }
  EXPECT_EQ(defined(kDropIn + "/libseccomp.so.2"), want);
}

void expect_killed_after_stdout(const ProgramResult& r) {
  EXPECT_EQ(r.out, "something to stdout\n");
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.signal, SIGSYS);  // SCMP_ACT_KILL: the (only) thread dies of SIGSYS
}

TEST(CompatSeed, FirstProgramWithCompatHeader) { expect_killed_after_stdout(run_seed("seed_main_compat", false)); }
TEST(CompatSeed, FirstProgramOnDropIn) { expect_killed_after_stdout(run_seed("seed_main_system", true)); }
// The same binary on Debian's libseccomp: the reference the two above match.
TEST(CompatSeed, FirstProgramOnLibseccomp) { expect_killed_after_stdout(run_seed("seed_main_system", false)); }

void expect_trap_report(const ProgramResult& r) {
  EXPECT_EQ(r.out, "something to stdout\nsystem call invalid: write(1)\n");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 1);
}

TEST(CompatSeed, TrapVariantWithCompatHeader) { expect_trap_report(run_seed("seed_trap_compat", false)); }
TEST(CompatSeed, TrapVariantOnDropIn) { expect_trap_report(run_seed("seed_trap_system", true)); }
TEST(CompatSeed, TrapVariantOnLibseccomp) { expect_trap_report(run_seed("seed_trap_system", false)); }

}  // namespace
}  // namespace seccage::compat_test
