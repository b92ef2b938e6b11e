// `seccage probe --json` reports what probe_kernel() finds.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "seccage/kernel.hpp"
#include "support/cli.hpp"

namespace seccage::kernel {
namespace {

TEST(ProbeCli, JsonMatchesTheLibrary) {
  const test::CliRun r = test::run_seccage({"probe", "--json"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string& out = r.out;
  const auto j = nlohmann::json::parse(out);
  const KernelFeatures k = probe_kernel();
  EXPECT_EQ(j.at("release"), k.release);
  EXPECT_EQ(j.at("filter_mode"), k.filter_mode);
  EXPECT_EQ(j.at("action_cache"), k.action_cache);
  EXPECT_EQ(j.at("flags").at("TSYNC"), k.supports(FilterFlag::Tsync));
  EXPECT_EQ(j.at("flags").at("WAIT_KILLABLE_RECV"), k.supports(FilterFlag::WaitKillableRecv));
  EXPECT_EQ(j.at("actions").at("USER_NOTIF").at("available"), k.supports(ActionKind::UserNotif));
  EXPECT_EQ(j.at("actions").at("KILL_PROCESS").at("available"), k.supports(ActionKind::KillProcess));
  if (k.notif_sizes) {
    EXPECT_EQ(j.at("notif_sizes").at("seccomp_data"), k.notif_sizes->data);
  }
  EXPECT_EQ(j.at("flags").size(), kAllFilterFlags.size());
  EXPECT_EQ(j.at("actions").size(), 8u);
}

TEST(ProbeCli, TextNamesEveryFlag) {
  const test::CliRun r = test::run_seccage({"probe"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string& out = r.out;
  for (FilterFlag f : kAllFilterFlags) {
    const std::string name(flag_name(f).substr(20));  // without "SECCOMP_FILTER_FLAG_"
    EXPECT_NE(out.find(name), std::string::npos) << name;
  }
  EXPECT_NE(out.find("action cache"), std::string::npos);
}

}  // namespace
}  // namespace seccage::kernel
