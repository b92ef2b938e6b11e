#include "sandbox/own_filter.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "seccage/compiler.hpp"

namespace seccage::sandbox {
namespace {

Policy kills(std::initializer_list<const char*> names) {
  Policy p;
  p.default_action = Action::allow();
  for (const char* n : names) p.rules.push_back({std::string(n), Action::kill_process(), {}, "t"});
  return p;
}

// The program's filter as the program would write it: compiled here from a
// policy of its own.
bpf::Program program_filter(const Policy& own) { return compile(own); }

TEST(SandboxOwnFilter, FindsTheKillsAnErrnoOrTrapOutranks) {
  const Policy policy = kills({"mkdir", "rmdir", "getppid"});
  Classifier c(policy);
  Policy own;
  own.default_action = Action::allow();
  own.rules.push_back({std::string("mkdir"), Action::errno_(1), {}, "own"});
  own.rules.push_back({std::string("getppid"), Action::trap(), {}, "own"});
  own.rules.push_back({std::string("unlink"), Action::errno_(1), {}, "own"});  // not killed: irrelevant
  OwnFilter f;
  find_outranked_kills(program_filter(own), c, native_arch(), f);
  std::sort(f.outranks_kills.begin(), f.outranks_kills.end());
  EXPECT_EQ(f.outranks_kills, (std::vector<std::string>{"getppid", "mkdir"}));
  EXPECT_TRUE(f.exact);
}

TEST(SandboxOwnFilter, AnArgumentDependentAnswerMayOutrank) {
  const Policy policy = kills({"write"});
  Classifier c(policy);
  Policy own;
  own.default_action = Action::allow();
  own.rules.push_back({std::string("write"), Action::errno_(1), {arg(0) == 7}, "own"});
  OwnFilter f;
  find_outranked_kills(program_filter(own), c, native_arch(), f);
  EXPECT_EQ(f.outranks_kills, std::vector<std::string>{"write"});
  EXPECT_FALSE(f.exact);
}

TEST(SandboxOwnFilter, KillsAndAllowsOutrankNothing) {
  const Policy policy = kills({"mkdir"});
  Classifier c(policy);
  Policy own;
  own.default_action = Action::allow();
  own.rules.push_back({std::string("mkdir"), Action::kill_process(), {}, "own"});  // kills anyway: no errno
  OwnFilter f;
  find_outranked_kills(program_filter(own), c, native_arch(), f);
  EXPECT_TRUE(f.outranks_kills.empty());
}

TEST(SandboxOwnFilter, RecognisesTheInstallCalls) {
  EXPECT_TRUE(installs_filter("seccomp", {1, 0, 0x1000, 0, 0, 0}));
  EXPECT_FALSE(installs_filter("seccomp", {1, 4, 0, 0, 0, 0}));  // libseccomp's probe of a flag: NULL, EFAULT
  EXPECT_FALSE(installs_filter("seccomp", {0, 0, 0x1000, 0, 0, 0}));  // strict mode
  EXPECT_TRUE(installs_filter("prctl", {22, 2, 0x1000, 0, 0, 0}));
  EXPECT_FALSE(installs_filter("prctl", {22, 1, 0x1000, 0, 0, 0}));
  EXPECT_FALSE(installs_filter("write", {1, 0, 0x1000, 0, 0, 0}));
}

}  // namespace
}  // namespace seccage::sandbox
