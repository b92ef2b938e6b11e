// The check in default_action.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintDefaultAllow, SeveralArchesWithAllowDefault) {
  const LintReport r = lint_json(profile(R"({"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})",
                                         R"("SCMP_ACT_ALLOW")", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])"));
  const auto f = with_code(r, "allow-default-compat-arches");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].location.pointer, "/defaultAction");
}

TEST(LintDefaultAllow, BadArchAllowIsAnError) {
  Policy p;
  p.default_action = Action::allow();
  p.arches = {Arch::x86_64};
  p.bad_arch_action = Action::allow();
  const LintReport r = lint_policy(p, "p.policy");
  ASSERT_EQ(with_code(r, "bad-arch-allows").size(), 1u) << dump(r);
  EXPECT_EQ(r.count(Severity::Error), 1u);
}

TEST(LintErrnoDefault, WarnsWithoutAnEnosysPlan) {
  LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")"));
  auto f = with_code(r, "errno-default-new-syscalls");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  // Info: seccage's filters and runc answer ENOSYS above their tables.
  EXPECT_EQ(f[0].severity, Severity::Info);
  EXPECT_NE(f[0].message.find("runc"), std::string::npos);

  r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})", R"("SCMP_ACT_ERRNO")"));
  f = with_code(r, "errno-default-new-syscalls");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Info);

  r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})"));  // ENOSYS default
  EXPECT_TRUE(with_code(r, "errno-default-new-syscalls").empty());
}

}  // namespace
}  // namespace seccage
