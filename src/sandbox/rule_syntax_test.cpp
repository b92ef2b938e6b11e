#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/presets.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

// Rule options decide on what the kernel uses: a condition on an int or
// unsigned int argument carries that width (syscall_arg_width).
Condition as(Condition c, ArgWidth w) {
  c.width = w;
  return c;
}

TEST(SandboxRuleSyntax, NamesAndConditions) {
  auto r = parse_rule_option("--allow", "read,write", Action::allow());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(std::get<std::string>(r[0].syscall), "read");
  EXPECT_TRUE(r[1].conditions.empty());
  EXPECT_EQ(r[1].origin, "--allow read,write");

  auto k = parse_rule_option("--kill", "write:arg0!=1", Action::kill_process());
  ASSERT_EQ(k.size(), 1u);
  ASSERT_EQ(k[0].conditions.size(), 1u);
  EXPECT_EQ(k[0].conditions[0], as(arg(0) != 1, ArgWidth::U32));

  auto m = parse_rule_option("--kill", "mmap: arg2 & 0x4 == 0x4, arg1>=5", Action::kill_process());
  ASSERT_EQ(m[0].conditions.size(), 2u);
  EXPECT_EQ(m[0].conditions[0], (arg(2) & 4) == 4);
  EXPECT_EQ(m[0].conditions[1], arg(1) >= 5);
  // Octal and every operator.
  auto o = parse_rule_option("--allow", "open:arg1<=010,arg2<3,arg0>7,arg3==0", Action::allow());
  EXPECT_EQ(o[0].conditions[0], as(arg(1) <= 8, ArgWidth::S32));  // int flags
  EXPECT_EQ(o[0].conditions[1], as(arg(2) < 3, ArgWidth::U32));   // umode_t
  EXPECT_EQ(o[0].conditions[2], arg(0) > 7);
  // By number.
  auto n = parse_rule_option("--allow", "59", Action::allow());
  EXPECT_EQ(std::get<std::uint32_t>(n[0].syscall), 59u);
}

TEST(SandboxRuleSyntax, DenyTakesAnErrno) {
  auto d = parse_deny_option("execve:EPERM");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].action, Action::errno_(1));
  EXPECT_TRUE(d[0].conditions.empty());
  EXPECT_EQ(parse_deny_option("open:13")[0].action, Action::errno_(13));
  EXPECT_EQ(parse_deny_option("socket")[0].action, Action::errno_(1));
  auto c = parse_deny_option("write:arg0!=1:EBADF");
  EXPECT_EQ(c[0].action, Action::errno_(9));
  EXPECT_EQ(c[0].conditions[0], as(arg(0) != 1, ArgWidth::U32));
  auto only_cond = parse_deny_option("write:arg0!=1");
  EXPECT_EQ(only_cond[0].action, Action::errno_(1));
  EXPECT_EQ(only_cond[0].conditions.size(), 1u);
}

TEST(SandboxRuleSyntax, ErrorsSayWhatWasExpected) {
  auto message = [](auto fn) {
    try {
      fn();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { parse_rule_option("--kill", "write:arg6!=1", Action::kill_process()); }).find("arg0 .. arg5"),
            std::string::npos);
  EXPECT_NE(message([] { parse_rule_option("--kill", "write:arg0=1", Action::kill_process()); }).find("operator"),
            std::string::npos);
  EXPECT_NE(message([] { parse_rule_option("--kill", "write:arg0!=x", Action::kill_process()); }).find("not a number"),
            std::string::npos);
  EXPECT_NE(message([] { parse_rule_option("--kill", "write:arg0&4>1", Action::kill_process()); }).find("=="),
            std::string::npos);
  EXPECT_NE(message([] { parse_deny_option("execve:EWHAT"); }).find("not an errno"), std::string::npos);
  EXPECT_NE(message([] { parse_rule_option("--allow", "re ad", Action::allow()); }).find("not a syscall"),
            std::string::npos);
  EXPECT_NE(message([] { parse_default_action("maybe"); }).find("unknown action"), std::string::npos);
}

TEST(SandboxRuleSyntax, OverlayKeepsThePolicysActionForTheRest) {
  Policy p = preset_policy("default");
  overlay_rules(p, parse_rule_option("--kill", "write:arg0!=1", Action::kill_process()));
  const std::uint64_t to_stdout[6] = {1, 0, 0, 0, 0, 0};
  const std::uint64_t to_stderr[6] = {2, 0, 0, 0, 0, 0};
  const std::uint32_t audit = arch_info(native_arch()).audit_arch;
  const auto nr = static_cast<std::int32_t>(*syscall_number(native_arch(), "write"));
  EXPECT_EQ(evaluate(p, audit, nr, to_stdout), Action::allow());
  EXPECT_EQ(evaluate(p, audit, nr, to_stderr), Action::kill_process());
  // An unconditional option replaces the preset's rule.
  Policy q = preset_policy("default");
  overlay_rules(q, parse_deny_option("execve:EACCES"));
  const auto ex = static_cast<std::int32_t>(*syscall_number(native_arch(), "execve"));
  EXPECT_EQ(evaluate(q, audit, ex, to_stdout), Action::errno_(13));
  // Two conditional options on a syscall the policy allowed cannot say what
  // the rest gets.
  Policy r = preset_policy("default");
  auto two = parse_rule_option("--kill", "write:arg0==2", Action::kill_process());
  auto more = parse_rule_option("--kill", "write:arg0==3", Action::kill_process());
  two.insert(two.end(), more.begin(), more.end());
  EXPECT_THROW(overlay_rules(r, two), InputError);
}

}  // namespace
}  // namespace seccage::sandbox

namespace seccage::sandbox {
namespace {

// Issue 11: groups work in every rule option, as in the text language.
TEST(RuleOptions, GroupsStandForTheirMembers) {
  const auto rules = parse_rule_option("--allow", "@network-io,read", Action::allow());
  const auto members = expand_syscall_group("@network-io");
  ASSERT_EQ(rules.size(), members.size() + 1);
  for (std::size_t i = 0; i < members.size(); ++i) EXPECT_EQ(rules[i].syscall, SyscallRef(members[i]));
  EXPECT_EQ(rules.back().syscall, SyscallRef(std::string("read")));
  const auto denied = parse_deny_option("@network-io:EACCES");
  ASSERT_EQ(denied.size(), members.size());
  EXPECT_EQ(denied[0].action, Action::errno_(13));
  EXPECT_THROW(parse_rule_option("--kill", "@no-such-group", Action::kill_process()), InputError);
}

// Issue 11: `--allow write --kill write` is an error naming both options.
TEST(RuleOptions, ContradictingOptionsAreAnError) {
  Policy p;
  p.default_action = Action::allow();
  std::vector<Rule> added = parse_rule_option("--allow", "write", Action::allow());
  const auto kill = parse_rule_option("--kill", "write", Action::kill_process());
  added.insert(added.end(), kill.begin(), kill.end());
  try {
    overlay_rules(p, added);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--allow write and --kill write contradict"), std::string::npos) << m;
  }
  // Different conditions do not contradict.
  Policy q;
  q.default_action = Action::allow();
  std::vector<Rule> ok = parse_rule_option("--kill", "write:arg0==2", Action::kill_process());
  const auto errno_rule = parse_deny_option("write:arg0==3:EBADF");
  ok.insert(ok.end(), errno_rule.begin(), errno_rule.end());
  EXPECT_NO_THROW(overlay_rules(q, ok));
}

}  // namespace
}  // namespace seccage::sandbox
