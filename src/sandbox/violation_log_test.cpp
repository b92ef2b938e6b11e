#include "sandbox/violation_log.hpp"

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

Violation call(const std::string& name, const std::string& decoded) {
  Violation v;
  v.syscall = name;
  v.arch = "x86_64";
  v.rule = name;
  v.action = Action::errno_(1);
  v.decoded = decoded;
  return v;
}

TEST(SandboxViolationLog, KeepsUpToTheCapAndSummarisesEveryCall) {
  Report r;
  ViolationLog log(r, 3, ViolationLog::Clock::now());
  for (int i = 0; i < 10; ++i) log.record(call("getppid", "getppid() #" + std::to_string(i)));
  log.record(call("mkdir", "mkdir(...)"));
  EXPECT_EQ(r.violation_count, 11u);
  ASSERT_EQ(r.violations.size(), 3u);
  ASSERT_EQ(r.summary.size(), 2u);
  EXPECT_EQ(r.summary[0].syscall, "getppid");
  EXPECT_EQ(r.summary[0].count, 10u);
  EXPECT_EQ(r.summary[0].example.decoded, "getppid() #0");  // the first one
  EXPECT_LE(r.summary[0].first_ms, r.summary[0].last_ms);
  EXPECT_EQ(r.summary[1].syscall, "mkdir");
  EXPECT_EQ(r.summary[1].example.decoded, "mkdir(...)");  // past the cap, but the first of its kind
}

TEST(SandboxViolationLog, AsksForDetailsOnlyWhereTheyAreKept) {
  Report r;
  ViolationLog log(r, 1, ViolationLog::Clock::now());
  const std::string k = ViolationLog::key("getppid", "getppid", Action::errno_(1), "x86_64");
  EXPECT_TRUE(log.wants_details(k));
  log.record(call("getppid", "getppid()"));
  EXPECT_FALSE(log.wants_details(k));  // the list is full and the summary has its example
  EXPECT_TRUE(log.wants_details(ViolationLog::key("mkdir", "mkdir", Action::errno_(1), "x86_64")));
}

TEST(SandboxViolationLog, FallbacksAreCountedApart) {
  Report r;
  ViolationLog log(r, 2, ViolationLog::Clock::now());
  for (int i = 0; i < 5; ++i) log.record(call("clone3", "clone3()"), true);
  EXPECT_EQ(r.fallback_count, 5u);
  EXPECT_EQ(r.fallbacks.size(), 2u);
  EXPECT_EQ(r.violation_count, 0u);
  EXPECT_TRUE(r.summary.empty());
}

}  // namespace
}  // namespace seccage::sandbox
