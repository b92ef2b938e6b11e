// The check in dangerous_syscalls.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintDangerous, UnconditionalConditionalAndByDefault) {
  LintReport r = lint_json(profile(R"({"names": ["ptrace"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["unshare"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 268435456, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]})"));
  auto f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("ptrace is allowed"), std::string::npos);
  EXPECT_EQ(f[1].severity, Severity::Info);
  EXPECT_NE(f[1].message.find("only when arg0 & 0x10000000 == 0"), std::string::npos) << f[1].message;

  r = lint_json(profile(R"({"names": ["bpf"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})", R"("SCMP_ACT_ALLOW")"));
  f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("ptrace"), std::string::npos);
  EXPECT_EQ(f[0].message.find("bpf"), std::string::npos) << "bpf is denied";
  EXPECT_EQ(f[0].location.pointer, "/defaultAction");
}

TEST(LintDangerousList, HasReasons) {
  for (const char* n : {"ptrace", "bpf", "mount", "kexec_load", "init_module", "finit_module", "keyctl", "userfaultfd",
                        "perf_event_open", "unshare", "setns", "open_by_handle_at", "process_vm_writev"}) {
    auto reason = dangerous_syscall_reason(n);
    ASSERT_TRUE(reason.has_value()) << n;
    EXPECT_GT(reason->size(), 10u) << n;
  }
  EXPECT_FALSE(dangerous_syscall_reason("read"));
}

}  // namespace
}  // namespace seccage
