#include "syntax/rule_options.hpp"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/presets.hpp"

namespace seccage::cli {
namespace {

const std::vector<Arch> kHost{native_arch()};

std::vector<Rule> opt(std::string_view option, std::string_view text, Action action = Action::kill_process()) {
  return parse_rule_option(option, text, action, kHost);
}
std::vector<Rule> deny(std::string_view text) { return parse_deny_option("--deny", text, kHost); }

// Rule options decide on what the kernel uses: a condition on an int or
// unsigned int argument carries that width (syscall_arg_width).
Condition as(Condition c, ArgWidth w) {
  c.width = w;
  return c;
}

Action decide(const Policy& p, std::string_view name, std::uint64_t a0, std::uint64_t a1 = 0) {
  const std::uint64_t args[6] = {a0, a1, 0, 0, 0, 0};
  return evaluate(p, arch_info(native_arch()).audit_arch,
                  static_cast<std::int32_t>(*syscall_number(native_arch(), name)), args);
}

std::string message_of(auto fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RuleOptions, NamesAndConditions) {
  auto r = opt("--allow", "read,write", Action::allow());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(std::get<std::string>(r[0].syscall), "read");
  EXPECT_TRUE(r[1].conditions.empty());
  EXPECT_EQ(r[1].origin.to_string(), "--allow read,write");
  EXPECT_EQ(r[1].origin.option, "--allow read,write");
  EXPECT_TRUE(r[1].origin.file.empty());

  auto k = opt("--kill", "write:arg0!=1");
  ASSERT_EQ(k.size(), 1u);
  ASSERT_EQ(k[0].conditions.size(), 1u);
  EXPECT_EQ(k[0].conditions[0], as(arg(0) != 1, ArgWidth::U32));

  auto m = opt("--kill", "mmap: arg2 & 0x4 == 0x4, arg1>=5");
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].conditions.size(), 2u);
  EXPECT_EQ(m[0].conditions[0], arg(1) >= 5);
  EXPECT_EQ(m[0].conditions[1], (arg(2) & 4) == 4);
  // Named constants, as in the text language.
  auto c = opt("--kill", "socket:arg0 == AF_INET6");
  EXPECT_EQ(c[0].conditions[0].value, 10u);
  // By number.
  EXPECT_EQ(std::get<std::uint32_t>(opt("--allow", "59", Action::allow())[0].syscall), 59u);
  EXPECT_EQ(std::get<std::uint32_t>(opt("--allow", "0x3b", Action::allow())[0].syscall), 59u);
}

// Issue 11: two conditions on one argument, refused before, are a range.
TEST(RuleOptions, TwoConditionsOnOneArgumentAreARange) {
  Policy p;
  p.default_action = Action::allow();
  overlay_rules(p, opt("--kill", "write:arg0>=1,arg0<=5"));
  EXPECT_EQ(decide(p, "write", 0), Action::allow());
  for (std::uint64_t fd = 1; fd <= 5; ++fd) EXPECT_EQ(decide(p, "write", fd), Action::kill_process()) << fd;
  EXPECT_EQ(decide(p, "write", 6), Action::allow());
  // Alternatives and negated masks too.
  Policy q;
  q.default_action = Action::allow();
  overlay_rules(q, opt("--kill", "write:arg0 == 3 || arg0 == 7"));
  EXPECT_EQ(decide(q, "write", 3), Action::kill_process());
  EXPECT_EQ(decide(q, "write", 7), Action::kill_process());
  EXPECT_EQ(decide(q, "write", 5), Action::allow());
  EXPECT_THROW(opt("--kill", "write:arg0 < 1, arg0 > 5"), InputError);  // can never hold
}

TEST(RuleOptions, DenyTakesAnErrno) {
  auto d = deny("execve:EPERM");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].action, Action::errno_(1));
  EXPECT_TRUE(d[0].conditions.empty());
  EXPECT_EQ(deny("open:13")[0].action, Action::errno_(13));
  EXPECT_EQ(deny("socket")[0].action, Action::errno_(1));
  auto c = deny("write:arg0!=1:EBADF");
  EXPECT_EQ(c[0].action, Action::errno_(9));
  EXPECT_EQ(c[0].conditions[0], as(arg(0) != 1, ArgWidth::U32));
  auto only_cond = deny("write:arg0!=1");
  EXPECT_EQ(only_cond[0].action, Action::errno_(1));
  EXPECT_EQ(only_cond[0].conditions.size(), 1u);
}

TEST(RuleOptions, ErrorsSayWhatWasExpected) {
  EXPECT_NE(message_of([] { opt("--kill", "write:arg6!=1"); }).find("out of range"), std::string::npos);
  EXPECT_NE(message_of([] { opt("--kill", "write:arg0=1"); }).find("unexpected '=' (comparisons are written '==')"), std::string::npos);
  EXPECT_NE(message_of([] { opt("--kill", "write:arg0!=x"); }).find("'x'"), std::string::npos);
  EXPECT_NE(message_of([] { opt("--kill", "write:arg0&4>1"); }).find("can only be compared with == or !="), std::string::npos);
  EXPECT_NE(message_of([] { deny("execve:EWHAT"); }).find("not an errno"), std::string::npos);
  EXPECT_NE(message_of([] { opt("--allow", "re ad"); }).find("not a syscall"), std::string::npos);
  EXPECT_NE(message_of([] { parse_default_action("maybe"); }).find("unknown action"), std::string::npos);
  // Errors name the option as written.
  EXPECT_NE(message_of([] { opt("--kill", "write:arg0=1"); }).find("--kill 'write:arg0=1'"), std::string::npos);
}

// Issue 15: one number lexer. Each spelling means the same in the text
// language, in a rule option and in `seccage emu --args` (the CLI test).
TEST(RuleOptions, NumbersReadAsInTheTextLanguage) {
  struct Case {
    const char* text;
    std::optional<std::uint64_t> value;  // nullopt: refused everywhere
  };
  const Case cases[] = {{"-1", ~std::uint64_t{0}},
                        {"-100", 0xffffffffffffff9cull},
                        {"0x1F", 31},
                        {"0b101", 5},
                        {"010", 8},
                        {"0o17", 15},
                        {"18446744073709551615", ~std::uint64_t{0}},
                        {"18446744073709551616", std::nullopt},
                        {"-9223372036854775809", std::nullopt},
                        {"0x", std::nullopt},
                        {"09", std::nullopt},
                        {"0b2", std::nullopt}};
  for (const Case& c : cases) {
    Policy text_policy;
    bool text_ok = true;
    try {
      text_policy =
          read_text_policy_text(fmt::format("default allow\nkill ptrace: arg1.u64 == {}\n", c.text), "t.policy").policy;
    } catch (const InputError&) {
      text_ok = false;
    }
    bool option_ok = true;
    std::vector<Rule> option;
    try {
      option = opt("--kill", fmt::format("ptrace:arg1.u64=={}", c.text));
    } catch (const InputError&) {
      option_ok = false;
    }
    EXPECT_EQ(text_ok, c.value.has_value()) << c.text;
    EXPECT_EQ(option_ok, c.value.has_value()) << c.text;
    if (!c.value || !text_ok || !option_ok) continue;
    ASSERT_EQ(option.size(), 1u);
    EXPECT_EQ(option[0].conditions.at(0).value, *c.value) << c.text;
    EXPECT_EQ(text_policy.rules.at(0).conditions.at(0).value, *c.value) << c.text;
  }
}

// Issue 15: the echo case. A profile allowing write outright and again for
// fd 1; `--kill write:arg0==2` takes fd 2 and leaves every other write
// allowed (the old overlay deleted both write rules: echo got EPERM).
TEST(RuleOptions, AnOptionGoesOverTheProfileAsALaterStatement) {
  Policy p = read_text_policy_text("default errno(EPERM)\nallow @system-service\nallow write: arg0 == 1\n", "p.policy")
                 .policy;
  overlay_rules(p, opt("--kill", "write:arg0==2"));
  EXPECT_EQ(decide(p, "write", 1), Action::allow());
  EXPECT_EQ(decide(p, "write", 2), Action::kill_process());
  EXPECT_EQ(decide(p, "write", 3), Action::allow());
  // Over conditional rules of the profile: only where the option matches.
  Policy q = read_text_policy_text("default errno(EPERM)\nallow write: arg0 == 1 || arg0 == 2\n", "q.policy").policy;
  overlay_rules(q, opt("--kill", "write:arg0==2"));
  EXPECT_EQ(decide(q, "write", 1), Action::allow());
  EXPECT_EQ(decide(q, "write", 2), Action::kill_process());
  EXPECT_EQ(decide(q, "write", 3), Action::errno_(1));
  // Later options win over earlier ones where they overlap.
  Policy r;
  r.default_action = Action::allow();
  std::vector<Rule> added = opt("--kill", "write:arg0>=2");
  const auto allow_three = opt("--allow", "write:arg0==3", Action::allow());
  added.insert(added.end(), allow_three.begin(), allow_three.end());
  overlay_rules(r, added);
  EXPECT_EQ(decide(r, "write", 2), Action::kill_process());
  EXPECT_EQ(decide(r, "write", 3), Action::allow());
  EXPECT_EQ(decide(r, "write", 4), Action::kill_process());
}

TEST(RuleOptions, OverlayKeepsThePolicysActionForTheRest) {
  Policy p = preset_policy("default");
  overlay_rules(p, opt("--kill", "write:arg0!=1"));
  EXPECT_EQ(decide(p, "write", 1), Action::allow());
  EXPECT_EQ(decide(p, "write", 2), Action::kill_process());
  // An unconditional option replaces the preset's rule.
  Policy q = preset_policy("default");
  overlay_rules(q, deny("execve:EACCES"));
  EXPECT_EQ(decide(q, "execve", 1), Action::errno_(13));
  // Two conditional options on a syscall the policy allowed: the rest keeps
  // the policy's action.
  Policy r = preset_policy("default");
  auto two = opt("--kill", "write:arg0==2");
  auto more = opt("--kill", "write:arg0==3");
  two.insert(two.end(), more.begin(), more.end());
  overlay_rules(r, two);
  EXPECT_EQ(decide(r, "write", 1), Action::allow());
  EXPECT_EQ(decide(r, "write", 2), Action::kill_process());
  EXPECT_EQ(decide(r, "write", 3), Action::kill_process());
}

// A profile whose own rules on a syscall overlap with different actions is
// decided by libseccomp's precedence, which no order reproduces: an option on
// that syscall is refused, saying why, instead of guessing.
TEST(RuleOptions, OverlappingProfileRulesAreRefusedNotGuessed) {
  Policy p;
  p.default_action = Action::allow();
  p.rules.push_back(Rule{std::string("write"), Action::errno_(1), {arg(0) > 1}, "p.json:/syscalls/0"});
  p.rules.push_back(Rule{std::string("write"), Action::errno_(2), {arg(0) < 9}, "p.json:/syscalls/1"});
  const std::string m = message_of([&] { overlay_rules(p, opt("--kill", "write:arg0==4")); });
  EXPECT_NE(m.find("p.json:/syscalls/0 and p.json:/syscalls/1 overlap"), std::string::npos) << m;
}

// Issue 11: groups work in every rule option, as in the text language.
TEST(RuleOptions, GroupsStandForTheirMembers) {
  const auto rules = opt("--allow", "@network-io,read", Action::allow());
  const auto members = expand_syscall_group("@network-io");
  ASSERT_EQ(rules.size(), members.size() + 1);
  for (std::size_t i = 0; i < members.size(); ++i) EXPECT_EQ(rules[i].syscall, SyscallRef(members[i]));
  EXPECT_EQ(rules.back().syscall, SyscallRef(std::string("read")));
  const auto denied = deny("@network-io:EACCES");
  ASSERT_EQ(denied.size(), members.size());
  EXPECT_EQ(denied[0].action, Action::errno_(13));
  EXPECT_THROW(opt("--kill", "@no-such-group"), InputError);
}

// Issue 11: `--allow write --kill write` is an error naming both options.
TEST(RuleOptions, ContradictingOptionsAreAnError) {
  Policy p;
  p.default_action = Action::allow();
  std::vector<Rule> added = opt("--allow", "write", Action::allow());
  const auto kill = opt("--kill", "write");
  added.insert(added.end(), kill.begin(), kill.end());
  const std::string m = message_of([&] { overlay_rules(p, added); });
  EXPECT_NE(m.find("--allow write and --kill write contradict"), std::string::npos) << m;
  // Different conditions do not contradict.
  Policy q;
  q.default_action = Action::allow();
  std::vector<Rule> ok = opt("--kill", "write:arg0==2");
  const auto errno_rule = deny("write:arg0==3:EBADF");
  ok.insert(ok.end(), errno_rule.begin(), errno_rule.end());
  EXPECT_NO_THROW(overlay_rules(q, ok));
}

}  // namespace
}  // namespace seccage::cli
