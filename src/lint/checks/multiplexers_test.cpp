// The check in multiplexers.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintMultiplexer, ConditionOnSocketIsBypassedThroughSocketcall) {
  const LintReport r = lint_json(
      profile(R"({"names": ["socketcall"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]})",
              R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])"));
  const auto f = with_code(r, "multiplexer-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("on i386"), std::string::npos);
}

}  // namespace
}  // namespace seccage
