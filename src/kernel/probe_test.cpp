// The probes against the real kernel, and proof that probing installs nothing.
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "kernel/sys.hpp"
#include "seccage/kernel.hpp"
#include "support/child.hpp"

namespace seccage::kernel {
namespace {

std::string explain(const test::ChildResult& r) { return r.describe() + (r.output.empty() ? "" : ": " + r.output); }

// The probes are meant to be harmless in any process; this checks it in a
// child all the same, so that a wrong probe could not filter the test process.
TEST(ProbeFlags, KnownFlagsAnswerEfaultAndInstallNothing) {
  test::ChildResult r = test::run_in_child([](int report) {
    const bool nnp_before = no_new_privs();
    std::string bad;
    for (FilterFlag f : kAllFilterFlags) {
      const int err = detail::probe_filter_flags(flag_bit(f) | detail::probe_companions(flag_bit(f)));
      if (err != EFAULT && err != EINVAL) bad += std::string(flag_name(f)) + " answered errno " + std::to_string(err) + "; ";
    }
    (void)probe_kernel();
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0) bad += "a probe installed a filter; ";
    if (no_new_privs() != nnp_before) bad += "a probe changed NO_NEW_PRIVS; ";
    test::write_all(report, bad.data(), bad.size());
    return bad.empty() ? 0 : 1;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(ProbeFlags, UnknownBitsAndBadCombinationsAnswerEinval) {
  test::ChildResult r = test::run_in_child([](int) {
    // A bit no kernel defines yet, and the combinations the kernel refuses.
    if (detail::probe_filter_flags(1u << 30) != EINVAL) return 1;
    if (flag_supported(FilterFlag::WaitKillableRecv) &&
        detail::probe_filter_flags(flag_bit(FilterFlag::WaitKillableRecv)) != EINVAL)
      return 2;
    if (flag_supported(FilterFlag::TsyncEsrch) &&
        detail::probe_filter_flags(flag_bit(FilterFlag::Tsync) | flag_bit(FilterFlag::NewListener)) != EINVAL)
      return 3;
    return 0;
  });
  EXPECT_TRUE(r.ok()) << explain(r);
}

TEST(ProbeFlags, NamesAndReleases) {
  EXPECT_EQ(flag_name(FilterFlag::WaitKillableRecv), "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
  EXPECT_EQ(flag_since(FilterFlag::WaitKillableRecv), "5.19");
  EXPECT_EQ(flag_bit(FilterFlag::Tsync), SECCOMP_FILTER_FLAG_TSYNC);
  EXPECT_EQ(flag_bit(FilterFlag::Log), SECCOMP_FILTER_FLAG_LOG);
  EXPECT_EQ(flag_bit(FilterFlag::SpecAllow), SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  EXPECT_EQ(flag_bit(FilterFlag::NewListener), SECCOMP_FILTER_FLAG_NEW_LISTENER);
  EXPECT_EQ(flag_bit(FilterFlag::TsyncEsrch), SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
  EXPECT_EQ(flag_bit(FilterFlag::WaitKillableRecv), 1u << 5);
}

std::optional<std::set<std::string>> read_actions_avail() {
  std::ifstream in("/proc/sys/kernel/seccomp/actions_avail");
  if (!in) return std::nullopt;
  return std::set<std::string>{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

TEST(ProbeActions, AgreeWithActionsAvail) {
  const auto listed = read_actions_avail();
  if (!listed) GTEST_SKIP() << "no /proc/sys/kernel/seccomp/actions_avail";
  for (int i = 0; i <= static_cast<int>(ActionKind::Allow); ++i) {
    const Action a{static_cast<ActionKind>(i), 0};
    EXPECT_EQ(action_available(a), listed->count(std::string(actions_avail_name(a.kind))) == 1) << a.to_string();
  }
}

TEST(ProbeActions, DataIsIgnored) {
  EXPECT_EQ(action_available(Action::errno_(1)), action_available(Action::errno_(0)));
  EXPECT_EQ(action_available(Action::trace(7)), action_available(Action::trace(0)));
  EXPECT_TRUE(action_available(Action::errno_(4095)));
}

TEST(ProbeNotifSizes, CoverThisProgramsStructs) {
  if (!flag_supported(FilterFlag::NewListener)) GTEST_SKIP() << "no user notification on this kernel";
  const auto sizes = notif_sizes();
  ASSERT_TRUE(sizes.has_value());
  EXPECT_GE(sizes->notif, sizeof(seccomp_notif));
  EXPECT_GE(sizes->notif_resp, sizeof(seccomp_notif_resp));
  EXPECT_EQ(sizes->data, sizeof(seccomp_data));
}

TEST(ProbeKernel, SummaryAgreesWithTheSingleProbes) {
  const KernelFeatures k = probe_kernel();
  utsname u{};
  ASSERT_EQ(uname(&u), 0);
  EXPECT_EQ(k.release, u.release);
  EXPECT_EQ(k.machine, u.machine);
  EXPECT_TRUE(k.seccomp);
  EXPECT_EQ(k.filter_mode, filter_mode_available());
  ASSERT_EQ(k.flags.size(), kAllFilterFlags.size());
  for (const auto& f : k.flags) EXPECT_EQ(f.supported, flag_supported(f.flag)) << flag_name(f.flag);
  ASSERT_EQ(k.actions.size(), 8u);
  for (const auto& a : k.actions) {
    EXPECT_EQ(a.available, action_available(Action{a.kind, 0}));
    if (a.listed) {
      EXPECT_EQ(*a.listed, a.available) << actions_avail_name(a.kind);
    }
  }
  EXPECT_EQ(k.notif_sizes, notif_sizes());
  EXPECT_EQ(k.no_new_privs, no_new_privs());
  EXPECT_EQ(k.cap_sys_admin, has_cap_sys_admin());
  const bool at_least_5_11 = k.version_major > 5 || (k.version_major == 5 && k.version_minor >= 11);
  EXPECT_EQ(k.action_cache, k.filter_mode && at_least_5_11);
  // Each flag's release implies the ones before it in kAllFilterFlags.
  for (std::size_t i = 1; i < k.flags.size(); ++i) {
    if (k.flags[i].supported) {
      EXPECT_TRUE(k.flags[i - 1].supported) << flag_name(k.flags[i].flag);
    }
  }
}

TEST(ProbeKernel, ParsesReleases) {
  int major = 0, minor = 0;
  EXPECT_TRUE(detail::parse_release("6.18.44-fc-v657", major, minor));
  EXPECT_EQ(major, 6);
  EXPECT_EQ(minor, 18);
  EXPECT_TRUE(detail::parse_release("5.10", major, minor));
  EXPECT_EQ(minor, 10);
  EXPECT_FALSE(detail::parse_release("linux", major, minor));
  EXPECT_FALSE(detail::parse_release("6", major, minor));
}

}  // namespace
}  // namespace seccage::kernel
