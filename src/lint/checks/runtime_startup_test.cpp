// The check in runtime_startup.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

// Issue 12: an allowlist without what runc itself calls after loading the
// filter stops every container; check names the missing calls, once.
TEST(LintRuntimeStartup, NamesWhatRuncAndCrunNeed) {
  TextPolicyOptions to;
  to.host_arch = Arch::x86_64;
  to.arches = {Arch::x86_64};
  const Policy minimal = read_text_policy_text("default errno(EPERM)\nallow read\n", "t.policy", to).policy;
  LintOptions runc;
  runc.runtime = ContainerRuntime::Runc;
  const LintReport r = lint_policy(minimal, "t.policy", runc);
  std::vector<const Finding*> startup;
  for (const Finding& f : r.findings)
    if (f.code == "runtime-startup") startup.push_back(&f);
  ASSERT_EQ(startup.size(), 1u);
  EXPECT_EQ(startup[0]->severity, Severity::Error);
  for (const char* call : {"openat with O_WRONLY", "write", "close", "fstatfs", "epoll_ctl", "futex", "execve"})
    EXPECT_NE(startup[0]->message.find(call), std::string::npos) << call << ": " << startup[0]->message;
  // Allowing them (openat only read-only is not enough) clears it.
  const Policy enough = read_text_policy_text(
                            "default errno(EPERM)\nallow read, write, close, fstatfs, epoll_ctl, futex, execve\n"
                            "allow openat: arg2 & O_ACCMODE == O_WRONLY\n",
                            "t.policy", to)
                            .policy;
  for (const Finding& f : lint_policy(enough, "t.policy", runc).findings) EXPECT_NE(f.code, "runtime-startup") << f.message;
  const Policy read_only =
      read_text_policy_text("default errno(EPERM)\nallow read, write, close, fstatfs, epoll_ctl, futex, execve\n"
                            "allow openat: arg2 & O_ACCMODE == O_RDONLY\n",
                            "t.policy", to)
          .policy;
  bool found = false;
  for (const Finding& f : lint_policy(read_only, "t.policy", runc).findings)
    if (f.code == "runtime-startup") found = f.message.find("openat with O_WRONLY") != std::string::npos;
  EXPECT_TRUE(found);
  // crun needs only the exec; text policies are not checked unless asked.
  LintOptions crun;
  crun.runtime = ContainerRuntime::Crun;
  const LintReport c = lint_policy(minimal, "t.policy", crun);
  bool crun_found = false;
  for (const Finding& f : c.findings)
    if (f.code == "runtime-startup") crun_found = f.message.find("execve") != std::string::npos &&
                                                  f.message.find("futex") == std::string::npos;
  EXPECT_TRUE(crun_found);
  for (const Finding& f : lint_policy(minimal, "t.policy").findings) EXPECT_NE(f.code, "runtime-startup");
}

}  // namespace
}  // namespace seccage
