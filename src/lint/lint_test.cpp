// The linter as a whole: where findings point, and bad input.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintLocations, TextOriginsGiveLineAndColumn) {
  Policy p;
  p.default_action = Action::errno_(38);
  p.arches = {Arch::x86_64};
  p.rules = {{std::string("ptrace"), Action::allow(), {}, RuleOrigin::in_text("app.policy", 3, 7)}};
  const LintReport r = lint_policy(p, "app.policy");
  const auto f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].location.file, "app.policy");
  EXPECT_EQ(f[0].location.line, 3u);
  EXPECT_EQ(f[0].location.column, 7u);
  EXPECT_EQ(f[0].location.to_string(), "app.policy:3:7");
}

TEST(LintInput, BadJsonThrowsInputError) {
  EXPECT_THROW(lint_json("{\"defaultAction\": "), InputError);
  EXPECT_THROW(lint_json(R"({"defaultAction": "SCMP_ACT_NOPE"})"), InputError);
}

}  // namespace
}  // namespace seccage
