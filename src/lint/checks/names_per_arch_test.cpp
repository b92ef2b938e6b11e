// The check in names_per_arch.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintArches, NameMissingOnAnArchIsAWarningUnlessClearlyMultiArch) {
  LintReport r = lint_json(profile(R"({"names": ["open", "openat"], "action": "SCMP_ACT_ALLOW"})",
                                   R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)",
                                   R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"])"));
  auto f = with_code(r, "name-missing-on-arch");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("open does not exist on aarch64"), std::string::npos) << f[0].message;

  // Names for each arch: written for both on purpose.
  r = lint_json(profile(R"({"names": ["arch_prctl", "arm_fadvise64_64"], "action": "SCMP_ACT_ALLOW"})",
                        R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_ARM"])"));
  f = with_code(r, "name-missing-on-arch");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Info);
}

}  // namespace
}  // namespace seccage
