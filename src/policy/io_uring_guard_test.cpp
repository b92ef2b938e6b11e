#include "seccage/io_uring_guard.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "seccage/presets.hpp"

namespace seccage {
namespace {

constexpr std::uint32_t kX86_64 = 0xc000003e;

Action on_x86_64(const Policy& p, std::string_view name, std::array<std::uint64_t, 6> a = {}) {
  const std::uint64_t args[6] = {a[0], a[1], a[2], a[3], a[4], a[5]};
  return evaluate(p, kX86_64, static_cast<std::int32_t>(*syscall_number(Arch::x86_64, name)), args);
}

Policy allow_but(std::vector<Rule> rules) {
  Policy p;
  p.default_action = Action::allow();
  p.arches = {Arch::x86_64};
  p.rules = std::move(rules);
  return p;
}

TEST(IoUringGuard, EveryNameInTheTableIsASyscall) {
  const auto all = all_syscall_names();
  for (const IoUringOp& op : io_uring_ops()) {
    EXPECT_TRUE(op.op.starts_with("IORING_OP_")) << op.op;
    for (std::string_view n : op.syscalls)
      EXPECT_TRUE(std::binary_search(all.begin(), all.end(), n)) << op.op << ": " << n;
  }
}

// The attack that motivated it: --default allow --kill openat,socket,mkdir,mkdirat.
TEST(IoUringGuard, ADenialTheRingCanDoDeniesTheRingWithEnosys) {
  Policy p = allow_but({{"openat", Action::kill_process(), {}, "k"},
                        {"socket", Action::kill_process(), {}, "k"},
                        {"mkdirat", Action::kill_process(), {}, "k"}});
  auto routes = guard_io_uring(p, allows_io_uring_by_name(p));
  ASSERT_FALSE(routes.empty());
  EXPECT_EQ(routes.front().to_string(), "openat (IORING_OP_OPENAT)");
  for (const char* n : {"io_uring_setup", "io_uring_enter", "io_uring_register"})
    EXPECT_EQ(on_x86_64(p, n), Action::errno_(38)) << n;
  EXPECT_EQ(on_x86_64(p, "openat"), Action::kill_process());
  EXPECT_EQ(on_x86_64(p, "read"), Action::allow());
  // Idempotent: a second guard adds nothing.
  const std::size_t n = p.rules.size();
  guard_io_uring(p, false);
  EXPECT_EQ(p.rules.size(), n);
}

TEST(IoUringGuard, AConditionalDenialCounts) {
  Policy p = allow_but({{"openat", Action::errno_(30), {(arg(2) & 1) == 1}, "ro"}});
  EXPECT_FALSE(guard_io_uring(p, false).empty());
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::errno_(38));
}

TEST(IoUringGuard, NothingTheRingDoesDeniedLeavesThePolicyAlone) {
  Policy p = allow_but({{"execve", Action::errno_(1), {}, "x"}, {"ptrace", Action::kill_process(), {}, "x"}});
  EXPECT_TRUE(guard_io_uring(p, false).empty());
  EXPECT_EQ(p.rules.size(), 2u);
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::allow());
}

TEST(IoUringGuard, AnAllowlistDefaultCountsAsADenial) {
  Policy p;
  p.default_action = Action::kill_process();
  p.arches = {Arch::x86_64};
  p.rules = {{"read", Action::allow(), {}, "a"}, {"io_uring_enter", Action::allow(), {}, "a"}};
  EXPECT_FALSE(guard_io_uring(p, allows_io_uring_by_name(p)).empty());
  // io_uring_enter was allowed, but not io_uring_setup by name: an inherited
  // ring would still be a way around the default.
  EXPECT_EQ(on_x86_64(p, "io_uring_enter"), Action::errno_(38));
  // Never allowed, so the allowlist's own answer stays.
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::kill_process());
}

TEST(IoUringGuard, AllowingSetupByNameOptsIn) {
  Policy p = allow_but({{"openat", Action::kill_process(), {}, "k"}});
  p.default_action = Action::errno_(1);
  p.rules.push_back({"io_uring_setup", Action::allow(), {}, "me"});
  p.rules.push_back({"io_uring_enter", Action::allow(), {}, "me"});
  EXPECT_TRUE(allows_io_uring_by_name(p));
  EXPECT_TRUE(guard_io_uring(p, allows_io_uring_by_name(p)).empty());
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::allow());
}

TEST(IoUringGuard, OptingInAfterAGuardTakesItsRulesOut) {
  Policy p = preset_policy("read-only", {Arch::x86_64});
  ASSERT_EQ(on_x86_64(p, "io_uring_enter"), Action::errno_(38));
  std::erase_if(p.rules, [](const Rule& r) { return std::get<std::string>(r.syscall) == "io_uring_setup"; });
  p.rules.push_back({"io_uring_setup", Action::allow(), {}, "--allow io_uring_setup"});
  guard_io_uring(p, allows_io_uring_by_name(p));
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::allow());
  EXPECT_EQ(on_x86_64(p, "io_uring_enter"), Action::allow());
}

TEST(IoUringGuard, AnAuthorsOwnDenialStays) {
  Policy p = allow_but({{"connect", Action::kill_process(), {}, "k"}, {"io_uring_setup", Action::kill_process(), {}, "k"}});
  guard_io_uring(p, false);
  EXPECT_EQ(on_x86_64(p, "io_uring_setup"), Action::kill_process());
  EXPECT_EQ(on_x86_64(p, "io_uring_register"), Action::errno_(38));
}

TEST(IoUringGuard, AnAllowByNumberDoesNotUndoTheGuard) {
  Policy p = allow_but({{"openat", Action::kill_process(), {}, "k"}});
  p.default_action = Action::errno_(1);
  p.rules.push_back({"read", Action::allow(), {}, "a"});
  // 426 is io_uring_enter on x86_64; by number it is not an opt-in.
  p.rules.push_back({std::uint32_t{426}, Action::allow(), {}, "a"});
  guard_io_uring(p, allows_io_uring_by_name(p));
  EXPECT_EQ(on_x86_64(p, "io_uring_enter"), Action::errno_(38));
}

TEST(IoUringGuard, ConditionalRulesOnTheRingAreReplaced) {
  Policy p = allow_but({{"unlinkat", Action::errno_(30), {}, "k"},
                        {"io_uring_setup", Action::errno_(1), {arg(0) > 64}, "small rings only"}});
  guard_io_uring(p, false);
  EXPECT_EQ(on_x86_64(p, "io_uring_setup", {8}), Action::errno_(38));
}

TEST(IoUringGuard, Reachability) {
  Policy p = allow_but({});
  EXPECT_TRUE(io_uring_setup_reachable(p));
  p.rules.push_back({"io_uring_setup", Action::errno_(1), {}, "x"});
  EXPECT_FALSE(io_uring_setup_reachable(p));
}

}  // namespace
}  // namespace seccage
