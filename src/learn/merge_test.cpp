// Merging learned profiles, and growing a profile from a run's report.
#include <gtest/gtest.h>

#include "seccage/error.hpp"
#include "seccage/learn.hpp"

namespace seccage::learn {
namespace {

const Arch kArch = Arch::x86_64;

Policy allowlist(std::vector<Rule> rules) {
  Policy p;
  p.default_action = Action::errno_(1);
  p.arches = {kArch};
  p.rules = std::move(rules);
  return p;
}

Rule allow(const char* name, std::vector<Condition> conditions = {}) { return Rule{name, Action::allow(), std::move(conditions), ""}; }

Action decide(const Policy& p, const char* name, std::uint64_t a0 = 0, std::uint64_t a1 = 0) {
  const std::uint64_t args[6] = {a0, a1, 0, 0, 0, 0};
  return evaluate(p, arch_info(kArch).audit_arch, static_cast<std::int32_t>(*syscall_number(kArch, name)), args);
}

TEST(LearnMerge, IsTheUnionWithConditionsJoined) {
  const LearnedProfile m = merge_profiles({{"a", allowlist({allow("read"), allow("socket", {arg(0) == 1})})},
                                           {"b", allowlist({allow("write"), allow("socket", {arg(0) == 2})})}});
  EXPECT_EQ(decide(m.policy, "read"), Action::allow());
  EXPECT_EQ(decide(m.policy, "write"), Action::allow());
  EXPECT_EQ(decide(m.policy, "socket", 1), Action::allow());
  EXPECT_EQ(decide(m.policy, "socket", 2), Action::allow());
  EXPECT_EQ(decide(m.policy, "socket", 10), Action::errno_(1));
  EXPECT_EQ(decide(m.policy, "ptrace"), Action::errno_(1));
  EXPECT_TRUE(m.notes.empty());
}

TEST(LearnMerge, UnconditionalBeatsConditionsWithANote) {
  const LearnedProfile m = merge_profiles({{"a", allowlist({allow("ioctl")})},
                                           {"b", allowlist({allow("ioctl", {arg(1) == 0x5401})})}});
  EXPECT_EQ(decide(m.policy, "ioctl", 0, 0x1234), Action::allow());
  EXPECT_TRUE(m.notes.count("ioctl"));
}

TEST(LearnMerge, DisagreeingActionsKeepTheLessRestrictiveWithANote) {
  const LearnedProfile m = merge_profiles({{"a", allowlist({Rule{"clone3", Action::errno_(38), {}, ""}})},
                                           {"b", allowlist({allow("clone3")})}});
  EXPECT_EQ(decide(m.policy, "clone3"), Action::allow());
  ASSERT_TRUE(m.notes.count("clone3"));
  EXPECT_NE(m.notes.at("clone3").find("less restrictive"), std::string::npos);
}

TEST(LearnMerge, RefusesDifferentArchesOrDefaults) {
  Policy other_arch = allowlist({allow("read")});
  other_arch.arches = {Arch::aarch64};
  EXPECT_THROW(merge_profiles({{"a", allowlist({allow("read")})}, {"b", other_arch}}), InputError);
  Policy other_default = allowlist({allow("read")});
  other_default.default_action = Action::kill_process();
  EXPECT_THROW(merge_profiles({{"a", allowlist({allow("read")})}, {"b", other_default}}), InputError);
  EXPECT_THROW(merge_profiles({}), InputError);
}

TEST(LearnMerge, IsStableWhateverTheInputOrder) {
  const NamedPolicy a{"a", allowlist({allow("write"), allow("socket", {arg(0) == 2})})};
  const NamedPolicy b{"b", allowlist({allow("read"), allow("socket", {arg(0) == 1})})};
  EXPECT_EQ(write_profile(merge_profiles({a, b}), OutputFormat::Text, ""),
            write_profile(merge_profiles({b, a}), OutputFormat::Text, ""));
}

const char* kReport = R"({
  "verdict": "violation", "mode": "permissive",
  "violations": [
    {"syscall": "socket", "arch": "x86_64", "args": [10, 1, 0, 0, 0, 0], "origin": "default"},
    {"syscall": "ptrace", "arch": "x86_64", "args": [0, 0, 0, 0, 0, 0], "origin": "default"}
  ],
  "summary": [
    {"syscall": "socket", "arch": "x86_64", "count": 1, "example": {"syscall": "socket", "arch": "x86_64", "args": [10, 1, 0, 0, 0, 0]}},
    {"syscall": "ptrace", "arch": "x86_64", "count": 5, "example": {"syscall": "ptrace", "arch": "x86_64", "args": [0, 0, 0, 0, 0, 0]}},
    {"syscall": "?", "arch": "?", "count": 1, "example": {"syscall": "?", "arch": "?", "args": null}}
  ]
})";

TEST(LearnFromReport, ReadsTheDeniedCallsWithTheirArguments) {
  std::vector<std::string> warnings;
  const auto uses = uses_from_report(kReport, warnings);
  ASSERT_EQ(uses.size(), 2u);
  const SyscallUse& ptrace = uses[0].name == "ptrace" ? uses[0] : uses[1];
  const SyscallUse& socket = uses[0].name == "socket" ? uses[0] : uses[1];
  EXPECT_EQ(socket.values, (std::set<ArgValues>{{10, 1}}));
  EXPECT_FALSE(socket.values_incomplete);
  EXPECT_EQ(ptrace.count, 5u);
  EXPECT_TRUE(ptrace.values_incomplete);  // 1 of 5 kept; it has no captured arguments anyway
  EXPECT_EQ(warnings.size(), 1u);         // the unnamed kill
}

TEST(LearnFromReport, AddsAllowsAndDropsAShadowingDeny) {
  std::vector<std::string> warnings;
  const auto uses = uses_from_report(kReport, warnings);
  Policy base = allowlist({allow("read"), Rule{"ptrace", Action::errno_(1), {}, {}}});
  const LearnedProfile grown = add_to_profile(base, uses);
  // What was added says so, for reports and lint.
  for (const Rule& r : grown.policy.rules)
    if (to_string(r.syscall) == "socket") EXPECT_EQ(r.origin, RuleOrigin::named("learned from the report"));
  EXPECT_EQ(decide(grown.policy, "read"), Action::allow());
  EXPECT_EQ(decide(grown.policy, "ptrace"), Action::allow());
  EXPECT_EQ(decide(grown.policy, "socket", 10, 1), Action::allow());
  EXPECT_EQ(decide(grown.policy, "socket", 2, 1), Action::errno_(1));
  EXPECT_TRUE(grown.notes.count("ptrace"));
}

TEST(LearnFromReport, RefusesWhatIsNotAReport) {
  std::vector<std::string> warnings;
  EXPECT_THROW(uses_from_report("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", warnings), InputError);
  EXPECT_THROW(uses_from_report("not json", warnings), InputError);
}

}  // namespace
}  // namespace seccage::learn
