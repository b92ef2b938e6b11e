// diff_filters finds what two filters decide differently, and nothing where
// they agree: against seccage's compiler, and against libseccomp's program
// for the same profile (an independent build of the same decisions).
#include "seccage/filter_diff.hpp"

#include <gtest/gtest.h>

#include "seccage/compiler.hpp"
#include "seccage/load_policy.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/profiles.hpp"

namespace seccage {
namespace {

bpf::Program compile_text(const std::string& text) {
  PolicyLoadOptions o;
  o.arches = {Arch::x86_64};
  return compile(load_policy_text(text, "t.policy", o).policy);
}

const FilterDifference* difference_at(const FilterDiff& d, Arch arch, const std::string& syscall) {
  for (const FilterDifference& f : d.differences)
    if (f.arch == arch && f.syscall == syscall) return &f;
  return nullptr;
}

TEST(FilterDiff, AFilterIsTheSameAsItself) {
  const bpf::Program p = compile_text("default errno(EPERM)\nallow read, write\nallow personality: arg0 == 8\n");
  const FilterDiff d = diff_filters(p, p);
  EXPECT_TRUE(d.same());
  EXPECT_EQ(d.arches.size(), all_arches().size());
  EXPECT_GT(d.probes, d.numbers);  // personality's argument was varied
  EXPECT_EQ(d.capped, 0u);
}

TEST(FilterDiff, DockersProfileBuiltBySeccageAndByLibseccompDecidesTheSame) {
  PolicyLoadOptions o;
  o.arches = {Arch::x86_64, Arch::x32, Arch::i386};
  const Policy policy = load_policy_file(test::profiles_dir() / "docker-default.json", o).policy;
  const bpf::Program ours = compile(policy);
  const bpf::Program theirs = test::libseccomp_compile(policy).program;
  ASSERT_NE(bpf::to_raw(ours), bpf::to_raw(theirs));  // different programs...
  const FilterDiff d = diff_filters(ours, theirs);
  // ...the same decisions, but where the two are known to part: a number
  // libseccomp 2.5.4's table does not have (uretprobe, and numbers past the
  // table, which seccage answers ENOSYS as runc does: docs/semantics.md).
  ASSERT_FALSE(d.differences.empty());
  for (const FilterDifference& f : d.differences) {
    const bool unknown_to_libseccomp = f.syscall.starts_with("#") || !test::libseccomp_agrees(f.arch, f.syscall);
    EXPECT_TRUE(unknown_to_libseccomp) << arch_name(f.arch) << " " << f.syscall << ": " << f.first.to_string()
                                       << " against libseccomp's " << f.second.to_string();
    EXPECT_EQ(f.second, Action::errno_(1)) << f.syscall;  // libseccomp: the profile's default
  }
  EXPECT_EQ(d.capped, 0u);

  // One rule changed: exactly that call differs.
  Policy changed = policy;
  Rule allow_acct;
  allow_acct.syscall = "acct";
  allow_acct.action = Action::allow();
  changed.rules.push_back(allow_acct);
  const FilterDiff c = diff_filters(ours, compile(changed), {Arch::x86_64, Arch::aarch64});
  // x86_64's and x32's acct (x32's calls carry x86_64's audit arch); aarch64 is not covered by either.
  ASSERT_EQ(c.differences.size(), 2u);
  EXPECT_EQ(c.differences[0].arch, Arch::x86_64);
  EXPECT_EQ(c.differences[1].arch, Arch::x32);
  for (const FilterDifference& f : c.differences) {
    EXPECT_EQ(f.syscall, "acct");
    EXPECT_EQ(f.first, Action::errno_(1));
    EXPECT_EQ(f.second, Action::allow());
  }
}

TEST(FilterDiff, FindsADifferenceOnlyBothHalvesOfAnArgumentReach) {
  // 0x100000001 and 1 share the low word: only a probe that sets the high
  // word too tells the two apart.
  const bpf::Program a = compile_text("default errno(EPERM)\nallow personality: arg0 == 0x100000001\n");
  const bpf::Program b = compile_text("default errno(EPERM)\nallow personality: arg0 == 1\n");
  const FilterDiff d = diff_filters(a, b, {Arch::x86_64});
  ASSERT_EQ(d.differences.size(), 1u);
  const FilterDifference& f = d.differences[0];
  EXPECT_EQ(f.syscall, "personality");
  EXPECT_TRUE(f.args[0] == 0x100000001 || f.args[0] == 1) << std::hex << f.args[0];
  EXPECT_NE(f.first, f.second);
}

TEST(FilterDiff, FindsADifferenceInASecondArgumentReadOnlyAfterTheFirstMatches) {
  const bpf::Program a = compile_text("default errno(EPERM)\nallow write: arg0 == 1 && arg2 == 5\n");
  const bpf::Program b = compile_text("default errno(EPERM)\nallow write: arg0 == 1\n");
  const FilterDiff d = diff_filters(a, b, {Arch::x86_64});
  const FilterDifference* f = difference_at(d, Arch::x86_64, "write");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->args[0], 1u);
  EXPECT_NE(f->args[2], 5u);
  EXPECT_EQ(f->first, Action::errno_(1));
  EXPECT_EQ(f->second, Action::allow());
  EXPECT_EQ(d.differences.size(), 1u);
}

TEST(FilterDiff, MaskedTestsAreProbedOnTheBitsTheyTest) {
  const bpf::Program a = compile_text("default allow\nerrno(EPERM) clone: arg0 & 0x10000000 == 0x10000000\n");
  const bpf::Program b = compile_text("default allow\nerrno(EPERM) clone: arg0 & 0x20000000 == 0x20000000\n");
  const FilterDiff d = diff_filters(a, b, {Arch::x86_64});
  ASSERT_NE(difference_at(d, Arch::x86_64, "clone"), nullptr);
  EXPECT_EQ(d.differences.size(), 1u);
}

}  // namespace
}  // namespace seccage
