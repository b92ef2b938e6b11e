#include <set>

#include <gtest/gtest.h>

#include "seccage/policy.hpp"

namespace seccage {
namespace {

TEST(RuleOrigin, EachKindKeepsItsFieldsAndText) {
  const RuleOrigin text = RuleOrigin::in_text("dir/t.policy", 12, 5);
  EXPECT_EQ(text.file, "dir/t.policy");
  EXPECT_EQ(text.line, 12u);
  EXPECT_EQ(text.column, 5u);
  EXPECT_TRUE(text.json_pointer.empty());
  EXPECT_EQ(text.to_string(), "dir/t.policy:12:5");

  // lxc knows only the line.
  EXPECT_EQ(RuleOrigin::in_text("c.seccomp", 3).to_string(), "c.seccomp:3");

  const RuleOrigin json = RuleOrigin::in_json("p.json", "/syscalls/3");
  EXPECT_EQ(json.file, "p.json");
  EXPECT_EQ(json.json_pointer, "/syscalls/3");
  EXPECT_EQ(json.line, 0u);
  EXPECT_EQ(json.to_string(), "p.json:/syscalls/3");
  EXPECT_EQ(json.json_location(), "/syscalls/3");

  const RuleOrigin option = RuleOrigin::from_option("--kill write:arg0!=1");
  EXPECT_EQ(option.option, "--kill write:arg0!=1");
  EXPECT_TRUE(option.file.empty());
  EXPECT_EQ(option.to_string(), "--kill write:arg0!=1");

  const RuleOrigin named = RuleOrigin::named("preset stdio: exit");
  EXPECT_EQ(named.name, "preset stdio: exit");
  EXPECT_EQ(named.to_string(), "preset stdio: exit");
}

TEST(RuleOrigin, SplitJsonEntriesNameTheirArgs) {
  // One arg: the pointer to it is a real JSON pointer.
  const RuleOrigin one = RuleOrigin::in_json("p.json", "/syscalls/0", {2});
  EXPECT_EQ(one.to_string(), "p.json:/syscalls/0/args/2");
  EXPECT_EQ(one.json_location(), "/syscalls/0/args/2");
  // A product of args: shown joined, located at the entry.
  const RuleOrigin two = RuleOrigin::in_json("p.json", "/syscalls/0", {0, 1});
  EXPECT_EQ(two.to_string(), "p.json:/syscalls/0/args/0+1");
  EXPECT_EQ(two.json_location(), "/syscalls/0");
  EXPECT_EQ(RuleOrigin::in_text("t.policy", 1, 1).json_location(), "");
}

TEST(RuleOrigin, EmptyUntilAnyFieldIsSet) {
  EXPECT_TRUE(RuleOrigin{}.empty());
  EXPECT_EQ(RuleOrigin{}.to_string(), "");
  EXPECT_FALSE(RuleOrigin::in_text("t.policy", 1, 1).empty());
  EXPECT_FALSE(RuleOrigin::named("x").empty());
  RuleOrigin file_only;
  file_only.file = "t.policy";
  EXPECT_FALSE(file_only.empty());
  EXPECT_EQ(file_only.to_string(), "t.policy");
}

TEST(RuleOrigin, ComparesByEveryField) {
  // Two origins whose text agrees but whose fields do not are different
  // places: a rule option that looks like a file position is not one.
  EXPECT_EQ(RuleOrigin::in_text("t.policy", 3, 1), RuleOrigin::in_text("t.policy", 3, 1));
  EXPECT_NE(RuleOrigin::in_text("t.policy", 3, 1), RuleOrigin::in_text("t.policy", 3, 2));
  EXPECT_NE(RuleOrigin::named("t.policy:3:1"), RuleOrigin::in_text("t.policy", 3, 1));
  EXPECT_NE(RuleOrigin::in_json("p.json", "/syscalls/0", {0}), RuleOrigin::in_json("p.json", "/syscalls/0", {1}));
  // Ordered, so origins can key a set.
  std::set<RuleOrigin> s = {RuleOrigin::in_text("a", 2, 1), RuleOrigin::in_text("a", 1, 9), RuleOrigin::in_text("a", 2, 1)};
  EXPECT_EQ(s.size(), 2u);
  EXPECT_LT(RuleOrigin::in_text("a", 1, 9), RuleOrigin::in_text("a", 2, 1));
}

TEST(RuleOrigin, RuleOriginTextFallsBackToTheRuleNumber) {
  Rule r{std::string("write"), Action::allow(), {}, {}};
  EXPECT_EQ(rule_origin(r, 4), "rule 4 (write)");
  r.origin = RuleOrigin::in_text("t.policy", 2, 7);
  EXPECT_EQ(rule_origin(r, 4), "t.policy:2:7");
}

TEST(RuleOrigin, IsNotPartOfRuleEquality) {
  Rule a{std::string("write"), Action::allow(), {}, RuleOrigin::in_text("a.policy", 1, 1)};
  Rule b{std::string("write"), Action::allow(), {}, RuleOrigin::from_option("--allow write")};
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace seccage
