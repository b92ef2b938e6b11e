// The check in wide_compare.cpp, on small profiles written for it (the
// end-to-end cases are in tests/args32_test.cpp).
#include <gtest/gtest.h>

#include "lint/checks/check_test_util.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintWideCompare, StricterRuleMissesAHighWordValue) {
  const LintReport r = lint_json(profile(
      R"({"names": ["write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]})",
      R"("SCMP_ACT_ALLOW")"));
  const auto f = with_code(r, "wide-compare");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("0x100000002"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("is not caught by"), std::string::npos) << f[0].message;
}

TEST(LintWideCompare, EqualityOnAnAllowedValueIsQuiet) {
  // write(0x100000002) fails the filter's test, so it gets the default
  // (ERRNO): nothing gets through that the rule does not mean.
  const LintReport r = lint_json(profile(
      R"({"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]})"));
  EXPECT_TRUE(with_code(r, "wide-compare").empty()) << dump(r);
}

}  // namespace
}  // namespace seccage
