// The check in enosys_fallback.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintErrnoDefault, FallbackSyscallsNeedEnosys) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})"));
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("clone3 returns ERRNO(1) EPERM"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].location.pointer, "/syscalls/1/names/0");
}

TEST(LintNoise, OneLineEpermProfileGetsOneFallbackWarning) {
  // Before: errno-default-new-syscalls and five enosys-fallback warnings.
  const LintReport text = lint_text("default errno(EPERM)\narch x86_64\nallow read\n");
  const LintReport json = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")"));
  // The JSON one is also a profile runc could not start a container with:
  // one runtime-startup warning naming what runc needs.
  EXPECT_EQ(with_code(json, "runtime-startup").size(), 1u) << dump(json);
  EXPECT_TRUE(with_code(text, "runtime-startup").empty()) << dump(text);
  for (const LintReport* r : {&text, &json}) {
    EXPECT_EQ(r->count(Severity::Warning) - with_code(*r, "runtime-startup").size(), 1u) << dump(*r);
    const auto f = with_code(*r, "enosys-fallback");
    ASSERT_EQ(f.size(), 1u) << dump(*r);
    for (const char* name : {"clone3", "faccessat2", "fchmodat2", "close_range"})
      EXPECT_NE(f[0].message.find(name), std::string::npos) << f[0].message;
    // glibc calls statx for stat on 32-bit ABIs only; x86_64 alone is not one.
    EXPECT_EQ(f[0].message.find("statx"), std::string::npos) << f[0].message;
    EXPECT_EQ(with_code(*r, "errno-default-new-syscalls").at(0).severity, Severity::Info);
  }
}

TEST(LintNoise, StatxIsNamedWhenTheFilterCoversA32BitArch) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")",
                                         R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])"));
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("statx"), std::string::npos) << f[0].message;
}

TEST(LintNoise, AnExplicitRuleKeepsItsOwnFindingAtTheRule) {
  const LintReport r = lint_text("default errno(EPERM)\narch x86_64\nallow read\nerrno(EACCES) clone3\n");
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  std::size_t at_rule = 0;
  for (const Finding& x : f) {
    if (x.location.line == 4u) {
      ++at_rule;
      EXPECT_NE(x.message.find("clone3 returns"), std::string::npos) << x.message;
    } else {
      EXPECT_EQ(x.message.find("clone3 (glibc"), std::string::npos) << x.message;  // not listed twice
      EXPECT_NE(x.message.find("faccessat2 (glibc"), std::string::npos) << x.message;
    }
  }
  EXPECT_EQ(at_rule, 1u) << dump(r);
}

}  // namespace
}  // namespace seccage
